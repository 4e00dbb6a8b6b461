#include "gagent/core/web_config.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "gagent/proto/http_parser.h"
#include "gagent/sim/sim_board.h"

using namespace gagent;
using namespace gagent::core;

namespace {

constexpr std::uint16_t kPort = 8080;  // the host port cannot always bind 80
constexpr hal::Ipv4 kPhone = hal::ipv4(10, 10, 100, 240);

struct Credentials {
  std::string ssid;
  std::string password;
  Millis at;
  std::size_t bytesAlreadyAtBrowser;  // proves the answer went out before the report
  friend bool operator==(const Credentials&, const Credentials&) = default;
};

struct Reports : WebConfigListener {
  sim::PeerTcpConnection* watched = nullptr;
  std::vector<Credentials> got;
  void onWebCredentials(std::string_view ssid, std::string_view password, Millis now) override {
    got.push_back({std::string(ssid), std::string(password), now, watched ? watched->pending() : 0});
  }
};

struct Reply {
  proto::ParseStatus status = proto::ParseStatus::NeedMore;
  std::uint16_t code = 0;
  std::string body;
  std::string contentType;
  std::string connection;
  std::string allow;
};

Reply parseReply(const std::vector<std::uint8_t>& bytes) {
  proto::HttpSmallResponse<4096> response;
  Reply reply;
  reply.status = response.feed(bytes);
  reply.code = response.statusCode();
  reply.body = std::string(response.body());
  reply.contentType = std::string(response.parser().header("Content-Type").value_or(""));
  reply.connection = std::string(response.parser().header("Connection").value_or(""));
  reply.allow = std::string(response.parser().header("Allow").value_or(""));
  return reply;
}

bool contains(const std::string& text, std::string_view part) {
  return text.find(part) != std::string::npos;
}

struct WebConfigTest : ::testing::Test {
  sim::SimBoard board;
  LogHub logs;
  Reports reports;
  WebConfigServer server{board.net(), logs, reports, kPort};
  std::uint16_t nextPhonePort = 50000;

  void SetUp() override {
    ASSERT_TRUE(board.radio().startSoftAp("XPG-GAgent-A1F3", "123456789"));
    ASSERT_TRUE(server.start(0));
  }

  [[nodiscard]] Millis now() { return board.clock().now(); }
  void pump() { server.poll(now()); }

  sim::PeerTcpConnection* browser() {
    return board.net().connectPeer({kPhone, nextPhonePort++}, {sim::SimNet::kSoftApAddress, kPort});
  }

  // One request on a fresh connection, answered within one poll.
  Reply exchange(std::string_view request) {
    sim::PeerTcpConnection* connection = browser();
    EXPECT_NE(connection, nullptr);
    if (connection == nullptr) return {};
    reports.watched = connection;
    connection->send(proto::asBytes(request));
    pump();
    Reply reply = parseReply(connection->receiveAll());
    EXPECT_TRUE(connection->closedByModule());  // Connection: close, one request per connection
    return reply;
  }

  Reply get(std::string_view target) {
    return exchange("GET " + std::string(target) + " HTTP/1.1\r\nHost: 10.10.100.254\r\n\r\n");
  }
  Reply post(std::string_view body) {
    return exchange(
        "POST /web_config.cgi HTTP/1.1\r\nHost: 10.10.100.254\r\n"
        "Content-Type: application/x-www-form-urlencoded\r\nContent-Length: " +
        std::to_string(body.size()) + "\r\n\r\n" + std::string(body));
  }
};

}  // namespace

TEST_F(WebConfigTest, S6_3_1_ServesTheFormOnTheConfiguredPort) {
  EXPECT_EQ(WebConfigServer::kDefaultPort, 80);
  EXPECT_TRUE(board.net().moduleListening(kPort));
  const Reply reply = get("/");
  ASSERT_EQ(reply.status, proto::ParseStatus::Ok);
  EXPECT_EQ(reply.code, 200);
  EXPECT_EQ(reply.contentType, "text/html; charset=utf-8");
  EXPECT_EQ(reply.connection, "close");
  EXPECT_TRUE(contains(reply.body, "action=\"/web_config.cgi\""));
  EXPECT_TRUE(contains(reply.body, "name=\"ssid\""));
  EXPECT_TRUE(contains(reply.body, "name=\"pass\""));
  EXPECT_TRUE(reports.got.empty());
  EXPECT_EQ(server.clientCount(), 0u);
}

TEST_F(WebConfigTest, S6_3_3_ValidFormShowsSuccessAndReportsCredentials) {
  const Reply reply = get("/web_config.cgi?ssid=Home-Net_1.0&pass=abc.DEF-9_x");
  ASSERT_EQ(reply.status, proto::ParseStatus::Ok);
  EXPECT_EQ(reply.code, 200);
  EXPECT_TRUE(contains(reply.body, "Configuration saved"));
  EXPECT_TRUE(contains(reply.body, "Home-Net_1.0"));
  ASSERT_EQ(reports.got.size(), 1u);
  EXPECT_EQ(reports.got[0].ssid, "Home-Net_1.0");
  EXPECT_EQ(reports.got[0].password, "abc.DEF-9_x");
  EXPECT_GT(reports.got[0].bytesAlreadyAtBrowser, 0u);  // reported after the page was sent
}

TEST_F(WebConfigTest, S6_3_3_PostedFormIsAcceptedToo) {
  const Reply reply = post("ssid=HomeNet&pass=secret.123");
  EXPECT_EQ(reply.code, 200);
  ASSERT_EQ(reports.got.size(), 1u);
  EXPECT_EQ(reports.got[0], (Credentials{"HomeNet", "secret.123", 0, reports.got[0].bytesAlreadyAtBrowser}));
}

TEST_F(WebConfigTest, S6_3_3_PercentEncodedAllowedCharactersAreDecoded) {
  const Reply reply = get("/web_config.cgi?ssid=Home%2DNet&pass=%61bc");
  EXPECT_EQ(reply.code, 200);
  ASSERT_EQ(reports.got.size(), 1u);
  EXPECT_EQ(reports.got[0].ssid, "Home-Net");
  EXPECT_EQ(reports.got[0].password, "abc");
}

TEST_F(WebConfigTest, S6_3_2_EmptyPasswordIsAnOpenNetwork) {
  EXPECT_EQ(get("/web_config.cgi?ssid=OpenNet&pass=").code, 200);
  EXPECT_EQ(get("/web_config.cgi?ssid=OpenNet2").code, 200);
  ASSERT_EQ(reports.got.size(), 2u);
  EXPECT_EQ(reports.got[0].password, "");
  EXPECT_EQ(reports.got[1].password, "");
}

TEST_F(WebConfigTest, S6_3_2_RejectsIllegalCharacters) {
  for (const char* target :
       {"/web_config.cgi?ssid=Home%20Net&pass=abc", "/web_config.cgi?ssid=Home+Net&pass=abc",
        "/web_config.cgi?ssid=Home%2FNet&pass=abc", "/web_config.cgi?ssid=Caf%C3%A9&pass=abc"}) {
    const Reply reply = get(target);
    EXPECT_EQ(reply.code, 400) << target;
    EXPECT_TRUE(contains(reply.body, "SSID may only contain a-z A-Z 0-9 - _ . characters.")) << target;
    EXPECT_TRUE(contains(reply.body, "name=\"ssid\"")) << "the form comes back for a retry";
  }
  const Reply reply = post("ssid=HomeNet&pass=pa%24%24word");
  EXPECT_EQ(reply.code, 400);
  EXPECT_TRUE(contains(reply.body, "Password may only contain"));
  EXPECT_TRUE(reports.got.empty());
}

TEST_F(WebConfigTest, S6_3_2_RejectsOver32Bytes) {
  const std::string s32(32, 's');
  const std::string s33(33, 's');
  Reply reply = get("/web_config.cgi?ssid=" + s33 + "&pass=abc");
  EXPECT_EQ(reply.code, 400);
  EXPECT_TRUE(contains(reply.body, "SSID is longer than 32 bytes."));
  reply = get("/web_config.cgi?ssid=HomeNet&pass=" + s33);
  EXPECT_EQ(reply.code, 400);
  EXPECT_TRUE(contains(reply.body, "Password is longer than 32 bytes."));
  // Percent-encoding does not count: 32 decoded bytes are fine.
  std::string encoded;
  for (int i = 0; i < 32; ++i) encoded += "%41";
  EXPECT_TRUE(reports.got.empty());
  reply = get("/web_config.cgi?ssid=" + encoded + "&pass=" + s32);
  EXPECT_EQ(reply.code, 200);
  ASSERT_EQ(reports.got.size(), 1u);
  EXPECT_EQ(reports.got[0].ssid, std::string(32, 'A'));
  EXPECT_EQ(reports.got[0].password, s32);
}

TEST_F(WebConfigTest, S6_3_2_MissingEmptyOrBadlyEncodedSsidRejected) {
  Reply reply = get("/web_config.cgi");
  EXPECT_EQ(reply.code, 400);
  EXPECT_TRUE(contains(reply.body, "SSID is missing."));
  reply = get("/web_config.cgi?ssid=&pass=abc");
  EXPECT_EQ(reply.code, 400);
  EXPECT_TRUE(contains(reply.body, "SSID is empty."));
  reply = get("/web_config.cgi?ssid=Home%zzNet&pass=abc");
  EXPECT_EQ(reply.code, 400);
  EXPECT_TRUE(contains(reply.body, "SSID is not correctly URL-encoded."));
  reply = post("ssid=HomeNet&pass=abc%4");
  EXPECT_EQ(reply.code, 400);
  EXPECT_TRUE(contains(reply.body, "Password is not correctly URL-encoded."));
  EXPECT_TRUE(reports.got.empty());
}

TEST_F(WebConfigTest, UnknownPathIs404AndOtherMethods405) {
  EXPECT_EQ(get("/favicon.ico").code, 404);
  const Reply put = exchange("PUT /web_config.cgi HTTP/1.1\r\nContent-Length: 0\r\n\r\n");
  EXPECT_EQ(put.code, 405);
  EXPECT_EQ(put.allow, "GET, POST");
  EXPECT_EQ(exchange("POST / HTTP/1.1\r\nContent-Length: 0\r\n\r\n").code, 405);
  EXPECT_TRUE(reports.got.empty());
}

TEST_F(WebConfigTest, MalformedRequestsAnswered400AndServerKeepsGoing) {
  const std::string hugeHeader = "GET / HTTP/1.1\r\nX-Fill: " + std::string(3000, 'a') + "\r\n\r\n";
  const std::string hugeBody = "POST /web_config.cgi HTTP/1.1\r\nContent-Length: 5000\r\n\r\n";
  const std::string binary("\x00\xff\x01\r\n\r\n", 7);
  for (const std::string& request :
       {std::string("GARBAGE\r\n\r\n"), std::string("GET / HTTP/9.9\r\n\r\n"),
        std::string("GET / HTTP/1.1\r\nNoColon\r\n\r\n"),
        std::string("POST /web_config.cgi HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n"),
        std::string("POST /web_config.cgi HTTP/1.1\r\nContent-Length: x\r\n\r\n"), hugeHeader, hugeBody,
        binary}) {
    const Reply reply = exchange(request);
    EXPECT_EQ(reply.status, proto::ParseStatus::Ok) << request.substr(0, 40);
    EXPECT_EQ(reply.code, 400) << request.substr(0, 40);
  }
  EXPECT_TRUE(reports.got.empty());
  EXPECT_EQ(server.clientCount(), 0u);
  EXPECT_EQ(get("/").code, 200);
}

TEST_F(WebConfigTest, RequestArrivingByteByByteAndAnswerInPieces) {
  board.net().setMaxSegmentSize(1);
  board.net().setTcpSendLimit(100);
  sim::PeerTcpConnection* connection = browser();
  ASSERT_NE(connection, nullptr);
  reports.watched = connection;
  connection->send(proto::asBytes("GET /web_config.cgi?ssid=HomeNet&pass=abc HTTP/1.1\r\n\r\n"));
  std::vector<std::uint8_t> received;
  for (int i = 0; i < 100 && !connection->closedByModule(); ++i) {
    pump();
    if (reports.got.empty()) {
      const auto piece = connection->receiveAll();
      received.insert(received.end(), piece.begin(), piece.end());
    }
  }
  const auto rest = connection->receiveAll();
  received.insert(received.end(), rest.begin(), rest.end());
  ASSERT_TRUE(connection->closedByModule());
  const Reply reply = parseReply(received);
  EXPECT_EQ(reply.code, 200);
  ASSERT_EQ(reports.got.size(), 1u);
  // Only the last piece was still unread when the credentials were reported.
  EXPECT_GT(reports.got[0].bytesAlreadyAtBrowser, 0u);
  EXPECT_LE(reports.got[0].bytesAlreadyAtBrowser, 100u);
}

TEST_F(WebConfigTest, BrowserLeavingBeforeTheAnswerReportsNothing) {
  board.net().setTcpSendLimit(50);
  sim::PeerTcpConnection* connection = browser();
  ASSERT_NE(connection, nullptr);
  connection->send(proto::asBytes("GET /web_config.cgi?ssid=HomeNet&pass=abc HTTP/1.1\r\n\r\n"));
  pump();  // first 50 bytes out, the rest waits
  connection->close();
  pump();
  EXPECT_TRUE(reports.got.empty());
  EXPECT_EQ(server.clientCount(), 0u);
}

TEST_F(WebConfigTest, PartialRequestDroppedAfterTheClientTimeout) {
  sim::PeerTcpConnection* connection = browser();
  ASSERT_NE(connection, nullptr);
  connection->send(proto::asBytes("GET / HT"));
  pump();
  EXPECT_EQ(server.clientCount(), 1u);
  EXPECT_EQ(server.nextDeadline(), WebConfigServer::kClientTimeout);
  board.clock().advanceTo(WebConfigServer::kClientTimeout - 1);
  pump();
  EXPECT_FALSE(connection->isClosed());
  board.clock().advanceTo(WebConfigServer::kClientTimeout);
  pump();
  EXPECT_TRUE(connection->closedByModule());
  EXPECT_TRUE(connection->receiveAll().empty());  // no answer to half a request
  EXPECT_EQ(server.clientCount(), 0u);
  EXPECT_EQ(server.nextDeadline(), hal::kNever);
}

TEST_F(WebConfigTest, PeerClosingMidRequestIsDropped) {
  sim::PeerTcpConnection* connection = browser();
  ASSERT_NE(connection, nullptr);
  connection->send(proto::asBytes("POST /web_config.cgi HTTP/1.1\r\nContent-Length: 20\r\n\r\nssid=a"));
  connection->close();
  pump();
  EXPECT_EQ(server.clientCount(), 0u);
  EXPECT_TRUE(reports.got.empty());
}

TEST_F(WebConfigTest, ClientsAreBoundedAndTheRestWaitInTheBacklog) {
  std::vector<sim::PeerTcpConnection*> idle;
  for (std::size_t i = 0; i < WebConfigServer::kMaxClients; ++i) {
    idle.push_back(browser());
    ASSERT_NE(idle.back(), nullptr);
  }
  pump();
  EXPECT_EQ(server.clientCount(), WebConfigServer::kMaxClients);
  board.clock().advanceTo(hal::seconds(1));
  sim::PeerTcpConnection* late = browser();
  ASSERT_NE(late, nullptr);
  late->send(proto::asBytes("GET / HTTP/1.1\r\n\r\n"));
  pump();
  EXPECT_EQ(late->pending(), 0u);  // not served while every slot is busy
  // The idle ones time out; the waiting one is then served.
  board.clock().advanceTo(WebConfigServer::kClientTimeout);
  pump();
  for (auto* connection : idle) EXPECT_TRUE(connection->closedByModule());
  pump();
  EXPECT_EQ(parseReply(late->receiveAll()).code, 200);
}

TEST_F(WebConfigTest, StopClosesClientsAndThePort) {
  sim::PeerTcpConnection* connection = browser();
  ASSERT_NE(connection, nullptr);
  pump();
  server.stop();
  EXPECT_FALSE(server.running());
  EXPECT_TRUE(connection->closedByModule());
  EXPECT_FALSE(board.net().moduleListening(kPort));
  EXPECT_EQ(browser(), nullptr);
  server.poll(now());  // harmless when stopped
  ASSERT_TRUE(server.start(now()));
  EXPECT_EQ(get("/").code, 200);
}

TEST_F(WebConfigTest, StartFailsWhenThePortIsTaken) {
  WebConfigServer second{board.net(), logs, reports, kPort};
  EXPECT_FALSE(second.start(0));
  EXPECT_FALSE(second.running());
  EXPECT_TRUE(server.start(0));  // already running: no change
}

TEST_F(WebConfigTest, PipelinedBytesAfterTheRequestAreIgnored) {
  const Reply reply = exchange(
      "GET /web_config.cgi?ssid=First&pass=abc HTTP/1.1\r\n\r\n"
      "GET /web_config.cgi?ssid=Second&pass=abc HTTP/1.1\r\n\r\n");
  EXPECT_EQ(reply.code, 200);
  ASSERT_EQ(reports.got.size(), 1u);
  EXPECT_EQ(reports.got[0].ssid, "First");
}

TEST_F(WebConfigTest, S6_3_OneRequestAtATimeASecondBrowserWaitsForTheFirstAnswer) {
  sim::PeerTcpConnection* first = browser();
  sim::PeerTcpConnection* second = browser();
  ASSERT_NE(first, nullptr);
  ASSERT_NE(second, nullptr);
  first->send(proto::asBytes("GET / HTTP/1.1\r\n"));  // half a request: it holds the one request buffer
  pump();
  second->send(proto::asBytes("GET /web_config.cgi?ssid=HomeNet&pass=abc HTTP/1.1\r\n\r\n"));
  pump();
  EXPECT_EQ(second->pending(), 0u);  // not served (nor read) while the first is
  EXPECT_TRUE(reports.got.empty());
  first->send(proto::asBytes("\r\n"));
  pump();  // the first is answered, then the second in the same pass
  EXPECT_EQ(parseReply(first->receiveAll()).code, 200);
  EXPECT_EQ(parseReply(second->receiveAll()).code, 200);
  EXPECT_EQ(reports.got.size(), 1u);
  EXPECT_EQ(server.clientCount(), 0u);
}

TEST_F(WebConfigTest, S6_3_ASpareConnectionThatSendsNothingDoesNotHoldTheRequestBuffer) {
  sim::PeerTcpConnection* spare = browser();  // a browser's speculative connection
  ASSERT_NE(spare, nullptr);
  pump();
  EXPECT_EQ(get("/").code, 200);  // served at once beside it
  EXPECT_FALSE(spare->isClosed());
}

TEST_F(WebConfigTest, S6_3_AStallingBrowserHoldsTheRequestBufferOnlyUntilItsTimeout) {
  sim::PeerTcpConnection* staller = browser();
  ASSERT_NE(staller, nullptr);
  staller->send(proto::asBytes("GET / HT"));
  pump();
  board.clock().advanceTo(hal::seconds(1));
  sim::PeerTcpConnection* phone = browser();
  ASSERT_NE(phone, nullptr);
  phone->send(proto::asBytes("GET / HTTP/1.1\r\n\r\n"));
  pump();
  EXPECT_EQ(phone->pending(), 0u);
  board.clock().advanceTo(WebConfigServer::kClientTimeout);
  pump();  // the staller is dropped; the phone is served in the same pass
  EXPECT_TRUE(staller->closedByModule());
  EXPECT_TRUE(staller->receiveAll().empty());
  EXPECT_EQ(parseReply(phone->receiveAll()).code, 200);
}
