// The rig in the virtual-time world (docs/rig.md "One scenario, two kinds of time"): the real McuPlug,
// AppPlug, router and cloud backends against the firmware core in-process, on one VirtualClock. Hours of spec
// time run in well under a second, so the 2-hour rule of S8.8.5 is an ordinary test here.
#include "gizrig/virtual/virtual_world.h"

#include <gtest/gtest.h>

#include <QCoreApplication>
#include <algorithm>
#include <optional>
#include <vector>

#include "gagent/core/firmware_image.h"
#include "gagent/proto/lan_commands.h"
#include "gagent/sim/sim_board.h"
#include "gagent/sim/sim_cloud.h"
#include "gagent/sim/sim_module.h"
#include "gizrig/plugs/app_p0.h"
#include "gizrig/plugs/app_plug.h"
#include "gizrig/plugs/lan_bytes.h"
#include "gizrig/virtual/sim_net_tap.h"

namespace gizrig::core {
namespace {

namespace sim = gagent::sim;
namespace proto = gagent::proto;

constexpr RigMillis kSecond = 1000;
constexpr RigMillis kMinute = 60 * kSecond;
constexpr RigMillis kHour = 60 * kMinute;

QCoreApplication& qtApp() {
  static int argc = 1;
  static char name[] = "virtual_world_test";
  static char* argv[] = {name, nullptr};
  static QCoreApplication instance(argc, argv);
  return instance;
}

QString gokitFile() {
  return QStringLiteral(GAGENT_FIXTURES_DIR "/products/gokit-demo.json");
}

class VirtualWorldTest : public ::testing::Test {
 protected:
  void SetUp() override {
    qtApp();
    VirtualWorldOptions options;
    options.productFile = gokitFile();
    QString error;
    world = VirtualWorld::create(options, error);
    ASSERT_NE(world, nullptr) << error.toStdString();
    app = std::make_unique<AppPlug>(world->clock(), world->lanLinks());
    app->setProduct(world->sharedProduct());
  }
  void TearDown() override { app.reset(); }  // plugs before the world

  VirtualRigClock& clock() { return world->clock(); }
  McuPlug& mcu() { return *world->mcu(); }

  template <typename T>
  bool waitFor(const std::optional<T>& result, RigMillis within = 30 * kSecond) {
    return clock().runUntil([&] { return result.has_value(); }, clock().nowMs() + within);
  }

  // S6.2.5: the phone joins the module's SoftAP and sends 0001; the module reboots and joins the home router.
  void onboardToHomeRouter() {
    world->runFor(kSecond);
    ASSERT_EQ(world->board().net().moduleAddress(), sim::SimNet::kSoftApAddress);
    std::optional<AppReply> onboarded;
    app->softApOnboard(VirtualWorld::moduleSoftApAddress(), kVirtualHomeSsid, kVirtualHomePassword, {},
                       [&](const AppReply& r) { onboarded = r; });
    ASSERT_TRUE(waitFor(onboarded));
    ASSERT_TRUE(onboarded->ok()) << onboarded->error.toStdString();
    ASSERT_TRUE(
        clock().runUntil([&] { return world->board().net().moduleAddress() == sim::SimNet::kStationAddress; },
                         clock().nowMs() + 10 * kSecond));
  }

  // Discovery on the home LAN, then the app's passcode + login.
  void discoverAndLogin() {
    std::optional<DiscoveryResult> found;
    DiscoveryOptions discovery;
    discovery.broadcast = VirtualWorld::homeLanBroadcast();
    discovery.expectedCount = 1;
    app->discover(discovery, [&](const DiscoveryResult& r) { found = r; });
    ASSERT_TRUE(waitFor(found));
    ASSERT_EQ(found->outcome, AppOutcome::Ok) << found->error.toStdString();
    ASSERT_EQ(found->devices.size(), 1);
    EXPECT_EQ(found->devices[0].address, VirtualWorld::moduleStationAddress());
    EXPECT_EQ(found->devices[0].port, proto::kLanUdpConfigPort);
    EXPECT_EQ(found->devices[0].productKey, QString::fromStdString(world->product()->productKey));
    EXPECT_EQ(found->devices[0].macHex(), world->router().moduleMac());

    std::optional<AppReply> login;
    app->session(VirtualWorld::moduleStationAddress())->openAndLogin(5 * kSecond, [&](const AppReply& r) {
      login = r;
    });
    ASSERT_TRUE(waitFor(login));
    ASSERT_TRUE(login->ok()) << login->error.toStdString();
  }

  void waitForCloud() {
    ASSERT_TRUE(clock().runUntil(
        [&] { return !world->did().isEmpty() && world->cloud().deviceOnline(world->did().toStdString()); },
        clock().nowMs() + kMinute));
  }

  std::unique_ptr<VirtualWorld> world;
  std::unique_ptr<AppPlug> app;
};

// ---- the world and its clock
// --------------------------------------------------------------------------------

TEST(VirtualWorldCreate, ABadProductFileIsAClearErrorAndNoWorld) {
  qtApp();
  VirtualWorldOptions options;
  options.productFile = QStringLiteral("/nonexistent/product.json");
  QString error;
  EXPECT_EQ(VirtualWorld::create(options, error), nullptr);
  EXPECT_TRUE(error.startsWith("/nonexistent/product.json: ")) << error.toStdString();
}

TEST(VirtualWorldCreate, ABadRouterIsAClearErrorAndNoWorld) {
  qtApp();
  VirtualWorldOptions options;
  options.routers.push_back({"Short", "1234", 50, true});
  QString error;
  EXPECT_EQ(VirtualWorld::create(options, error), nullptr);
  EXPECT_EQ(error, "router \"Short\": a WPA2 password has 8 to 63 characters (or none for an open network)");
}

TEST(VirtualWorldCreate, LinksThatOutliveTheWorldReportErrorsInsteadOfTouchingIt) {
  qtApp();
  VirtualWorldOptions options;
  QString error;
  auto world = VirtualWorld::create(options, error);
  ASSERT_NE(world, nullptr) << error.toStdString();
  std::unique_ptr<DatagramLink> datagram(world->lanLinks().createDatagram(nullptr));
  std::unique_ptr<StreamLink> stream(world->lanLinks().createStream(nullptr));
  ASSERT_TRUE(datagram->bind(QHostAddress(QHostAddress::AnyIPv4), 0));
  world->runFor(kSecond);
  world.reset();
  QString datagramError;
  QString streamError;
  QObject::connect(datagram.get(), &DatagramLink::errorOccurred,
                   [&](const QString& e) { datagramError = e; });
  QObject::connect(stream.get(), &StreamLink::errorOccurred, [&](const QString& e) { streamError = e; });
  EXPECT_FALSE(datagram->sendTo("x", VirtualWorld::moduleSoftApAddress(), 12414));
  EXPECT_EQ(datagramError, "sim UDP: the virtual world is gone");
  stream->connectTo(VirtualWorld::moduleSoftApAddress(), 12416);
  EXPECT_EQ(streamError, "sim TCP: the virtual world is gone");
  EXPECT_FALSE(stream->isConnected());
}

TEST_F(VirtualWorldTest, ClockCallbacksRunAtTheirVirtualTimesInOrderAndCancelledOrOrphanedOnesNever) {
  std::vector<std::pair<int, RigMillis>> ran;
  clock().callAt(3000, nullptr, [&] { ran.push_back({3, clock().nowMs()}); });
  clock().callAt(1000, nullptr, [&] { ran.push_back({1, clock().nowMs()}); });
  clock().callAt(1000, nullptr, [&] { ran.push_back({2, clock().nowMs()}); });  // same time: in order
  const TimerId cancelled = clock().callAt(2000, nullptr, [&] { ran.push_back({99, clock().nowMs()}); });
  clock().cancel(cancelled);
  auto context = std::make_unique<QObject>();
  clock().callAt(1500, context.get(), [&] { ran.push_back({98, clock().nowMs()}); });
  context.reset();
  EXPECT_TRUE(clock().runUntilIdle(10 * kSecond));
  EXPECT_EQ(ran, (std::vector<std::pair<int, RigMillis>>{{1, 1000}, {2, 1000}, {3, 3000}}));
  EXPECT_EQ(clock().nowMs(), 3000);  // idle as soon as the last callback ran
  EXPECT_EQ(clock().pendingCallbacks(), 0u);
}

TEST_F(VirtualWorldTest, APastDeadlineRunsAtTheNextTurnAndANestedRunIsRefused) {
  world->runFor(5 * kSecond);
  RigMillis ranAt = -1;
  bool nestedReturned = false;
  clock().callAt(10, nullptr, [&] {
    ranAt = clock().nowMs();
    clock().runFor(kHour);  // refused: the world is already running
    nestedReturned = true;
  });
  world->runUntil(5 * kSecond);
  EXPECT_EQ(ranAt, 5 * kSecond);
  EXPECT_TRUE(nestedReturned);
  EXPECT_EQ(clock().nowMs(), 5 * kSecond);
}

TEST_F(VirtualWorldTest, RunUntilIdleStopsAtTheLimitWhileTheRigStillWaits) {
  clock().callAt(kHour, nullptr, [] {});
  EXPECT_FALSE(clock().runUntilIdle(kMinute));
  EXPECT_EQ(clock().nowMs(), kMinute);
  EXPECT_EQ(clock().pendingCallbacks(), 1u);
}

TEST_F(VirtualWorldTest, BytesSentFromAQueuedQtSlotAreAnsweredWithinTheSameVirtualInstant) {
  world->runFor(5 * kSecond);
  DatagramLink* link = world->lanLinks().createDatagram(app.get());
  ASSERT_TRUE(link->bind(QHostAddress(QHostAddress::AnyIPv4), 0));
  std::optional<RigMillis> answeredAt;
  QObject::connect(link, &DatagramLink::received, [&](const QByteArray&, const QHostAddress& from, quint16) {
    if (from == VirtualWorld::moduleSoftApAddress()) answeredAt = clock().nowMs();
  });
  // A queued slot (as Paho callbacks and plugs' deferred work arrive) runs in the world's turn; the module
  // answers in the same virtual instant rather than at its own next deadline.
  QMetaObject::invokeMethod(
      link,
      [&] {
        link->sendTo(encodeLan(proto::LanCmd::DiscoveryRequest), VirtualWorld::moduleSoftApAddress(),
                     proto::kLanUdpConfigPort);
      },
      Qt::QueuedConnection);
  const RigMillis sentAt = clock().nowMs();
  ASSERT_TRUE(waitFor(answeredAt));
  EXPECT_EQ(*answeredAt, sentAt);
}

// ---- the MCU
// -----------------------------------------------------------------------------------------------

TEST_F(VirtualWorldTest, S6_2_2_McuPlugOnTheSimUartHandshakesWithTheCoreAndSeesSoftApStatus) {
  std::vector<QString> events;
  QObject::connect(&mcu(), &McuPlug::event,
                   [&](const QString& name, const QVariantMap&) { events.push_back(name); });
  world->runFor(kSecond);
  EXPECT_EQ(mcu().handshakeCount(), 1);
  ASSERT_FALSE(events.empty());
  EXPECT_EQ(events.front(), "mcu.handshake");
  // The core took the product key from the McuPlug's 0x02 answer.
  EXPECT_EQ(world->module().agent().identity().productKey.view(), world->product()->productKey);
  ASSERT_TRUE(mcu().statusWord().has_value());
  EXPECT_EQ(*mcu().statusWord() & 0x0005, 0x0005);  // SoftAP (bit 0) and onboarding (bit 2), S6.2.2
  EXPECT_TRUE(mcu().capture().entries().front().name.startsWith("0x01"))
      << mcu().capture().entries().front().name.toStdString();
}

TEST(VirtualWorldCreate, S3_2_AtNineThousandSixHundredBaudTheHandshakeTakesItsWireTime) {
  qtApp();
  VirtualWorldOptions options;
  options.productFile = gokitFile();
  options.uartBaud = 9600;
  QString error;
  const auto world = VirtualWorld::create(options, error);
  ASSERT_NE(world, nullptr) << error.toStdString();
  world->runFor(2 * kSecond);
  ASSERT_EQ(world->mcu()->handshakeCount(), 1);
  const auto& entries = world->mcu()->capture().entries();
  ASSERT_GE(entries.size(), 2u);
  // 0x01 is 9 bytes on the wire: 10 bit times each = 9.4 ms, readable at the 10th millisecond.
  EXPECT_EQ(entries[0].raw.size(), 9);
  EXPECT_EQ(entries[0].time, 10);
}

TEST_F(VirtualWorldTest, S7_6_1_HeartbeatsReachTheMcuPlugEvery55VirtualSeconds) {
  world->runFor(5 * kMinute);
  const QList<RigMillis>& beats = mcu().heartbeatTimes();
  ASSERT_GE(beats.size(), 4);
  for (qsizetype i = 1; i < beats.size(); ++i) EXPECT_EQ(beats[i] - beats[i - 1], 55 * kSecond);
}

// ---- the app on the LAN
// ------------------------------------------------------------------------------------

TEST_F(VirtualWorldTest, S6_2_5_S7_1_2_S7_3_SoftApOnboardingThenDiscoveryAndLoginOverSimLanLinks) {
  onboardToHomeRouter();
  EXPECT_EQ(world->moduleBoots(), 2u);
  EXPECT_EQ(mcu().handshakeCount(), 2);  // the configuration reboot
  std::optional<RouterResult> result;
  std::optional<RouterStatus> status;
  world->router().status(kVirtualHomeSsid, [&](const RouterResult& r, const RouterStatus& s) {
    result = r;
    status = s;
  });
  ASSERT_TRUE(waitFor(status));
  ASSERT_TRUE(result->ok) << result->error.toStdString();
  EXPECT_EQ(status->ssid, kVirtualHomeSsid);
  EXPECT_TRUE(status->powered);
  EXPECT_EQ(status->signal, kVirtualHomeSignal);
  EXPECT_EQ(status->clientMacs, QStringList{world->router().moduleMac()});
  discoverAndLogin();
  EXPECT_TRUE(app->session(VirtualWorld::moduleStationAddress())->isLoggedIn());
}

// Issue 6's LAN and MQTT traffic views read the virtual LAN through a SimNetTap: every packet of onboarding,
// discovery, login, registration and the M2M login, named, in order, with its direction.
TEST_F(VirtualWorldTest, S6_2_5_S7_3_S8_3_S8_5_TheWireTapNamesEveryPacketOfOnboardingLoginAndTheCloudLogin) {
  SimNetTap tap(world->board().net());
  onboardToHomeRouter();
  discoverAndLogin();
  waitForCloud();
  std::vector<std::string> seen;  // "<kind> <-|-> <name>" in wire order, LAN UDP announcements left out
  std::string mqttClient;
  for (const WirePacket& p : tap.poll()) {
    EXPECT_TRUE(p.item.ok) << p.item.name << ": " << p.item.error;
    if (p.udp && p.fromModule) continue;  // 0005/0019 broadcasts: how many depends on timers, not the test
    seen.push_back(std::string(wireKindName(p.kind)) + (p.fromModule ? " -> " : " <- ") + p.item.name);
    if (p.item.name == "CONNECT")
      for (const auto& [name, value] : p.item.fields)
        if (name == "client") mqttClient = value;
  }
  const auto indexOf = [&](const std::string& entry) {
    const auto it = std::find(seen.begin(), seen.end(), entry);
    return it == seen.end() ? -1 : static_cast<int>(it - seen.begin());
  };
  const int onboarding = indexOf("LAN <- 0x0001 onboarding request");
  const int discovery = indexOf("LAN <- 0x0003 discovery request");
  const int passcode = indexOf("LAN <- 0x0006 passcode request");
  const int passcodeReply = indexOf("LAN -> 0x0007 passcode reply");
  const int login = indexOf("LAN <- 0x0008 login");
  const int loginResult = indexOf("LAN -> 0x0009 login result");
  const int connect = indexOf("MQTT -> CONNECT");
  const int connack = indexOf("MQTT <- CONNACK");
  ASSERT_GE(onboarding, 0);
  EXPECT_LT(onboarding, discovery);
  EXPECT_LT(discovery, passcode);
  EXPECT_LT(passcode, passcodeReply);
  EXPECT_LT(passcodeReply, login);
  EXPECT_LT(login, loginResult);
  EXPECT_GE(indexOf("HTTP -> POST /dev/devices HTTP/1.1"), 0);  // S8.3 registration
  EXPECT_LT(indexOf("HTTP -> POST /dev/devices HTTP/1.1"), connect);
  EXPECT_LT(connect, connack);
  EXPECT_EQ(mqttClient, world->did().toStdString());  // S8.5: client id = DID
  EXPECT_TRUE(tap.poll().empty());                    // no time passed: a second poll has nothing new
}

TEST_F(VirtualWorldTest, S7_4_ControlRoundTripFromTheAppThroughTheCoreToTheMcuPlugAndBack) {
  onboardToHomeRouter();
  discoverAndLogin();
  std::optional<AppReply> control;
  std::optional<QByteArray> report;
  QObject::connect(app.get(), &AppPlug::reportReceived,
                   [&](const QHostAddress&, const QByteArray& p0, RigMillis) { report = p0; });
  app->control(VirtualWorld::moduleStationAddress(), {{"LED_OnOff", true}, {"LED_R", 17}}, true, 5 * kSecond,
               [&](const AppReply& r) { control = r; });
  ASSERT_TRUE(clock().runUntil([&] { return control.has_value() && report.has_value(); },
                               clock().nowMs() + 10 * kSecond));
  ASSERT_TRUE(control->ok()) << control->error.toStdString();
  EXPECT_TRUE(control->payload.isEmpty());  // the MCU's empty 0x04 under our sn
  EXPECT_EQ(mcu().dataPoint("LED_OnOff"), QVariant(true));
  EXPECT_EQ(mcu().dataPoint("LED_R").toDouble(), 17.0);
  // The McuPlug's 0x05 report (04 + state) reached the app as an unsolicited 0091.
  EXPECT_EQ(*report, QByteArray::fromHex("04 01 11 00 00 0000 00 00 00 00 00"));

  std::optional<AppReply> read;
  app->read(VirtualWorld::moduleStationAddress(), 5 * kSecond, [&](const AppReply& r) { read = r; });
  ASSERT_TRUE(waitFor(read));
  ASSERT_TRUE(read->ok()) << read->error.toStdString();
  EXPECT_EQ(read->payload, QByteArray::fromHex("03 01 11 00 00 0000 00 00 00 00 00"));
}

TEST_F(VirtualWorldTest, S5_7_RouterRebootDropsTheModuleWhichJoinsAgain) {
  onboardToHomeRouter();
  world->runFor(5 * kSecond);
  std::optional<RouterResult> rebooted;
  world->router().reboot(kVirtualHomeSsid, [&](const RouterResult& r) { rebooted = r; });
  ASSERT_TRUE(waitFor(rebooted));
  ASSERT_TRUE(rebooted->ok);
  EXPECT_FALSE((*mcu().statusWord() >> 4) & 1U) << "router bit still set right after the reboot";
  ASSERT_TRUE(clock().runUntil([&] { return mcu().statusWord() && ((*mcu().statusWord() >> 4) & 1U); },
                               clock().nowMs() + 2 * kMinute));
}

TEST_F(VirtualWorldTest, S5_7_ALoggedInAppSessionIsDisconnectedByARouterReboot) {
  onboardToHomeRouter();
  discoverAndLogin();
  std::vector<QString> events;
  QObject::connect(app.get(), &AppPlug::event,
                   [&](const QString& name, const QVariantMap&) { events.push_back(name); });
  AppSession* session = app->session(VirtualWorld::moduleStationAddress());
  ASSERT_TRUE(session->isConnected());
  world->router().setPower(kVirtualHomeSsid, false, {});
  world->runFor(kSecond);
  EXPECT_FALSE(session->isConnected());
  EXPECT_NE(std::find(events.begin(), events.end(), "app.disconnected"), events.end());
}

TEST_F(VirtualWorldTest, RouterBackendRefusesUnknownRoutersModulesAndSignals) {
  std::vector<QString> errors;
  auto collect = [&](const RouterResult& r) { errors.push_back(r.ok ? QStringLiteral("ok") : r.error); };
  world->router().setPower("Nope", false, collect);
  world->router().setSignal(kVirtualHomeSsid, "AABBCCDDEEFF", 50, collect);
  world->router().setSignal(kVirtualHomeSsid, {}, 101, collect);
  world->router().configure(kVirtualHomeSsid, "HomeNet2", "short", collect);
  world->router().setSignal(kVirtualHomeSsid, world->router().moduleMac(), 40, collect);
  EXPECT_TRUE(errors.empty());  // never inside the call
  world->runFor(1);
  EXPECT_EQ(errors, (std::vector<QString>{
                        "no router with SSID \"Nope\" in the virtual air",
                        "no module with MAC AABBCCDDEEFF in the virtual air (it has 020000000001 only)",
                        "the signal is 0 to 100, not 101",
                        "a WPA2 password has 8 to 63 characters (or none for an open network)",
                        "ok",
                    }));
}

TEST_F(VirtualWorldTest, LinksReportRefusedConnectsAndNonIpv4AddressesAsErrors) {
  world->runFor(kSecond);
  StreamLink* stream = world->lanLinks().createStream(app.get());
  std::vector<QString> errors;
  bool connected = false;
  QObject::connect(stream, &StreamLink::errorOccurred, [&](const QString& e) { errors.push_back(e); });
  QObject::connect(stream, &StreamLink::connected, [&] { connected = true; });
  stream->connectTo(QHostAddress("10.0.0.99"), 12416);
  EXPECT_TRUE(errors.empty());  // reported later, as a socket does
  world->runFor(1);
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0],
            "TCP connect to 10.0.0.99:12416 refused (nobody listening, or the virtual LAN is down)");
  EXPECT_FALSE(connected);
  stream->write("x");
  EXPECT_EQ(errors.back(), "write on a TCP link that is not connected");

  DatagramLink* datagram = world->lanLinks().createDatagram(app.get());
  QString datagramError;
  QObject::connect(datagram, &DatagramLink::errorOccurred, [&](const QString& e) { datagramError = e; });
  EXPECT_FALSE(datagram->bind(QHostAddress("::1"), 0));
  EXPECT_EQ(datagramError, "cannot bind UDP ::1:0: the virtual LAN is IPv4 only");
  EXPECT_FALSE(datagram->sendTo("x", QHostAddress(), 12414));
  EXPECT_EQ(datagramError, "no IPv4 destination address/port for a UDP datagram (:12414)");
}

// ---- the cloud
// ---------------------------------------------------------------------------------------------

TEST_F(VirtualWorldTest, S8_7_AppControlThroughSimCloudReachesTheMcuPlugAndTheAnswerComesBackAsEvents) {
  onboardToHomeRouter();
  waitForCloud();
  std::optional<CloudResult> status;
  world->cloudControl().deviceStatus(world->did(), [&](const CloudResult& r) { status = r; });
  ASSERT_TRUE(waitFor(status));
  EXPECT_EQ(status->data.value("registered"), QVariant(true));
  EXPECT_EQ(status->data.value("online"), QVariant(true));

  std::vector<QVariantMap> appEvents;
  QObject::connect(&world->cloudControl(), &SimCloudControl::event,
                   [&](const QString& name, const QVariantMap& fields) {
                     if (name == "cloud.app") appEvents.push_back(fields);
                   });
  const AppP0Build p0 = buildControlP0(*world->product(), {{"LED_OnOff", true}});
  ASSERT_TRUE(p0.ok()) << p0.error.toStdString();
  const QByteArray packet = encodeLan(proto::LanCmd::P0ToDeviceSn, QByteArray::fromHex("0000002A") + p0.p0);
  std::optional<CloudResult> published;
  world->cloudControl().appPublish(world->did(), "phone01", packet,
                                   [&](const CloudResult& r) { published = r; });
  ASSERT_TRUE(clock().runUntil([&] { return appEvents.size() >= 2; }, clock().nowMs() + 10 * kSecond));
  ASSERT_TRUE(published->ok) << published->error.toStdString();
  EXPECT_EQ(mcu().dataPoint("LED_OnOff"), QVariant(true));

  const QVariantMap& answer = appEvents[0];  // the MCU's ACK, to that client under our sn (S7.4.5)
  EXPECT_EQ(answer.value("topic"), "dev2app/" + world->did() + "/phone01");
  EXPECT_EQ(answer.value("clientId"), "phone01");
  EXPECT_EQ(answer.value("cmd").toInt(), 0x0094);
  EXPECT_EQ(answer.value("sn").toUInt(), 42u);
  EXPECT_EQ(answer.value("p0").toString().toStdString(), "");
  const QVariantMap& report = appEvents[1];  // the MCU's report, to every app
  EXPECT_EQ(report.value("topic"), "dev2app/" + world->did());
  EXPECT_EQ(report.value("clientId"), "");
  EXPECT_EQ(report.value("cmd").toInt(), 0x0091);
  EXPECT_EQ(report.value("p0").toString().toStdString(),
            "04"
            "01"
            "00"
            "00"
            "00"
            "0000"
            "00"
            "00"
            "00"
            "00"
            "00");
}

TEST_F(VirtualWorldTest, S9_1_S9_6_FirmwarePublishedAndPushedThroughCloudControlIsInstalled) {
  onboardToHomeRouter();
  waitForCloud();
  std::vector<std::uint8_t> image(4096);
  image.resize(gagent::core::encodeFirmwareImage(image, "GAGENTSM", "04020001", "26120118",
                                                 std::vector<std::uint8_t>(2000, 0xA5)));
  ASSERT_FALSE(image.empty());
  std::optional<CloudResult> published;
  std::optional<CloudResult> pushed;
  world->cloudControl().publishFirmware(
      "GAGENTSM", "04020001", 2,
      QByteArray(reinterpret_cast<const char*>(image.data()), static_cast<qsizetype>(image.size())),
      [&](const CloudResult& r) { published = r; });
  ASSERT_TRUE(waitFor(published));
  ASSERT_TRUE(published->ok) << published->error.toStdString();
  EXPECT_EQ(published->data.value("name").toString().toStdString(), "GAGENTSM_04020001_2.bin");
  const int handshakes = mcu().handshakeCount();
  world->cloudControl().pushOta(world->did(), [&](const CloudResult& r) { pushed = r; });
  ASSERT_TRUE(
      clock().runUntil([&] { return mcu().handshakeCount() > handshakes; }, clock().nowMs() + kMinute));
  ASSERT_TRUE(pushed && pushed->ok);
  EXPECT_EQ(world->module().agent().config().fid, 2u);
  EXPECT_EQ(world->module().agent().identity().wifiSoftwareVersion.view(), "04020001");
}

TEST_F(VirtualWorldTest, CloudControlRefusesWhatTheInProcessCloudCannotDo) {
  std::vector<QString> errors;
  auto collect = [&](const CloudResult& r) { errors.push_back(r.ok ? QStringLiteral("ok") : r.error); };
  world->cloudControl().setHttpFault("nowhere", {{"kind", "close"}}, collect);
  world->cloudControl().setHttpFault("provision", {{"kind", "stall"}}, collect);
  world->cloudControl().setHttpFault("provision", {{"kind", "status"}, {"status", 700}}, collect);
  world->cloudControl().setHttpFault(
      "provision", {{"kind", "status"}, {"status", 400}, {"error_code", 9016}, {"count", 1}}, collect);
  world->cloudControl().setM2mFault({{"kind", "delay"}, {"ms", 100}}, collect);
  world->cloudControl().setM2mFault({{"kind", "connack"}}, collect);
  world->cloudControl().appPublish("nodid", "phone01", encodeLan(proto::LanCmd::P0ToDevice), collect);
  world->runFor(1);
  EXPECT_EQ(errors,
            (std::vector<QString>{
                "unknown endpoint \"nowhere\" (register, provision, unregister, ota_check, download or *)",
                "the in-process cloud cannot stall a request (use delay or close)",
                "\"status\" must be a number from 100 to 599",
                "ok",
                "the in-process broker cannot delay its relay",
                "connack needs \"code\" 1 to 5",
                "device nodid has no M2M session subscribed to app2dev",
            }));
}

TEST_F(VirtualWorldTest, S8_4_4_AProvisionFaultSetThroughCloudControlIsWhatTheModuleGets) {
  std::optional<CloudResult> set;
  world->cloudControl().setHttpFault(
      "provision", {{"kind", "status"}, {"status", 400}, {"error_code", 9016}, {"count", 1}},
      [&](const CloudResult& r) { set = r; });
  onboardToHomeRouter();
  ASSERT_TRUE(set && set->ok);
  waitForCloud();
  std::vector<std::uint16_t> provisionStatuses;
  for (const auto& r : world->cloud().httpRequests())
    if (r.endpoint == sim::CloudEndpoint::Provision) provisionStatuses.push_back(r.status);
  ASSERT_GE(provisionStatuses.size(), 2u);
  EXPECT_EQ(provisionStatuses[0], 400);
  EXPECT_EQ(provisionStatuses[1], 200);
}

// ---- hours of spec time
// ------------------------------------------------------------------------------------

TEST_F(VirtualWorldTest, S8_8_5_TwoHoursWithoutM2mRebootTheModuleSeenByTheMcuPlugAsASecondHandshake) {
  std::optional<CloudResult> refused;
  world->cloudControl().setM2mFault({{"kind", "refuse"}}, [&](const CloudResult& r) { refused = r; });
  onboardToHomeRouter();
  ASSERT_TRUE(refused && refused->ok);
  const int handshakes = mcu().handshakeCount();
  const std::size_t boots = world->moduleBoots();
  std::vector<RigMillis> handshakeTimes;
  QObject::connect(&mcu(), &McuPlug::event, [&](const QString& name, const QVariantMap& fields) {
    if (name == "mcu.handshake") handshakeTimes.push_back(fields.value("time").toLongLong());
  });
  const RigMillis lostAt = clock().nowMs();

  world->runUntil(lostAt + 2 * kHour - kMinute);
  EXPECT_EQ(mcu().handshakeCount(), handshakes) << "rebooted before two hours";
  ASSERT_TRUE(
      clock().runUntil([&] { return mcu().handshakeCount() > handshakes; }, lostAt + 2 * kHour + kMinute));
  EXPECT_EQ(mcu().handshakeCount(), handshakes + 1);
  EXPECT_EQ(world->moduleBoots(), boots + 1);
  ASSERT_EQ(handshakeTimes.size(), 1u);
  const auto& reboots = world->board().system().rebootTimes();
  ASSERT_FALSE(reboots.empty());
  EXPECT_GE(handshakeTimes[0], static_cast<RigMillis>(reboots.back()));
  EXPECT_GE(handshakeTimes[0], lostAt + 2 * kHour - kMinute);
}

}  // namespace
}  // namespace gizrig::core
