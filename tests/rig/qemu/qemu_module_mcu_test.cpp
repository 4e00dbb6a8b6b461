// The firmware on its module-class MCU (Cortex-M3, bare metal, QEMU netduino2), driven by the rig's McuPlug
// over its USART exactly as a module on a USB-serial adapter: handshake, status, module info, heartbeat,
// reset, restart, production-mode entry with no test router in range, and 0x11 on a corrupt frame. The
// emulated board has no WiFi chip: the module lives as it would with no router in range.
#include <QVariantMap>
#include <memory>

#include "gagent/proto/mcu_frame.h"
#include "gizrig/clock/rig_clock.h"
#include "gizrig/links/qserialport_link.h"
#include "gizrig/plugs/mcu_plug.h"
#include "qemu_module.h"

namespace gizrig::core {
namespace {

using gizrig::test::app;
using gizrig::test::QemuModule;
using gizrig::test::spinUntil;

class QemuModuleMcu : public ::testing::Test {
 protected:
  void SetUp() override {
    app();
    GAGENT_REQUIRE_QEMU_MODULE();
    ASSERT_TRUE(dir_.isValid());
    module_ = std::make_unique<QemuModule>(dir_);
    const QString error = module_->start();
    ASSERT_TRUE(error.isEmpty()) << error.toStdString();
    link_ = std::make_unique<QSerialPortLink>(module_->uart());
    QString productError;
    auto product = McuPlug::loadProductFile(GAGENT_FIXTURES_DIR "/products/gokit-demo.json", productError);
    ASSERT_TRUE(product) << productError.toStdString();
    plug_ = std::make_unique<McuPlug>(link_.get(), &clock_, std::move(*product));
    QObject::connect(plug_.get(), &McuPlug::event, [this](const QString& name, const QVariantMap& fields) {
      events_.append({name, fields});
    });
    QObject::connect(plug_.get(), &McuPlug::commandAcked,
                     [this](quint8 cmd, quint8, const QVariantMap&) { acked_.append(cmd); });
    QObject::connect(plug_.get(), &McuPlug::illegalReceived,
                     [this](int code, quint8) { illegal_.append(code); });
    ASSERT_TRUE(plug_->open());
  }

  void TearDown() override {
    if (module_) module_->dumpLogOnFailure();
    plug_.reset();
    link_.reset();
    module_.reset();
  }

  [[nodiscard]] int count(const QString& name) const {
    return static_cast<int>(
        std::count_if(events_.begin(), events_.end(), [&](const auto& e) { return e.first == name; }));
  }
  // The module's boot: it asks for device info until the MCU answers, then pushes its status (§1.6).
  bool handshaken(int handshakesBefore = 0, int guardMs = 30000) {
    const int statusBefore = count("mcu.status");
    return spinUntil(
        [&] { return plug_->handshakeCount() > handshakesBefore && count("mcu.status") > statusBefore; },
        guardMs);
  }
  bool ackedWithin(quint8 cmd, int guardMs = 10000) {
    return spinUntil([&] { return acked_.contains(cmd); }, guardMs);
  }

  QTemporaryDir dir_;
  std::unique_ptr<QemuModule> module_;
  RealClock clock_;
  std::unique_ptr<QSerialPortLink> link_;
  std::unique_ptr<McuPlug> plug_;
  QList<QPair<QString, QVariantMap>> events_;
  QList<quint8> acked_;
  QList<int> illegal_;
};

TEST_F(QemuModuleMcu, S3_2_HandshakeAndStatusPushOverTheUartWithNoRouterInRange) {
  ASSERT_TRUE(handshaken()) << "handshakes " << plug_->handshakeCount() << ", status pushes "
                            << count("mcu.status");
  // S6.2.2 with no router: an unconfigured module is in SoftAP onboarding and bindable, not on a router.
  const gagent::proto::WifiStatus status = plug_->wifiStatus();
  EXPECT_TRUE(status.softAp);
  EXPECT_TRUE(status.bindable);
  EXPECT_FALSE(status.routerConnected);
  EXPECT_FALSE(status.cloudConnected);
  EXPECT_FALSE(status.productionTest);
  // From the first whole frame on, none was malformed (bytes before the rig opened the pty may be cut).
  bool synced = false;
  for (const FrameLogEntry& entry : plug_->capture().entries()) {
    synced = synced || entry.ok;
    if (synced) {
      EXPECT_TRUE(entry.ok) << entry.name.toStdString() << " " << entry.error.toStdString();
    }
  }
  // The board said what it is and what it lacks.
  const QString log = module_->log();
  EXPECT_TRUE(log.contains("STM32F205")) << "no board line";
  EXPECT_TRUE(log.contains("no flash controller answers")) << "the RAM pair is not announced";
}

TEST_F(QemuModuleMcu, S2_1_ModuleInfoAnswersWithTheBoardsVersionsAndMac) {
  ASSERT_TRUE(handshaken());
  plug_->requestModuleInfo();
  ASSERT_TRUE(spinUntil([&] { return plug_->moduleInfo().has_value() || count("mcu.timeout") > 0; }));
  ASSERT_TRUE(plug_->moduleInfo()) << "0x21 timed out";
  EXPECT_EQ(plug_->moduleInfo()->hardVer, "GAGENTF2");  // S2.1: 8 characters, this board's model
  EXPECT_EQ(plug_->moduleInfo()->softVer.size(), 8);    // S2.2
  EXPECT_EQ(plug_->moduleInfo()->protocolVer, "00000004");
  // The MAC the module reports is the one its board derived (printed in the ready line).
  const QString mac = module_->readyLine().section("mac=", 1).section(' ', 0, 0);
  EXPECT_EQ(plug_->moduleInfo()->mac.toLower(), mac.toLower());
}

TEST_F(QemuModuleMcu, S7_6_1_HeartbeatAfter55sWithoutMcuData) {
  ASSERT_TRUE(handshaken());
  // The MCU stays quiet after its ACKs: the module's 0x07 comes 55 s after the last MCU byte.
  ASSERT_TRUE(spinUntil([&] { return !plug_->heartbeatTimes().isEmpty(); }, 120000))
      << "no heartbeat within 120 s";
}

TEST_F(QemuModuleMcu, S3_CorruptFrameIsAnsweredWith0x11AndTheLinkCarriesOn) {
  ASSERT_TRUE(handshaken());
  plug_->corruptChecksums(1);
  plug_->sendReport();
  ASSERT_TRUE(spinUntil([&] { return !illegal_.isEmpty(); })) << "no 0x11 for a bad checksum";
  EXPECT_EQ(illegal_.first(), static_cast<int>(gagent::proto::IllegalCode::Checksum));
  // The next good request is served as usual.
  acked_.clear();
  plug_->sendReport();
  EXPECT_TRUE(ackedWithin(static_cast<quint8>(gagent::proto::McuCmd::P0FromMcu)));
}

TEST_F(QemuModuleMcu, S7_7_1_ResetIsAckedAndTheModuleRebootsIntoSoftAp) {
  ASSERT_TRUE(handshaken());
  const int before = plug_->handshakeCount();
  plug_->sendResetModule();
  ASSERT_TRUE(ackedWithin(static_cast<quint8>(gagent::proto::McuCmd::ResetModule)));
  // Protocol §1.8: the reboot follows 2 s later; the new boot handshakes again and comes up in SoftAP.
  ASSERT_TRUE(handshaken(before)) << "no handshake after the reset";
  EXPECT_TRUE(plug_->wifiStatus().softAp);
  const QString log = module_->log();
  EXPECT_TRUE(log.contains("rebooting"));
  EXPECT_TRUE(log.contains("kept over the last reset")) << "the config pair did not survive the reboot";
}

TEST_F(QemuModuleMcu, S7_6_RestartIsAckedAndTheModuleBootsAgain) {
  ASSERT_TRUE(handshaken());
  const int before = plug_->handshakeCount();
  plug_->sendRestartModule();
  ASSERT_TRUE(ackedWithin(static_cast<quint8>(gagent::proto::McuCmd::RestartModule)));
  ASSERT_TRUE(handshaken(before)) << "no handshake after the restart";
  EXPECT_TRUE(module_->log().contains("rebooting"));
}

TEST_F(QemuModuleMcu, S5_2_ProductionTestEntryScansWithNoTestRouterInRange) {
  ASSERT_TRUE(handshaken());
  plug_->sendProductionTest();
  ASSERT_TRUE(ackedWithin(static_cast<quint8>(gagent::proto::McuCmd::ProductionTest)));
  ASSERT_TRUE(spinUntil([&] { return plug_->wifiStatus().productionTest; })) << "test mode never shown";
  // Nothing to join: the station stays off and the SoftAP stays up.
  EXPECT_FALSE(plug_->wifiStatus().routerConnected);
  EXPECT_TRUE(plug_->wifiStatus().softAp);
}

TEST_F(QemuModuleMcu, S5_4_NoTestRouterWithinThreeMinutesLeavesTestModeWithTheStateUnaffected) {
  ASSERT_TRUE(handshaken());
  const gagent::proto::WifiStatus before = plug_->wifiStatus();
  plug_->sendProductionTest();
  ASSERT_TRUE(ackedWithin(static_cast<quint8>(gagent::proto::McuCmd::ProductionTest)));
  ASSERT_TRUE(spinUntil([&] { return plug_->wifiStatus().productionTest; })) << "test mode never shown";
  // The 3-minute window is the module's; the guard only stops a broken test.
  ASSERT_TRUE(spinUntil([&] { return !plug_->wifiStatus().productionTest; }, 240000))
      << "still in test mode after 240 s";
  const gagent::proto::WifiStatus after = plug_->wifiStatus();
  EXPECT_EQ(after.softAp, before.softAp);
  EXPECT_EQ(after.station, before.station);
  EXPECT_EQ(after.onboarding, before.onboarding);
  EXPECT_EQ(after.bindable, before.bindable);
  EXPECT_FALSE(after.routerConnected);
}

}  // namespace
}  // namespace gizrig::core
