#include "stop_check.hpp"

#include "cpp_boundary.hpp"

#include <cstring>

extern "C" {
#include "miscadmin.h"
#include "utils/elog.h"
}

namespace pgdialer::glue {

namespace {

void copy(char* dst, std::size_t size, std::string_view src) noexcept {
  std::size_t n = src.size() < size - 1 ? src.size() : size - 1;
  std::memcpy(dst, src.data(), n);
  dst[n] = '\0';
}

}  // namespace

void capture_current_exception(CapturedError* out) noexcept {
  copy(out->sqlstate, sizeof out->sqlstate, sqlstate::internal_error);
  out->message[0] = out->detail[0] = out->hint[0] = '\0';
  out->out_of_memory = false;
  out->interrupted = false;
  try {
    throw;
  } catch (const Interrupted&) {
    out->interrupted = true;
    copy(out->message, sizeof out->message, "canceling statement: interrupted");
  } catch (const Error& e) {
    copy(out->sqlstate, sizeof out->sqlstate, e.sqlstate());
    copy(out->message, sizeof out->message, e.what());
    copy(out->detail, sizeof out->detail, e.detail());
    copy(out->hint, sizeof out->hint, e.hint());
  } catch (const std::bad_alloc&) {
    out->out_of_memory = true;
    copy(out->message, sizeof out->message, "out of memory");
  } catch (const std::exception& e) {
    copy(out->message, sizeof out->message, e.what());
  } catch (...) {
    copy(out->message, sizeof out->message, "unexpected C++ exception");
  }
}

bool stop_requested() noexcept {
  return INTERRUPTS_PENDING_CONDITION() && INTERRUPTS_CAN_BE_PROCESSED() &&
         (QueryCancelPending || ProcDiePending);
}

void raise_captured(const CapturedError* e) {
  if (e->interrupted) {
    // Raises "canceling statement due to statement timeout" (57014), "... due
    // to user request" (57014) or terminates the session (FATAL).
    CHECK_FOR_INTERRUPTS();
    // Only reached if the pending interrupt went away in between; the core's
    // work was abandoned all the same, so the statement cannot go on.
    ereport(ERROR, (errcode(ERRCODE_QUERY_CANCELED), errmsg("canceling statement: interrupted")));
  }
  int code = e->out_of_memory ? ERRCODE_OUT_OF_MEMORY
                              : MAKE_SQLSTATE(e->sqlstate[0], e->sqlstate[1], e->sqlstate[2], e->sqlstate[3],
                                              e->sqlstate[4]);
  ereport(ERROR,
          (errcode(code), errmsg_internal("%s", e->message),
           e->detail[0] ? errdetail_internal("%s", e->detail) : 0, e->hint[0] ? errhint("%s", e->hint) : 0));
  pg_unreachable();
}

void* palloc_noerr(std::size_t size) {
  void* p = palloc_extended(size, MCXT_ALLOC_NO_OOM);
  if (p == nullptr) throw std::bad_alloc();
  return p;
}

char* pstrdup_noerr(std::string_view s) {
  auto* p = static_cast<char*>(palloc_noerr(s.size() + 1));
  std::memcpy(p, s.data(), s.size());
  p[s.size()] = '\0';
  return p;
}

text* text_noerr(std::string_view s) {
  auto* t = static_cast<text*>(palloc_noerr(VARHDRSZ + s.size()));
  SET_VARSIZE(t, VARHDRSZ + s.size());
  std::memcpy(VARDATA(t), s.data(), s.size());
  return t;
}

}  // namespace pgdialer::glue
