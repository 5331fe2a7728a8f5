// A C++ memory resource over a PostgreSQL memory context, with a size limit.
//
// State that grows with its input (a preview's distinct ids and numbers and
// its excluded rows) must not live on the C++ heap: there PostgreSQL neither
// sees it (pg_backend_memory_contexts) nor frees it when a statement fails,
// and a huge list would grow the backend until the OOM killer takes the
// whole cluster down. The core's containers take a std::pmr::memory_resource;
// this one allocates in one memory context and refuses, with a clear error,
// to let that context grow past a limit.
//
// Allocation never ereports: PostgreSQL's out-of-memory becomes
// std::bad_alloc and the limit becomes pgdialer::Error (SQLSTATE 54000), both
// thrown inside cpp_call, which reports them once the C++ frames are gone.
//
// Include after the core headers and before postgres.h (see pg_free.hpp).
#pragma once

#include <cstddef>
#include <memory_resource>

// PostgreSQL's MemoryContext, without its headers (postgres.h must come later).
struct MemoryContextData;

namespace pgdialer::glue {

class ContextMemory final : public std::pmr::memory_resource {
 public:
  // Allocates in `context` (which should hold nothing else, so that its size
  // is this resource's); `what` names the SQL function in the error.
  ContextMemory(MemoryContextData* context, std::size_t limit_bytes, const char* what) noexcept
      : context_(context), limit_(limit_bytes), what_(what) {}

  // A resource whose deallocate does nothing: for a context that PostgreSQL
  // may delete before the C++ object using it is destroyed (a child context
  // goes before its parent's reset callbacks run), so nothing is pfree'd
  // twice. Its memory goes with the context.
  static ContextMemory never_freeing(MemoryContextData* context, std::size_t limit_bytes,
                                     const char* what) noexcept {
    ContextMemory m(context, limit_bytes, what);
    m.frees_ = false;
    return m;
  }

  std::size_t limit_bytes() const noexcept { return limit_; }

 private:
  void* do_allocate(std::size_t bytes, std::size_t alignment) override;
  void do_deallocate(void* p, std::size_t bytes, std::size_t alignment) override;
  bool do_is_equal(const std::pmr::memory_resource& other) const noexcept override { return this == &other; }

  MemoryContextData* context_;
  std::size_t limit_;
  const char* what_;  // a string literal
  bool frees_ = true;
};

}  // namespace pgdialer::glue
