#include "call_simulation.hpp"

#include "clock.hpp"
#include "json_util.hpp"
#include "webhook_payloads.hpp"

#include <algorithm>
#include <cmath>
#include <map>
#include <set>

namespace fake_pb {
namespace {

struct Callback {
  CallEvent event;
  std::string url;
  WebhookUrl target;
};

// What the rep types after a live conversation; voicemails get a short note.
const std::vector<std::string>& canned_notes() {
  static const std::vector<std::string> notes{"Spoke with the owner, wants numbers by Friday",
                                              "Gatekeeper; asked to call back after 2pm",
                                              "Interested in a valuation call",
                                              "Discussed timeline and next steps",
                                              "Asked for an email with the one-pager",
                                              "Confirmed the best number is the mobile"};
  return notes;
}

bool event_from_name(const std::string& name, CallEvent& out) {
  for (CallEvent e : {CallEvent::contact_displayed, CallEvent::callbegin, CallEvent::calldone})
    if (name == event_name(e)) {
      out = e;
      return true;
    }
  return false;
}

// The callbacks POST /dialsession kept (already limited to the three types).
bool session_callbacks(const DialSession& s, std::vector<Callback>& out, PlanFailure& failure) {
  rapidjson::Document doc;
  if (!parse_json(s.callbacks, doc) || !doc.IsArray()) return true;
  for (const auto& cb : doc.GetArray()) {
    Callback c;
    if (!event_from_name(cb["callback_type"].GetString(), c.event)) continue;
    c.url = cb["callback"].GetString();
    std::string error;
    if (!parse_loopback_url(c.url, c.target, error)) {
      failure = {400, "dial session " + std::to_string(s.id) + ": " + error};
      return false;
    }
    out.push_back(std::move(c));
  }
  return true;
}

ContactSnapshot snapshot(const Account& account, const Contact& c) {
  ContactSnapshot s;
  s.id = c.id;
  s.folder_id = c.category_id;
  const Folder* f = account.find_folder(c.category_id);
  s.folder_name = f ? f->name : std::string();
  s.first_name = c.first_name;
  s.last_name = c.last_name;
  s.phone = c.phone;
  s.email = c.email;
  s.lead_id = c.lead_id;
  s.external_id = c.external_id;
  s.external_crm_data = c.external_crm_data;
  s.notes = c.notes;
  for (const auto& v : c.custom_fields) {
    const CustomFieldDef* def = account.find_custom_field(v.field_id);
    if (def) s.custom_fields.push_back(CustomFieldSnapshot{def->name, def->type, v.value});
  }
  return s;
}

// Weights become exact counts (largest remainder; ties to the earlier name),
// then a seeded order: 10 calls at 5/3/1/1 are exactly 5, 3, 1 and 1.
std::vector<std::string> apportion(const std::vector<std::pair<std::string, double>>& weights, size_t n,
                                   std::mt19937_64& rng) {
  double total = 0;
  for (const auto& [name, w] : weights) total += w;
  std::vector<size_t> counts(weights.size());
  std::vector<std::pair<double, size_t>> remainders;
  size_t given = 0;
  for (size_t i = 0; i < weights.size(); ++i) {
    const double quota = static_cast<double>(n) * weights[i].second / total;
    counts[i] = static_cast<size_t>(std::floor(quota));
    given += counts[i];
    remainders.emplace_back(-(quota - std::floor(quota)), i);
  }
  std::stable_sort(remainders.begin(), remainders.end());
  for (size_t k = 0; given < n; ++k, ++given) ++counts[remainders[k % remainders.size()].second];
  std::vector<std::string> out;
  for (size_t i = 0; i < weights.size(); ++i) out.insert(out.end(), counts[i], weights[i].first);
  seeded_shuffle(out, rng);
  return out;
}

bool is_connected(const SimulationRequest& req, const std::string& disposition) {
  if (req.connected_dispositions)
    return std::count(req.connected_dispositions->begin(), req.connected_dispositions->end(), disposition) >
           0;
  const auto& no = default_unconnected_dispositions();
  return std::count(no.begin(), no.end(), disposition) == 0;
}

std::vector<CallAgent> agents_of(const Account& account, const SimulationRequest& req) {
  std::vector<CallAgent> agents;
  for (const auto& a : req.agents) agents.push_back(CallAgent{a.user_id, a.first_name, a.last_name});
  if (agents.empty())
    agents.push_back(CallAgent{account.member.user_id, account.member.first_name, account.member.last_name});
  return agents;
}

// Every flag of PayloadVariant, each balanced over the run.
std::vector<PayloadVariant> variants(size_t n, std::mt19937_64& rng) {
  std::vector<PayloadVariant> out(n);
  bool PayloadVariant::*const flags[] = {
      &PayloadVariant::duration_as_string,    &PayloadVariant::old_recording_names,
      &PayloadVariant::agent_single_name,     &PayloadVariant::top_level_lead_id,
      &PayloadVariant::typed_custom_fields,   &PayloadVariant::folder_id_as_number,
      &PayloadVariant::events_block,          &PayloadVariant::no_recording_as_null,
      &PayloadVariant::external_crm_short_key};
  for (auto flag : flags) {
    const std::vector<bool> values = balanced_flags(n, rng);
    for (size_t i = 0; i < n; ++i) out[i].*flag = values[i];
  }
  return out;
}

std::vector<std::string> notes_for(const SimulatedCall& call, std::mt19937_64& rng) {
  if (call.disposition == "Left Message") return {"Left voicemail"};
  if (!call.connected) return {};
  const auto& pool = canned_notes();
  std::vector<std::string> notes{pool[uniform(rng, 0, static_cast<long>(pool.size()) - 1)]};
  if (uniform(rng, 0, 2) == 0) notes.push_back("Follow-up task created");
  return notes;
}

std::string body_for(const SimulatedCall& call, CallEvent e) {
  switch (e) {
    case CallEvent::contact_displayed: return contact_displayed_body(call);
    case CallEvent::callbegin: return callbegin_body(call);
    default: return calldone_body(call);
  }
}

}  // namespace

bool plan_calls(Account& account, const SimulationRequest& req, const std::string& account_webhook_url,
                const std::string& central_now, CallPlan& out, PlanFailure& failure) {
  // Who is dialed and who hears about it.
  std::vector<long> pool;
  std::vector<Callback> callbacks;
  std::string custom_data;
  std::string pool_name;
  const bool session = req.dial_session_id != 0;
  const bool needs_account_url = !session || req.also_account_webhook;
  const DialSession* ds = nullptr;
  if (session) {
    for (const auto& s : account.dial_sessions)
      if (s.id == req.dial_session_id) ds = &s;
    if (!ds) {
      failure = {404, "no dial session " + std::to_string(req.dial_session_id)};
      return false;
    }
    if (!session_callbacks(*ds, callbacks, failure)) return false;
    for (long id : ds->contact_ids)
      if (account.find_live_contact(id)) pool.push_back(id);
    custom_data = ds->custom_data;
    pool_name = "dial session " + std::to_string(ds->id);
  } else {
    if (!account.find_folder(req.folder_id)) {
      failure = {404, "no folder " + std::to_string(req.folder_id)};
      return false;
    }
    for (const auto& [id, c] : account.contacts)
      if (!c.trashed && c.category_id == req.folder_id) pool.push_back(id);
    pool_name = "folder " + std::to_string(req.folder_id);
  }
  if (needs_account_url) {
    Callback account_hook{CallEvent::calldone, account_webhook_url, {}};
    if (account_webhook_url.empty()) {
      failure = {409,
                 "no account-level webhook: set one with POST /_control/config "
                 "{\"account_webhook_url\":\"http://127.0.0.1:PORT/...\"}"};
      return false;
    }
    std::string error;
    if (!parse_loopback_url(account_webhook_url, account_hook.target, error)) {
      failure = {409, error};
      return false;
    }
    callbacks.push_back(std::move(account_hook));
  }
  if (!req.contact_ids.empty()) {
    const std::set<long> allowed(pool.begin(), pool.end());
    for (long id : req.contact_ids)
      if (!allowed.count(id)) {
        failure = {400, "contact " + std::to_string(id) + " is not a live contact of " + pool_name};
        return false;
      }
    pool = req.contact_ids;
  }
  if (pool.empty()) {
    failure = {409, "nothing to dial: " + pool_name + " has no live contacts"};
    return false;
  }

  // What happens on each call.
  std::mt19937_64 rng(req.seed);
  const size_t n = req.calls ? static_cast<size_t>(*req.calls) : pool.size();
  const std::vector<std::string> dispositions =
      req.disposition_list.empty() ? apportion(req.disposition_weights, n, rng) : req.disposition_list;
  const std::vector<CallAgent> agents = agents_of(account, req);
  const std::vector<PayloadVariant> wording = variants(n, rng);
  out.source = session ? "session" : "account";
  out.ds_id = session ? ds->id : account.allocate_dial_session_id();
  out.calls.clear();
  long long span = 0;
  std::vector<long long> offsets;  // from the first call's start
  for (size_t i = 0; i < n; ++i) {
    SimulatedCall call;
    call.call_id = std::to_string(account.next_call_id());
    call.source = out.source;
    call.ds_id = out.ds_id;
    call.custom_data = custom_data;
    call.contact = snapshot(account, *account.find_live_contact(pool[i % pool.size()]));
    call.agent = agents[i % agents.size()];
    call.disposition = dispositions[i];
    call.connected = is_connected(req, call.disposition);
    const SecondsRange& r = call.connected ? req.talk : req.ring;
    call.duration = uniform(rng, r.min, r.max);
    if (i > 0) span += uniform(rng, req.wrap.min, req.wrap.max);
    offsets.push_back(span);
    span += call.duration;
    call.notes = notes_for(call, rng);
    if (call.connected)
      call.recording_url = "https://www.phoneburner.com/recordings/play/" + call.call_id + ".mp3";
    call.variant = wording[i];
    out.calls.push_back(std::move(call));
  }
  long long start = 0;
  if (req.start.empty()) {  // the run ends now
    parse_datetime(central_now, start);
    start -= span;
  } else {
    parse_datetime(req.start, start);
  }
  for (size_t i = 0; i < n; ++i) {
    SimulatedCall& call = out.calls[i];
    call.start_time = format_datetime(start + offsets[i]);
    call.end_time = format_datetime(start + offsets[i] + call.duration);
    if (req.callback_days && is_callback_disposition(call.disposition))
      call.callback_at = format_datetime(start + offsets[i] + *req.callback_days * 86400);
    Contact* c = account.find_live_contact(call.contact.id);
    ++c->total_calls;
    c->last_call_time = call.start_time;
  }

  // Every POST, in arrival order.
  std::vector<CallEvent> kinds;
  for (CallEvent e : {CallEvent::contact_displayed, CallEvent::callbegin, CallEvent::calldone})
    if (std::any_of(callbacks.begin(), callbacks.end(), [&](const Callback& c) { return c.event == e; }))
      kinds.push_back(e);
  out.deliveries.clear();
  if (kinds.empty()) return true;  // a session nobody registered callbacks for
  const std::vector<OrderedEvent> order = order_events(n, kinds, req.out_of_order, req.duplicates, rng);
  std::map<std::pair<size_t, CallEvent>, std::string> bodies;
  std::vector<size_t> first_delivery(order.size());
  for (size_t k = 0; k < order.size(); ++k) {
    const OrderedEvent& oe = order[k];
    auto body = bodies.find({oe.call, oe.event});
    if (body == bodies.end())
      body = bodies.emplace(std::make_pair(oe.call, oe.event), body_for(out.calls[oe.call], oe.event)).first;
    first_delivery[k] = out.deliveries.size();
    size_t nth = 0;  // which of this event's URLs
    for (const Callback& cb : callbacks) {
      if (cb.event != oe.event) continue;
      PlannedDelivery d{oe.call, oe.event, cb.url, cb.target, body->second, -1};
      if (oe.duplicate_of >= 0)
        d.duplicate_of = static_cast<long>(first_delivery[static_cast<size_t>(oe.duplicate_of)] + nth);
      out.deliveries.push_back(std::move(d));
      ++nth;
    }
  }
  return true;
}

}  // namespace fake_pb
