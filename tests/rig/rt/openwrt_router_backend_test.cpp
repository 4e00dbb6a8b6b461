// OpenWrtRouterBackend against a stand-in ubus endpoint (fake_ubus.h): the exact JSON-RPC calls for each
// RouterControl call, the session login and its renewal, refusals and broken answers.
#include "gizrig/routers/openwrt_router_backend.h"

#include <gtest/gtest.h>

#include <optional>

#include "fake_ubus.h"
#include "gizrig/plugs/router_plug.h"
#include "rt_support.h"

namespace gizrig::core {
namespace {

using gizrig::test::FakeUbus;
using gizrig::test::spinUntil;

class OpenWrtTest : public ::testing::Test {
 protected:
  void SetUp() override {
    gizrig::test::app();
    ubus = std::make_unique<FakeUbus>();
    backend =
        std::make_unique<OpenWrtRouterBackend>(ubus->url(), QStringLiteral("root"), QStringLiteral("secret"));
  }
  void TearDown() override { EXPECT_EQ(ubus->problems, QStringList{}); }

  RouterResult run(const std::function<void(RouterControl::Done)>& call) {
    std::optional<RouterResult> result;
    call([&](const RouterResult& r) { result = r; });
    EXPECT_TRUE(spinUntil([&] { return result.has_value(); }));
    return result.value_or(RouterResult{false, QStringLiteral("(no answer)")});
  }
  std::pair<RouterResult, RouterStatus> status(const QString& ssid) {
    std::optional<std::pair<RouterResult, RouterStatus>> result;
    backend->status(ssid, [&](const RouterResult& r, const RouterStatus& s) { result = {r, s}; });
    EXPECT_TRUE(spinUntil([&] { return result.has_value(); }));
    return result.value_or(std::pair{RouterResult{false, QStringLiteral("(no answer)")}, RouterStatus{}});
  }

  std::unique_ptr<FakeUbus> ubus;
  std::unique_ptr<OpenWrtRouterBackend> backend;
};

const QString kFindIfaces = QStringLiteral(R"(uci get {"config":"wireless","type":"wifi-iface"})");

TEST_F(OpenWrtTest, ConfigureLogsInFindsTheSectionSetsAndCommits) {
  const RouterResult result = run([&](auto done) {
    backend->configure(QStringLiteral("GIZWITS_TEST_2"), QStringLiteral("Lab AP"),
                       QStringLiteral("new-pass-1"), done);
  });
  EXPECT_TRUE(result.ok) << result.error.toStdString();
  EXPECT_EQ(ubus->logins, 1);
  EXPECT_EQ(ubus->calls,
            (QStringList{kFindIfaces,
                         QStringLiteral(R"(uci set {"config":"wireless","section":"cfg033579","values":)"
                                        R"({"encryption":"psk2","key":"new-pass-1","ssid":"Lab AP"}})"),
                         QStringLiteral(R"(uci commit {"config":"wireless"})")}));
  const QJsonObject section = ubus->wireless.value(QStringLiteral("cfg033579")).toObject();
  EXPECT_EQ(section.value(QStringLiteral("ssid")), QStringLiteral("Lab AP"));
  EXPECT_EQ(section.value(QStringLiteral("key")), QStringLiteral("new-pass-1"));
}

TEST_F(OpenWrtTest, ConfigureWithoutPasswordMakesAnOpenApAndRejectsBadTextLocally) {
  EXPECT_TRUE(run([&](auto done) {
                backend->configure(QStringLiteral("GIZWITS_TEST_1"), QStringLiteral("Open"), QString(), done);
              }).ok);
  EXPECT_EQ(ubus->calls.at(1),
            QStringLiteral(R"(uci set {"config":"wireless","section":"default_radio0","values":)"
                           R"({"encryption":"none","key":"","ssid":"Open"}})"));
  ubus->calls.clear();
  EXPECT_EQ(run([&](auto done) {
              backend->configure(QStringLiteral("Open"), QStringLiteral("X"), QStringLiteral("short"), done);
            }).error,
            QStringLiteral("a WPA2 password has 8-63 characters"));
  EXPECT_EQ(run([&](auto done) {
              backend->configure(QStringLiteral("Open"), QString(33, u'x'), QString(), done);
            }).error,
            QStringLiteral("the new SSID must have 1-32 bytes"));
  EXPECT_EQ(ubus->calls, QStringList{});
}

TEST_F(OpenWrtTest, PowerTakesTheRadioOfTheSsidDownAndUp) {
  EXPECT_TRUE(run([&](auto done) { backend->setPower(QStringLiteral("GIZWITS_TEST_1"), false, done); }).ok);
  EXPECT_FALSE(ubus->radioUp.value(QStringLiteral("radio0")));
  EXPECT_TRUE(ubus->radioUp.value(QStringLiteral("radio1")));
  EXPECT_EQ(ubus->calls,
            (QStringList{kFindIfaces, QStringLiteral(R"(network.wireless down {"device":"radio0"})")}));

  const auto [result, off] = status(QStringLiteral("GIZWITS_TEST_1"));
  EXPECT_TRUE(result.ok) << result.error.toStdString();
  EXPECT_FALSE(off.powered);
  EXPECT_EQ(off.clientMacs, QStringList{});

  EXPECT_TRUE(run([&](auto done) { backend->setPower(QStringLiteral("GIZWITS_TEST_1"), true, done); }).ok);
  EXPECT_EQ(ubus->calls.last(), QStringLiteral(R"(network.wireless up {"device":"radio0"})"));
  EXPECT_TRUE(ubus->radioUp.value(QStringLiteral("radio0")));
}

TEST_F(OpenWrtTest, StatusReadsRadioStateAndTheAssociationList) {
  const auto [result, on] = status(QStringLiteral("GIZWITS_TEST_1"));
  EXPECT_TRUE(result.ok) << result.error.toStdString();
  EXPECT_EQ(on.ssid, QStringLiteral("GIZWITS_TEST_1"));
  EXPECT_TRUE(on.powered);
  EXPECT_EQ(on.signal, -1);
  EXPECT_EQ(on.clientMacs, (QStringList{QStringLiteral("A0B1C2D3E4F5"), QStringLiteral("0A0B0C0D0E0F")}));
  EXPECT_EQ(ubus->calls, (QStringList{kFindIfaces, QStringLiteral("network.wireless status {}"),
                                      QStringLiteral(R"(iwinfo assoclist {"device":"phy0-ap0"})")}));
}

TEST_F(OpenWrtTest, RebootRebootsTheRouterAndSignalIsNotSupported) {
  EXPECT_TRUE(run([&](auto done) { backend->reboot(QStringLiteral("GIZWITS_TEST_1"), done); }).ok);
  EXPECT_EQ(ubus->calls, (QStringList{kFindIfaces, QStringLiteral("system reboot {}")}));
  ubus->calls.clear();
  const RouterResult signal =
      run([&](auto done) { backend->setSignal(QStringLiteral("GIZWITS_TEST_1"), QString(), 30, done); });
  EXPECT_FALSE(signal.ok);
  EXPECT_EQ(signal.error,
            QStringLiteral("not supported: a real router cannot set a module's signal (use an attenuator)"));
  EXPECT_EQ(ubus->calls, QStringList{});
}

TEST_F(OpenWrtTest, AnUnknownSsidIsAnErrorAndNothingIsChanged) {
  const RouterResult result = run([&](auto done) { backend->setPower(QStringLiteral("NOPE"), false, done); });
  EXPECT_FALSE(result.ok);
  EXPECT_EQ(result.error, QStringLiteral("the router has no access point \"NOPE\""));
  EXPECT_EQ(ubus->calls, QStringList{kFindIfaces});
}

TEST_F(OpenWrtTest, AnExpiredSessionIsRenewedOnceAndTheCallRepeated) {
  ASSERT_TRUE(run([&](auto done) { backend->reboot(QStringLiteral("GIZWITS_TEST_1"), done); }).ok);
  ubus->calls.clear();
  ubus->expireSessions();
  EXPECT_TRUE(run([&](auto done) { backend->setPower(QStringLiteral("GIZWITS_TEST_1"), false, done); }).ok);
  EXPECT_EQ(ubus->logins, 2);
  EXPECT_EQ(ubus->calls, (QStringList{kFindIfaces, kFindIfaces,
                                      QStringLiteral(R"(network.wireless down {"device":"radio0"})")}));
}

TEST_F(OpenWrtTest, ARefusedLoginFailsTheCall) {
  ubus->password = QStringLiteral("other");
  const RouterResult result =
      run([&](auto done) { backend->reboot(QStringLiteral("GIZWITS_TEST_1"), done); });
  EXPECT_FALSE(result.ok);
  EXPECT_EQ(result.error, QStringLiteral("the router refused the login of \"root\""));
  EXPECT_EQ(ubus->calls, QStringList{});
}

TEST_F(OpenWrtTest, BrokenAnswersAndAnUnreachableRouterAreErrors) {
  ubus->garbage = true;
  const RouterResult garbage =
      run([&](auto done) { backend->reboot(QStringLiteral("GIZWITS_TEST_1"), done); });
  EXPECT_FALSE(garbage.ok);
  EXPECT_EQ(garbage.error, QStringLiteral("the router's answer is not a JSON-RPC object"));

  QTcpServer closed;
  ASSERT_TRUE(closed.listen(QHostAddress::LocalHost, 0));
  const quint16 port = closed.serverPort();
  closed.close();
  OpenWrtRouterBackend nowhere(QUrl(QStringLiteral("http://127.0.0.1:%1/ubus").arg(port)),
                               QStringLiteral("root"), QStringLiteral("secret"));
  const RouterResult refused =
      run([&](auto done) { nowhere.reboot(QStringLiteral("GIZWITS_TEST_1"), done); });
  EXPECT_FALSE(refused.ok);
  EXPECT_TRUE(refused.error.contains(QStringLiteral("refused"))) << refused.error.toStdString();
}

TEST_F(OpenWrtTest, RouterPlugOverOpenWrtReportsEvents) {
  RouterPlug plug(std::move(backend));
  QList<QPair<QString, QVariantMap>> events;
  QObject::connect(&plug, &RouterPlug::event, [&](const QString& name, const QVariantMap& fields) {
    events.append({name, fields});
  });
  std::optional<RouterResult> result;
  plug.reboot(QStringLiteral("GIZWITS_TEST_2"), [&](const RouterResult& r) { result = r; });
  ASSERT_TRUE(spinUntil([&] { return result.has_value(); }));
  ASSERT_EQ(events.size(), 1);
  EXPECT_EQ(events[0].first, QStringLiteral("router.reboot"));
  EXPECT_EQ(events[0].second.value(QStringLiteral("ok")), true);
}

}  // namespace
}  // namespace gizrig::core
