#include "phone_scan.hpp"

namespace pgdialer::phone_fast {
namespace {

// libphonenumber rejects inputs over 250 bytes; anything much longer than a
// formatted number is unusual enough to leave to it.
constexpr std::size_t kMaxScannedLength = 64;

// IsViablePhoneNumber wants three digits (it accepts two only when nothing
// else is written); shorter inputs are never valid numbers anyway.
constexpr std::size_t kMinDigits = 3;

// One table lookup per character instead of a chain of comparisons: scan
// runs for every number the rules parse.
enum CharClass : unsigned char { kOther = 0, kDigit = 1, kSeparator = 2, kEdgeFiller = 4 };

// Characters libphonenumber discards around a number: anything before the
// first digit or plus sign (ExtractPossibleNumber) and anything but digits and
// '#' after the last digit (TrimUnwantedEndChars). Only these harmless ones
// are accepted here: ' ', '\t', '\r', '\n', '(' and ')'.
//
// Separators between digits: ' ', '-', '.', '(' and ')'. All are in
// libphonenumber's kValidPunctuation and none can start an extension ("x",
// "#", "~", ";", ",", "ext") or a second number ("/", "\\"), so
// normalisation simply drops them.
struct CharClasses {
  unsigned char of[256] = {};
  constexpr CharClasses() {
    for (char c = '0'; c <= '9'; ++c) of[static_cast<unsigned char>(c)] = kDigit;
    for (const char c : {' ', '-', '.', '(', ')'}) of[static_cast<unsigned char>(c)] |= kSeparator;
    for (const char c : {' ', '\t', '\r', '\n', '(', ')'}) of[static_cast<unsigned char>(c)] |= kEdgeFiller;
  }
};
constexpr CharClasses kClasses;

unsigned char class_of(char c) { return kClasses.of[static_cast<unsigned char>(c)]; }

}  // namespace

bool scan_into(std::string_view raw, ScannedNumber* scanned) {
  if (raw.size() > kMaxScannedLength) return false;

  std::size_t begin = 0;
  std::size_t end = raw.size();
  while (begin < end && (class_of(raw[begin]) & kEdgeFiller)) ++begin;
  while (end > begin && (class_of(raw[end - 1]) & kEdgeFiller)) --end;

  scanned->plus = begin < end && raw[begin] == '+';
  if (scanned->plus) ++begin;

  std::size_t count = 0;
  for (std::size_t i = begin; i < end; ++i) {
    const char c = raw[i];
    const unsigned char k = class_of(c);
    if (k == kDigit) {
      if (count == scanned->buffer.size()) return false;
      scanned->buffer[count++] = c;
    } else if (!(k & kSeparator)) {
      return false;
    }
  }
  scanned->count = count;
  return count >= kMinDigits;
}

std::optional<ScannedNumber> scan(std::string_view raw) {
  ScannedNumber scanned;
  if (!scan_into(raw, &scanned)) return std::nullopt;
  return scanned;
}

}  // namespace pgdialer::phone_fast
