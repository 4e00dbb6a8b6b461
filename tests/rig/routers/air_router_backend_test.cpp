// AirRouterBackend and its line client against a fake TCP link and a manual clock: the exact request lines
// (percent-encoded tokens, docs/virtual-lab.md), one request in flight, replies in order, EVENT lines set
// aside, deadlines, broken connections and malformed answers. The real gagent-air is in
// tests/rig/rt/air_router_backend_rt_test.cpp.
#include "gizrig/routers/air_router_backend.h"

#include <gtest/gtest.h>

#include <optional>

#include "app_plug_fakes.h"
#include "gizrig/routers/air_text.h"

namespace gizrig::core {
namespace {

using test::FakeClock;
using test::FakeStreamLink;

TEST(AirText, EncodesSeparatorsPercentAndNonAsciiAsTheAirDoes) {
  EXPECT_EQ(encodeAirText(QStringLiteral("GIZWITS_TEST_1")), "GIZWITS_TEST_1");
  EXPECT_EQ(encodeAirText(QStringLiteral("my ap\n100%")), "my%20ap%0A100%25");
  EXPECT_EQ(encodeAirText(QString()), "-");
  EXPECT_EQ(encodeAirText(QStringLiteral("-")), "%2D");
  EXPECT_EQ(encodeAirText(QStringLiteral("a-b")), "a-b");
  EXPECT_EQ(encodeAirText(QStringLiteral("caf\u00e9")), "caf%C3%A9");
}

TEST(AirText, DecodesAnyEscapeInEitherCaseAndRejectsBrokenOnes) {
  EXPECT_EQ(decodeAirText("my%20ap%0a100%25"), QStringLiteral("my ap\n100%"));
  EXPECT_EQ(decodeAirText("-"), QString());
  EXPECT_EQ(decodeAirText("%2D"), QStringLiteral("-"));
  EXPECT_EQ(decodeAirText("%41%62"), QStringLiteral("Ab"));
  EXPECT_EQ(decodeAirText("caf%C3%A9"), QStringLiteral("caf\u00e9"));
  EXPECT_EQ(decodeAirText("a%4"), std::nullopt);
  EXPECT_EQ(decodeAirText("a%"), std::nullopt);
  EXPECT_EQ(decodeAirText("%zz"), std::nullopt);
  EXPECT_EQ(decodeAirText("%C3"), std::nullopt);  // half a UTF-8 character
}

class AirBackendTest : public ::testing::Test {
 protected:
  void SetUp() override {
    test::qtApp();
    link = new FakeStreamLink;
    backend =
        std::make_unique<AirRouterBackend>(link, clock, QHostAddress(QStringLiteral("127.0.0.1")), 4242);
  }

  // Everything the backend wrote, as lines without '\n'.
  QStringList lines() const {
    QByteArray all;
    for (const QByteArray& chunk : link->written) all += chunk;
    QStringList result;
    for (const QByteArray& line : all.split('\n')) {
      if (!line.isEmpty()) result.append(QString::fromUtf8(line));
    }
    return result;
  }
  RouterControl::Done record(std::optional<RouterResult>& slot) {
    return [&slot](const RouterResult& result) { slot = result; };
  }

  FakeClock clock;
  FakeStreamLink* link = nullptr;
  std::unique_ptr<AirRouterBackend> backend;
};

TEST_F(AirBackendTest, ConnectsOnTheFirstRequestAndSendsOneRequestAtATime) {
  std::optional<RouterResult> power;
  std::optional<RouterResult> reboot;
  backend->setPower(QStringLiteral("GIZWITS TEST"), false, record(power));
  backend->reboot(QStringLiteral("-"), record(reboot));
  EXPECT_EQ(link->target, QHostAddress(QStringLiteral("127.0.0.1")));
  EXPECT_EQ(link->targetPort, 4242);
  EXPECT_TRUE(lines().isEmpty());  // not connected yet

  link->accept();
  EXPECT_EQ(lines(), QStringList{QStringLiteral("AP-POWER GIZWITS%20TEST off")});
  link->deliver("OK\n");
  ASSERT_TRUE(power);
  EXPECT_TRUE(power->ok);
  EXPECT_FALSE(reboot);
  EXPECT_EQ(lines(),
            (QStringList{QStringLiteral("AP-POWER GIZWITS%20TEST off"), QStringLiteral("AP-REBOOT %2D")}));
  link->deliver("OK\n");
  ASSERT_TRUE(reboot);
  EXPECT_TRUE(reboot->ok);
}

TEST_F(AirBackendTest, RequestLinesOfEveryCall) {
  link->accept();
  std::optional<RouterResult> result;
  const auto step = [&](auto call, const QString& expected) {
    const qsizetype before = lines().size();
    call();
    ASSERT_EQ(lines().size(), before + 1);
    EXPECT_EQ(lines().last(), expected);
    link->deliver("OK\n");
    ASSERT_TRUE(result && result->ok) << expected.toStdString();
    result.reset();
  };
  step([&] { backend->setPower(QStringLiteral("AP1"), true, record(result)); },
       QStringLiteral("AP-POWER AP1 on"));
  step(
      [&] { backend->configure(QStringLiteral("AP1"), QStringLiteral("New AP"), QString(), record(result)); },
      QStringLiteral("AP-SET AP1 New%20AP -"));
  step(
      [&] {
        backend->setSignal(QStringLiteral("AP1"), QStringLiteral("A0:B1:C2:D3:E4:F5"), 35, record(result));
      },
      QStringLiteral("RSSI AP1 a0b1c2d3e4f5 35"));
  step([&] { backend->setSignal(QStringLiteral("AP1"), QString(), 80, record(result)); },
       QStringLiteral("RSSI AP1 * 80"));
  step(
      [&] {
        backend->addAccessPoint(QStringLiteral("AP 2"), QStringLiteral("pass word"), 60, record(result));
      },
      QStringLiteral("AP-ADD AP%202 pass%20word 60"));
  step([&] { backend->removeAccessPoint(QStringLiteral("AP 2"), record(result)); },
       QStringLiteral("AP-REMOVE AP%202"));
}

TEST_F(AirBackendTest, AirErrorsBecomeOperatorWords) {
  link->accept();
  std::optional<RouterResult> result;
  backend->reboot(QStringLiteral("NOPE"), record(result));
  link->deliver("ERROR no-ap\n");
  ASSERT_TRUE(result);
  EXPECT_FALSE(result->ok);
  EXPECT_EQ(result->error, QStringLiteral("no access point \"NOPE\" on the air (no-ap)"));

  result.reset();
  backend->setPower(QStringLiteral("AP1"), true, record(result));
  link->deliver("ERROR bad-request bad-power\n");
  ASSERT_TRUE(result);
  EXPECT_EQ(result->error, QStringLiteral("bad-request bad-power"));
}

TEST_F(AirBackendTest, BadArgumentsFailWithoutSendingAnything) {
  link->accept();
  std::optional<RouterResult> mac;
  std::optional<RouterResult> signal;
  std::optional<RouterResult> ssid;
  backend->setSignal(QStringLiteral("AP1"), QStringLiteral("not-a-mac"), 10, record(mac));
  backend->setSignal(QStringLiteral("AP1"), QString(), 101, record(signal));
  backend->configure(QStringLiteral("AP1"), QString(), QStringLiteral("x"), record(ssid));
  EXPECT_FALSE(mac);  // asynchronous, like every answer
  clock.advanceBy(0);
  ASSERT_TRUE(mac && signal && ssid);
  EXPECT_EQ(mac->error, QStringLiteral("\"not-a-mac\" is not a MAC address"));
  EXPECT_EQ(signal->error, QStringLiteral("signal 101 is not within 0-100"));
  EXPECT_EQ(ssid->error, QStringLiteral("the new SSID is empty"));
  EXPECT_TRUE(lines().isEmpty());
}

TEST_F(AirBackendTest, EventLinesAreNotTakenAsRepliesAndSplitOrCoalescedLinesAreFramed) {
  link->accept();
  QList<QByteArray> events;
  QObject::connect(&backend->client(), &AirLineClient::eventReceived,
                   [&](const QByteArray& line) { events.append(line); });
  std::optional<RouterResult> first;
  std::optional<RouterResult> second;
  backend->setPower(QStringLiteral("AP1"), true, record(first));
  backend->setPower(QStringLiteral("AP2"), true, record(second));
  link->deliver("EVENT link-down AP1\nO");
  EXPECT_FALSE(first);
  link->deliver("K\r\nERROR no-ap\n");
  ASSERT_TRUE(first && second);
  EXPECT_TRUE(first->ok);
  EXPECT_FALSE(second->ok);
  EXPECT_EQ(events, QList<QByteArray>{"EVENT link-down AP1"});
}

TEST_F(AirBackendTest, StatusAsksApsThenClients) {
  link->accept();
  std::optional<RouterResult> result;
  RouterStatus status;
  backend->status(QStringLiteral("GIZWITS TEST"), [&](const RouterResult& r, const RouterStatus& s) {
    result = r;
    status = s;
  });
  EXPECT_EQ(lines(), QStringList{QStringLiteral("APS")});
  link->deliver("OK 2 OTHER - on 70 0 GIZWITS%20TEST secret off 55 2\n");
  EXPECT_EQ(lines().last(), QStringLiteral("CLIENTS GIZWITS%20TEST"));
  link->deliver("OK 2 a0b1c2d3e4f5 0a0b0c0d0e0f\n");
  ASSERT_TRUE(result);
  EXPECT_TRUE(result->ok) << result->error.toStdString();
  EXPECT_EQ(status.ssid, QStringLiteral("GIZWITS TEST"));
  EXPECT_FALSE(status.powered);
  EXPECT_EQ(status.signal, 55);
  EXPECT_EQ(status.clientMacs, (QStringList{QStringLiteral("A0B1C2D3E4F5"), QStringLiteral("0A0B0C0D0E0F")}));
}

TEST_F(AirBackendTest, StatusOfAnUnknownSsidIsNoAp) {
  link->accept();
  std::optional<RouterResult> result;
  backend->status(QStringLiteral("X"), [&](const RouterResult& r, const RouterStatus&) { result = r; });
  link->deliver("OK 0\n");
  ASSERT_TRUE(result);
  EXPECT_EQ(result->error, QStringLiteral("no access point \"X\" on the air (no-ap)"));
  EXPECT_EQ(lines(), QStringList{QStringLiteral("APS")});
}

TEST_F(AirBackendTest, ListsAccessPointsAndModules) {
  link->accept();
  QList<AirAccessPoint> aps;
  QList<AirModule> modules;
  backend->accessPoints([&](const RouterResult& r, const QList<AirAccessPoint>& list) {
    EXPECT_TRUE(r.ok) << r.error.toStdString();
    aps = list;
  });
  link->deliver("OK 1 GIZWITS_TEST_1 GIZWITS_TEST_PASS on 70 1\n");
  EXPECT_EQ(aps, (QList<AirAccessPoint>{
                     {QStringLiteral("GIZWITS_TEST_1"), QStringLiteral("GIZWITS_TEST_PASS"), true, 70, 1}}));

  backend->modules([&](const RouterResult& r, const QList<AirModule>& list) {
    EXPECT_TRUE(r.ok) << r.error.toStdString();
    modules = list;
  });
  EXPECT_EQ(lines().last(), QStringLiteral("MODULES"));
  link->deliver(
      "OK 2 a0b1c2d3e4f5 127.0.0.10 GIZWITS_TEST_1 - - 0a0b0c0d0e0f 127.0.0.11 - XPG-GAgent-0E0F airlink\n");
  EXPECT_EQ(modules,
            (QList<AirModule>{{QStringLiteral("A0B1C2D3E4F5"), QStringLiteral("127.0.0.10"),
                               QStringLiteral("GIZWITS_TEST_1"), QString(), QString()},
                              {QStringLiteral("0A0B0C0D0E0F"), QStringLiteral("127.0.0.11"), QString(),
                               QStringLiteral("XPG-GAgent-0E0F"), QStringLiteral("airlink")}}));
}

TEST_F(AirBackendTest, SoftApJoinAndOneShotSend) {
  link->accept();
  QHostAddress ip;
  int reached = -1;
  std::optional<RouterResult> joinResult;
  backend->softApJoin(QStringLiteral("XPG-GAgent-0E0F"), QStringLiteral("123456789"),
                      [&](const RouterResult& r, const QHostAddress& a) {
                        joinResult = r;
                        ip = a;
                      });
  EXPECT_EQ(lines().last(), QStringLiteral("SOFTAP-JOIN XPG-GAgent-0E0F 123456789"));
  link->deliver("OK 127.0.0.11\n");
  ASSERT_TRUE(joinResult && joinResult->ok);
  EXPECT_EQ(ip, QHostAddress(QStringLiteral("127.0.0.11")));

  backend->oneShotSend(QStringLiteral("Home AP"), QStringLiteral("pw"), [&](const RouterResult& r, int n) {
    EXPECT_TRUE(r.ok);
    reached = n;
  });
  EXPECT_EQ(lines().last(), QStringLiteral("ONESHOT-SEND Home%20AP pw"));
  link->deliver("OK 3\n");
  EXPECT_EQ(reached, 3);

  joinResult.reset();
  backend->softApJoin(QStringLiteral("XPG"), QStringLiteral("bad"),
                      [&](const RouterResult& r, const QHostAddress&) { joinResult = r; });
  link->deliver("ERROR wrong-password\n");
  ASSERT_TRUE(joinResult);
  EXPECT_EQ(joinResult->error, QStringLiteral("wrong password for \"XPG\" (wrong-password)"));
}

TEST_F(AirBackendTest, MalformedAnswersAreErrorsNotCrashes) {
  link->accept();
  std::optional<RouterResult> result;
  const auto aps = [&](const QByteArray& reply) {
    result.reset();
    backend->accessPoints([&](const RouterResult& r, const QList<AirAccessPoint>&) { result = r; });
    link->deliver(reply);
    return result ? result->error : QStringLiteral("(no answer)");
  };
  const QString malformed = QStringLiteral("the air's answer to APS is malformed");
  EXPECT_EQ(aps("OK\n"), malformed);
  EXPECT_EQ(aps("OK 2 A - on 70 0\n"), malformed);
  EXPECT_EQ(aps("OK 1 A - maybe 70 0\n"), malformed);
  EXPECT_EQ(aps("OK 1 A%ZZ - on 70 0\n"), malformed);
  EXPECT_EQ(aps("OK 1 A - on 170 0\n"), malformed);
  EXPECT_EQ(aps("HELLO\n"), QStringLiteral("unexpected air reply 'HELLO'"));
  EXPECT_EQ(aps("OK 0\n"), QString());  // and the client still works
}

TEST_F(AirBackendTest, NoReplyByTheDeadlineFailsEverythingPendingAndReconnectsLater) {
  link->accept();
  std::optional<RouterResult> first;
  std::optional<RouterResult> second;
  QString lost;
  QObject::connect(&backend->client(), &AirLineClient::connectionLost,
                   [&](const QString& why) { lost = why; });
  backend->reboot(QStringLiteral("AP1"), record(first));
  backend->reboot(QStringLiteral("AP2"), record(second));
  clock.advanceBy(AirLineClient::kDefaultTimeoutMs - 1);
  EXPECT_FALSE(first);
  clock.advanceBy(1);
  ASSERT_TRUE(first && second);
  EXPECT_EQ(first->error, QStringLiteral("air 127.0.0.1:4242: no answer to 'AP-REBOOT AP1' within 5000 ms"));
  EXPECT_EQ(second->error, first->error);
  EXPECT_EQ(lost, first->error);
  EXPECT_FALSE(link->isConnected());  // a late reply must not answer the next request

  // A late reply on the old connection is ignored; the next request connects again.
  std::optional<RouterResult> third;
  link->target = QHostAddress();
  backend->reboot(QStringLiteral("AP3"), record(third));
  EXPECT_EQ(link->target, QHostAddress(QStringLiteral("127.0.0.1")));
  link->accept();
  link->deliver("OK\n");
  ASSERT_TRUE(third);
  EXPECT_TRUE(third->ok);
}

TEST_F(AirBackendTest, RefusedOrBrokenConnectionsFailThePendingRequests) {
  std::optional<RouterResult> refused;
  backend->setPower(QStringLiteral("AP1"), true, record(refused));
  link->refuse();
  ASSERT_TRUE(refused);
  EXPECT_EQ(refused->error, QStringLiteral("air 127.0.0.1:4242: Connection refused"));

  std::optional<RouterResult> broken;
  backend->setPower(QStringLiteral("AP1"), true, record(broken));
  link->accept();
  link->peerClose();
  ASSERT_TRUE(broken);
  EXPECT_EQ(broken->error, QStringLiteral("the air at 127.0.0.1:4242 closed the connection"));
}

TEST_F(AirBackendTest, AnEndlessLineClosesTheConnection) {
  link->accept();
  std::optional<RouterResult> result;
  backend->reboot(QStringLiteral("AP1"), record(result));
  link->deliver(QByteArray(AirLineClient::kMaxLineBytes + 1, 'x'));
  ASSERT_TRUE(result);
  EXPECT_FALSE(result->ok);
  EXPECT_FALSE(link->isConnected());
}

}  // namespace
}  // namespace gizrig::core
