#include "exclusion.hpp"

#include "phone.hpp"

namespace pgdialer {

namespace {

constexpr UnixMicros kMicrosPerDay = 86'400'000'000LL;

bool is_true(const std::optional<bool>& flag) { return flag.value_or(false); }

std::string str(std::string_view v) { return std::string(v); }

// Check 1: do_not_call or suppressed. Only an internal policy listing may be
// overridden; a registry listing or the person's own request is legal DNC,
// and so is an unknown source.
std::optional<Exclusion> check_do_not_call(const Contact& c) {
  if (!is_true(c.do_not_call) && !is_true(c.suppressed)) return std::nullopt;
  auto source = present(c.do_not_call_source);
  bool internal = source && *source == "internal";
  if (auto r = present(c.do_not_call_reason))
    return Exclusion{ExclusionCategory::do_not_call, str(*r), internal};
  const char* reason = is_true(c.suppressed) && !is_true(c.do_not_call) ? "Suppressed" : "Do not call";
  return Exclusion{ExclusionCategory::do_not_call, ReasonText::fixed(reason), internal};
}

// Between checks 1 and 2: a number on dialer.suppressions is legal
// do-not-call whatever the contact row says, so it is never overridable.
std::optional<Exclusion> check_suppression_list(std::string_view number, const SuppressionList* list) {
  if (list == nullptr || list->empty()) return std::nullopt;
  auto reason = list->find(number);
  if (!reason) return std::nullopt;
  return Exclusion{ExclusionCategory::do_not_call, std::string(*reason), false};
}

bool has_phone(const Contact& c) { return present(c.phone) || present(c.phone_e164); }

// Check 2: missing, flagged or unrecognized number. Only a flagged number that
// still normalizes may be overridden (the rep may know the flag is stale).
std::optional<Exclusion> check_phone(const Contact& c, bool normalizes) {
  if (!has_phone(c))
    return Exclusion{ExclusionCategory::invalid_phone, ReasonText::fixed("Missing phone number"), false};
  if (is_true(c.phone_number_invalid)) {
    std::string reason = "Flagged as invalid";
    if (auto r = present(c.phone_invalid_reason)) reason += ": " + str(*r);
    return Exclusion{ExclusionCategory::invalid_phone, std::move(reason), normalizes};
  }
  if (!normalizes)
    return Exclusion{ExclusionCategory::invalid_phone, ReasonText::fixed("Unrecognized phone number"), false};
  return std::nullopt;
}

// Check 3: called fewer than min_days whole days ago.
std::optional<Exclusion> check_recency(const Contact& c, const RuleSettings& s) {
  if (s.min_days <= 0 || !c.last_call_attempt_at) return std::nullopt;
  long days = whole_days_between(*c.last_call_attempt_at, s.as_of);
  if (days >= s.min_days) return std::nullopt;
  return Exclusion{ExclusionCategory::recently_contacted, called_days_ago(days), true};
}

// Check 4: first and last name are required by PhoneBurner.
std::optional<Exclusion> check_names(const Contact& c) {
  bool first = !is_blank(c.first_name), last = !is_blank(c.last_name);
  if (first && last) return std::nullopt;
  const char* reason = !first && !last ? "Missing first and last name"
                       : !first        ? "Missing first name"
                                       : "Missing last name";
  return Exclusion{ExclusionCategory::missing_required_fields, ReasonText::fixed(reason), true};
}

}  // namespace

std::string_view category_name(ExclusionCategory category) {
  switch (category) {
    case ExclusionCategory::do_not_call: return "do_not_call";
    case ExclusionCategory::invalid_phone: return "invalid_phone";
    case ExclusionCategory::recently_contacted: return "recently_contacted";
    case ExclusionCategory::missing_required_fields: return "missing_required_fields";
  }
  return "unknown";
}

long whole_days_between(UnixMicros then, UnixMicros now) {
  if (then >= now) return 0;
  // Unsigned difference: exact for any pair, including saturated infinities.
  auto elapsed = static_cast<unsigned long long>(now) - static_cast<unsigned long long>(then);
  return static_cast<long>(elapsed / kMicrosPerDay);
}

std::string called_days_ago(long days) {
  if (days <= 0) return "Called today";
  if (days == 1) return "Called 1 day ago";
  return "Called " + std::to_string(days) + " days ago";
}

std::optional<std::string> normalized_phone(const Contact& c, std::string_view region) {
  if (auto stored = present(c.phone_e164)) return str(*stored);
  if (c.phone_e164_maintained) return std::nullopt;  // kept by pgdialer: blank means invalid
  if (auto raw = present(c.phone)) return to_e164(*raw, region);
  return std::nullopt;
}

std::optional<Exclusion> classify(const Contact& c, const RuleSettings& s,
                                  std::optional<std::string>* e164_out) {
  // The row's own legal do-not-call wins with its own reason. An internal
  // (overridable) one gives way to a listing of the number, which is legal
  // do-not-call: otherwise a rep could force-include a listed number.
  std::optional<Exclusion> dnc = check_do_not_call(c);
  bool listing = s.suppressions != nullptr && !s.suppressions->empty();
  if (dnc && (!dnc->overridable || !listing)) return dnc;
  // A stored number is trusted and only copied when the caller wants it: this
  // is the per-row hot path of `WHERE dialer.exclusion(c) IS NULL`. So is a
  // blank one that pgdialer maintains: the number did not normalize.
  // A parsed one lands in a buffer on the stack: no string is built unless
  // the caller asks for the number.
  bool normalizes = false;
  std::string_view number;
  phone_fast::E164Buffer parsed;
  if (auto stored = present(c.phone_e164)) {
    normalizes = true;
    number = *stored;
  } else if (auto raw = c.phone_e164_maintained ? std::nullopt : present(c.phone)) {
    if (s.phone_memo) {
      normalizes = s.phone_memo->normalize(*raw, s.region, &parsed);
    } else if (std::optional<std::string> e164 = to_e164(*raw, s.region)) {
      parsed.assign(*e164);
      normalizes = true;
    }
    if (normalizes) number = parsed.view();
  }
  if (normalizes) {
    if (auto listed = check_suppression_list(number, s.suppressions)) return listed;
  }
  if (dnc) return dnc;
  if (e164_out && normalizes) *e164_out = str(number);
  if (auto phone = check_phone(c, normalizes)) return phone;
  if (auto recent = check_recency(c, s)) return recent;
  return check_names(c);
}

bool certainly_ready(const Contact& c, const RuleSettings& s) noexcept {
  try {
    if (is_true(c.do_not_call) || is_true(c.suppressed)) return false;
    Text stored = present(c.phone_e164);
    if (!stored || is_true(c.phone_number_invalid)) return false;
    if (s.suppressions != nullptr && !s.suppressions->empty() && s.suppressions->find(*stored)) return false;
    if (s.min_days > 0 && c.last_call_attempt_at &&
        whole_days_between(*c.last_call_attempt_at, s.as_of) < s.min_days)
      return false;
    return !is_blank(c.first_name) && !is_blank(c.last_name);
  } catch (...) {
    return false;  // e.g. a non-canonical number's lookup failed to allocate
  }
}

bool is_dialable(const Contact& c, std::string_view region, const SuppressionList* suppressions,
                 PhoneMemo* memo) {
  if (is_true(c.do_not_call) || is_true(c.suppressed)) return false;
  if (!has_phone(c) || is_true(c.phone_number_invalid)) return false;
  if (auto stored = present(c.phone_e164)) return !check_suppression_list(*stored, suppressions);
  if (memo == nullptr) {
    auto parsed = normalized_phone(c, region);
    return parsed && !check_suppression_list(*parsed, suppressions);
  }
  if (c.phone_e164_maintained) return false;  // kept by pgdialer: blank means invalid
  auto raw = present(c.phone);
  phone_fast::E164Buffer parsed;
  return raw && memo->normalize(*raw, region, &parsed) &&
         !check_suppression_list(parsed.view(), suppressions);
}

}  // namespace pgdialer
