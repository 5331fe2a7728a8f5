#include "webhook/request_framing.hpp"

#include <cctype>
#include <optional>
#include <string>

namespace pgdialer::sync {
namespace {

using State = RequestFrame::State;

// The longest chunk-size line (hex digits and extensions) accepted.
constexpr std::size_t kMaxChunkLine = 1024;

bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i)
    if (std::tolower(static_cast<unsigned char>(a[i])) != std::tolower(static_cast<unsigned char>(b[i])))
      return false;
  return true;
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) s.remove_suffix(1);
  return s;
}

// The line starting at `pos` without its terminator ("\r\n" or "\n"), and
// where the next one starts; nullopt while the terminator has not arrived.
struct Line {
  std::string_view text;
  std::size_t next;
};
std::optional<Line> line_at(std::string_view data, std::size_t pos) {
  const std::size_t lf = data.find('\n', pos);
  if (lf == std::string_view::npos) return std::nullopt;
  std::string_view text = data.substr(pos, lf - pos);
  if (!text.empty() && text.back() == '\r') text.remove_suffix(1);
  return Line{text, lf + 1};
}

// Decimal digits only, as RFC 9110 spells Content-Length.
std::optional<std::size_t> parse_length(std::string_view text) {
  if (text.empty() || text.size() > 18) return std::nullopt;
  std::size_t n = 0;
  for (char c : text) {
    if (c < '0' || c > '9') return std::nullopt;
    n = n * 10 + static_cast<std::size_t>(c - '0');
  }
  return n;
}

// The hex size of a chunk-size line, extensions (";...") ignored.
std::optional<std::size_t> parse_chunk_size(std::string_view line) {
  line = trim(line.substr(0, line.find(';')));
  if (line.empty() || line.size() > 15) return std::nullopt;
  std::size_t n = 0;
  for (char c : line) {
    const int digit = std::isdigit(static_cast<unsigned char>(c))
                          ? c - '0'
                          : (std::isxdigit(static_cast<unsigned char>(c))
                                 ? std::tolower(static_cast<unsigned char>(c)) - 'a' + 10
                                 : -1);
    if (digit < 0) return std::nullopt;
    n = n * 16 + static_cast<std::size_t>(digit);
  }
  return n;
}

// A chunked body from `pos`: complete when the last chunk and the trailers'
// blank line have arrived.
RequestFrame frame_chunked(std::string_view data, std::size_t pos, const FramingLimits& limits) {
  std::size_t body = 0;
  for (;;) {
    const std::optional<Line> size_line = line_at(data, pos);
    if (!size_line) {
      if (data.size() - pos > kMaxChunkLine) return {State::malformed, 0, false};
      return {};
    }
    const std::optional<std::size_t> size = parse_chunk_size(size_line->text);
    if (!size) return {State::malformed, 0, false};
    pos = size_line->next;
    if (*size == 0) {
      // Trailer fields, then a blank line.
      for (;;) {
        const std::optional<Line> trailer = line_at(data, pos);
        if (!trailer) {
          if (data.size() - pos > limits.max_header_bytes) return {State::headers_too_large, 0, false};
          return {};
        }
        pos = trailer->next;
        if (trailer->text.empty()) return {State::complete, pos, false};
      }
    }
    body += *size;
    if (body > limits.max_body_bytes) return {State::body_too_large, 0, false};
    if (data.size() < pos + *size) return {};
    pos += *size;
    const std::optional<Line> end = line_at(data, pos);
    if (!end) {
      if (data.size() - pos > 2) return {State::malformed, 0, false};
      return {};
    }
    if (!end->text.empty()) return {State::malformed, 0, false};
    pos = end->next;
  }
}

}  // namespace

RequestFrame frame_request(std::string_view data, const FramingLimits& limits) {
  // The request line and the header fields, up to the blank line.
  std::size_t pos = 0;
  std::optional<std::size_t> content_length;
  bool chunked = false;
  bool expect_continue = false;
  bool first = true;
  for (;;) {
    const std::optional<Line> line = line_at(data, pos);
    if (!line) {
      if (data.size() > limits.max_header_bytes) return {State::headers_too_large, 0, false};
      return {};
    }
    pos = line->next;
    if (pos > limits.max_header_bytes) return {State::headers_too_large, 0, false};
    if (first) {
      first = false;
      // Blank lines before the request line are tolerated (RFC 9112 2.2).
      if (line->text.empty()) first = true;
      continue;
    }
    if (line->text.empty()) break;
    const std::size_t colon = line->text.find(':');
    if (colon == std::string_view::npos) continue;  // httplib decides about a bad field
    const std::string_view name = trim(line->text.substr(0, colon));
    const std::string_view value = trim(line->text.substr(colon + 1));
    if (iequals(name, "Content-Length")) {
      const std::optional<std::size_t> n = parse_length(value);
      if (!n || (content_length && *content_length != *n)) return {State::malformed, 0, false};
      content_length = n;
    } else if (iequals(name, "Transfer-Encoding")) {
      // Only chunked is a body framing cpp-httplib reads; anything else has
      // no length a server could trust.
      if (!iequals(value, "chunked")) return {State::malformed, 0, false};
      chunked = true;
    } else if (iequals(name, "Expect")) {
      expect_continue = iequals(value, "100-continue");
    }
  }
  const std::size_t headers_end = pos;
  if (chunked) {
    RequestFrame frame = frame_chunked(data, headers_end, limits);
    frame.expects_continue =
        frame.state == State::incomplete && expect_continue && data.size() == headers_end;
    return frame;
  }
  const std::size_t length = content_length.value_or(0);
  if (length > limits.max_body_bytes) return {State::body_too_large, 0, false};
  if (data.size() >= headers_end + length) return {State::complete, headers_end + length, false};
  return {State::incomplete, 0, expect_continue && data.size() == headers_end};
}

}  // namespace pgdialer::sync
