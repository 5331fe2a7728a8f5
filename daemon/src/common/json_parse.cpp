#include "common/json_parse.hpp"

#include <rapidjson/encodedstream.h>
#include <rapidjson/memorystream.h>
#include <rapidjson/reader.h>

#include <cstring>

namespace pgdialer::sync::json {
namespace {

using rapidjson::SizeType;

// Hands the reader's events to the document, counting the arrays and objects
// open; one too many ends the parse (the reader reports kParseErrorTermination).
class DepthLimited {
 public:
  DepthLimited(rapidjson::Document& doc, int max_depth) : doc_(doc), max_depth_(max_depth) {}

  bool Null() { return doc_.Null(); }
  bool Bool(bool b) { return doc_.Bool(b); }
  bool Int(int i) { return doc_.Int(i); }
  bool Uint(unsigned u) { return doc_.Uint(u); }
  bool Int64(int64_t i) { return doc_.Int64(i); }
  bool Uint64(uint64_t u) { return doc_.Uint64(u); }
  bool Double(double d) { return doc_.Double(d); }
  bool RawNumber(const char* s, SizeType n, bool copy) { return doc_.RawNumber(s, n, copy); }
  bool String(const char* s, SizeType n, bool copy) {
    note_nul(s, n);
    return doc_.String(s, n, copy);
  }
  bool Key(const char* s, SizeType n, bool copy) {
    note_nul(s, n);
    return doc_.Key(s, n, copy);
  }
  bool StartObject() { return open() && doc_.StartObject(); }
  bool EndObject(SizeType members) {
    --depth_;
    return doc_.EndObject(members);
  }
  bool StartArray() { return open() && doc_.StartArray(); }
  bool EndArray(SizeType elements) {
    --depth_;
    return doc_.EndArray(elements);
  }

  bool too_deep() const { return too_deep_; }
  bool contains_nul() const { return contains_nul_; }

 private:
  bool open() {
    if (++depth_ <= max_depth_) return true;
    too_deep_ = true;
    return false;
  }
  void note_nul(const char* s, SizeType n) {
    if (!contains_nul_ && std::memchr(s, '\0', n) != nullptr) contains_nul_ = true;
  }

  rapidjson::Document& doc_;
  int max_depth_;
  int depth_ = 0;
  bool too_deep_ = false;
  bool contains_nul_ = false;
};

template <unsigned Flags>
rapidjson::ParseResult run(std::string_view text, DepthLimited& handler) {
  // As Document::Parse reads a buffer: a UTF-8 byte order mark is skipped.
  rapidjson::MemoryStream memory(text.data(), text.size());
  rapidjson::EncodedInputStream<rapidjson::UTF8<>, rapidjson::MemoryStream> stream(memory);
  rapidjson::Reader reader;
  return reader.Parse<Flags | rapidjson::kParseIterativeFlag>(stream, handler);
}

}  // namespace

std::string ParseResult::problem() const {
  switch (status) {
    case Status::ok: return {};
    case Status::too_deep: return "is nested deeper than " + std::to_string(max_depth) + " levels";
    case Status::invalid:
    default: return "is not valid JSON";
  }
}

ParseResult parse(std::string_view text, rapidjson::Document* doc, const ParseOptions& options) {
  ParseResult result;
  result.max_depth = options.max_depth;
  doc->SetNull();
  auto generate = [&](rapidjson::Document& target) {
    DepthLimited handler(target, options.max_depth);
    const rapidjson::ParseResult parsed = options.validate_utf8
                                              ? run<rapidjson::kParseValidateEncodingFlag>(text, handler)
                                              : run<rapidjson::kParseNoFlags>(text, handler);
    result.contains_nul = handler.contains_nul();
    if (!parsed.IsError())
      result.status = ParseResult::Status::ok;
    else if (handler.too_deep())
      result.status = ParseResult::Status::too_deep;
    return !parsed.IsError();
  };
  doc->Populate(generate);
  return result;
}

}  // namespace pgdialer::sync::json
