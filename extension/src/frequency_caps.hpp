// The preview's `frequency_capped` section (31_frequency_caps.sql): while a
// preview runs, the ready contacts' ids, numbers and address states are
// collected into three PostgreSQL arrays, and at the end one query,
// dialer._frequency_capped_section, says which are capped. Nothing is
// collected when no frequency cap is in force (or the installed schema has no
// caps: a 1.0 schema with this library).
//
// Plain C state in a PostgreSQL memory context: PostgreSQL may longjmp over
// every function here.
#pragma once

#include <cstdint>

struct MemoryContextData;  // PostgreSQL's MemoryContext points at one

namespace pgdialer::glue {

struct FrequencyCapLists;

// The lists for one preview, in `context`, or nullptr when no cap is in
// force. One small query.
FrequencyCapLists* frequency_caps_begin(MemoryContextData* context);

// A ready contact (id and state may be absent: null data pointer).
void frequency_caps_add(FrequencyCapLists* lists, const char* id, int id_len, const char* e164, int e164_len,
                        const char* state, int state_len);

// {"frequency_capped": section} as a jsonb Datum in the current memory
// context, or 0 when no contact is capped. `at` is a TimestampTz. One query.
std::uintptr_t frequency_caps_section(FrequencyCapLists* lists, std::int64_t at);

}  // namespace pgdialer::glue
