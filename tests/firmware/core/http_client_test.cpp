#include "gagent/core/http_client.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "cloud_test_support.h"
#include "gagent/proto/cloud_http.h"

using namespace gagent;
using namespace gagent::core;
using cloudtest::FakeHttpServer;
using cloudtest::httpReply;

namespace {

constexpr hal::Endpoint kServer{hal::ipv4(203, 0, 113, 1), 80};
constexpr std::string_view kDid = "abcdefghijklmnopqrstuv";

struct RecordingSink : HttpBodySink {
  std::uint16_t status = 0;
  std::string body;
  std::size_t pieces = 0;
  bool acceptHead = true;
  std::size_t abortAfter = SIZE_MAX;
  bool onResponseHead(const proto::HttpResponseParser& head) override {
    status = head.statusCode();
    return acceptHead;
  }
  bool onResponseBody(proto::Bytes piece) override {
    body.append(proto::asText(piece));
    ++pieces;
    return body.size() < abortAfter;
  }
};

struct HttpClientTest : ::testing::Test {
  sim::SimBoard board;
  LogHub logs;
  HttpClient http{board.net(), logs};
  FakeHttpServer server{board.net(), kServer};

  HttpClientTest() { board.net().setModuleAddress(sim::SimNet::kStationAddress); }

  // A provision request (GET, no body) to the fake server.
  void startProvision(Millis timeout = hal::seconds(5), HttpBodySink* sink = nullptr) {
    const std::size_t size = proto::buildProvisionRequest(http.requestBuffer(), kDid);
    ASSERT_GT(size, 0u);
    http.start(kServer, size, timeout, board.clock().now(), sink);
  }
  void runFor(Millis duration) {
    cloudtest::runUntil(
        board.clock(), board.clock().now() + duration, [&](Millis now) { http.poll(now); },
        [&] { return http.nextDeadline(); }, [&](Millis now) { return server.service(now); });
  }
};

}  // namespace

TEST_F(HttpClientTest, ContentLengthReplyCollectedWithStatus) {
  server.replyAlways(httpReply(200, "host=m2m.gizwits.com&port=1883&"));
  startProvision();
  runFor(hal::seconds(1));
  ASSERT_TRUE(http.finished());
  ASSERT_EQ(server.requests.size(), 1u);
  EXPECT_EQ(server.requests[0].raw,
            "GET /dev/devices/abcdefghijklmnopqrstuv HTTP/1.1\r\nHost: api.gizwits.com\r\n"
            "Cache-Control: no-cache\r\nContent-Type: application/x-www-form-urlencoded\r\n\r\n");
  EXPECT_TRUE(http.result().ok());
  EXPECT_EQ(http.result().status, 200);
  EXPECT_EQ(http.result().body, "host=m2m.gizwits.com&port=1883&");
  EXPECT_FALSE(http.result().errorCode);
  EXPECT_EQ(board.net().openSocketCount(), 0u);  // §3.1: one connection per request, closed after it
}

TEST_F(HttpClientTest, ChunkedReplySplitIntoOneByteSegments) {
  board.net().setMaxSegmentSize(1);
  server.replyAlways(
      "HTTP/1.1 200 OK\r\nTransfer-Encoding: "
      "chunked\r\n\r\n5\r\nhost=\r\n10\r\nm2m.gizwits.com&\r\n0\r\n\r\n");
  startProvision();
  runFor(hal::seconds(1));
  ASSERT_TRUE(http.finished());
  EXPECT_TRUE(http.result().ok());
  EXPECT_EQ(http.result().body, "host=m2m.gizwits.com&");
}

TEST_F(HttpClientTest, CloseDelimitedReplyEndsAtClose) {
  server.replyAlways("HTTP/1.1 200 OK\r\n\r\nfid=3");
  startProvision();
  runFor(hal::seconds(1));
  ASSERT_TRUE(http.finished());
  EXPECT_TRUE(http.result().ok());
  EXPECT_EQ(http.result().body, "fid=3");
}

TEST_F(HttpClientTest, S3_6_ErrorCodeOfAnErrorReply) {
  server.replyAlways(httpReply(400, R"({"error_code": 9016, "error_message": "did or passcode invalid"})"));
  startProvision();
  runFor(hal::seconds(1));
  ASSERT_TRUE(http.finished());
  EXPECT_TRUE(http.result().ok());
  EXPECT_EQ(http.result().status, 400);
  EXPECT_EQ(http.result().errorCode, 9016);
}

TEST_F(HttpClientTest, ConnectionRefused) {
  server.listener.setRefusing(true);
  startProvision();
  runFor(hal::seconds(1));
  ASSERT_TRUE(http.finished());
  EXPECT_EQ(http.result().failure, HttpFailure::ConnectFailed);
  EXPECT_EQ(board.net().openSocketCount(), 0u);
}

TEST_F(HttpClientTest, ClosedBeforeTheReplyEnded) {
  server.replyAlways("HTTP/1.1 200 OK\r\nContent-Length: 50\r\n\r\nshort");
  startProvision();
  runFor(hal::seconds(1));
  ASSERT_TRUE(http.finished());
  EXPECT_EQ(http.result().failure, HttpFailure::ClosedEarly);
}

TEST_F(HttpClientTest, ClosedWithoutAnyReply) {
  server.replyAlways("");
  startProvision();
  runFor(hal::seconds(1));
  ASSERT_TRUE(http.finished());
  EXPECT_EQ(http.result().failure, HttpFailure::ClosedEarly);
}

TEST_F(HttpClientTest, TimeoutWhenTheServerNeverAnswers) {
  server.onRequest([](const cloudtest::HttpExchange&) { return std::nullopt; });
  const Millis start = board.clock().now();
  startProvision(hal::seconds(5));
  runFor(hal::seconds(5) - 1);
  EXPECT_TRUE(http.busy());
  runFor(1);
  ASSERT_TRUE(http.finished());
  EXPECT_EQ(http.result().failure, HttpFailure::Timeout);
  EXPECT_EQ(board.clock().now(), start + hal::seconds(5));
  EXPECT_EQ(board.net().openSocketCount(), 0u);
}

TEST_F(HttpClientTest, TimeoutWhileConnectingToASilentNetwork) {
  board.net().setSilentDrop(true);
  startProvision(hal::seconds(3));
  EXPECT_EQ(http.state(), HttpClient::State::Connecting);
  runFor(hal::seconds(3));
  ASSERT_TRUE(http.finished());
  EXPECT_EQ(http.result().failure, HttpFailure::Timeout);
}

TEST_F(HttpClientTest, MalformedReplyIsAFailureNotACrash) {
  server.replyAlways("SSH-2.0-OpenSSH_9.6\r\n\r\n");
  startProvision();
  runFor(hal::seconds(1));
  ASSERT_TRUE(http.finished());
  EXPECT_EQ(http.result().failure, HttpFailure::Malformed);
}

TEST_F(HttpClientTest, BadChunkSizeIsMalformed) {
  server.replyAlways("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\nabc\r\n0\r\n\r\n");
  startProvision();
  runFor(hal::seconds(1));
  ASSERT_TRUE(http.finished());
  EXPECT_EQ(http.result().failure, HttpFailure::Malformed);
}

TEST_F(HttpClientTest, SmallBodyLargerThanItsBufferIsRefused) {
  server.replyAlways(httpReply(200, std::string(HttpClient::kBodyCapacity + 1, 'x')));
  startProvision();
  runFor(hal::seconds(1));
  ASSERT_TRUE(http.finished());
  EXPECT_EQ(http.result().failure, HttpFailure::BodyTooLarge);
}

TEST_F(HttpClientTest, StreamingSinkGetsABodyLargerThanAnyBuffer) {
  board.net().setMaxSegmentSize(100);
  std::string big;
  for (int i = 0; i < 5000; ++i) big.push_back(static_cast<char>('a' + i % 26));
  server.replyAlways(httpReply(200, big));
  RecordingSink sink;
  startProvision(hal::seconds(5), &sink);
  runFor(hal::seconds(1));
  ASSERT_TRUE(http.finished());
  EXPECT_TRUE(http.result().ok());
  EXPECT_EQ(sink.status, 200);
  EXPECT_EQ(sink.body, big);
  EXPECT_GE(sink.pieces, 50u);
  EXPECT_TRUE(http.result().body.empty());
}

TEST_F(HttpClientTest, SinkCanRefuseTheHeadOrTheBody) {
  server.replyAlways(httpReply(404, "nope"));
  RecordingSink sink;
  sink.acceptHead = false;
  startProvision(hal::seconds(5), &sink);
  runFor(hal::seconds(1));
  ASSERT_TRUE(http.finished());
  EXPECT_EQ(http.result().failure, HttpFailure::Aborted);
  EXPECT_EQ(http.result().status, 404);
  EXPECT_TRUE(sink.body.empty());

  server.replyAlways(httpReply(200, std::string(300, 'x')));
  board.net().setMaxSegmentSize(100);
  RecordingSink second;
  second.abortAfter = 100;
  startProvision(hal::seconds(5), &second);
  runFor(hal::seconds(1));
  EXPECT_EQ(http.result().failure, HttpFailure::Aborted);
  EXPECT_GE(second.body.size(), 100u);
  EXPECT_LT(second.body.size(), 300u);
  EXPECT_EQ(board.net().openSocketCount(), 0u);
}

TEST_F(HttpClientTest, RequestSentInPiecesWhenThePeerIsSlow) {
  board.net().setTcpSendLimit(16);
  server.replyAlways(httpReply(201, "did=abcdefghijklmnopqrstuv"));
  proto::RegisterRequest request;
  request.passcode = "PHHLXAKMEI";
  const std::uint8_t mac[6] = {};
  request.mac = mac;
  request.productKey = "6f3074fe43894547a4f1314bd7e3ae0b";
  const std::size_t size = proto::buildRegisterRequest(http.requestBuffer(), request);
  http.start(kServer, size, hal::seconds(5), 0);
  runFor(hal::seconds(1));
  ASSERT_TRUE(http.finished());
  EXPECT_TRUE(http.result().ok());
  ASSERT_EQ(server.requests.size(), 1u);
  EXPECT_EQ(server.requests[0].body,
            "passcode=PHHLXAKMEI&mac=000000000000&product_key=6f3074fe43894547a4f1314bd7e3ae0b");
}

TEST_F(HttpClientTest, RequestThatCouldNotBeBuiltFailsAtOnce) {
  http.start(kServer, 0, hal::seconds(5), 0);
  ASSERT_TRUE(http.finished());
  EXPECT_EQ(http.result().failure, HttpFailure::BadRequest);
  EXPECT_TRUE(board.net().record().empty());
  EXPECT_EQ(http.nextDeadline(), 0u);  // a result waits: the owner's loop must come back at once
}

TEST_F(HttpClientTest, ResetClosesARunningRequest) {
  server.onRequest([](const cloudtest::HttpExchange&) { return std::nullopt; });
  startProvision();
  runFor(10);
  EXPECT_TRUE(http.busy());
  http.reset();
  EXPECT_EQ(http.state(), HttpClient::State::Idle);
  EXPECT_EQ(http.nextDeadline(), hal::kNever);
  EXPECT_EQ(board.net().openSocketCount(), 0u);
}
