// The whole real-time lab (issue 4): a gagent-sim module with the rig as its MCU on the pty is onboarded over
// SoftAP through the virtual air, joins the router, registers at the stand-in cloud, logs in through the M2M
// gate to mosquitto with its three subscriptions, and answers a phone app over the cloud (Paho).
#include <gtest/gtest.h>
#include <unistd.h>

#include <QDir>
#include <QTemporaryDir>

#include "gagent/air/air_client.h"
#include "gagent/proto/lan_commands.h"
#include "gagent/proto/lan_packet.h"
#include "gizrig/cloud/app_client.h"
#include "gizrig/cloud/device_registry.h"
#include "gizrig/cloud/m2m_gate.h"
#include "gizrig/core/app_plug.h"
#include "gizrig/core/mcu_plug.h"
#include "gizrig/core/qserialport_link.h"
#include "gizrig/core/qt_lan_links.h"
#include "gizrig/core/rig_clock.h"
#include "gizrig/lab/lab_service.h"
#include "rt_support.h"

namespace gizrig {
namespace {

using namespace std::chrono_literals;

constexpr quint16 kCloudBit = 1u << 5;
constexpr quint16 kRouterBit = 1u << 4;

// The air's reply tokens after "OK".
QStringList replyTokens(const std::optional<std::string>& reply) {
  if (!reply) return {};
  return QString::fromStdString(*reply).split(' ', Qt::SkipEmptyParts).mid(1);
}

TEST(LabEndToEnd, S6_2_5_S8_2_S8_5_S8_6_S8_7_OnboardedModuleRegistersLogsInAndAnswersTheCloudApp) {
  test::app();
  QTemporaryDir dir;
  ASSERT_TRUE(dir.isValid());
  lab::LabOptions options;
  options.runDir = dir.path();
  options.modules = 1;
  options.firstAddress = 100 + static_cast<int>(::getpid() % 100);  // beside other labs running in parallel
  options.freshModules = true;
  lab::LabService service(options);
  QString error;
  ASSERT_TRUE(service.start(&error)) << error.toStdString();
  const lab::ModuleEntry module = service.state().modules.at(0);

  // The rig is the module's MCU (GoKit).
  core::RealClock clock;
  QString productError;
  const auto product =
      core::McuPlug::loadProductFile(GAGENT_FIXTURES_DIR "/products/gokit-demo.json", productError);
  ASSERT_TRUE(product) << productError.toStdString();
  core::QSerialPortLink link(module.pty);
  core::McuPlug mcu(&link, &clock, *product);
  ASSERT_TRUE(mcu.open());
  ASSERT_TRUE(test::spinUntil([&] { return mcu.statusWord().has_value(); }, 15000)) << "no handshake/status";

  // The phone joins the module's SoftAP in the air and sends the router's credentials (0001 -> 0002).
  gagent::air::AirClient air;
  ASSERT_TRUE(air.connect("127.0.0.1", service.state().airPort, 2000ms));
  const QStringList modules = replyTokens(air.request("MODULES", 2000ms));
  ASSERT_GE(modules.size(), 6) << "no module in the air";
  const QString softAp = modules.at(4);
  ASSERT_TRUE(softAp.startsWith("XPG-GAgent-")) << softAp.toStdString();
  const QStringList joined =
      replyTokens(air.request("SOFTAP-JOIN " + softAp.toStdString() + " 123456789", 2000ms));
  ASSERT_EQ(joined.size(), 1);
  EXPECT_EQ(joined[0], module.ip);

  core::QtLanLinkFactory links;
  core::AppPlug app(clock, links);
  std::optional<core::AppReply> onboarded;
  app.softApOnboard(QHostAddress(module.ip), "HomeNet", "password1", {},
                    [&](const core::AppReply& reply) { onboarded = reply; });
  ASSERT_TRUE(test::spinUntil([&] { return onboarded.has_value(); }, 15000));
  ASSERT_EQ(onboarded->outcome, core::AppOutcome::Ok) << onboarded->error.toStdString();

  // Reboot, join, register, provision, login through the gate, three SUBACKs: the cloud bit (S8.6).
  QList<cloud::GateVerdict> verdicts;
  QObject::connect(&service.gate(), &cloud::M2mGate::loginHandled,
                   [&](const QString&, cloud::GateVerdict verdict, int) { verdicts << verdict; });
  ASSERT_TRUE(test::spinUntil([&] { return mcu.statusWord().value_or(0) & kCloudBit; }, 45000))
      << "status 0x" << std::hex << mcu.statusWord().value_or(0);
  EXPECT_TRUE(*mcu.statusWord() & kRouterBit);
  EXPECT_GE(mcu.handshakeCount(), 2);  // the configuration reboot handshook again
  const QList<cloud::RegisteredDevice> devices = service.registry().devices();
  ASSERT_EQ(devices.size(), 1);
  EXPECT_EQ(devices[0].mac, module.mac.toUpper());
  EXPECT_TRUE(verdicts.contains(cloud::GateVerdict::Relayed));

  // The phone app over the cloud reads the device (S8.7): app2dev -> MCU -> dev2app/<did>/<client>.
  cloud::AppClient phone("127.0.0.1", service.state().mosquittoPort, service.state().appUser,
                         service.state().appPassword, "rt-phone");
  bool connected = false;
  QObject::connect(&phone, &cloud::AppClient::connected, [&] { connected = true; });
  QList<QPair<QString, QByteArray>> received;
  QObject::connect(&phone, &cloud::AppClient::received, [&](const QString& topic, const QByteArray& payload) {
    received.append({topic, payload});
  });
  phone.connectToBroker();
  ASSERT_TRUE(test::spinUntil([&] { return connected; }, 15000));
  QByteArray packet(64, '\0');
  const std::uint8_t read[] = {0x02};
  packet.resize(static_cast<qsizetype>(gagent::proto::encodeLanPacket(
      gagent::proto::toU16(gagent::proto::LanCmd::P0ToDevice), read,
      {reinterpret_cast<std::uint8_t*>(packet.data()), static_cast<std::size_t>(packet.size())})));
  ASSERT_TRUE(phone.publishToDevice(devices[0].did, "rt-phone", packet));
  const QString answerTopic = "dev2app/" + devices[0].did;
  ASSERT_TRUE(test::spinUntil(
      [&] {
        for (const auto& [topic, payload] : received) {
          if (topic.startsWith(answerTopic) && payload.size() > 8) return true;
        }
        return false;
      },
      15000));
  service.stop();
}

}  // namespace
}  // namespace gizrig
