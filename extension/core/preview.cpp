#include "preview.hpp"

#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include "dial_time.hpp"
#include "errors.hpp"

#include <cstdio>
#include <vector>

namespace pgdialer {

namespace {

using Writer = rapidjson::Writer<rapidjson::StringBuffer>;

rapidjson::Document parse_json(std::string_view json, const char* what) {
  rapidjson::Document doc;
  doc.Parse(json.data(), json.size());
  if (doc.HasParseError()) throw invalid_argument(std::string(what) + " is not valid JSON");
  return doc;
}

// jsonb ->> for one member: strings as is, scalars as text, null as absent.
std::optional<std::string> member_text(const rapidjson::Value& object, const char* key) {
  auto it = object.FindMember(key);
  if (it == object.MemberEnd() || it->value.IsNull()) return std::nullopt;
  const auto& v = it->value;
  if (v.IsString()) return std::string(v.GetString(), v.GetStringLength());
  if (v.IsBool()) return v.GetBool() ? "true" : "false";
  rapidjson::StringBuffer buffer;
  Writer w(buffer);
  v.Accept(w);
  return std::string(buffer.GetString(), buffer.GetSize());
}

OwnedFilters filters_from(const rapidjson::Value& v) {
  if (!v.IsObject()) throw invalid_argument("filters must be a JSON object");
  return OwnedFilters{member_text(v, "industry"), member_text(v, "state"), member_text(v, "region")};
}

void write_string(Writer& w, std::string_view s) {
  w.String(s.data(), static_cast<rapidjson::SizeType>(s.size()));
}

// The spec's "200+ contacts: split into multiple sessions by priority
// tier": what the rep is told, and the sessions a split push would make
// (names as dialer.push's split_by_tier gives them).
void write_size_guidance(Writer& w, long ready, long limit, const std::array<long, kTierCount>& by_tier,
                         double minutes_per_contact, const std::string& session_name) {
  w.StartObject();
  w.Key("recommended_max");
  w.Int64(limit);
  w.Key("ready");
  w.Int64(ready);
  int tiers = 0;
  for (long n : by_tier) tiers += n > 0 ? 1 : 0;
  std::string message = std::to_string(ready) + " contacts are ready, more than the recommended " +
                        std::to_string(limit) + " per session: ";
  if (tiers > 1)
    message += "split them into " + std::to_string(tiers) +
               " sessions by priority tier (engagement score), highest first.";
  else
    message += "they are all in one priority tier; consider narrowing the filters.";
  w.Key("message");
  write_string(w, message);
  w.Key("proposed_split");
  w.StartArray();
  for (int i = 0; i < kTierCount; ++i) {
    if (by_tier[i] == 0) continue;
    w.StartObject();
    w.Key("tier");
    w.Int(i + 1);
    w.Key("engagement");
    write_string(w, tier_band(i + 1));
    w.Key("contacts");
    w.Int64(by_tier[i]);
    w.Key("estimated_dial_time");
    write_string(w, dial_time(by_tier[i], minutes_per_contact));
    w.Key("session_name");
    write_string(w, session_name + " - Tier " + std::to_string(i + 1));
    w.EndObject();
  }
  w.EndArray();
  w.EndObject();
}

}  // namespace

SessionNameFilters OwnedFilters::view() const {
  auto text = [](const std::optional<std::string>& s) -> Text {
    if (!s) return std::nullopt;
    return std::string_view(*s);
  };
  return SessionNameFilters{text(industry), text(state), text(region)};
}

OwnedFilters parse_filters(std::string_view json) { return filters_from(parse_json(json, "filters")); }

PreviewOptions parse_preview_options(std::string_view json) {
  auto doc = parse_json(json, "options");
  if (!doc.IsObject()) throw invalid_argument("options must be a JSON object");
  PreviewOptions out;
  for (const auto& m : doc.GetObject()) {
    std::string_view key(m.name.GetString(), m.name.GetStringLength());
    const auto& v = m.value;
    if (key == "min_days") {
      if (v.IsNull()) continue;
      if (!v.IsInt() || v.GetInt() < 0 || v.GetInt() > 365)
        throw invalid_argument("options.min_days must be a whole number of days from 0 to 365");
      out.min_days = v.GetInt();
    } else if (key == "as_of") {
      if (v.IsNull()) continue;
      if (!v.IsString()) throw invalid_argument("options.as_of must be a timestamp string");
      out.as_of = std::string(v.GetString(), v.GetStringLength());
    } else if (key == "filters") {
      if (v.IsNull()) continue;
      out.filters = filters_from(v);
    } else if (key == "calling_window") {
      if (v.IsNull()) continue;
      if (!v.IsBool()) throw invalid_argument("options.calling_window must be true or false");
      out.calling_window = v.GetBool();
    } else {
      throw invalid_argument("unknown option \"" + std::string(key) + "\"",
                             "Valid options are min_days, filters, as_of and calling_window.");
    }
  }
  return out;
}

std::optional<std::string> display_name(const Contact& c) {
  auto first = present(c.first_name), last = present(c.last_name);
  if (first && last) return std::string(*first) + " " + std::string(*last);
  if (first) return std::string(*first);
  if (last) return std::string(*last);
  return std::nullopt;
}

PreviewBuilder::PreviewBuilder(PreviewSettings settings, const PreviewOptions& options,
                               std::pmr::memory_resource* memory, std::pmr::memory_resource* summary_memory)
    : settings_(std::move(settings)),
      region_(settings_.rules.region),
      filters_(options.filters),
      memory_(memory),
      seen_ids_(memory),
      shared_numbers_(memory),
      exclusions_(memory),
      summary_(summary_memory != nullptr ? summary_memory : memory) {
  settings_.rules.region = region_;
  if (settings_.suppressions) settings_.rules.suppressions = settings_.suppressions.get();
  if (options.min_days) settings_.rules.min_days = *options.min_days;
  dial_minutes(0, settings_.minutes_per_contact);  // validates the rate up front
}

PreviewBuilder::~PreviewBuilder() = default;

PreviewBuilder::Decision PreviewBuilder::add(const Contact& c) {
  // The same contact twice in one list counts once; the first occurrence wins.
  if (auto id = c.id) {
    if (seen_ids_.insert(*id)) return {Decision::Kind::duplicate_id, std::nullopt, std::nullopt};
  }
  ++total_;
  names_.add(c.contact_type, c.buyer_type);

  std::optional<std::string> e164;
  if (auto exclusion = classify(c, settings_.rules, &e164)) {
    record_exclusion(c, *exclusion);
    return {Decision::Kind::excluded, std::move(exclusion), std::nullopt};
  }
  // Two ready contacts sharing a number (a firm's switchboard) would be dialed
  // twice; the later one is held back, and the rep may still include it.
  if (e164) {
    const std::optional<std::string> name = display_name(c);
    if (auto first =
            shared_numbers_.add(*e164, c.id, name ? std::optional<std::string_view>(*name) : std::nullopt)) {
      Exclusion duplicate{ExclusionCategory::invalid_phone, "Duplicate number of " + std::string(*first),
                          true};
      record_exclusion(c, duplicate);
      return {Decision::Kind::excluded, std::move(duplicate), std::nullopt};
    }
  }
  ++ready_;
  ++ready_by_tier_[priority_tier(c.engagement_score) - 1];
  if (settings_.calling_windows) settings_.calling_windows->add(c, e164);
  return {Decision::Kind::ready, std::nullopt, std::move(e164)};
}

void PreviewBuilder::record_exclusion(const Contact& c, const Exclusion& e) {
  auto text_or_null = [](const Text& value) {
    auto v = present(value);
    return v ? jsonb::Value::string(*v) : jsonb::Value::null();
  };
  const std::optional<std::string> name = display_name(c);
  // Listed in jsonb's key order (shorter first), so the sort in
  // append_object has nothing to move on this per-row path.
  jsonb::Member row[] = {
      {"name", name ? jsonb::Value::string(*name) : jsonb::Value::null()},
      {"reason", jsonb::Value::string(e.reason)},
      {"company", text_or_null(c.company)},
      {"category", jsonb::Value::string(category_name(e.category))},
      {"contact_id", c.id ? jsonb::Value::string(*c.id) : jsonb::Value::null()},
      {"overridable", jsonb::Value::of(e.overridable)},
  };

  // Counted only once the row is stored, so a failed append (the memory
  // limit) leaves counts and rows in step.
  try {
    jsonb::append_object(exclusions_.begin_element(), row, std::size(row));
  } catch (...) {
    exclusions_.abandon_element();
    throw;
  }
  exclusions_.end_element();
  ++by_category_[static_cast<int>(e.category)];
}

bool PreviewBuilder::wants_size_guidance() const {
  return settings_.size_limit > 0 && ready_ > settings_.size_limit;
}

std::optional<std::string> PreviewBuilder::size_guidance_json() const {
  if (!wants_size_guidance()) return std::nullopt;
  rapidjson::StringBuffer out;
  Writer w(out);
  write_size_guidance(w, ready_, settings_.size_limit, ready_by_tier_, settings_.minutes_per_contact,
                      names_.name(filters_.view(), settings_.year, settings_.month));
  return std::string(out.GetString(), out.GetSize());
}

std::optional<std::string> PreviewBuilder::calling_window_json() {
  if (!settings_.calling_windows) return std::nullopt;
  return settings_.calling_windows->json();
}

PreviewBuilder::Numbers PreviewBuilder::numbers() const {
  Numbers n{};
  n.total = total_;
  n.ready = ready_;
  n.excluded = total_ - ready_;
  for (int i = 0; i < kExclusionCategoryCount; ++i) n.by_category[i] = by_category_[i];
  rapidjson::StringBuffer minutes;
  Writer w(minutes);
  w.Double(dial_minutes(ready_, settings_.minutes_per_contact));
  std::snprintf(n.dial_minutes, sizeof n.dial_minutes, "%s", minutes.GetString());
  return n;
}

const std::pmr::string& PreviewBuilder::finish_jsonb(const EncodedNumbers& numbers) {
  using jsonb::Member;
  using jsonb::Value;
  // excluded_by_category first, on its own (numerics inside: written from a
  // 4-byte boundary, as it will be placed).
  std::pmr::string by_category(memory_);
  Member categories[kExclusionCategoryCount];
  for (int i = 0; i < kExclusionCategoryCount; ++i)
    categories[i] = {category_name(static_cast<ExclusionCategory>(i)),
                     Value::numeric(numbers.by_category[i])};
  jsonb::append_object(by_category, categories, kExclusionCategoryCount);

  const std::string dial = dial_time(ready_, settings_.minutes_per_contact);
  const std::string name = names_.name(filters_.view(), settings_.year, settings_.month);
  Member summary[11] = {
      {"total", Value::numeric(numbers.total)},
      {"ready", Value::numeric(numbers.ready)},
      {"excluded", Value::numeric(numbers.excluded)},
      {"excluded_by_category", Value::container(by_category)},
      {"exclusions", Value::of(exclusions_)},
      {"estimated_dial_minutes", Value::numeric(numbers.dial_minutes)},
      {"estimated_dial_time", Value::string(dial)},
      {"suggested_session_name", Value::string(name)},
  };
  std::size_t count = 8;
  summary[count++] = {"shared_numbers", Value::container(numbers.shared_numbers)};
  if (!numbers.size_guidance.empty()) {
    // A small object of its own (numbers inside): the glue made it with
    // jsonb_in from size_guidance_json(); placed as it is.
    summary[count++] = {"size_guidance", Value::container(numbers.size_guidance)};
  }
  if (!numbers.calling_window.empty())
    summary[count++] = {"calling_window", Value::container(numbers.calling_window)};
  summary_.clear();
  summary_.reserve(exclusions_.size_bound() + numbers.size_guidance.size() + numbers.shared_numbers.size() +
                   numbers.calling_window.size() + 4096);  // one allocation, not a doubling
  summary_.append(4, '\0');                                // the varlena's length word, set by the caller
  jsonb::append_object(summary_, summary, count);
  return summary_;
}

const std::pmr::string& PreviewBuilder::finish_json() {
  // Everything but the exclusions, as one object; the rows are spliced in
  // before its closing brace (jsonb does not keep key order anyway).
  rapidjson::StringBuffer head;
  Writer w(head);
  w.StartObject();
  w.Key("total");
  w.Int64(total_);
  w.Key("ready");
  w.Int64(ready_);
  w.Key("excluded");
  w.Int64(total_ - ready_);
  w.Key("excluded_by_category");
  w.StartObject();
  for (int i = 0; i < kExclusionCategoryCount; ++i) {
    write_string(w, category_name(static_cast<ExclusionCategory>(i)));
    w.Int64(by_category_[i]);
  }
  w.EndObject();
  w.Key("estimated_dial_minutes");
  w.Double(dial_minutes(ready_, settings_.minutes_per_contact));
  w.Key("estimated_dial_time");
  write_string(w, dial_time(ready_, settings_.minutes_per_contact));
  const std::string suggested = names_.name(filters_.view(), settings_.year, settings_.month);
  w.Key("suggested_session_name");
  write_string(w, suggested);
  w.Key("shared_numbers");
  const std::string shared = shared_numbers_json();
  w.RawValue(shared.data(), shared.size(), rapidjson::kObjectType);
  if (wants_size_guidance()) {
    w.Key("size_guidance");
    write_size_guidance(w, ready_, settings_.size_limit, ready_by_tier_, settings_.minutes_per_contact,
                        suggested);
  }
  if (auto windows = calling_window_json()) {
    w.Key("calling_window");
    w.RawValue(windows->data(), windows->size(), rapidjson::kObjectType);
  }
  w.EndObject();

  // The rows, read back from their jsonb form (keys in jsonb's order).
  rapidjson::StringBuffer rows;
  Writer r(rows);
  r.StartArray();
  std::vector<jsonb::Member> members;
  for (std::string_view element : exclusions_.elements()) {
    if (!jsonb::read_scalar_object(element, &members))
      throw Error(sqlstate::internal_error, "preview: an exclusion row could not be read back");
    r.StartObject();
    for (const jsonb::Member& m : members) {
      write_string(r, m.key);
      switch (m.value.kind) {
        case jsonb::Value::Kind::string: write_string(r, m.value.bytes); break;
        case jsonb::Value::Kind::boolean: r.Bool(m.value.boolean); break;
        default: r.Null(); break;
      }
    }
    r.EndObject();
  }
  r.EndArray();

  static constexpr std::string_view kRowsKey = ",\"exclusions\":";
  summary_.clear();
  summary_.reserve(head.GetSize() + kRowsKey.size() + rows.GetSize() + 1);
  summary_.append(head.GetString(), head.GetSize() - 1);  // without the closing '}'
  summary_ += kRowsKey;
  summary_.append(rows.GetString(), rows.GetSize());
  summary_ += '}';
  return summary_;
}

}  // namespace pgdialer
