// M2mGate in front of a real mosquitto: the module's login (S8.5), its subscriptions (S8.6), the CONNACK
// codes it must see (S8.9) and the faults the lab injects.
#include <QElapsedTimer>

#include "cloud_lab_fixture.h"
#include "gizrig/cloud/app_client.h"
#include "gizrig/cloud/gate_wire_tap.h"

namespace gizrig::cloud::test {
namespace {

using gagent::proto::ConnackCode;
using gagent::proto::MqttPacketType;

// The exact §3.7 login bytes: 10 48 00 06 'MQIsdp' 03 C2 00 78 00 16 <did> 00 16 <did> 00 0A <passcode>.
ByteVector firmwareConnect(const std::string& did, const std::string& passcode) {
  ByteVector bytes = {0x10, 0x48, 0x00, 0x06, 'M',  'Q',  'I',  's',
                      'd',  'p',  0x03, 0xC2, 0x00, 0x78, 0x00, 0x16};
  bytes.insert(bytes.end(), did.begin(), did.end());
  bytes.insert(bytes.end(), {0x00, 0x16});
  bytes.insert(bytes.end(), did.begin(), did.end());
  bytes.insert(bytes.end(), {0x00, 0x0A});
  bytes.insert(bytes.end(), passcode.begin(), passcode.end());
  return bytes;
}

using M2mGateTest = CloudLabTest;

TEST_F(M2mGateTest, S8_5_S8_6_DeviceLogsInThroughTheGateAndSubscribesItsThreeTopics) {
  registerDevice(kDid);
  RawMqttClient device;
  ASSERT_TRUE(device.connectTo(gate->port()));
  device.sendRaw(firmwareConnect(kDid, kPasscode));
  const auto connack = device.next();
  ASSERT_TRUE(connack);
  EXPECT_EQ(connack->type, MqttPacketType::Connack);
  EXPECT_EQ(connack->body, (ByteVector{0x00, 0x00}));  // mosquitto's CONNACK, relayed unchanged

  // One SUBSCRIBE per topic, each SUBACK granting QoS 0 (S8.6).
  EXPECT_EQ(device.subscribe(1, "ser2cli_noti/" + kProductKey), 0);
  EXPECT_EQ(device.subscribe(2, "ser2cli_res/" + kDid), 0);
  EXPECT_EQ(device.subscribe(3, "app2dev/" + kDid + "/#"), 0);

  // PINGREQ is answered through the relay (S8.8.1).
  device.sendPingreq();
  const auto pong = device.next();
  ASSERT_TRUE(pong);
  EXPECT_EQ(pong->type, MqttPacketType::Pingresp);

  ASSERT_TRUE(waitLogins(1));
  EXPECT_EQ(logins[0].did.toStdString(), kDid);
  EXPECT_EQ(logins[0].verdict, GateVerdict::Relayed);
  EXPECT_EQ(logins[0].code, 0);
  EXPECT_EQ(gate->connectionCount(), 1);
}

TEST_F(M2mGateTest, S8_6_ForeignTopicsAreDeniedToTheDevice) {
  registerDevice(kDid);
  registerDevice(kOtherDid);
  RawMqttClient device;
  loginAndSubscribe(device, kDid);
  // mosquitto answers a refused MQTT 3.1 subscription with the requested QoS (3.1 has no failure code) but
  // does not subscribe: proven below by what is delivered.
  EXPECT_NE(device.subscribe(4, "app2dev/" + kOtherDid + "/#"), -1);

  AppClient app(broker->host(), broker->port(), broker->appUsername(), broker->appPassword());
  bool connected = false;
  QObject::connect(&app, &AppClient::connected, [&] { connected = true; });
  int subscribed = 0;
  QObject::connect(&app, &AppClient::subscribed, [&](const QString&, bool ok) { subscribed += ok ? 1 : 0; });
  app.connectToBroker();
  ASSERT_TRUE(waitFor([&] { return connected; }));
  // The foreign publish goes first; when the device's own one arrives, the foreign one would have too.
  ASSERT_TRUE(
      app.publishToDevice(QString::fromStdString(kOtherDid), "phone1", QByteArray("\x00\x00\x00\x03", 4)));
  ASSERT_TRUE(
      app.publishToDevice(QString::fromStdString(kDid), "phone1", QByteArray("\x00\x00\x00\x03\x01", 5)));
  const auto first = device.nextOf(MqttPacketType::Publish);
  ASSERT_TRUE(first);
  const auto publish = asPublish(*first);
  ASSERT_TRUE(publish);
  EXPECT_EQ(publish->topic, "app2dev/" + kDid + "/phone1");
  EXPECT_EQ(publish->payload, (ByteVector{0x00, 0x00, 0x00, 0x03, 0x01}));

  // The device may not publish as another device either: the app watching kOtherDid gets only what
  // kOtherDid itself sends.
  std::vector<std::string> appTopics;
  QObject::connect(&app, &AppClient::received, [&](const QString& topic, const QByteArray&) {
    appTopics.push_back(topic.toStdString());
  });
  // publishToDevice() watched both DIDs for phone1: dev2app/<did> and dev2app/<did>/phone1 each.
  ASSERT_TRUE(waitFor([&] { return subscribed == 4; }));
  RawMqttClient other;
  loginAndSubscribe(other, kOtherDid);
  device.sendPublish("dev2app/" + kOtherDid, {0x00, 0x00, 0x00, 0x03, 0x03, 0x00, 0x00, 0x91});
  device.sendPingreq();  // once answered, mosquitto has handled the PUBLISH before it
  ASSERT_TRUE(device.nextOf(MqttPacketType::Pingresp));
  other.sendPublish("dev2app/" + kOtherDid, {0x00, 0x00, 0x00, 0x03, 0x03, 0x00, 0x00, 0x91});
  ASSERT_TRUE(waitFor([&] { return !appTopics.empty(); }));
  spin(200);
  ASSERT_EQ(appTopics.size(), 1u);
  EXPECT_EQ(appTopics[0], "dev2app/" + kOtherDid);
}

TEST_F(M2mGateTest, S8_9_WrongPasscodeIs04) {
  registerDevice(kDid);
  RawMqttClient device;
  ASSERT_TRUE(device.connectTo(gate->port()));
  device.sendRaw(firmwareConnect(kDid, "WRONGPASS1"));
  const auto connack = device.next();
  ASSERT_TRUE(connack);
  EXPECT_EQ(connack->type, MqttPacketType::Connack);
  EXPECT_EQ(connack->body, (ByteVector{0x00, 0x04}));  // 20 02 00 04, where mosquitto would say 05
  EXPECT_TRUE(device.waitClosed());
  ASSERT_TRUE(waitLogins(1));
  EXPECT_EQ(logins[0].verdict, GateVerdict::BadCredentials);
  EXPECT_EQ(logins[0].code, 4);
}

TEST_F(M2mGateTest, S8_9_UnknownDidOrUserNameOtherThanClientIdIs04) {
  registerDevice(kDid);
  RawMqttClient unknown;
  EXPECT_EQ(unknown.login(gate->port(), kOtherDid, kPasscode), 4);

  RawMqttClient mismatched;
  ASSERT_TRUE(mismatched.connectTo(gate->port()));
  std::array<std::uint8_t, 256> out{};
  const std::size_t size =
      gagent::proto::encodeMqttConnect(out, kDid, std::string_view("someoneElse"), kPasscode, 120, true);
  mismatched.sendRaw(ByteVector(out.begin(), out.begin() + static_cast<std::ptrdiff_t>(size)));
  EXPECT_EQ(mismatched.connack(), 4);
}

TEST_F(M2mGateTest, S8_9_ClientIdLongerThan23Is02) {
  const std::string longDid(24, 'D');
  registry.insert(QString::fromStdString(longDid), QString::fromStdString(kPasscode));
  RawMqttClient device;
  EXPECT_EQ(device.login(gate->port(), longDid, kPasscode), 2);
  ASSERT_TRUE(waitLogins(1));
  EXPECT_EQ(logins[0].verdict, GateVerdict::IdentifierRejected);
}

TEST_F(M2mGateTest, S8_9_ForcedCodesReachTheDeviceThenLoginsAreJudgedAgain) {
  registerDevice(kDid);
  for (const ConnackCode code : {ConnackCode::UnacceptableProtocol, ConnackCode::IdentifierRejected,
                                 ConnackCode::ServerUnavailable, ConnackCode::NotAuthorized}) {
    SCOPED_TRACE(static_cast<int>(code));
    gate->forceConnack(code, 1);
    RawMqttClient forced;
    EXPECT_EQ(forced.login(gate->port(), kDid, kPasscode), static_cast<int>(code));
    EXPECT_TRUE(forced.waitClosed());
    EXPECT_EQ(gate->forcedConnacksLeft(), 0);
  }
  ASSERT_TRUE(waitLogins(4));
  for (const Login& login : logins) EXPECT_EQ(login.verdict, GateVerdict::Forced);

  // Two in a row, then back to normal.
  gate->forceConnack(ConnackCode::ServerUnavailable, 2);
  RawMqttClient a, b, c;
  EXPECT_EQ(a.login(gate->port(), kDid, kPasscode), 3);
  EXPECT_EQ(b.login(gate->port(), kDid, kPasscode), 3);
  EXPECT_EQ(c.login(gate->port(), kDid, kPasscode), 0);
}

TEST_F(M2mGateTest, RemoveDeviceKicksItAndRefusesItsNextLogin) {
  registerDevice(kDid);
  RawMqttClient device;
  loginAndSubscribe(device, kDid);
  QString closedDid;
  QObject::connect(gate.get(), &M2mGate::connectionClosed, [&](const QString& did) { closedDid = did; });

  ASSERT_TRUE(broker->removeDevice(QString::fromStdString(kDid))) << broker->lastError().toStdString();
  EXPECT_TRUE(device.waitClosed());
  EXPECT_TRUE(waitFor([&] { return !closedDid.isEmpty(); }));
  EXPECT_EQ(closedDid.toStdString(), kDid);

  // Even while the registry still knows it, mosquitto has no account any more: its refusal is relayed.
  RawMqttClient again;
  EXPECT_EQ(again.login(gate->port(), kDid, kPasscode), 5);
  // Once the registry forgets it too, the gate answers as Gizwits does (S8.9 0x04: re-register).
  registry.remove(QString::fromStdString(kDid));
  RawMqttClient third;
  EXPECT_EQ(third.login(gate->port(), kDid, kPasscode), 4);
}

TEST_F(M2mGateTest, MalformedFirstPacketsCloseTheConnectionAndTheGateCarriesOn) {
  registerDevice(kDid);
  const std::vector<ByteVector> garbage = {
      {0x00, 0x00},                                   // reserved packet type
      {0x30, 0x02, 0x00, 0x00},                       // a PUBLISH before any CONNECT
      {0x10, 0xFF, 0xFF, 0xFF, 0xFF, 0x7F},           // remaining length needs a fifth byte
      {0x10, 0x04, 0x00, 0x06, 'M', 'Q'},             // CONNECT body cut short inside its fields
      {'G', 'E', 'T', ' ', '/', ' ', 'H', 'T', 'T'},  // not MQTT at all
  };
  for (const ByteVector& bytes : garbage) {
    RawMqttClient client;
    ASSERT_TRUE(client.connectTo(gate->port()));
    client.sendRaw(bytes);
    EXPECT_TRUE(client.waitClosed());
    EXPECT_FALSE(client.hasPacket());
  }
  // An unknown protocol name is answered with 0x01, as a broker does.
  RawMqttClient wrongProtocol;
  ASSERT_TRUE(wrongProtocol.connectTo(gate->port()));
  ByteVector connect = firmwareConnect(kDid, kPasscode);
  connect[4] = 'X';  // "XQIsdp"
  wrongProtocol.sendRaw(connect);
  EXPECT_EQ(wrongProtocol.connack(), 1);

  RawMqttClient device;
  EXPECT_EQ(device.login(gate->port(), kDid, kPasscode), 0);
}

TEST_F(M2mGateTest, Security_AHugeAnnouncedConnectIsRefusedNotBuffered) {
  registerDevice(kDid);
  // A CONNECT announcing 200 000 bytes, then 8 KiB of them: the gate closes instead of collecting the rest
  // (without the cap it waited for all of it, up to MQTT's 256 MB, for its 30 s login deadline).
  ByteVector bytes = {0x10, 0xC0, 0x9A, 0x0C};  // remaining length 200000
  bytes.resize(bytes.size() + 8192, 'x');
  RawMqttClient client;
  ASSERT_TRUE(client.connectTo(gate->port()));
  client.sendRaw(bytes);
  EXPECT_TRUE(client.waitClosed(10'000));
  EXPECT_FALSE(client.hasPacket());
  RawMqttClient device;
  EXPECT_EQ(device.login(gate->port(), kDid, kPasscode), 0);
}

TEST_F(M2mGateTest, StallHoldsTrafficWithoutClosingAndReleasesItAfterwards) {
  registerDevice(kDid);
  RawMqttClient device;
  loginAndSubscribe(device, kDid);

  // Broker -> device stalled: the PINGREQ gets through, its PINGRESP waits.
  gate->setStall(GateStall::ToDevice);
  device.sendPingreq();
  spin(300);
  EXPECT_FALSE(device.hasPacket());
  EXPECT_FALSE(device.closed());
  gate->setStall(GateStall::None);
  auto pong = device.next();
  ASSERT_TRUE(pong);
  EXPECT_EQ(pong->type, MqttPacketType::Pingresp);

  // Both directions stalled: nothing either way, connection still open (what S8.8.2 must detect).
  gate->setStall(GateStall::Both);
  device.sendPingreq();
  spin(300);
  EXPECT_FALSE(device.hasPacket());
  EXPECT_FALSE(device.closed());
  EXPECT_EQ(gate->connectionCount(), 1);
  gate->setStall(GateStall::None);
  pong = device.next();
  ASSERT_TRUE(pong);
  EXPECT_EQ(pong->type, MqttPacketType::Pingresp);
}

TEST_F(M2mGateTest, DelayedTrafficArrivesIntactNoSoonerThanTheDelay) {
  registerDevice(kDid);
  gate->setDelay(150);
  RawMqttClient device;
  QElapsedTimer clock;
  clock.start();
  loginAndSubscribe(device, kDid);  // four round trips, each delayed twice
  EXPECT_GE(clock.elapsed(), 4 * 2 * 150);
  clock.restart();
  device.sendPingreq();
  const auto pong = device.next();
  ASSERT_TRUE(pong);
  EXPECT_EQ(pong->type, MqttPacketType::Pingresp);
  EXPECT_GE(clock.elapsed(), 2 * 150);
}

TEST_F(M2mGateTest, DropAllClosesEveryConnection) {
  registerDevice(kDid);
  registerDevice(kOtherDid);
  RawMqttClient first, second;
  loginAndSubscribe(first, kDid);
  loginAndSubscribe(second, kOtherDid);
  ASSERT_EQ(gate->connectionCount(), 2);
  std::vector<QString> closed;
  QObject::connect(gate.get(), &M2mGate::connectionClosed,
                   [&](const QString& did) { closed.push_back(did); });

  gate->dropAll();
  EXPECT_TRUE(first.waitClosed());
  EXPECT_TRUE(second.waitClosed());
  EXPECT_EQ(closed.size(), 2u);
  EXPECT_TRUE(waitFor([&] { return gate->connectionCount() == 0; }));

  // The gate itself is fine: the device logs in again.
  RawMqttClient again;
  EXPECT_EQ(again.login(gate->port(), kDid, kPasscode), 0);
}

TEST_F(M2mGateTest, RefusingStopsListeningUntilResumed) {
  registerDevice(kDid);
  ASSERT_TRUE(gate->setRefusing(true));
  RawMqttClient refused;
  EXPECT_FALSE(refused.connectTo(gate->port()));
  ASSERT_TRUE(gate->setRefusing(false));
  RawMqttClient device;
  EXPECT_EQ(device.login(gate->port(), kDid, kPasscode), 0);
}

TEST_F(M2mGateTest, S8_9_BrokerDownIsAnsweredWith03) {
  registerDevice(kDid);
  broker->stop();
  RawMqttClient device;
  EXPECT_EQ(device.login(gate->port(), kDid, kPasscode), 3);
  ASSERT_TRUE(waitLogins(1));
  EXPECT_EQ(logins[0].verdict, GateVerdict::BrokerUnavailable);
}

TEST_F(M2mGateTest, S8_9_SameDidLoggingInAgainReplacesTheOldSession) {
  registerDevice(kDid);
  RawMqttClient old;
  loginAndSubscribe(old, kDid);
  RawMqttClient fresh;
  loginAndSubscribe(fresh, kDid);
  EXPECT_TRUE(old.waitClosed());
  EXPECT_FALSE(fresh.closed());
}

}  // namespace
}  // namespace gizrig::cloud::test

namespace gizrig::cloud::test {
namespace {

// Issue 6: the engineer's MQTT traffic view in real time reads the gate through a GateWireTap.
TEST_F(M2mGateTest, S8_5_S8_9_TheGateWireTapNamesEveryPacketOfARelayedAndARefusedLogin) {
  registerDevice(kDid);
  core::RealClock clock;
  GateWireTap tap(*gate, clock);
  std::vector<core::WirePacket> packets;
  QObject::connect(&tap, &GateWireTap::packet, [&](const core::WirePacket& p) { packets.push_back(p); });
  const auto names = [&] {
    std::vector<std::string> out;
    for (const core::WirePacket& p : packets) out.push_back((p.fromModule ? "> " : "< ") + p.item.name);
    return out;
  };

  RawMqttClient device;
  loginAndSubscribe(device, kDid);
  ASSERT_TRUE(waitFor([&] { return packets.size() >= 8; }));
  EXPECT_EQ(names(), (std::vector<std::string>{"> CONNECT", "< CONNACK", "> SUBSCRIBE", "< SUBACK",
                                               "> SUBSCRIBE", "< SUBACK", "> SUBSCRIBE", "< SUBACK"}));
  for (const core::WirePacket& p : packets) {
    EXPECT_EQ(p.kind, core::WireKind::Mqtt);
    EXPECT_TRUE(p.item.ok) << p.item.error;
    EXPECT_EQ(p.peer, "127.0.0.1:" + std::to_string(gate->port()));
  }
  EXPECT_EQ(packets[0].item.fields[1], (std::pair<std::string, std::string>{"client", kDid}));

  // A refused login: the gate's own CONNACK 0x04 is on the wire too.
  packets.clear();
  RawMqttClient intruder;
  ASSERT_TRUE(intruder.connectTo(gate->port()));
  intruder.sendRaw(firmwareConnect(kDid, "WRONGPASS1"));
  ASSERT_TRUE(intruder.waitClosed());
  ASSERT_TRUE(waitFor([&] { return packets.size() >= 2; }));
  EXPECT_EQ(names(), (std::vector<std::string>{"> CONNECT", "< CONNACK"}));
  EXPECT_EQ(packets[1].bytes, (std::vector<std::uint8_t>{0x20, 0x02, 0x00, 0x04}));

  // Narrowed to another module's address, nothing of this one is shown.
  packets.clear();
  tap.setOnlyDevice(QStringLiteral("127.0.0.254"));
  device.sendPingreq();
  ASSERT_TRUE(device.nextOf(MqttPacketType::Pingresp));
  spin(100);
  EXPECT_TRUE(packets.empty());
}

}  // namespace
}  // namespace gizrig::cloud::test
