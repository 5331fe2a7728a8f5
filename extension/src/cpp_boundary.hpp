// The one place where C++ meets PostgreSQL's error handling.
//
// Two rules keep the backend safe:
//  1. No C++ exception crosses into PostgreSQL. Every call into the core goes
//     through cpp_call(), which catches everything, copies the message into a
//     plain buffer, lets the C++ frames unwind, and only then ereports.
//  2. No ereport (a longjmp) jumps over a C++ frame whose destructor matters.
//     Frames that call PostgreSQL hold only trivially destructible values;
//     C++ objects that must outlive such calls are owned by a memory context
//     (context_owned<T>), which deletes them when PostgreSQL resets it, on
//     success and on error alike.
//
// Interrupts follow the same path. A long loop in the glue calls
// CHECK_FOR_INTERRUPTS between calls into the core, in frames that hold
// nothing with a destructor. A long loop inside the core polls the stop hook
// (stop_check.hpp), which stop_requested() answers; when it says stop, the
// core throws pgdialer::Interrupted, cpp_call catches it like any exception,
// and raise_captured processes the interrupt after the C++ frames are gone.
//
// Include this after the core headers and after postgres.h.
#pragma once

#include <exception>
#include <new>
#include <string_view>
#include <type_traits>
#include <utility>

#include "errors.hpp"

extern "C" {
#include "postgres.h"
#include "utils/memutils.h"
}

namespace pgdialer::glue {

// What an exception said, in storage with no destructor.
struct CapturedError {
  char sqlstate[6];
  char message[1024];
  char detail[1024];
  char hint[512];
  bool out_of_memory;
  bool interrupted;  // pgdialer::Interrupted: a cancel or timeout is pending
};

// The core's stop hook (installed by _PG_init): true when a query cancel, a
// statement timeout or a termination is pending and may be processed now, so
// that processing it is sure to leave the statement. Reads PostgreSQL's
// flags only: safe inside C++ frames.
bool stop_requested() noexcept;

void capture_current_exception(CapturedError* out) noexcept;
[[noreturn]] void raise_captured(const CapturedError* error);

// Runs `f` (which may throw) and returns its result; any exception becomes an
// ERROR with its SQLSTATE after the C++ frames are gone. `f` must not call
// PostgreSQL functions that can ereport; use the *_noerr helpers below.
template <typename F>
auto cpp_call(F&& f) -> decltype(f()) {
  CapturedError error;
  try {
    return f();
  } catch (...) {
    capture_current_exception(&error);
  }
  raise_captured(&error);
}

// palloc that throws std::bad_alloc instead of ereporting, for use inside
// cpp_call. The memory belongs to CurrentMemoryContext.
void* palloc_noerr(std::size_t size);
char* pstrdup_noerr(std::string_view s);
text* text_noerr(std::string_view s);

// A C++ object owned by a memory context: deleted when the context is reset
// or deleted, including when a transaction aborts. Call inside cpp_call.
template <typename T, typename... Args>
T* context_owned(MemoryContext context, Args&&... args) {
  struct Holder {
    MemoryContextCallback callback;
    T* object;
  };
  auto* holder = static_cast<Holder*>(MemoryContextAllocExtended(context, sizeof(Holder), MCXT_ALLOC_NO_OOM));
  if (holder == nullptr) throw std::bad_alloc();
  holder->object = new T(std::forward<Args>(args)...);
  holder->callback.func = [](void* arg) { delete static_cast<T*>(arg); };
  holder->callback.arg = holder->object;
  MemoryContextRegisterResetCallback(context, &holder->callback);
  return holder->object;
}

}  // namespace pgdialer::glue
