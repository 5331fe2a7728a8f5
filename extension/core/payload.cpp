#include "payload.hpp"

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include "exclusion.hpp"
#include "phone.hpp"
#include "talking_points.hpp"

namespace pgdialer {

namespace {

using Writer = rapidjson::Writer<rapidjson::StringBuffer>;

void field(Writer& w, const char* key, const Text& value) {
  auto v = present(value);
  if (!v) return;
  w.Key(key);
  w.String(v->data(), static_cast<rapidjson::SizeType>(v->size()));
}

void field(Writer& w, const char* key, const std::optional<std::string>& value) {
  if (!value) return;
  field(w, key, Text(std::string_view(*value)));
}

// The assistant's number in E.164 when it normalizes, else as written.
std::optional<std::string> assistant_phone(const Contact& c, std::string_view region) {
  auto raw = present(c.assistant_phone);
  if (!raw) return std::nullopt;
  if (auto e164 = to_e164(*raw, region)) return e164;
  return std::string(*raw);
}

void custom_fields(Writer& w, const Contact& c, std::string_view region, const std::vector<Deal>* deals) {
  w.Key("custom_fields");
  w.StartObject();
  field(w, "sourceco_contact_id", c.id);
  field(w, "contact_type", c.contact_type);
  field(w, "buyer_type", c.buyer_type);
  field(w, "aum", c.aum);
  field(w, "fund_size", c.fund_size);
  field(w, "target_ebitda_range", c.target_ebitda_range);
  field(w, "target_sectors", c.target_industries);
  field(w, "target_geographies", c.target_geographies);
  field(w, "last_contact_date", c.last_contact_date);
  field(w, "last_contact_method", c.last_contact_method);
  field(w, "last_contact_outcome", c.last_contact_outcome);
  field(w, "engagement_score", c.engagement_score);
  field(w, "relationship_strength", c.relationship_strength);
  field(w, "active_deals_count", c.active_deals_count);
  field(w, "last_deal_presented", c.last_deal_presented);
  field(w, "last_deal_outcome", c.last_deal_outcome);
  if (present(c.call_talking_points))
    field(w, "call_talking_points", c.call_talking_points);
  else
    field(w, "call_talking_points", talking_points(c, deals));
  field(w, "preferred_contact_time", c.preferred_contact_time);
  field(w, "assistant_name", c.assistant_name);
  field(w, "assistant_phone", assistant_phone(c, region));
  field(w, "contact_owner", c.contact_owner);
  field(w, "contact_source", c.contact_source);
  w.EndObject();
}

}  // namespace

std::string payload_json(const Contact& c, std::string_view region, const std::vector<Deal>* deals) {
  rapidjson::StringBuffer buffer;
  Writer w(buffer);
  w.StartObject();
  field(w, "first_name", c.first_name);
  field(w, "last_name", c.last_name);
  field(w, "company", c.company);
  field(w, "phone", normalized_phone(c, region));
  field(w, "email", c.email);
  field(w, "title", c.title);
  field(w, "address", c.address_line1);
  field(w, "city", c.city);
  field(w, "state", c.state);
  field(w, "zip", c.zip);
  custom_fields(w, c, region, deals);
  w.EndObject();
  return std::string(buffer.GetString(), buffer.GetSize());
}

}  // namespace pgdialer
