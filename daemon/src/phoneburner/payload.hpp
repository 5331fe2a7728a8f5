// dialer.payload(contact) -> the fields PhoneBurner stores.
//
// The extension's payload uses CRM names (address, company, title) and a flat
// custom_fields object. PhoneBurner wants address1, has no documented company
// or title key, and takes custom fields as a list of {name, type, value}
// matched by name. The mapping lives here, once, and is rendered two ways:
// as PHP-array form pairs for /contacts writes (the encoding a live probe
// found to always persist) and as JSON for /dialsession.
#pragma once

#include "http/form.hpp"

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <string>
#include <utility>
#include <vector>

namespace pgdialer::sync {

// PhoneBurner's custom-field type for text, the only one seen in the wild.
inline constexpr int kTextCustomFieldType = 1;

struct MappedContact {
  std::vector<std::pair<std::string, std::string>> fields;         // PhoneBurner key -> value
  std::vector<std::pair<std::string, std::string>> custom_fields;  // name -> value, in order
};

// Maps a payload. Standard keys: first_name, last_name, phone, email,
// address -> address1, address2, city, state, zip, country, company,
// title (company and title are also sent as the custom fields "company" and
// "title", because PhoneBurner may drop the top-level keys, unless the
// payload's custom_fields already has those names). Other top-level keys are
// ignored. Values may be strings or numbers; null and non-scalar values are
// skipped. Returns false with `error` when the text is not a JSON object.
bool map_payload(const std::string& payload_json, MappedContact* out, std::string* error);

// Appends a top-level field (lead_id, category_id) unless `value` is empty.
void add_field(MappedContact* contact, const std::string& key, const std::string& value);

// fields as they are, then custom_fields[i][name], custom_fields[i][type],
// custom_fields[i][value] for i = 0, 1, ...
http::FormPairs to_form_pairs(const MappedContact& contact);

// {"first_name":..., ..., "custom_fields":[{"name":..,"type":1,"value":..}]}
void write_contact_json(rapidjson::Writer<rapidjson::StringBuffer>& w, const MappedContact& contact);

}  // namespace pgdialer::sync
