#include "context_memory.hpp"

#include <new>
#include <string>

#include "errors.hpp"

extern "C" {
#include "postgres.h"
#include "utils/memutils.h"
}

namespace pgdialer::glue {

namespace {

// "256MB" or "1500kB", as PostgreSQL shows a memory setting.
std::string show_size(std::size_t bytes) {
  std::size_t kb = bytes / 1024;
  if (kb % (1024 * 1024) == 0) return std::to_string(kb / (1024 * 1024)) + "GB";
  if (kb % 1024 == 0) return std::to_string(kb / 1024) + "MB";
  return std::to_string(kb) + "kB";
}

}  // namespace

void* ContextMemory::do_allocate(std::size_t bytes, std::size_t alignment) {
  // palloc aligns to MAXALIGN, enough for every type the core stores.
  if (alignment > MAXIMUM_ALIGNOF || bytes > MaxAllocHugeSize) throw std::bad_alloc();
  // The context's real size (blocks, chunk headers and free space included)
  // is what the limit bounds, the figure pg_backend_memory_contexts shows.
  std::size_t held = MemoryContextMemAllocated(context_, false);
  if (held + bytes > limit_)
    throw Error(sqlstate::program_limit_exceeded,
                std::string(what_) + ": the list needs more than dialer.preview_memory_limit (" +
                    show_size(limit_) + ") of working memory",
                "The preview keeps every distinct contact id and phone number and every excluded row "
                "until it has read the whole list.",
                "Preview a smaller list (for example one state or one owner at a time), or have an "
                "administrator raise dialer.preview_memory_limit.");
  // MCXT_ALLOC_NO_OOM: PostgreSQL's out-of-memory returns NULL instead of
  // ereporting, so no longjmp can start here.
  void* p = MemoryContextAllocExtended(context_, bytes == 0 ? 1 : bytes, MCXT_ALLOC_HUGE | MCXT_ALLOC_NO_OOM);
  if (p == nullptr) throw std::bad_alloc();
  return p;
}

void ContextMemory::do_deallocate(void* p, std::size_t, std::size_t) {
  if (frees_) pfree(p);
}

}  // namespace pgdialer::glue
