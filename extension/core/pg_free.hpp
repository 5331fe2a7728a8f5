// Header firewall: every header of the pure C++ core includes this first.
//
// The core links libphonenumber, protobuf, abseil, RE2 and RapidJSON. PostgreSQL's
// headers #define names such as ERROR, WARNING, Max and Min that break those
// libraries, so a translation unit may see either PostgreSQL or the core's
// implementation, never both. The fmgr glue in extension/src/ talks to the core
// only through headers that include nothing from PostgreSQL and that are
// included *before* postgres.h.
#pragma once

#ifdef POSTGRES_H
#error "core headers must be included before postgres.h (see pg_free.hpp)"
#endif
