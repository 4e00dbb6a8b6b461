// AirRouterBackend and RouterPlug against the real gagent-air (build/bin, next to this test): control
// requests over a QTcpSocket (QtStreamLink) with the RealClock, and module peers played by the air's blocking
// AirClient (test code only) to show the effect on the modules' side: per-module signal, link-down on reboot
// (S5.7), power, SSID changes, SoftAP join, one-shot. The air process is killed and reaped by a guard
// whatever happens.
#include <gtest/gtest.h>

#include <QCoreApplication>
#include <QFileInfo>
#include <QProcess>
#include <optional>

#include "gagent/air/air_client.h"
#include "gizrig/links/qt_lan_links.h"
#include "gizrig/plugs/router_plug.h"
#include "gizrig/routers/air_router_backend.h"
#include "rt_support.h"

namespace gizrig::core {
namespace {

using namespace std::chrono_literals;
using gizrig::test::spinUntil;

// gagent-air --production on a free port; terminated and reaped on destruction.
class AirProcess {
 public:
  AirProcess() {
    const QString binary = QCoreApplication::applicationDirPath() + QStringLiteral("/gagent-air");
    if (!QFileInfo(binary).isExecutable()) return;
    process_.setProgram(binary);
    process_.setArguments(
        {QStringLiteral("--production"), QStringLiteral("--listen"), QStringLiteral("127.0.0.1:0")});
    process_.start();
    if (!process_.waitForStarted(10000)) return;
    QByteArray line;
    while (!line.contains('\n') && process_.waitForReadyRead(10000)) line += process_.readAllStandardOutput();
    const QByteArray prefix = "gagent-air ready port=";
    if (line.startsWith(prefix)) port_ = static_cast<quint16>(line.mid(prefix.size()).trimmed().toUInt());
  }
  ~AirProcess() { stop(); }
  void stop() {
    if (process_.state() == QProcess::NotRunning) return;
    process_.terminate();
    if (!process_.waitForFinished(5000)) {
      process_.kill();
      process_.waitForFinished(5000);
    }
  }
  [[nodiscard]] quint16 port() const { return port_; }

 private:
  QProcess process_;
  quint16 port_ = 0;
};

// A module's radio on the air.
struct ModulePeer {
  gagent::air::AirClient client;
  bool hello(quint16 port, const std::string& mac, const std::string& ip) {
    return client.connect("127.0.0.1", port, 5s) && client.request("HELLO " + mac + " " + ip, 5s) == "OK";
  }
  std::string ask(const std::string& line) {
    return client.request(line, 5s).value_or("(" + client.lastError() + ")");
  }
};

class AirRtTest : public ::testing::Test {
 protected:
  void SetUp() override {
    gizrig::test::app();
    air = std::make_unique<AirProcess>();
    ASSERT_NE(air->port(), 0) << "gagent-air did not start";
    backend = new AirRouterBackend(new QtStreamLink, clock, QHostAddress::LocalHost, air->port());
    plug = std::make_unique<RouterPlug>(std::unique_ptr<RouterControl>(backend));
    QObject::connect(plug.get(), &RouterPlug::event, [this](const QString& name, const QVariantMap& fields) {
      events.append({name, fields});
    });
  }
  void TearDown() override {
    plug.reset();
    air.reset();
  }

  RouterResult run(const std::function<void(RouterControl::Done)>& call) {
    std::optional<RouterResult> result;
    call([&](const RouterResult& r) { result = r; });
    EXPECT_TRUE(spinUntil([&] { return result.has_value(); }));
    return result.value_or(RouterResult{false, QStringLiteral("(no answer)")});
  }
  template <typename T, typename Call>
  std::pair<RouterResult, T> ask(Call call) {
    std::optional<std::pair<RouterResult, T>> result;
    call([&](const RouterResult& r, const T& value) { result = {r, value}; });
    EXPECT_TRUE(spinUntil([&] { return result.has_value(); }));
    return result.value_or(std::pair{RouterResult{false, QStringLiteral("(no answer)")}, T{}});
  }
  RouterStatus status(const QString& ssid) {
    auto [result, value] = ask<RouterStatus>([&](auto done) { plug->status(ssid, done); });
    EXPECT_TRUE(result.ok) << result.error.toStdString();
    return value;
  }

  RealClock clock;
  std::unique_ptr<AirProcess> air;
  AirRouterBackend* backend = nullptr;
  std::unique_ptr<RouterPlug> plug;
  QList<QPair<QString, QVariantMap>> events;
};

TEST_F(AirRtTest, S5_1_TheProductionAirHasBothTestAccessPoints) {
  const auto [result, aps] = ask<QList<AirAccessPoint>>([&](auto done) { backend->accessPoints(done); });
  ASSERT_TRUE(result.ok) << result.error.toStdString();
  EXPECT_EQ(aps, (QList<AirAccessPoint>{
                     {QStringLiteral("GIZWITS_TEST_1"), QStringLiteral("GIZWITS_TEST_PASS"), true, 70, 0},
                     {QStringLiteral("GIZWITS_TEST_2"), QStringLiteral("GIZWITS_TEST_PASS"), true, 70, 0}}));
}

TEST_F(AirRtTest, S5_7_StatusSignalRebootAndPowerAsTheModuleSeesThem) {
  ModulePeer module;
  ASSERT_TRUE(module.hello(air->port(), "a0b1c2d3e4f5", "127.0.0.10"));
  ASSERT_EQ(module.ask("JOIN GIZWITS_TEST_1 GIZWITS_TEST_PASS"), "OK");

  RouterStatus joined = status(QStringLiteral("GIZWITS_TEST_1"));
  EXPECT_TRUE(joined.powered);
  EXPECT_EQ(joined.signal, 70);
  EXPECT_EQ(joined.clientMacs, QStringList{QStringLiteral("A0B1C2D3E4F5")});

  EXPECT_TRUE(run([&](auto done) {
                plug->setSignal(QStringLiteral("GIZWITS_TEST_1"), QStringLiteral("A0:B1:C2:D3:E4:F5"), 35,
                                done);
              }).ok);
  EXPECT_EQ(module.ask("SIGNAL"), "OK 35");
  EXPECT_TRUE(
      run([&](auto done) { plug->setSignal(QStringLiteral("GIZWITS_TEST_1"), QString(), 20, done); }).ok);
  EXPECT_EQ(module.ask("SIGNAL"), "OK 35");  // the module's own value stays
  EXPECT_EQ(status(QStringLiteral("GIZWITS_TEST_1")).signal, 20);

  // S5.7: a reboot clears the client table; the joined module hears link-down.
  EXPECT_TRUE(run([&](auto done) { plug->reboot(QStringLiteral("GIZWITS_TEST_1"), done); }).ok);
  EXPECT_EQ(module.client.waitEvent(5s), "EVENT link-down GIZWITS_TEST_1");
  EXPECT_EQ(status(QStringLiteral("GIZWITS_TEST_1")).clientMacs, QStringList{});

  EXPECT_TRUE(run([&](auto done) { plug->setPower(QStringLiteral("GIZWITS_TEST_2"), false, done); }).ok);
  EXPECT_EQ(module.ask("SCAN"), "OK 1 GIZWITS_TEST_1 35");
  EXPECT_FALSE(status(QStringLiteral("GIZWITS_TEST_2")).powered);
  EXPECT_EQ(module.ask("JOIN GIZWITS_TEST_2 GIZWITS_TEST_PASS"), "ERROR no-ap");

  QStringList names;
  for (const auto& event : events) names << event.first;
  EXPECT_EQ(names, (QStringList{QStringLiteral("router.status"), QStringLiteral("router.signal"),
                                QStringLiteral("router.signal"), QStringLiteral("router.status"),
                                QStringLiteral("router.reboot"), QStringLiteral("router.status"),
                                QStringLiteral("router.power"), QStringLiteral("router.status")}));
  EXPECT_EQ(events[2].second.value(QStringLiteral("mac")), QString());
  EXPECT_EQ(events[0].second.value(QStringLiteral("clients")), QStringList{QStringLiteral("A0B1C2D3E4F5")});
}

TEST_F(AirRtTest, ConfigureRenamesTheApWithEncodedTextAndDropsItsClients) {
  ModulePeer module;
  ASSERT_TRUE(module.hello(air->port(), "a0b1c2d3e4f5", "127.0.0.10"));
  ASSERT_EQ(module.ask("JOIN GIZWITS_TEST_2 GIZWITS_TEST_PASS"), "OK");
  EXPECT_TRUE(run([&](auto done) {
                plug->configure(QStringLiteral("GIZWITS_TEST_2"), QStringLiteral("Lab AP 100%"),
                                QStringLiteral("pass word"), done);
              }).ok);
  EXPECT_EQ(module.client.waitEvent(5s), "EVENT link-down GIZWITS_TEST_2");
  EXPECT_EQ(module.ask("JOIN Lab%20AP%20100%25 pass%20word"), "OK");
  const auto [result, aps] = ask<QList<AirAccessPoint>>([&](auto done) { backend->accessPoints(done); });
  ASSERT_TRUE(result.ok);
  ASSERT_EQ(aps.size(), 2);
  EXPECT_EQ(aps[1],
            (AirAccessPoint{QStringLiteral("Lab AP 100%"), QStringLiteral("pass word"), true, 70, 1}));
}

TEST_F(AirRtTest, AddRemoveAndErrorsInOperatorWords) {
  EXPECT_TRUE(
      run([&](auto done) { backend->addAccessPoint(QStringLiteral("Open AP"), QString(), 40, done); }).ok);
  ModulePeer module;
  ASSERT_TRUE(module.hello(air->port(), "a0b1c2d3e4f5", "127.0.0.10"));
  EXPECT_EQ(module.ask("JOIN Open%20AP -"), "OK");
  EXPECT_TRUE(run([&](auto done) { backend->removeAccessPoint(QStringLiteral("Open AP"), done); }).ok);
  const RouterResult missing = run([&](auto done) { plug->reboot(QStringLiteral("Open AP"), done); });
  EXPECT_FALSE(missing.ok);
  EXPECT_EQ(missing.error, QStringLiteral("no access point \"Open AP\" on the air (no-ap)"));
  EXPECT_EQ(events.last().second.value(QStringLiteral("error")), missing.error);
}

TEST_F(AirRtTest, ModulesSoftApJoinAndOneShot) {
  ModulePeer first;
  ModulePeer second;
  ASSERT_TRUE(first.hello(air->port(), "a0b1c2d3e4f5", "127.0.0.10"));
  ASSERT_TRUE(second.hello(air->port(), "0a0b0c0d0e0f", "127.0.0.11"));
  ASSERT_EQ(first.ask("JOIN GIZWITS_TEST_1 GIZWITS_TEST_PASS"), "OK");
  ASSERT_EQ(second.ask("SOFTAP XPG-GAgent-0E0F 123456789"), "OK");
  ASSERT_EQ(second.ask("ONESHOT airlink"), "OK");

  const auto [listed, modules] = ask<QList<AirModule>>([&](auto done) { backend->modules(done); });
  ASSERT_TRUE(listed.ok) << listed.error.toStdString();
  EXPECT_EQ(modules,
            (QList<AirModule>{{QStringLiteral("A0B1C2D3E4F5"), QStringLiteral("127.0.0.10"),
                               QStringLiteral("GIZWITS_TEST_1"), QString(), QString()},
                              {QStringLiteral("0A0B0C0D0E0F"), QStringLiteral("127.0.0.11"), QString(),
                               QStringLiteral("XPG-GAgent-0E0F"), QStringLiteral("airlink")}}));

  const auto [joined, ip] = ask<QHostAddress>([&](auto done) {
    backend->softApJoin(QStringLiteral("XPG-GAgent-0E0F"), QStringLiteral("123456789"), done);
  });
  ASSERT_TRUE(joined.ok) << joined.error.toStdString();
  EXPECT_EQ(ip, QHostAddress(QStringLiteral("127.0.0.11")));
  const auto [wrong, none] = ask<QHostAddress>([&](auto done) {
    backend->softApJoin(QStringLiteral("XPG-GAgent-0E0F"), QStringLiteral("nope"), done);
  });
  EXPECT_EQ(wrong.error, QStringLiteral("wrong password for \"XPG-GAgent-0E0F\" (wrong-password)"));

  const auto [sent, reached] = ask<int>(
      [&](auto done) { backend->oneShotSend(QStringLiteral("Home AP"), QStringLiteral("home pass"), done); });
  ASSERT_TRUE(sent.ok) << sent.error.toStdString();
  EXPECT_EQ(reached, 1);
  EXPECT_EQ(second.client.waitEvent(5s), "EVENT oneshot Home%20AP home%20pass");
}

TEST_F(AirRtTest, AnAirThatGoesAwayFailsTheRequestAndTheNextOneReconnectsOrFails) {
  ASSERT_TRUE(run([&](auto done) { plug->setPower(QStringLiteral("GIZWITS_TEST_1"), true, done); }).ok);
  air->stop();
  const RouterResult gone =
      run([&](auto done) { plug->setPower(QStringLiteral("GIZWITS_TEST_1"), true, done); });
  EXPECT_FALSE(gone.ok);
  EXPECT_FALSE(gone.error.isEmpty());
  // And once more, now without a listener: connection refused, still one answer.
  const RouterResult refused = run([&](auto done) { plug->reboot(QStringLiteral("GIZWITS_TEST_1"), done); });
  EXPECT_FALSE(refused.ok);
  EXPECT_TRUE(refused.error.contains(QStringLiteral("refused"))) << refused.error.toStdString();
}

}  // namespace
}  // namespace gizrig::core
