// phoneburner/failure: which failures may be retried, which must be
// reconciled (the write may have been applied) and which are final; plus the
// token redaction every message goes through.
#include "phoneburner/failure.hpp"

#include <gtest/gtest.h>

namespace pgdialer::sync {
namespace {

using http::TransportError;

TEST(IsWriteMethod, OnlyGetAndHeadAreReads) {
  EXPECT_FALSE(is_write_method("GET"));
  EXPECT_FALSE(is_write_method("HEAD"));
  for (const char* m : {"POST", "PUT", "PATCH", "DELETE"}) EXPECT_TRUE(is_write_method(m)) << m;
}

TEST(ClassifyTransport, NothingSentIsRetryable) {
  EXPECT_EQ(classify_transport(TransportError::not_connected, false, true), Failure::retryable);
  EXPECT_EQ(classify_transport(TransportError::not_connected, false, false), Failure::retryable);
}

TEST(ClassifyTransport, ACertificateThatDoesNotVerifyIsConfigurationNotNetwork) {
  EXPECT_EQ(classify_transport(TransportError::tls_verification, false, true), Failure::config);
  EXPECT_EQ(classify_transport(TransportError::tls_verification, false, false), Failure::config);
}

TEST(ClassifyTransport, ALostAnswerToASentWriteIsUnknown) {
  EXPECT_EQ(classify_transport(TransportError::connection_lost, true, true), Failure::unknown);
  EXPECT_EQ(classify_transport(TransportError::timed_out, true, true), Failure::unknown);
  EXPECT_EQ(classify_transport(TransportError::other, true, true), Failure::unknown);
}

TEST(ClassifyTransport, ALostAnswerToAReadOrAnUnsentWriteIsRetryable) {
  EXPECT_EQ(classify_transport(TransportError::connection_lost, true, false), Failure::retryable);
  EXPECT_EQ(classify_transport(TransportError::timed_out, true, false), Failure::retryable);
  EXPECT_EQ(classify_transport(TransportError::connection_lost, false, true), Failure::retryable);
  EXPECT_EQ(classify_transport(TransportError::timed_out, false, true), Failure::retryable);
}

TEST(ClassifyTransport, AbortIsStoppedUnlessASentWriteMayHaveLanded) {
  EXPECT_EQ(classify_transport(TransportError::aborted, false, true), Failure::stopped);
  EXPECT_EQ(classify_transport(TransportError::aborted, true, false), Failure::stopped);
  EXPECT_EQ(classify_transport(TransportError::aborted, true, true), Failure::unknown);
}

TEST(ClassifyTransport, LocalProblemsAreRejected) {
  EXPECT_EQ(classify_transport(TransportError::other, false, true), Failure::rejected);
  EXPECT_EQ(classify_transport(TransportError::other, false, false), Failure::rejected);
}

TEST(ClassifyTransport, NoErrorIsNone) {
  EXPECT_EQ(classify_transport(TransportError::none, true, true), Failure::none);
}

TEST(ClassifyStatus, SuccessIsNone) {
  for (int s : {200, 201, 202, 204, 299}) {
    EXPECT_EQ(classify_status(s, true), Failure::none) << s;
    EXPECT_EQ(classify_status(s, false), Failure::none) << s;
  }
}

TEST(ClassifyStatus, AuthFailures) {
  for (bool w : {true, false}) {
    EXPECT_EQ(classify_status(401, w), Failure::auth);
    EXPECT_EQ(classify_status(403, w), Failure::auth);
  }
}

TEST(ClassifyStatus, ThrottlingAndServerErrorsAreRetryable) {
  for (int s : {408, 425, 429, 500, 502, 503, 599}) {
    EXPECT_EQ(classify_status(s, true), Failure::retryable) << s;
    EXPECT_EQ(classify_status(s, false), Failure::retryable) << s;
  }
}

TEST(ClassifyStatus, GatewayTimeoutOnAWriteIsUnknownOnAReadRetryable) {
  EXPECT_EQ(classify_status(504, true), Failure::unknown);
  EXPECT_EQ(classify_status(504, false), Failure::retryable);
}

TEST(ClassifyStatus, OtherClientErrorsAndRedirectsAreRejected) {
  for (int s : {301, 302, 304, 400, 404, 405, 409, 410, 422, 499}) {
    EXPECT_EQ(classify_status(s, true), Failure::rejected) << s;
    EXPECT_EQ(classify_status(s, false), Failure::rejected) << s;
  }
}

TEST(ClassifyMalformedSuccess, UnknownForWritesRetryableForReads) {
  EXPECT_EQ(classify_malformed_success(true), Failure::unknown);
  EXPECT_EQ(classify_malformed_success(false), Failure::retryable);
}

TEST(Redact, RemovesEveryOccurrence) {
  EXPECT_EQ(redact("Bearer tok-123 and tok-123 again", "tok-123"), "Bearer [redacted] and [redacted] again");
  EXPECT_EQ(redact("tok-123tok-123", "tok-123"), "[redacted][redacted]");
  EXPECT_EQ(redact("nothing here", "tok-123"), "nothing here");
}

TEST(Redact, AnEmptySecretChangesNothing) { EXPECT_EQ(redact("abc", ""), "abc"); }

TEST(Redact, ASecretThatOccursInsideTheMaskDoesNotLoop) {
  // "d" is in "[redacted]": the search must continue after the mask.
  EXPECT_EQ(redact("dad", "d"), "[redacted]a[redacted]");
  EXPECT_EQ(redact("redacted", "redacted"), "[redacted]");
}

TEST(Redact, OverlappingOccurrencesLeaveNoTokenBehind) {
  const std::string out = redact("aaaa", "aa");
  EXPECT_EQ(out.find("aa"), std::string::npos) << out;
}

}  // namespace
}  // namespace pgdialer::sync
