// Hardware in the loop: a real module on a real serial port. Skipped unless GIZRIG_HIL_PORT names the port
// (e.g. /dev/ttyUSB0) the module's UART is wired to, with the rig playing the GoKit MCU.
#include <gtest/gtest.h>

#include <QCoreApplication>
#include <QEventLoop>
#include <QTimer>

#include "gizrig/plugs/mcu_plug.h"
#include "gizrig/links/qserialport_link.h"
#include "gizrig/clock/rig_clock.h"

namespace gizrig::core {
namespace {

QCoreApplication& app() {
  static int argc = 1;
  static char name[] = "real_module_test";
  static char* argv[] = {name, nullptr};
  static QCoreApplication instance(argc, argv);
  return instance;
}

TEST(RealModule, S7_6_HandshakeStatusAndModuleInfoOverTheSerialPort) {
  app();
  const QString port = qEnvironmentVariable("GIZRIG_HIL_PORT");
  if (port.isEmpty()) GTEST_SKIP() << "set GIZRIG_HIL_PORT to the serial port of a real module";
  QString error;
  auto product = McuPlug::loadProductFile(GAGENT_FIXTURES_DIR "/products/gokit-demo.json", error);
  ASSERT_TRUE(product) << error.toStdString();
  RealClock clock;
  QSerialPortLink link(port);
  McuPlug mcu(&link, &clock, *product);
  ASSERT_TRUE(mcu.open()) << "cannot open " << port.toStdString();
  // A module asks for device info at power-on and after a restart (0x29); ask for one to be sure.
  mcu.sendRestartModule();
  QEventLoop loop;
  QTimer guard;
  guard.setSingleShot(true);
  guard.start(30000);
  while (!(mcu.handshakeCount() > 0 && mcu.statusWord()) && guard.isActive()) {
    loop.processEvents(QEventLoop::WaitForMoreEvents, 50);
  }
  ASSERT_GT(mcu.handshakeCount(), 0) << "no 0x01 from the module";
  ASSERT_TRUE(mcu.statusWord()) << "no 0x0D status push";
  mcu.requestModuleInfo();
  guard.start(5000);
  while (!mcu.moduleInfo() && guard.isActive()) loop.processEvents(QEventLoop::WaitForMoreEvents, 50);
  ASSERT_TRUE(mcu.moduleInfo()) << "no 0x22 module info";
  EXPECT_EQ(mcu.moduleInfo()->mac.size(), 12);
}

}  // namespace
}  // namespace gizrig::core
