// Errors the core raises. Each carries the SQLSTATE the fmgr glue reports, so
// callers see 22023 for a bad argument instead of a generic internal error.
#pragma once
#include "pg_free.hpp"

#include <stdexcept>
#include <string>

namespace pgdialer {

// Five-character SQLSTATEs used by the core (kept as strings so the core does
// not depend on PostgreSQL's errcodes.h).
namespace sqlstate {
inline constexpr const char* invalid_parameter_value = "22023";
inline constexpr const char* datatype_mismatch = "42804";
inline constexpr const char* invalid_text_representation = "22P02";
inline constexpr const char* null_value_not_allowed = "22004";
inline constexpr const char* program_limit_exceeded = "54000";
inline constexpr const char* internal_error = "XX000";
}  // namespace sqlstate

class Error : public std::runtime_error {
 public:
  Error(const char* state, const std::string& message, std::string detail = {}, std::string hint = {})
      : std::runtime_error(message), state_(state), detail_(std::move(detail)), hint_(std::move(hint)) {}
  const char* sqlstate() const noexcept { return state_; }
  const std::string& detail() const noexcept { return detail_; }
  const std::string& hint() const noexcept { return hint_; }

 private:
  const char* state_;
  std::string detail_;
  std::string hint_;
};

// A bad argument value: unknown region, out-of-range option, ...
inline Error invalid_argument(const std::string& message, std::string hint = {}) {
  return Error(sqlstate::invalid_parameter_value, message, {}, std::move(hint));
}

}  // namespace pgdialer
