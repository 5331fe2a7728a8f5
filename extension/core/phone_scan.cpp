#include "phone_scan.hpp"

namespace pgdialer::phone_fast {
namespace {

// libphonenumber rejects inputs over 250 bytes; anything much longer than a
// formatted number is unusual enough to leave to it.
constexpr std::size_t kMaxScannedLength = 64;

// IsViablePhoneNumber wants three digits (it accepts two only when nothing
// else is written); shorter inputs are never valid numbers anyway.
constexpr std::size_t kMinDigits = 3;

bool is_digit(char c) { return c >= '0' && c <= '9'; }

// Characters libphonenumber discards around a number: anything before the
// first digit or plus sign (ExtractPossibleNumber) and anything but digits and
// '#' after the last digit (TrimUnwantedEndChars). Only these harmless ones
// are accepted here.
bool is_edge_filler(char c) {
  return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '(' || c == ')';
}

// Separators between digits. All are in libphonenumber's kValidPunctuation and
// none can start an extension ("x", "#", "~", ";", ",", "ext") or a second
// number ("/", "\\"), so normalisation simply drops them.
bool is_separator(char c) { return c == ' ' || c == '-' || c == '.' || c == '(' || c == ')'; }

}  // namespace

std::optional<ScannedNumber> scan(std::string_view raw) {
  if (raw.size() > kMaxScannedLength) return std::nullopt;

  std::size_t begin = 0;
  std::size_t end = raw.size();
  while (begin < end && is_edge_filler(raw[begin])) ++begin;
  while (end > begin && is_edge_filler(raw[end - 1])) --end;

  ScannedNumber scanned;
  scanned.plus = begin < end && raw[begin] == '+';
  if (scanned.plus) ++begin;

  for (std::size_t i = begin; i < end; ++i) {
    const char c = raw[i];
    if (is_digit(c)) {
      if (scanned.count == scanned.buffer.size()) return std::nullopt;
      scanned.buffer[scanned.count++] = c;
    } else if (!is_separator(c)) {
      return std::nullopt;
    }
  }
  if (scanned.count < kMinDigits) return std::nullopt;
  return scanned;
}

}  // namespace pgdialer::phone_fast
