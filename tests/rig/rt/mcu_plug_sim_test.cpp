// McuPlug as the MCU of a real gagent-sim over its pty, in real time: the module's handshake (0x01) is
// answered, its status pushes arrive and decode, and a request of the MCU is acknowledged. Skipped (with the
// reason) when no gagent-sim was built next to this test binary (build/bin/gagent-sim) and GAGENT_SIM_BINARY
// does not name one.
#include <gtest/gtest.h>

#include <QDir>
#include <QFileInfo>
#include <QHostAddress>
#include <QProcess>
#include <QTemporaryDir>
#include <memory>

#include "gizrig/links/qserialport_link.h"
#include "gizrig/plugs/mcu_plug.h"
#include "module_address_lease.h"
#include "rt_support.h"

namespace gizrig::core {
namespace {

using gizrig::test::app;
using gizrig::test::spinUntil;

QString simBinary() {
  const QString fromEnv = qEnvironmentVariable("GAGENT_SIM_BINARY");
  if (!fromEnv.isEmpty()) return fromEnv;
  return QCoreApplication::applicationDirPath() + QStringLiteral("/gagent-sim");
}

// The gagent-sim child: always terminated and reaped, also when an assertion fails.
class SimGuard {
 public:
  ~SimGuard() {
    if (process.state() == QProcess::NotRunning) return;
    process.terminate();
    if (!process.waitForFinished(5000)) {
      process.kill();
      process.waitForFinished(5000);
    }
  }
  QProcess process;
};

TEST(McuPlugWithGagentSim, S3_HandshakeAndStatusPushArriveOverThePty) {
  app();
  const QString binary = simBinary();
  if (!QFileInfo(binary).isExecutable())
    GTEST_SKIP() << "no gagent-sim at " << binary.toStdString() << " (build the gagent-sim target)";
  QTemporaryDir dir;
  ASSERT_TRUE(dir.isValid());
  const auto lease = gagent::test::ModuleAddressLease::take();
  ASSERT_TRUE(lease) << "no free module address in 127.0.100-249.x";
  const QHostAddress moduleIp(lease->address());
  const quint16 webPort = gagent::test::freeTcpPortOn(lease->address());
  ASSERT_NE(webPort, 0);
  const QString pty = dir.filePath("uart.pty");

  SimGuard sim;
  sim.process.setProcessChannelMode(QProcess::SeparateChannels);
  sim.process.setStandardErrorFile(dir.filePath("sim.log"));
  sim.process.start(
      binary, {"--uart", "pty:" + pty, "--ip", moduleIp.toString(), "--flash", dir.filePath("module.flash"),
               "--web-port", QString::number(webPort), "--seed", "7", "--api", "127.0.0.1:9"});
  ASSERT_TRUE(sim.process.waitForStarted(10000)) << sim.process.errorString().toStdString();
  // gagent-sim prints one "gagent-sim ready uart=..." line once its pty exists.
  QByteArray ready;
  ASSERT_TRUE(spinUntil([&] {
    if (sim.process.canReadLine()) ready = sim.process.readLine();
    return !ready.isEmpty() || sim.process.state() == QProcess::NotRunning;
  }));
  ASSERT_TRUE(ready.startsWith("gagent-sim ready uart=")) << "ready line: '" << ready.toStdString() << "'";

  RealClock clock;
  QSerialPortLink link(pty);
  QString error;
  auto product = McuPlug::loadProductFile(GAGENT_FIXTURES_DIR "/products/gokit-demo.json", error);
  ASSERT_TRUE(product) << error.toStdString();
  McuPlug plug(&link, &clock, std::move(*product));
  QStringList linkErrors;
  QObject::connect(&link, &SerialLink::errorOccurred, [&](const QString& e) { linkErrors << e; });
  QList<QPair<QString, QVariantMap>> events;
  QObject::connect(&plug, &McuPlug::event, [&](const QString& name, const QVariantMap& fields) {
    events.append({name, fields});
  });
  const auto count = [&](const QString& name) {
    return std::count_if(events.begin(), events.end(), [&](const auto& e) { return e.first == name; });
  };
  ASSERT_TRUE(plug.open()) << linkErrors.join("; ").toStdString();

  // The module asks for device info until it gets it, then pushes its status (protocol §1.6).
  EXPECT_TRUE(spinUntil([&] { return count("mcu.handshake") >= 1 && count("mcu.status") >= 1; }))
      << "handshakes " << count("mcu.handshake") << ", status pushes " << count("mcu.status");
  ASSERT_TRUE(plug.statusWord());
  // S6.2.2: an unconfigured module is in SoftAP onboarding and bindable (bind timeout 0), not on a router.
  const QVariantMap status = [&] {
    for (const auto& e : events)
      if (e.first == "mcu.status") return e.second;
    return QVariantMap();
  }();
  EXPECT_TRUE(status.value("softap").toBool());
  EXPECT_TRUE(status.value("bindable").toBool());
  EXPECT_FALSE(status.value("router").toBool());
  EXPECT_FALSE(status.value("cloud").toBool());

  // One request of the MCU: the module answers 0x22 with its own identity.
  plug.requestModuleInfo();
  EXPECT_TRUE(spinUntil([&] { return plug.moduleInfo().has_value() || count("mcu.timeout") > 0; }));
  ASSERT_TRUE(plug.moduleInfo()) << "0x21 timed out";
  EXPECT_EQ(plug.moduleInfo()->protocolVer, "00000004");  // the MCU's own protocol_ver, echoed (§1.8)
  EXPECT_EQ(plug.moduleInfo()->mac.size(), 12);

  // Every frame is in the capture, and none of them was malformed.
  EXPECT_GE(plug.capture().size(), 4u);
  // Bytes the module wrote before the rig opened the pty may arrive cut (as a real MCU that boots late sees
  // them); from the first whole frame on, none may be malformed.
  bool synced = false;
  for (const FrameLogEntry& entry : plug.capture().entries()) {
    synced = synced || entry.ok;
    if (synced) {
      EXPECT_TRUE(entry.ok) << entry.name.toStdString() << " " << entry.error.toStdString();
    }
  }
  EXPECT_TRUE(linkErrors.isEmpty()) << linkErrors.join("; ").toStdString();
  if (HasFailure()) {
    QFile log(dir.filePath("sim.log"));
    if (log.open(QIODevice::ReadOnly))
      std::cerr << "---- gagent-sim log ----\n" << log.readAll().toStdString();
  }
}

}  // namespace
}  // namespace gizrig::core
