// Phone normalization against libphonenumber as the oracle, as
// tests/unit/phone_differential_test.cpp does with generated inputs: the fast
// E.164 path (phone_fast::answer) and to_e164 must give exactly what plain
// libphonenumber gives (to_e164_reference) wherever they answer.
// Input: the first byte picks the default region, the rest is the raw text.
#include "errors.hpp"
#include "phone.hpp"
#include "phone_fast_e164.hpp"

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <optional>
#include <string>
#include <string_view>

namespace {

// The NANP regions the fast path serves, and others that go to libphonenumber.
const char* const kRegions[] = {"US", "CA", "GB", "JM", "DE", "FR", "AU",
                                "IN", "BR", "MX", "JP", "us", "BB", "PR"};

[[noreturn]] void mismatch(const char* path, std::string_view raw, const char* region,
                           const std::optional<std::string>& got,
                           const std::optional<std::string>& expected) {
  std::fprintf(stderr, "mismatch: \"%.*s\" in %s: %s=%s libphonenumber=%s\n", static_cast<int>(raw.size()),
               raw.data(), region, path, got.value_or("null").c_str(), expected.value_or("null").c_str());
  std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace pgdialer;
  if (size == 0) return 0;
  const char* region = kRegions[data[0] % (sizeof kRegions / sizeof kRegions[0])];
  // libphonenumber's Parse is quadratic on long text (phone.hpp); real
  // numbers are short, and to_e164 refuses over kMaxPhoneInputLength anyway.
  const std::string_view raw(reinterpret_cast<const char*>(data + 1), size - 1);
  if (raw.size() > 64) return 0;

  const std::optional<std::string> reference = to_e164_reference(raw, region);
  const phone_fast::Answer fast = phone_fast::answer(raw, canonical_region(region));
  if (fast.kind == phone_fast::Answer::Kind::valid && fast.e164 != reference)
    mismatch("fast path", raw, region, fast.e164, reference);
  if (fast.kind == phone_fast::Answer::Kind::invalid && reference)
    mismatch("fast path", raw, region, std::nullopt, reference);
  const std::optional<std::string> full = to_e164(raw, region);
  if (full != reference) mismatch("to_e164", raw, region, full, reference);
  return 0;
}
