// The journal's record reader (webhook/record_file RecordReader), which reads
// the webhook journal at start-up and on replay, over arbitrary file contents.
// It must walk any bytes to the end or to damage without crashing, never
// return a record holding a newline, and read back exactly what
// encode_record wrote in front of the damage.
#include "memfd.hpp"
#include "webhook/record_file.hpp"

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>

namespace {

void walk(const std::string& bytes, const std::string* expected_first) {
  pgdialer::fuzz::MemFile file(reinterpret_cast<const std::uint8_t*>(bytes.data()), bytes.size());
  pgdialer::sync::RecordReader reader(file.fd(), file.path(), 0, bytes.size());
  std::string payload;
  bool first = true;
  for (;;) {
    const auto result = reader.next(&payload);
    if (result == pgdialer::sync::RecordReader::Result::record) {
      if (payload.find('\n') != std::string::npos) std::abort();
      if (first && expected_first && payload != *expected_first) std::abort();
      first = false;
      if (reader.offset() > bytes.size()) std::abort();
      continue;
    }
    if (first && expected_first) std::abort();  // a whole record written first must be read back
    if (result == pgdialer::sync::RecordReader::Result::damaged) (void)reader.damage_spans_lines();
    return;
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string input(reinterpret_cast<const char*>(data), size);
  walk(input, nullptr);
  // A record the journal itself wrote, followed by the same bytes as damage.
  if (input.find('\n') == std::string::npos) {
    walk(pgdialer::sync::encode_record(input) + input, &input);
  }
  return 0;
}
