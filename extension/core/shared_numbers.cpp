#include "shared_numbers.hpp"

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <string>

#include "phone.hpp"

namespace pgdialer {

namespace {

using Writer = rapidjson::Writer<rapidjson::StringBuffer>;

void write_string(Writer& w, std::string_view s) {
  w.String(s.data(), static_cast<rapidjson::SizeType>(s.size()));
}

// The kept contact of a number, as stored in first_by_number_: a presence
// flag and the text, for the id and then the name, NUL between them (ids and
// names are PostgreSQL text, which holds no NUL).
void encode_part(std::string& out, std::optional<std::string_view> part) {
  if (part) {
    out += '1';
    out.append(part->data(), part->size());
  } else {
    out += '0';
  }
}

std::optional<std::string_view> decode_part(std::string_view part) {
  if (part.empty() || part[0] != '1') return std::nullopt;
  return part.substr(1);
}

void write_member(Writer& w, bool has_id, std::string_view id, bool has_name, std::string_view name) {
  w.Key("contact_id");
  if (has_id)
    write_string(w, id);
  else
    w.Null();
  w.Key("name");
  if (has_name)
    write_string(w, name);
  else
    w.Null();
}

}  // namespace

SharedNumbers::SharedNumbers(std::pmr::memory_resource* memory)
    : first_by_number_(memory),
      group_by_number_(memory),
      memory_(memory),
      groups_(memory),
      scratch_(memory) {}

std::optional<std::string_view> SharedNumbers::add(std::string_view e164, std::optional<std::string_view> id,
                                                   std::optional<std::string_view> name) {
  // Reused row to row: no allocation per contact once it is large enough.
  std::string& entry = entry_;
  entry.clear();
  encode_part(entry, id);
  entry += '\0';
  encode_part(entry, name);
  std::optional<std::string_view> kept = first_by_number_.insert(e164, entry);
  if (!kept) return std::nullopt;

  const std::size_t split = kept->find('\0');
  const std::optional<std::string_view> kept_id = decode_part(kept->substr(0, split));
  const std::optional<std::string_view> kept_name =
      split == std::string_view::npos ? std::nullopt : decode_part(kept->substr(split + 1));
  scratch_.assign(kept_name ? *kept_name : std::string_view());

  auto member = [&](std::optional<std::string_view> member_id, std::optional<std::string_view> member_name) {
    return Member{std::pmr::string(member_id ? *member_id : std::string_view(), memory_),
                  std::pmr::string(member_name ? *member_name : std::string_view(), memory_),
                  member_id.has_value(), member_name.has_value()};
  };

  // The number's group: made when its second contact comes.
  const std::string index = std::to_string(groups_.size());
  const bool listable = groups_.size() < kMaxGroupsListed;
  std::optional<std::string_view> existing =
      group_by_number_.insert(e164, listable ? index : std::string_view());
  if (!existing) {
    ++group_count_;
    contacts_ += 2;
    if (listable) {
      Group group{std::pmr::string(e164, memory_), 2, std::pmr::vector<Member>(memory_)};
      group.listed.push_back(member(kept_id, kept_name));
      group.listed.push_back(member(id, name));
      groups_.push_back(std::move(group));
    }
  } else {
    ++contacts_;
    if (!existing->empty()) {
      Group& group = groups_[std::stoul(std::string(*existing))];
      ++group.contacts;
      if (group.listed.size() < kMaxContactsListed) group.listed.push_back(member(id, name));
    }
  }
  return std::string_view(scratch_);
}

std::string SharedNumbers::json(std::string_view region) const {
  rapidjson::StringBuffer out;
  Writer w(out);
  w.StartObject();
  w.Key("numbers");
  w.Uint64(group_count_);
  w.Key("contacts");
  w.Int64(contacts_);
  w.Key("held_back");
  w.Int64(contacts_ - static_cast<long>(group_count_));
  w.Key("groups_listed");
  w.Uint64(groups_.size());
  w.Key("groups");
  w.StartArray();
  for (const Group& g : groups_) {
    std::string display(g.number);
    if (auto info = phone_info(g.number, region); info && info->international_format)
      display = *info->international_format;
    w.StartObject();
    w.Key("number");
    write_string(w, g.number);
    w.Key("display");
    write_string(w, display);
    w.Key("contacts");
    w.Int64(g.contacts);
    w.Key("summary");
    write_string(w, std::to_string(g.contacts) + " contacts at " + display);
    w.Key("kept");
    w.StartObject();
    const Member& kept = g.listed.front();
    write_member(w, kept.has_id, kept.id, kept.has_name, kept.name);
    w.EndObject();
    w.Key("members");
    w.StartArray();
    bool first = true;
    for (const Member& m : g.listed) {
      w.StartObject();
      write_member(w, m.has_id, m.id, m.has_name, m.name);
      w.Key("kept");
      w.Bool(first);
      w.EndObject();
      first = false;
    }
    w.EndArray();
    w.EndObject();
  }
  w.EndArray();
  w.EndObject();
  return std::string(out.GetString(), out.GetSize());
}

}  // namespace pgdialer
