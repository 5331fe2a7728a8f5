// webhook/request_framing: where a request ends, from the bytes so far.
#include "webhook/request_framing.hpp"

#include <gtest/gtest.h>

#include <string>

namespace pgdialer::sync::testing {
namespace {

using State = RequestFrame::State;

FramingLimits limits(std::size_t headers = 1024, std::size_t body = 100) {
  FramingLimits l;
  l.max_header_bytes = headers;
  l.max_body_bytes = body;
  return l;
}

TEST(RequestFraming, ARequestWithoutBodyEndsAtTheBlankLine) {
  const std::string request = "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n";
  for (std::size_t n = 0; n < request.size(); ++n)
    EXPECT_EQ(frame_request(request.substr(0, n), limits()).state, State::incomplete) << n;
  const RequestFrame frame = frame_request(request + "GET /next", limits());
  EXPECT_EQ(frame.state, State::complete);
  EXPECT_EQ(frame.size, request.size());
}

TEST(RequestFraming, AContentLengthBodyEndsAfterItsLastByte) {
  const std::string request = "POST /x HTTP/1.1\r\ncontent-length:  5 \r\n\r\nhello";
  EXPECT_EQ(frame_request(request.substr(0, request.size() - 1), limits()).state, State::incomplete);
  const RequestFrame frame = frame_request(request, limits());
  EXPECT_EQ(frame.state, State::complete);
  EXPECT_EQ(frame.size, request.size());
}

TEST(RequestFraming, LineFeedsAloneAlsoEndLines) {
  const RequestFrame frame = frame_request("POST /x HTTP/1.1\nContent-Length: 2\n\nok", limits());
  EXPECT_EQ(frame.state, State::complete);
}

TEST(RequestFraming, HeadersOverTheLimitAreRefusedWithoutWaitingForMore) {
  const std::string endless = "GET / HTTP/1.1\r\nX: " + std::string(2000, 'a');
  EXPECT_EQ(frame_request(endless, limits(1024)).state, State::headers_too_large);
  std::string many = "GET / HTTP/1.1\r\n";
  while (many.size() < 1100) many += "X: y\r\n";
  EXPECT_EQ(frame_request(many + "\r\n", limits(1024)).state, State::headers_too_large);
}

TEST(RequestFraming, ABodyOverTheLimitIsKnownFromItsLength) {
  EXPECT_EQ(frame_request("POST / HTTP/1.1\r\nContent-Length: 101\r\n\r\n", limits(1024, 100)).state,
            State::body_too_large);
  EXPECT_EQ(frame_request("POST / HTTP/1.1\r\nContent-Length: 100\r\n\r\n", limits(1024, 100)).state,
            State::incomplete);
}

TEST(RequestFraming, UnusableLengthsAreMalformed) {
  for (const char* request :
       {"POST / HTTP/1.1\r\nContent-Length: -1\r\n\r\n", "POST / HTTP/1.1\r\nContent-Length: 1x\r\n\r\n",
        "POST / HTTP/1.1\r\nContent-Length: 99999999999999999999\r\n\r\n",
        "POST / HTTP/1.1\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n",
        "POST / HTTP/1.1\r\nTransfer-Encoding: gzip\r\n\r\n"})
    EXPECT_EQ(frame_request(request, limits()).state, State::malformed) << request;
  // The same length twice is one length.
  EXPECT_EQ(
      frame_request("POST / HTTP/1.1\r\nContent-Length: 1\r\nContent-Length: 1\r\n\r\nx", limits()).state,
      State::complete);
}

TEST(RequestFraming, AChunkedBodyEndsAfterTheLastChunkAndTrailers) {
  const std::string head = "POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n";
  const std::string body = "5;ext=1\r\nhello\r\nA\r\n0123456789\r\n0\r\nTrailer: t\r\n\r\n";
  const std::string request = head + body;
  for (std::size_t n = head.size(); n < request.size(); ++n)
    EXPECT_EQ(frame_request(request.substr(0, n), limits()).state, State::incomplete) << n;
  const RequestFrame frame = frame_request(request + "next", limits());
  EXPECT_EQ(frame.state, State::complete);
  EXPECT_EQ(frame.size, request.size());
}

TEST(RequestFraming, ChunkedBodiesOverTheLimitOrBadlyFramedAreRefused) {
  const std::string head = "POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n";
  EXPECT_EQ(frame_request(head + "65\r\n", limits(1024, 100)).state, State::body_too_large);
  EXPECT_EQ(frame_request(head + "zz\r\n", limits()).state, State::malformed);
  EXPECT_EQ(frame_request(head + "1\r\nxy\r\n", limits()).state, State::malformed);
  EXPECT_EQ(frame_request(head + std::string(2000, '1'), limits()).state, State::malformed);
}

TEST(RequestFraming, ExpectContinueIsReportedOnlyBeforeTheBodyArrives) {
  const std::string head = "POST / HTTP/1.1\r\nExpect: 100-continue\r\nContent-Length: 3\r\n\r\n";
  EXPECT_TRUE(frame_request(head, limits()).expects_continue);
  EXPECT_FALSE(frame_request(head + "a", limits()).expects_continue);
  EXPECT_FALSE(frame_request(head.substr(0, head.size() - 2), limits()).expects_continue);
  EXPECT_FALSE(frame_request("POST / HTTP/1.1\r\nContent-Length: 3\r\n\r\n", limits()).expects_continue);
}

}  // namespace
}  // namespace pgdialer::sync::testing
