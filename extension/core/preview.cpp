#include "preview.hpp"

#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include "dial_time.hpp"
#include "errors.hpp"

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

void write_text_or_null(Writer& w, const Text& value) {
  if (auto v = present(value))
    write_string(w, *v);
  else
    w.Null();
}

// The spec's "200+ contacts: split into multiple sessions by priority
// tier": what the rep is told, and the sessions a split push would make
// (names as dialer.push's split_by_tier gives them).
void write_size_guidance(Writer& w, long ready, long limit, const std::array<long, kTierCount>& by_tier,
                         double minutes_per_contact, const std::string& session_name) {
  w.Key("size_guidance");
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
    } else {
      throw invalid_argument("unknown option \"" + std::string(key) + "\"",
                             "Valid options are min_days, filters and as_of.");
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

// One excluded row is written here, then appended to exclusion_rows_. The
// buffer and the writer's stack keep their capacity, so after the first row
// this allocates nothing.
struct PreviewBuilder::RowWriter {
  rapidjson::StringBuffer buffer;
  Writer writer{buffer};
};

PreviewBuilder::PreviewBuilder(PreviewSettings settings, const PreviewOptions& options,
                               std::pmr::memory_resource* memory)
    : settings_(std::move(settings)),
      region_(settings_.rules.region),
      filters_(options.filters),
      memory_(memory),
      seen_ids_(memory),
      name_by_number_(memory),
      exclusion_rows_(memory),
      summary_(memory),
      row_writer_(std::make_unique<RowWriter>()) {
  settings_.rules.region = region_;
  if (settings_.suppressions) settings_.rules.suppressions = settings_.suppressions.get();
  if (options.min_days) settings_.rules.min_days = *options.min_days;
  dial_minutes(0, settings_.minutes_per_contact);  // validates the rate up front
}

PreviewBuilder::~PreviewBuilder() = default;

PreviewBuilder::Decision PreviewBuilder::add(const Contact& c) {
  // The same contact twice in one list counts once; the first occurrence wins.
  if (auto id = c.id) {
    if (!seen_ids_.emplace(*id).second) return {Decision::Kind::duplicate_id, std::nullopt};
  }
  ++total_;
  names_.add(c.contact_type, c.buyer_type);

  std::optional<std::string> e164;
  if (auto exclusion = classify(c, settings_.rules, &e164)) {
    record_exclusion(c, *exclusion);
    return {Decision::Kind::excluded, std::move(exclusion)};
  }
  // Two ready contacts sharing a number (a firm's switchboard) would be dialed
  // twice; the later one is held back, and the rep may still include it.
  if (e164) {
    auto [it, inserted] = name_by_number_.try_emplace(std::pmr::string(*e164, memory_));
    if (!inserted) {
      Exclusion duplicate{ExclusionCategory::invalid_phone, "Duplicate number of " + std::string(it->second),
                          true};
      record_exclusion(c, duplicate);
      return {Decision::Kind::excluded, std::move(duplicate)};
    }
    if (auto name = display_name(c)) it->second = *name;
  }
  ++ready_;
  ++ready_by_tier_[priority_tier(c.engagement_score) - 1];
  return {Decision::Kind::ready, std::nullopt};
}

void PreviewBuilder::record_exclusion(const Contact& c, const Exclusion& e) {
  RowWriter& row = *row_writer_;
  row.buffer.Clear();
  row.writer.Reset(row.buffer);
  Writer& w = row.writer;
  w.StartObject();
  w.Key("contact_id");
  if (c.id)
    write_string(w, *c.id);
  else
    w.Null();
  w.Key("name");
  if (auto name = display_name(c))
    write_string(w, *name);
  else
    w.Null();
  w.Key("company");
  write_text_or_null(w, c.company);
  w.Key("category");
  write_string(w, category_name(e.category));
  w.Key("reason");
  write_string(w, e.reason);
  w.Key("overridable");
  w.Bool(e.overridable);
  w.EndObject();
  // Counted only once the row is stored, so a failed append (the memory
  // limit) leaves counts and rows in step.
  if (!exclusion_rows_.empty()) exclusion_rows_ += ',';
  exclusion_rows_.append(row.buffer.GetString(), row.buffer.GetSize());
  ++by_category_[static_cast<int>(e.category)];
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
  if (settings_.size_limit > 0 && ready_ > settings_.size_limit)
    write_size_guidance(w, ready_, settings_.size_limit, ready_by_tier_, settings_.minutes_per_contact,
                        suggested);
  w.EndObject();

  static constexpr std::string_view kRowsKey = ",\"exclusions\":[";
  summary_.clear();
  summary_.reserve(head.GetSize() + kRowsKey.size() + exclusion_rows_.size() + 2);
  summary_.append(head.GetString(), head.GetSize() - 1);  // without the closing '}'
  summary_ += kRowsKey;
  summary_ += exclusion_rows_;
  summary_ += "]}";
  return summary_;
}

}  // namespace pgdialer
