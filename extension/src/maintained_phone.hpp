// Is a relation's phone_e164 kept by pgdialer itself?
//
// Then a blank phone_e164 means "phone does not normalize" and the rules
// trust it instead of parsing phone again for every row and every statement
// (Contact::phone_e164_maintained). It is decided from the catalogs once per
// relation: at plan time by the planner support function, or once per call
// site for whole rows; a DROP or ALTER of the trigger invalidates cached plans
// through the relation's relcache entry, as any trigger change does.
#pragma once

extern "C" {
#include "postgres.h"
}

namespace pgdialer::glue {

// True when relation `relid` has a column `phone_e164` that is either
//  - GENERATED ALWAYS AS (dialer.e164_immutable(phone, <constant>)) STORED, or
//  - written by an enabled BEFORE INSERT OR UPDATE ... FOR EACH ROW trigger
//    running dialer.maintain_phone_e164() (or ('phone'), or ('phone',
//    'phone_e164')), with no WHEN condition and, if it lists UPDATE OF
//    columns, `phone` among them.
// `schema` is the extension's schema, where those functions live. False for
// anything else, including a relation that is not a table.
bool phone_e164_maintained(Oid relid, Oid schema);

}  // namespace pgdialer::glue
