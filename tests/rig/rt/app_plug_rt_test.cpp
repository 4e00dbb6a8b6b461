// AppPlug over real sockets (QtLanLinkFactory, RealClock) against the real gagent-sim: discovery broadcast to
// 127.255.255.255 reaches the module and is answered by unicast (S7.1.2), then passcode + login (S7.2, S7.3),
// a read and a sequenced control (S7.4). gagent-sim is found next to this test (build/bin) or through the
// GAGENT_SIM_BINARY environment variable; without it the tests are skipped. The child process dies with the
// test (QProcess kills and reaps it in its destructor, also when an assertion fails).
#include <netinet/in.h>

#include <QCoreApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QFile>
#include <QFileInfo>
#include <QProcess>
#include <QTemporaryDir>
#include <QThread>
#include <QTimer>

#include <gtest/gtest.h>

#include "gizrig/links/qt_lan_links.h"
#include "gizrig/plugs/app_plug.h"
#include "module_address_lease.h"
#include "pty_mcu.h"

namespace gizrig::core {
namespace {

QCoreApplication& app() {
  static int argc = 1;
  static char name[] = "app_plug_rt_test";
  static char* argv[] = {name, nullptr};
  static QCoreApplication instance(argc, argv);
  return instance;
}

QString simBinary() {
  const QString fromEnv = qEnvironmentVariable("GAGENT_SIM_BINARY");
  if (!fromEnv.isEmpty()) return QFileInfo(fromEnv).isExecutable() ? fromEnv : QString();
  const QString beside = QCoreApplication::applicationDirPath() + "/gagent-sim";
  return QFileInfo(beside).isExecutable() ? beside : QString();
}

std::shared_ptr<const gagent::proto::Product> gokit() {
  QFile file(QStringLiteral(GAGENT_FIXTURES_DIR "/products/gokit-demo.json"));
  if (!file.open(QIODevice::ReadOnly)) return nullptr;
  const QByteArray json = file.readAll();
  auto loaded =
      gagent::proto::loadProduct(std::string_view(json.constData(), static_cast<std::size_t>(json.size())));
  if (!loaded.product) return nullptr;
  return std::make_shared<const gagent::proto::Product>(std::move(*loaded.product));
}

class AppPlugRt : public ::testing::Test {
 protected:
  void SetUp() override {
    app();
    binary_ = simBinary();
    if (binary_.isEmpty()) GTEST_SKIP() << "no gagent-sim next to the test and no GAGENT_SIM_BINARY";
    ASSERT_TRUE(dir_.isValid());
    const quint16 webPort = gagent::test::freeTcpPortOn(INADDR_LOOPBACK);
    lease_ = gagent::test::ModuleAddressLease::take(webPort);
    ASSERT_TRUE(lease_) << "no free module address in 127.0.100-249.x";
    module_ = QHostAddress(lease_->address());
    const QString pty = dir_.filePath("uart.pty");
    sim_.setProgram(binary_);
    sim_.setArguments({"--uart", "pty:" + pty, "--ip", module_.toString(), "--flash",
                       dir_.filePath("module.flash"), "--seed", "7", "--api", "127.0.0.1:9", "--broadcast",
                       "127.255.255.255", "--web-port", QString::number(webPort), "--log-file",
                       dir_.filePath("sim.log"), "--log-level", "debug"});
    sim_.start();
    ASSERT_TRUE(sim_.waitForStarted(10000));
    ASSERT_TRUE(sim_.waitForReadyRead(20000)) << "no ready line";
    while (!sim_.canReadLine() && sim_.waitForReadyRead(5000)) {
    }
    const QString ready = QString::fromUtf8(sim_.readLine()).trimmed();
    ASSERT_TRUE(ready.startsWith("gagent-sim ready")) << ready.toStdString();
    mcu_.state[0] = 0x05;  // GoKit dev_status byte 0: switch on, LED purple (the read test decodes it)
    ASSERT_TRUE(mcu_.open(pty.toStdString()));
    ASSERT_TRUE(spinUntil([&] { return mcu_.count(gagent::proto::McuCmd::GetDeviceInfo) > 0; }))
        << "no MCU handshake";
    // Let the module finish its start-up exchange with the MCU (status push) before the app talks to it.
    spinFor(300);
  }

  void TearDown() override {
    if (HasFailure() && !binary_.isEmpty()) {
      QFile log(dir_.filePath("sim.log"));
      if (log.open(QIODevice::ReadOnly))
        std::cerr << "---- gagent-sim log ----\n" << log.readAll().toStdString();
    }
    if (sim_.state() != QProcess::NotRunning) {
      sim_.kill();
      sim_.waitForFinished(5000);
    }
  }

  // Runs the event loop and the MCU until `done`; false after a generous guard (not a speed assertion).
  template <typename Done>
  bool spinUntil(Done done, int guardMs = 20000) {
    QElapsedTimer elapsed;
    elapsed.start();
    while (!done()) {
      if (elapsed.elapsed() > guardMs) return false;
      mcu_.service();
      QCoreApplication::processEvents(QEventLoop::AllEvents, 10);
      QThread::msleep(2);  // test driver only: the plug itself never blocks
    }
    return true;
  }
  void spinFor(int ms) {
    QElapsedTimer elapsed;
    elapsed.start();
    spinUntil([&] { return elapsed.elapsed() >= ms; });
  }

  QString binary_;
  QTemporaryDir dir_;
  std::optional<gagent::test::ModuleAddressLease> lease_;  // held while the test runs
  QHostAddress module_;
  QProcess sim_;
  gagent::test::PtyMcu mcu_;
};

TEST_F(AppPlugRt, S7_1_2_BroadcastDiscoveryReachesTheModuleAndIsAnsweredByUnicast) {
  RealClock clock;
  QtLanLinkFactory links;
  AppPlug plug(clock, links);
  std::optional<DiscoveryResult> result;
  DiscoveryOptions options;
  options.broadcast = QHostAddress("127.255.255.255");
  options.timeoutMs = 4000;
  options.resendMs = 1000;
  // Other tests' modules may answer too: stop once ours has.
  plug.discover(options, [&](const DiscoveryResult& r) { result = r; });
  const auto ours = [&]() -> std::optional<DiscoveredDevice> {
    for (const DiscoveredDevice& d : plug.devices())
      if (d.address == module_) return d;
    return std::nullopt;
  };
  ASSERT_TRUE(spinUntil([&] { return ours().has_value() || result.has_value(); }));
  const auto device = ours();
  ASSERT_TRUE(device) << "our module did not answer the broadcast";
  // The 0004 came to the app's own ephemeral port, from the module's address and 12414: unicast.
  EXPECT_EQ(device->port, 12414);
  EXPECT_EQ(device->productKey, gagent::test::PtyMcu::kProductKey);
  const quint32 ip = module_.toIPv4Address();
  EXPECT_EQ(device->macHex(), QStringLiteral("02477F%1%2%3")
                                  .arg((ip >> 16) & 0xFF, 2, 16, QChar('0'))
                                  .arg((ip >> 8) & 0xFF, 2, 16, QChar('0'))
                                  .arg(ip & 0xFF, 2, 16, QChar('0'))
                                  .toUpper());
  EXPECT_EQ(device->did, "");  // no cloud in this lab: not registered
  ASSERT_TRUE(spinUntil([&] { return result.has_value(); }));
  EXPECT_EQ(result->outcome, AppOutcome::Ok);
}

TEST_F(AppPlugRt, S7_3_S7_4_LoginThenAReadAndASequencedControl) {
  RealClock clock;
  QtLanLinkFactory links;
  AppPlug plug(clock, links);
  plug.setProduct(gokit());
  std::vector<QString> events;
  QObject::connect(&plug, &AppPlug::event,
                   [&](const QString& name, const QVariantMap&) { events.push_back(name); });

  std::optional<AppReply> login;
  plug.session(module_)->openAndLogin(5000, [&](const AppReply& r) { login = r; });
  ASSERT_TRUE(spinUntil([&] { return login.has_value(); }));
  ASSERT_TRUE(login->ok()) << login->error.toStdString();
  EXPECT_TRUE(std::find(events.begin(), events.end(), "app.loggedIn") != events.end());

  std::optional<AppReply> read;
  plug.read(module_, 5000, [&](const AppReply& r) { read = r; });
  ASSERT_TRUE(spinUntil([&] { return read.has_value(); }));
  ASSERT_TRUE(read->ok()) << read->error.toStdString();
  EXPECT_EQ(read->payload, QByteArray::fromHex("03 05 10 20 30 0005 01 19 32 00 00"));
  const QVariantMap values = read->fields.value("values").toMap();
  EXPECT_EQ(values.value("LED_Color"), "purple");
  EXPECT_EQ(values.value("Temperature").toLongLong(), 12);
  ASSERT_FALSE(mcu_.controls.empty());
  EXPECT_EQ(mcu_.controls.back(), (std::vector<std::uint8_t>{0x02}));

  std::optional<AppReply> control;
  std::optional<QByteArray> report;
  QObject::connect(&plug, &AppPlug::reportReceived,
                   [&](const QHostAddress&, const QByteArray& p0, RigMillis) { report = p0; });
  // Every writable point, so the simplified MCU's whole-attr_vals update is exact.
  plug.control(module_,
               {{"LED_OnOff", true},
                {"LED_Color", "pink"},
                {"LED_R", 17},
                {"LED_G", 34},
                {"LED_B", 51},
                {"Motor_Speed", 2}},
               true, 5000, [&](const AppReply& r) { control = r; });
  ASSERT_TRUE(spinUntil([&] { return control.has_value() && report.has_value(); }));
  ASSERT_TRUE(control->ok()) << control->error.toStdString();
  EXPECT_TRUE(control->payload.isEmpty());  // the MCU's bare ACK under our sn
  EXPECT_EQ(*report, QByteArray::fromHex("04 07 11 22 33 0007 01 19 32 00 00"));
}

}  // namespace
}  // namespace gizrig::core
