// /contacts: list with the documented filters, read, create, partial update,
// delete (to the trash). Creates never de-duplicate: PhoneBurner's duplicate
// rules are undocumented, so the fake takes the reading that exposes a client
// which relies on them (every POST is a new contact).
#include "contact_view.hpp"
#include "contact_write.hpp"
#include "envelope.hpp"
#include "rest_routes.hpp"

#include <algorithm>
#include <cctype>
#include <cstdlib>

namespace fake_pb {
namespace {

std::string lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return s;
}

bool truthy(const std::string& v) {
  const std::string l = lower(v);
  return !l.empty() && l != "0" && l != "false" && l != "no";
}

// A positive integer, or `fallback` for anything else (the doc's 1..100 limit
// on page_size is not enforced: live clients use 500 successfully).
long long positive_or(const std::string& text, long long fallback) {
  char* end = nullptr;
  const long long v = std::strtoll(text.c_str(), &end, 10);
  if (text.empty() || *end != '\0' || v < 1) return fallback;
  return std::min(v, 1000000000LL);
}

// The {id} of the path, or -1 when it is not a number.
long id_arg(const RestCall& call) {
  const std::string& text = call.args.at(0);
  char* end = nullptr;
  const long id = std::strtol(text.c_str(), &end, 10);
  return (text.empty() || *end != '\0') ? -1 : id;
}

ApiResponse contact_not_found() { return error(404, 40401, "Contact not found"); }

// contacts.contacts as a single object (create and update answers).
ApiResponse one_contact(int status, const Account& account, const Contact& c) {
  return success(status, "contacts", [&](JsonWriter& w) {
    w.StartObject();
    w.Key("contacts");
    write_contact_read(w, account, c);
    w.EndObject();
  });
}

}  // namespace

// Filters: category_id, email_address (exact, case-insensitive), updated_from
// and update_to (sic) on date_modified, include_new (with updated_from, also
// contacts created since then), include_trashed, sort_order (by id, DESC by
// default), page, page_size. Every other parameter, folder_id included, is
// ignored, as PhoneBurner ignores it.
RestResult list_contacts(const RestCall& call) {
  const auto q = [&](const char* key) { return query_param(call.req, key); };
  const bool ascending = lower(q("sort_order")) == "asc";
  const long long page = positive_or(q("page"), 1);
  const long long page_size = positive_or(q("page_size"), 25);
  const bool include_trashed = truthy(q("include_trashed"));
  const std::string category = q("category_id");
  const std::string email = lower(q("email_address"));
  const std::string updated_from = q("updated_from");
  const std::string update_to = q("update_to");
  const bool include_new = truthy(q("include_new"));

  std::vector<const Contact*> found;
  for (const auto& [id, c] : call.account.contacts) {
    if (c.trashed && !include_trashed) continue;
    if (!category.empty() && std::to_string(c.category_id) != category) continue;
    if (!email.empty() && lower(c.email) != email) continue;
    if (!updated_from.empty()) {
      if (c.date_modified < updated_from) continue;
      if (!include_new && c.date_added >= updated_from) continue;
    }
    if (!update_to.empty() && c.date_modified > update_to) continue;
    found.push_back(&c);
  }
  if (!ascending) std::reverse(found.begin(), found.end());

  const long long total = static_cast<long long>(found.size());
  const long long pages = (total + page_size - 1) / page_size;
  const long long first = page <= pages ? (page - 1) * page_size : total;
  const long long last = std::min(total, first + page_size);
  return {success(200, "contacts", [&](JsonWriter& w) {
    w.StartObject();
    w.Key("contacts");
    w.StartArray();
    for (long long i = first; i < last; ++i) write_contact_read(w, call.account, *found[i]);
    w.EndArray();
    put_id(w, "page", page);
    put_id(w, "page_size", page_size);
    put_id(w, "total_results", total);
    put_id(w, "total_pages", pages);
    w.EndObject();
  })};
}

// contacts.contacts is a one-element array here (unlike create).
RestResult get_contact(const RestCall& call) {
  const Contact* c = call.account.find_live_contact(id_arg(call));
  if (!c) return {contact_not_found()};
  return {success(200, "contacts", [&](JsonWriter& w) {
    w.StartObject();
    w.Key("contacts");
    w.StartArray();
    write_contact_read(w, call.account, *c);
    w.EndArray();
    w.EndObject();
  })};
}

RestResult post_contact(const RestCall& call) {
  Contact& c = call.account.new_contact("api", call.now);
  apply_contact_write(call.account, c, call.body);
  c.original_category_id = c.category_id;
  return {one_contact(201, call.account, c)};
}

RestResult put_contact(const RestCall& call) {
  Contact* c = call.account.find_live_contact(id_arg(call));
  if (!c) return {contact_not_found()};
  if (apply_contact_write(call.account, *c, call.body)) c->date_modified = call.now;
  return {one_contact(200, call.account, *c)};
}

RestResult delete_contact(const RestCall& call) {
  Contact* c = call.account.find_live_contact(id_arg(call));
  if (!c) return {contact_not_found()};
  c->trashed = true;
  c->date_modified = call.now;
  return {success(200, "contacts", [&](JsonWriter& w) {
    w.StartObject();
    w.Key("contacts");
    w.StartObject();
    put_id(w, "contact_user_id", c->id);
    put_id(w, "user_id", c->id);
    put_str(w, "deleted", "1");
    w.EndObject();
    w.EndObject();
  })};
}

}  // namespace fake_pb
