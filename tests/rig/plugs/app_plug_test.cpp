// AppPlug / AppSession on fake links and a fake clock: byte-exact requests (protocol Appendix B, the observed
// v4.2.6 session of §2.3), reply and sn matching, heartbeat cadence and offline (S7.5.1-2), timeouts, and
// malformed replies ignored.
#include "gizrig/plugs/app_plug.h"

#include <gtest/gtest.h>

#include <QFile>
#include <optional>

#include "app_plug_fakes.h"
#include "gizrig/plugs/app_p0.h"
#include "gizrig/plugs/lan_bytes.h"

namespace gizrig::core {
namespace {

using test::FakeClock;
using test::FakeLanLinks;
using test::FakeStreamLink;

QByteArray hexBytes(const char* text) {
  return QByteArray::fromHex(QByteArray(text));
}

const QByteArray kProductKey = "6f3074fe43894547a4f1314bd7e3ae0b";
const QByteArray kDid = "abcdefghijklmnopqrstuv";  // 22
const QHostAddress kModule("127.0.0.10");

std::shared_ptr<const gagent::proto::Product> gokit() {
  QFile file(QStringLiteral(GAGENT_FIXTURES_DIR "/products/gokit-demo.json"));
  if (!file.open(QIODevice::ReadOnly)) return nullptr;
  const QByteArray json = file.readAll();
  auto loaded =
      gagent::proto::loadProduct(std::string_view(json.constData(), static_cast<std::size_t>(json.size())));
  if (!loaded.product) return nullptr;
  return std::make_shared<const gagent::proto::Product>(std::move(*loaded.product));
}

// A 0004 / 0005 body: didLen did macLen mac fwLen fw pkLen pk attr8 (protocol §2.3).
QByteArray announceBody(const QByteArray& did, const QByteArray& fw) {
  QByteArray body;
  body += char(0) + QByteArray(1, char(did.size())) + did;
  body += hexBytes("0006 02477F00000A");
  body += char(0) + QByteArray(1, char(fw.size())) + fw;
  body += hexBytes("0020") + kProductKey;
  body += hexBytes("0000000000000001");
  return body;
}

class AppPlugTest : public ::testing::Test {
 protected:
  AppPlugTest() : plug(clock, links) {
    test::qtApp();
    QObject::connect(&plug, &AppPlug::event, [this](const QString& name, const QVariantMap& fields) {
      events.push_back({name, fields});
    });
  }

  std::vector<QVariantMap> eventsNamed(const QString& name) const {
    std::vector<QVariantMap> out;
    for (const auto& [n, f] : events)
      if (n == name) out.push_back(f);
    return out;
  }

  // Connects and logs in the session of kModule (the observed v4.2.6 session, §2.3).
  FakeStreamLink* loggedIn() {
    AppSession* session = plug.session(kModule);
    std::optional<AppReply> result;
    session->openAndLogin(3000, [&](const AppReply& reply) { result = reply; });
    FakeStreamLink* link = links.streams.back();
    link->accept();
    link->deliver(hexBytes("000000030F00000700 0A") + "DATPBPIFOG");
    link->deliver(hexBytes("00000003 04 00 0009 00"));
    EXPECT_TRUE(result && result->ok());
    link->written.clear();
    return link;
  }

  FakeClock clock;
  FakeLanLinks links;
  AppPlug plug;
  std::vector<std::pair<QString, QVariantMap>> events;
};

// ---- discovery (S7.1.2) ----

TEST_F(AppPlugTest, S7_1_2_DiscoveryBroadcastsAndUnicasts0003AndCollects0004) {
  std::optional<DiscoveryResult> result;
  DiscoveryOptions options;
  options.broadcast = QHostAddress("127.255.255.255");
  options.unicast = {QHostAddress("127.0.0.11")};
  options.timeoutMs = 2000;
  options.resendMs = 0;
  plug.discover(options, [&](const DiscoveryResult& r) { result = r; });
  auto* udp = links.datagrams.back().data();
  ASSERT_EQ(udp->sent.size(), 2u);
  EXPECT_EQ(udp->sent[0].bytes, hexBytes("00 00 00 03 03 00 00 03"));  // Appendix B
  EXPECT_EQ(udp->sent[0].to, QHostAddress("127.255.255.255"));
  EXPECT_EQ(udp->sent[0].port, 12414);
  EXPECT_EQ(udp->sent[1].to, QHostAddress("127.0.0.11"));

  clock.advanceBy(7);
  udp->deliver(encodeLan(gagent::proto::LanCmd::DiscoveryReply, announceBody(kDid, "04020000")), kModule,
               12414);
  udp->deliver(hexBytes("00 00 00 03 09 00 00 04 00"), QHostAddress("127.0.0.12"),
               12414);  // malformed: ignored
  EXPECT_FALSE(result);
  clock.advanceTo(2000);
  ASSERT_TRUE(result);
  EXPECT_EQ(result->outcome, AppOutcome::Ok);
  ASSERT_EQ(result->devices.size(), 1);
  const DiscoveredDevice& device = result->devices[0];
  EXPECT_EQ(device.address, kModule);
  EXPECT_EQ(device.did, QString(kDid));
  EXPECT_EQ(device.macHex(), "02477F00000A");
  EXPECT_EQ(device.productKey, QString(kProductKey));
  EXPECT_EQ(device.firmwareVersion, "04020000");
  EXPECT_EQ(device.mcuAttr, hexBytes("0000000000000001"));
  EXPECT_EQ(device.roundTripMs, 7);
  EXPECT_EQ(plug.devices().size(), 1);
  ASSERT_EQ(eventsNamed("app.discovered").size(), 1u);
  EXPECT_EQ(eventsNamed("app.discovered")[0].value("mac"), "02477F00000A");
  EXPECT_EQ(eventsNamed("app.malformed").size(), 1u);
  EXPECT_TRUE(udp->closed);
}

TEST_F(AppPlugTest, S7_1_2_DiscoveryTimesOutWithNoAnswerAndResendsMeanwhile) {
  std::optional<DiscoveryResult> result;
  int calls = 0;
  DiscoveryOptions options;
  options.broadcast = QHostAddress("127.255.255.255");
  options.timeoutMs = 3000;
  options.resendMs = 1000;
  plug.discover(options, [&](const DiscoveryResult& r) {
    result = r;
    ++calls;
  });
  clock.advanceTo(10000);
  ASSERT_TRUE(result);
  EXPECT_EQ(calls, 1);
  EXPECT_EQ(result->outcome, AppOutcome::Timeout);
  EXPECT_EQ(links.datagrams.back()->sent.size(), 3u);  // at 0, 1000, 2000
}

TEST_F(AppPlugTest, DiscoveryFinishesEarlyAtTheExpectedCountAndNeedsADestination) {
  std::optional<DiscoveryResult> result;
  DiscoveryOptions options;
  options.unicast = {kModule};
  options.expectedCount = 1;
  plug.discover(options, [&](const DiscoveryResult& r) { result = r; });
  links.datagrams.back()->deliver(encodeLan(gagent::proto::LanCmd::DiscoveryReply, announceBody("", "")),
                                  kModule, 12414);
  ASSERT_TRUE(result);
  EXPECT_EQ(result->outcome, AppOutcome::Ok);
  EXPECT_EQ(result->devices[0].did, "");

  std::optional<DiscoveryResult> none;
  plug.discover(DiscoveryOptions{}, [&](const DiscoveryResult& r) { none = r; });
  ASSERT_TRUE(none);
  EXPECT_EQ(none->outcome, AppOutcome::Error);
}

TEST_F(AppPlugTest, S7_1_2_DiscoveryWaitsForTheAwaitedDeviceWhenAnotherAnswersTheBroadcastFirst) {
  std::optional<DiscoveryResult> result;
  DiscoveryOptions options;
  options.broadcast = QHostAddress("127.255.255.255");
  options.expectedCount = 1;
  options.awaited = kModule;
  plug.discover(options, [&](const DiscoveryResult& r) { result = r; });
  auto* udp = links.datagrams.back().data();
  // A module of another lab on the same loopback answers first: not the one this run waits for.
  udp->deliver(encodeLan(gagent::proto::LanCmd::DiscoveryReply, announceBody("", "")),
               QHostAddress("127.0.0.40"), 12414);
  EXPECT_FALSE(result);
  clock.advanceBy(3);
  udp->deliver(encodeLan(gagent::proto::LanCmd::DiscoveryReply, announceBody(kDid, "")), kModule, 12414);
  ASSERT_TRUE(result);
  EXPECT_EQ(result->outcome, AppOutcome::Ok);
  ASSERT_EQ(result->devices.size(), 2);
  EXPECT_EQ(result->devices[1].address, kModule);
}

// ---- announcements (S7.1.1, S6.1.3) ----

TEST_F(AppPlugTest, S7_1_1_S6_1_3_AnnouncementsAndConfigSuccessOn2415) {
  ASSERT_TRUE(plug.listenAnnouncements());
  auto* udp = links.datagrams.back().data();
  EXPECT_EQ(udp->boundPort, 2415);
  EXPECT_EQ(udp->boundAddress, QHostAddress(QHostAddress::AnyIPv4));
  std::optional<ConfigSuccess> success;
  QObject::connect(&plug, &AppPlug::configSuccessReceived, [&](const ConfigSuccess& s) { success = s; });

  clock.advanceTo(1500);
  udp->deliver(encodeLan(gagent::proto::LanCmd::StartupAnnounce, announceBody(kDid, "")), kModule, 2415);
  // config-success bcast, Appendix B: 00 06 <mac6> 00 20 <pk32> 00 16 <did22>.
  const QByteArray configSuccess =
      hexBytes("00 00 00 03 45 00 00 19 00 06 02477F00000A 00 20") + kProductKey + hexBytes("00 16") + kDid;
  udp->deliver(configSuccess, kModule, 2415);
  udp->deliver(hexBytes("00 00 00 03 05 00 00 19 00 06"), kModule, 2415);  // truncated 0019: ignored

  ASSERT_EQ(eventsNamed("app.announce").size(), 1u);
  EXPECT_EQ(eventsNamed("app.announce")[0].value("time").toLongLong(), 1500);
  EXPECT_EQ(eventsNamed("app.announce")[0].value("did"), QString(kDid));
  ASSERT_EQ(eventsNamed("app.configSuccess").size(), 1u);
  const QVariantMap fields = eventsNamed("app.configSuccess")[0];
  EXPECT_EQ(fields.value("mac"), "02477F00000A");
  EXPECT_EQ(fields.value("productKey"), QString(kProductKey));
  EXPECT_EQ(fields.value("did"), QString(kDid));
  EXPECT_EQ(fields.value("address"), "127.0.0.10");
  ASSERT_TRUE(success);
  EXPECT_EQ(eventsNamed("app.malformed").size(), 1u);
  EXPECT_EQ(plug.devices().size(), 1);
}

// ---- SoftAP onboarding (S6.2.5) ----

TEST_F(AppPlugTest, S6_2_5_SoftApOnboardingSends0001AndWaitsFor0002) {
  std::optional<AppReply> result;
  OnboardingOptions options;
  options.resendMs = 0;
  plug.softApOnboard(kModule, "TestNet", "password1", options, [&](const AppReply& r) { result = r; });
  auto* udp = links.datagrams.back().data();
  ASSERT_EQ(udp->sent.size(), 1u);
  // Appendix B: onboard req.
  EXPECT_EQ(udp->sent[0].bytes,
            hexBytes("00 00 00 03 17 00 00 01 00 07") + "TestNet" + hexBytes("00 09") + "password1");
  EXPECT_EQ(udp->sent[0].to, kModule);
  EXPECT_EQ(udp->sent[0].port, 12414);
  clock.advanceBy(20);
  udp->deliver(hexBytes("00 00 00 03 03 00 00 02"), QHostAddress("127.0.0.99"), 12414);  // not the module
  EXPECT_FALSE(result);
  udp->deliver(hexBytes("00 00 00 03 03 00 00 02"), kModule, 12414);
  ASSERT_TRUE(result);
  EXPECT_TRUE(result->ok());
  EXPECT_EQ(result->roundTripMs, 20);
  EXPECT_EQ(eventsNamed("app.onboarded").size(), 1u);
}

TEST_F(AppPlugTest, S6_2_5_SoftApOnboardingTimesOutAndRefusesLongFields) {
  std::optional<AppReply> result;
  OnboardingOptions options;
  options.timeoutMs = 5000;
  options.resendMs = 1000;
  plug.softApOnboard(kModule, "TestNet", "password1", options, [&](const AppReply& r) { result = r; });
  clock.advanceTo(4999);
  EXPECT_FALSE(result);
  EXPECT_EQ(links.datagrams.back()->sent.size(), 5u);  // 0, 1000, ..., 4000
  clock.advanceTo(5000);
  ASSERT_TRUE(result);
  EXPECT_EQ(result->outcome, AppOutcome::Timeout);

  std::optional<AppReply> tooLong;
  plug.softApOnboard(kModule, QString(33, 'x'), "p", options, [&](const AppReply& r) { tooLong = r; });
  ASSERT_TRUE(tooLong);
  EXPECT_EQ(tooLong->outcome, AppOutcome::Error);
}

// ---- session: passcode, login (S7.2, S7.3) ----

TEST_F(AppPlugTest, S7_3_ObservedSessionPasscodeLoginBytes) {
  AppSession* session = plug.session(kModule);
  std::optional<AppReply> result;
  session->openAndLogin(3000, [&](const AppReply& r) { result = r; });
  FakeStreamLink* link = links.streams.back();
  EXPECT_EQ(link->target, kModule);
  EXPECT_EQ(link->targetPort, 12416);
  link->accept();
  ASSERT_EQ(link->written.size(), 1u);
  EXPECT_EQ(link->written[0], hexBytes("00 00 00 03 03 00 00 06"));
  // Split across two segments: the stream is framed by LEN.
  link->deliver(hexBytes("00 00 00 03 0F 00 00 07 00 0A") + "DATP");
  link->deliver("BPIFOG");
  ASSERT_EQ(link->written.size(), 2u);
  EXPECT_EQ(link->written[1], hexBytes("00 00 00 03 0F 00 00 08 00 0A") + "DATPBPIFOG");
  clock.advanceBy(3);
  link->deliver(hexBytes("00 00 00 03 04 00 00 09 00"));
  ASSERT_TRUE(result);
  EXPECT_TRUE(result->ok());
  EXPECT_EQ(result->request, "login");
  EXPECT_EQ(result->roundTripMs, 3);
  EXPECT_TRUE(session->isLoggedIn());
  EXPECT_EQ(eventsNamed("app.loggedIn").size(), 1u);
  EXPECT_EQ(eventsNamed("app.loggedIn")[0].value("device"), "127.0.0.10");
}

TEST_F(AppPlugTest, S7_2_3_EmptyPasscodeMeansTheBindWindowIsClosed) {
  AppSession* session = plug.session(kModule);
  std::optional<AppReply> passcode;
  std::optional<AppReply> login;
  session->open(1000, nullptr);
  links.streams.back()->accept();
  session->requestPasscode(1000, [&](const AppReply& r) { passcode = r; });
  links.streams.back()->deliver(hexBytes("00 00 00 03 05 00 00 07 00 00"));
  ASSERT_TRUE(passcode);
  EXPECT_TRUE(passcode->ok());
  EXPECT_EQ(passcode->fields.value("passcode"), "");
  EXPECT_TRUE(passcode->fields.value("bindWindowClosed").toBool());

  session->openAndLogin(1000, [&](const AppReply& r) { login = r; });
  links.streams.back()->deliver(hexBytes("00 00 00 03 05 00 00 07 00 00"));
  ASSERT_TRUE(login);
  EXPECT_EQ(login->outcome, AppOutcome::Error);
}

TEST_F(AppPlugTest, S7_3_2_RefusedLoginIsAnError) {
  AppSession* session = plug.session(kModule);
  std::optional<AppReply> result;
  session->open(1000, nullptr);
  links.streams.back()->accept();
  session->login("WRONGWRONG", 1000, [&](const AppReply& r) { result = r; });
  links.streams.back()->deliver(hexBytes("00 00 00 03 04 00 00 09 01"));
  ASSERT_TRUE(result);
  EXPECT_EQ(result->outcome, AppOutcome::Error);
  EXPECT_EQ(result->fields.value("result").toInt(), 1);
  EXPECT_FALSE(session->isLoggedIn());
  EXPECT_EQ(eventsNamed("app.loginFailed").size(), 1u);
}

TEST_F(AppPlugTest, ConnectRefusedAndConnectTimeoutCompleteOnce) {
  AppSession* session = plug.session(kModule);
  int calls = 0;
  std::optional<AppReply> result;
  session->open(1000, [&](const AppReply& r) {
    result = r;
    ++calls;
  });
  links.streams.back()->refuse();
  clock.advanceTo(5000);
  ASSERT_TRUE(result);
  EXPECT_EQ(calls, 1);
  EXPECT_EQ(result->outcome, AppOutcome::Error);

  session->open(1000, [&](const AppReply& r) { result = r; });
  clock.advanceTo(6000);
  EXPECT_EQ(result->outcome, AppOutcome::Timeout);
}

// ---- control and reads (S7.4) ----

TEST_F(AppPlugTest, S7_4_4_ReadIsAnsweredByTheNextNonReport0091) {
  plug.setProduct(gokit());
  FakeStreamLink* link = loggedIn();
  std::optional<AppReply> result;
  plug.read(kModule, 3000, [&](const AppReply& r) { result = r; });
  ASSERT_EQ(link->written.size(), 1u);
  EXPECT_EQ(link->written[0], hexBytes("00 00 00 03 04 00 00 90 02"));  // observed session
  // A report arriving first is a report, not the answer (S7.4.3).
  std::vector<QByteArray> reports;
  QObject::connect(&plug, &AppPlug::reportReceived,
                   [&](const QHostAddress&, const QByteArray& p0, RigMillis) { reports.push_back(p0); });
  const QByteArray status = hexBytes("05 10 20 30 0005 01 19 32 00 00");
  clock.advanceBy(4);
  link->deliver(encodeLan(gagent::proto::LanCmd::P0FromDevice, hexBytes("04") + status));
  EXPECT_FALSE(result);
  ASSERT_EQ(reports.size(), 1u);
  ASSERT_EQ(eventsNamed("app.report").size(), 1u);
  const QVariantMap reportValues = eventsNamed("app.report")[0].value("values").toMap();
  EXPECT_EQ(reportValues.value("LED_Color"), "purple");
  EXPECT_EQ(reportValues.value("Temperature").toLongLong(), 12);

  link->deliver(encodeLan(gagent::proto::LanCmd::P0FromDevice, hexBytes("03") + status));
  ASSERT_TRUE(result);
  EXPECT_TRUE(result->ok());
  EXPECT_EQ(result->roundTripMs, 4);
  EXPECT_EQ(result->payload, hexBytes("03") + status);
  EXPECT_EQ(result->fields.value("action"), "readReply");
  const QVariantMap values = result->fields.value("values").toMap();
  EXPECT_EQ(values.value("LED_OnOff").toBool(), true);
  EXPECT_EQ(values.value("LED_R").toLongLong(), 0x10);
  EXPECT_EQ(values.value("Motor_Speed").toLongLong(), 0);
  EXPECT_EQ(values.value("Humidity").toLongLong(), 50);
  EXPECT_EQ(values.value("Infrared").toBool(), true);
}

TEST_F(AppPlugTest, S7_4_5_SequencedControlsAreMatchedBySn) {
  FakeStreamLink* link = loggedIn();
  AppSession* session = plug.session(kModule);
  session->setNextSn(0x12345678);
  std::optional<AppReply> first;
  std::optional<AppReply> second;
  EXPECT_EQ(session->sendP0Sn(hexBytes("01 01 FF"), 3000, [&](const AppReply& r) { first = r; }),
            0x12345678u);
  EXPECT_EQ(session->sendP0Sn(hexBytes("02"), 3000, [&](const AppReply& r) { second = r; }), 0x12345679u);
  ASSERT_EQ(link->written.size(), 2u);
  EXPECT_EQ(link->written[0], hexBytes("00 00 00 03 0A 00 00 93 12 34 56 78 01 01 FF"));  // observed session
  // Answers out of order, and one for an sn nobody asked for.
  link->deliver(hexBytes("00 00 00 03 07 00 00 94 00 00 00 07"));
  link->deliver(hexBytes("00 00 00 03 08 00 00 94 12 34 56 79 03"));
  ASSERT_TRUE(second);
  EXPECT_FALSE(first);
  EXPECT_EQ(second->fields.value("sn").toUInt(), 0x12345679u);
  EXPECT_EQ(second->payload, hexBytes("03"));
  link->deliver(hexBytes("00 00 00 03 07 00 00 94 12 34 56 78"));  // the MCU's empty ACK
  ASSERT_TRUE(first);
  EXPECT_TRUE(first->ok());
  EXPECT_TRUE(first->payload.isEmpty());
  EXPECT_EQ(eventsNamed("app.unmatched").size(), 1u);
}

TEST_F(AppPlugTest, ControlFromDataPointNames) {
  plug.setProduct(gokit());
  FakeStreamLink* link = loggedIn();
  plug.session(kModule)->setNextSn(1);
  std::optional<AppReply> result;
  plug.control(kModule, {{"LED_Color", "pink"}, {"Motor_Speed", 3}}, true, 3000,
               [&](const AppReply& r) { result = r; });
  ASSERT_EQ(link->written.size(), 1u);
  // 01 | flags 0x22 (colour, motor) | cmd byte: colour 3 in bits 1-2 | R G B | motor raw 3 + 5 = 8.
  EXPECT_EQ(link->written[0], hexBytes("00 00 00 03 0F 00 00 93 00 00 00 01 01 22 06 00 00 00 00 08"));

  std::optional<AppReply> bad;
  plug.control(kModule, {{"Temperature", 20}}, true, 3000, [&](const AppReply& r) { bad = r; });
  ASSERT_TRUE(bad);
  EXPECT_EQ(bad->outcome, AppOutcome::Error);
  EXPECT_TRUE(bad->error.contains("not writable"));
  plug.control(kModule, {{"NoSuchPoint", 1}}, false, 3000, [&](const AppReply& r) { bad = r; });
  EXPECT_TRUE(bad->error.contains("no such data point"));
  plug.control(kModule, {{"LED_R", 255}}, false, 3000, [&](const AppReply& r) { bad = r; });
  EXPECT_EQ(bad->outcome, AppOutcome::Error);  // max 254
  EXPECT_EQ(link->written.size(), 1u);
}

TEST(AppP0, DecodeRejectsAWrongLength) {
  const auto product = gokit();
  ASSERT_TRUE(product);
  EXPECT_FALSE(decodeStatusP0(*product, hexBytes("04 00")).ok());
  EXPECT_EQ(buildReadP0(), hexBytes("02"));
  const AppP0Build build = buildControlP0(*product, {{"LED_OnOff", true}});
  EXPECT_EQ(build.p0, hexBytes("01 01 01 00 00 00 00 00"));
}

// ---- other requests ----

TEST_F(AppPlugTest, DeviceInfoApListAndExitTestReplies) {
  FakeStreamLink* link = loggedIn();
  AppSession* session = plug.session(kModule);
  std::optional<AppReply> info;
  std::optional<AppReply> aps;
  std::optional<AppReply> exitTest;
  session->requestDeviceInfo(3000, [&](const AppReply& r) { info = r; });
  session->requestApList(3000, [&](const AppReply& r) { aps = r; });
  session->exitProductionTest(3000, [&](const AppReply& r) { exitTest = r; });
  ASSERT_EQ(link->written.size(), 3u);
  EXPECT_EQ(link->written[0], hexBytes("00 00 00 03 03 00 00 13"));
  EXPECT_EQ(link->written[1], hexBytes("00 00 00 03 03 00 00 0C"));
  EXPECT_EQ(link->written[2], hexBytes("00 00 00 03 03 00 00 17"));

  QByteArray body = QByteArray("HW000001SW000001GOKIT001040000010000000400000000", 48);
  body += hexBytes("00 00 00 20") + kProductKey;
  link->deliver(encodeLan(gagent::proto::LanCmd::DeviceInfoReply, body));
  link->deliver(encodeLan(gagent::proto::LanCmd::ApList, hexBytes("00 0E") + "GIZWITS_TEST_1" +
                                                             hexBytes("46 00 03") + "lab" + hexBytes("0A")));
  link->deliver(hexBytes("00 00 00 03 03 00 00 18"));
  ASSERT_TRUE(info && aps && exitTest);
  EXPECT_EQ(info->fields.value("wifiHardVer"), "HW000001");
  EXPECT_EQ(info->fields.value("mcuHardVer"), "GOKIT001");
  EXPECT_EQ(info->fields.value("p0Ver"), "00000004");
  EXPECT_EQ(info->fields.value("productKey"), QString(kProductKey));
  const QVariantList list = aps->fields.value("aps").toList();
  ASSERT_EQ(list.size(), 2);
  EXPECT_EQ(list[0].toMap().value("ssid"), "GIZWITS_TEST_1");
  EXPECT_EQ(list[0].toMap().value("power").toInt(), 70);
  EXPECT_EQ(list[1].toMap().value("power").toInt(), 10);
  EXPECT_TRUE(exitTest->ok());
}

TEST_F(AppPlugTest, TimeoutsCompleteExactlyOnceAndLateRepliesAreUnmatched) {
  FakeStreamLink* link = loggedIn();
  AppSession* session = plug.session(kModule);
  int calls = 0;
  std::optional<AppReply> result;
  session->requestDeviceInfo(1500, [&](const AppReply& r) {
    result = r;
    ++calls;
  });
  clock.advanceBy(1499);
  EXPECT_FALSE(result);
  clock.advanceBy(1);
  ASSERT_TRUE(result);
  EXPECT_EQ(result->outcome, AppOutcome::Timeout);
  QByteArray body(48, '0');
  body += hexBytes("00 00 00 20") + kProductKey;
  link->deliver(encodeLan(gagent::proto::LanCmd::DeviceInfoReply, body));
  EXPECT_EQ(calls, 1);
  EXPECT_EQ(eventsNamed("app.timeout").size(), 1u);
  EXPECT_EQ(eventsNamed("app.unmatched").size(), 1u);
  EXPECT_EQ(session->pendingCount(), 0u);
}

TEST_F(AppPlugTest, MalformedRepliesAreIgnored) {
  FakeStreamLink* link = loggedIn();
  AppSession* session = plug.session(kModule);
  std::optional<AppReply> result;
  session->requestPasscode(3000, [&](const AppReply& r) { result = r; });
  link->deliver(hexBytes("00 00 00 03 06 00 00 07 00 05 41"));  // says 5 characters, carries 1
  link->deliver(hexBytes("00 00 00 04 03 00 00 07"));           // bad magic
  link->deliver(hexBytes("00 00 00 03 04 00 00 16 99"));        // pong with a payload
  link->deliver(hexBytes("00 00 00 03 05 00 00 94 12 34"));     // 0094 without a whole sn
  EXPECT_FALSE(result);
  EXPECT_EQ(eventsNamed("app.malformed").size(), 4u);
  link->deliver(hexBytes("00 00 00 03 0F 00 00 07 00 0A") + "DATPBPIFOG");
  ASSERT_TRUE(result);
  EXPECT_EQ(result->fields.value("passcode"), "DATPBPIFOG");
}

TEST_F(AppPlugTest, PendingRequestsFailWhenTheModuleCloses) {
  FakeStreamLink* link = loggedIn();
  std::optional<AppReply> result;
  plug.session(kModule)->requestDeviceInfo(3000, [&](const AppReply& r) { result = r; });
  link->peerClose();
  ASSERT_TRUE(result);
  EXPECT_EQ(result->outcome, AppOutcome::Error);
  EXPECT_EQ(eventsNamed("app.disconnected").size(), 1u);
  EXPECT_FALSE(plug.session(kModule)->isConnected());
}

// ---- heartbeat (S7.5.1-2) ----

TEST_F(AppPlugTest, S7_5_1_HeartbeatEvery4sWhileTheModuleOnlyAnswersPings) {
  FakeStreamLink* link = loggedIn();                            // at t = 0
  const QByteArray ping = hexBytes("00 00 00 03 03 00 00 15");  // Appendix B
  std::vector<RigMillis> trips;
  QObject::connect(&plug, &AppPlug::roundTripMeasured, [&](const QString& request, RigMillis ms) {
    if (request == "heartbeat") trips.push_back(ms);
  });
  clock.advanceTo(3999);
  EXPECT_TRUE(link->written.empty());
  clock.advanceTo(4000);
  ASSERT_EQ(link->written.size(), 1u);
  EXPECT_EQ(link->written[0], ping);
  clock.advanceTo(4005);
  link->deliver(hexBytes("00 00 00 03 03 00 00 16"));
  EXPECT_EQ(trips, (std::vector<RigMillis>{5}));
  clock.advanceTo(8004);
  EXPECT_EQ(link->written.size(), 1u);
  clock.advanceTo(8005);  // 4 s after the pong
  EXPECT_EQ(link->written.size(), 2u);
  // A report also counts as data from the module: the next ping waits 4 s from it.
  clock.advanceTo(9000);
  link->deliver(encodeLan(gagent::proto::LanCmd::P0FromDevice, hexBytes("04 00")));
  clock.advanceTo(12999);
  EXPECT_EQ(link->written.size(), 2u);
  clock.advanceTo(13000);
  EXPECT_EQ(link->written.size(), 3u);
  EXPECT_TRUE(eventsNamed("app.offline").empty());
}

TEST_F(AppPlugTest, S7_5_2_OfflineAfter12sWithoutDataFromTheModule) {
  FakeStreamLink* link = loggedIn();  // at t = 0
  std::optional<QString> offline;
  QObject::connect(plug.session(kModule), &AppSession::wentOffline,
                   [&](const QString& why) { offline = why; });
  clock.advanceTo(11999);
  EXPECT_EQ(link->written.size(), 2u);  // pings at 4 s and 8 s, none answered
  EXPECT_FALSE(offline);
  clock.advanceTo(12000);
  ASSERT_TRUE(offline);
  EXPECT_EQ(link->written.size(), 2u);  // no third ping: offline first
  ASSERT_EQ(eventsNamed("app.offline").size(), 1u);
  EXPECT_EQ(eventsNamed("app.offline")[0].value("time").toLongLong(), 12000);
  EXPECT_FALSE(link->isConnected());
  EXPECT_FALSE(plug.session(kModule)->isLoggedIn());
  EXPECT_EQ(plug.session(kModule)->pendingCount(), 0u);
  clock.advanceTo(60000);
  EXPECT_EQ(link->written.size(), 2u);
  EXPECT_EQ(eventsNamed("app.offline").size(), 1u);
}

TEST_F(AppPlugTest, S7_3_2_NoHeartbeatBeforeLogin) {
  plug.session(kModule)->open(1000, nullptr);
  FakeStreamLink* link = links.streams.back();
  link->accept();
  clock.advanceTo(30000);
  EXPECT_TRUE(link->written.empty());
  EXPECT_TRUE(eventsNamed("app.offline").empty());
}

}  // namespace
}  // namespace gizrig::core
