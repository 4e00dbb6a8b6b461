// The whole real-time lab (issue 4): a gagent-sim module with the rig as its MCU on the pty is onboarded over
// SoftAP through the virtual air, joins the router, registers at the stand-in cloud, logs in through the M2M
// gate to mosquitto with its three subscriptions, and answers a phone app over the cloud (Paho).
#include "gagent/proto/lan_commands.h"
#include "gagent/proto/lan_packet.h"
#include "gizrig/cloud/app_client.h"
#include "lab_fixture.h"

namespace gizrig::test {
namespace {

class LabEndToEnd : public LabModuleTest {};

TEST_F(LabEndToEnd, S6_2_5_S8_2_S8_5_S8_6_S8_7_OnboardedModuleRegistersLogsInAndAnswersTheCloudApp) {
  onboardAndWaitForCloud();
  EXPECT_TRUE(status() & kRouterBit);
  EXPECT_GE(mcu_->handshakeCount(), 2);  // the configuration reboot handshook again
  const QList<cloud::RegisteredDevice> devices = service_->registry().devices();
  ASSERT_EQ(devices.size(), 1);
  EXPECT_EQ(devices[0].mac, module_.mac.toUpper());
  EXPECT_TRUE(verdicts_.contains(cloud::GateVerdict::Relayed));

  // The phone app over the cloud reads the device (S8.7): app2dev -> MCU -> dev2app/<did>.
  cloud::AppClient phone("127.0.0.1", service_->state().mosquittoPort, service_->state().appUser,
                         service_->state().appPassword, "rt-phone");
  bool connected = false;
  QObject::connect(&phone, &cloud::AppClient::connected, [&] { connected = true; });
  QList<QPair<QString, QByteArray>> received;
  QObject::connect(&phone, &cloud::AppClient::received, [&](const QString& topic, const QByteArray& payload) {
    received.append({topic, payload});
  });
  phone.connectToBroker();
  ASSERT_TRUE(spinUntil([&] { return connected; }, 15000));
  QByteArray packet(64, '\0');
  const std::uint8_t read[] = {0x02};
  packet.resize(static_cast<qsizetype>(gagent::proto::encodeLanPacket(
      gagent::proto::toU16(gagent::proto::LanCmd::P0ToDevice), read,
      {reinterpret_cast<std::uint8_t*>(packet.data()), static_cast<std::size_t>(packet.size())})));
  ASSERT_TRUE(phone.publishToDevice(devices[0].did, "rt-phone", packet));
  const QString answerTopic = "dev2app/" + devices[0].did;
  ASSERT_TRUE(spinUntil(
      [&] {
        for (const auto& [topic, payload] : received) {
          const auto decoded =
              gagent::proto::parseLanDatagram({reinterpret_cast<const std::uint8_t*>(payload.constData()),
                                               static_cast<std::size_t>(payload.size())});
          if (topic.startsWith(answerTopic) && decoded.ok() && !decoded.packet.payload.empty() &&
              decoded.packet.payload[0] == 0x03) {
            return true;  // the read reply: 03 + the GoKit state
          }
        }
        return false;
      },
      15000))
      << [&] {
           std::string all;
           for (const auto& [topic, payload] : received)
             all += topic.toStdString() + " " + payload.toHex().toStdString() + "\n";
           return all;
         }();
}

}  // namespace
}  // namespace gizrig::test
