// RouterPlug: calls go to the backend unchanged and each completion is reported as an event with the call's
// fields and outcome (docs/rig.md), before the caller hears it; a backend answering after the plug is gone
// touches nothing.
#include "gizrig/plugs/router_plug.h"

#include <gtest/gtest.h>

#include <QCoreApplication>
#include <QStringList>

namespace gizrig::core {
namespace {

QCoreApplication& app() {
  static int argc = 1;
  static char name[] = "router_plug_test";
  static char* argv[] = {name, nullptr};
  static QCoreApplication instance(argc, argv);
  return instance;
}

// Records every call; the test completes them.
class FakeRouter final : public RouterControl {
 public:
  void setPower(const QString& ssid, bool on, Done done) override {
    calls << QStringLiteral("power %1 %2").arg(ssid).arg(on);
    pending.push_back(std::move(done));
  }
  void reboot(const QString& ssid, Done done) override {
    calls << QStringLiteral("reboot %1").arg(ssid);
    pending.push_back(std::move(done));
  }
  void configure(const QString& ssid, const QString& newSsid, const QString& password, Done done) override {
    calls << QStringLiteral("configure %1 %2 %3").arg(ssid, newSsid, password);
    pending.push_back(std::move(done));
  }
  void setSignal(const QString& ssid, const QString& mac, int signal, Done done) override {
    calls << QStringLiteral("signal %1 %2 %3").arg(ssid, mac).arg(signal);
    pending.push_back(std::move(done));
  }
  void status(const QString& ssid,
              std::function<void(const RouterResult&, const RouterStatus&)> done) override {
    calls << QStringLiteral("status %1").arg(ssid);
    statusDone = std::move(done);
  }
  QStringList calls;
  std::vector<Done> pending;
  std::function<void(const RouterResult&, const RouterStatus&)> statusDone;
};

struct Event {
  QString name;
  QVariantMap fields;
};

class RouterPlugTest : public ::testing::Test {
 protected:
  void SetUp() override {
    app();
    auto backend = std::make_unique<FakeRouter>();
    fake = backend.get();
    plug = std::make_unique<RouterPlug>(std::move(backend));
    QObject::connect(plug.get(), &RouterPlug::event, [this](const QString& name, const QVariantMap& fields) {
      events.push_back({name, fields});
    });
  }
  FakeRouter* fake = nullptr;
  std::unique_ptr<RouterPlug> plug;
  std::vector<Event> events;
};

TEST_F(RouterPlugTest, EachCompletedCallIsAnEventWithItsFieldsAndOutcome) {
  std::vector<QString> order;
  plug->setPower(QStringLiteral("AP1"), false, [&](const RouterResult& r) {
    EXPECT_EQ(events.size(), 1u);  // the event went out first
    order.push_back(r.ok ? QStringLiteral("ok") : r.error);
  });
  plug->reboot(QStringLiteral("AP1"), {});
  plug->configure(QStringLiteral("AP1"), QStringLiteral("AP9"), QStringLiteral("secret99"), {});
  plug->setSignal(QStringLiteral("AP1"), QStringLiteral("A0B1C2D3E4F5"), 30, {});
  EXPECT_EQ(fake->calls, (QStringList{QStringLiteral("power AP1 0"), QStringLiteral("reboot AP1"),
                                      QStringLiteral("configure AP1 AP9 secret99"),
                                      QStringLiteral("signal AP1 A0B1C2D3E4F5 30")}));
  ASSERT_EQ(fake->pending.size(), 4u);
  fake->pending[0]({true, {}});
  fake->pending[1]({false, QStringLiteral("no access point")});
  fake->pending[2]({true, {}});
  fake->pending[3]({false, QStringLiteral("not supported")});
  ASSERT_EQ(events.size(), 4u);
  EXPECT_EQ(order, std::vector<QString>{QStringLiteral("ok")});

  EXPECT_EQ(events[0].name, QStringLiteral("router.power"));
  EXPECT_EQ(events[0].fields, (QVariantMap{{QStringLiteral("ssid"), QStringLiteral("AP1")},
                                           {QStringLiteral("on"), false},
                                           {QStringLiteral("ok"), true},
                                           {QStringLiteral("error"), QString()}}));
  EXPECT_EQ(events[1].name, QStringLiteral("router.reboot"));
  EXPECT_EQ(events[1].fields, (QVariantMap{{QStringLiteral("ssid"), QStringLiteral("AP1")},
                                           {QStringLiteral("ok"), false},
                                           {QStringLiteral("error"), QStringLiteral("no access point")}}));
  EXPECT_EQ(events[2].name, QStringLiteral("router.configure"));
  EXPECT_EQ(events[2].fields, (QVariantMap{{QStringLiteral("ssid"), QStringLiteral("AP1")},
                                           {QStringLiteral("new_ssid"), QStringLiteral("AP9")},
                                           {QStringLiteral("ok"), true},
                                           {QStringLiteral("error"), QString()}}));
  EXPECT_FALSE(events[2].fields.contains(QStringLiteral("password")));
  EXPECT_EQ(events[3].name, QStringLiteral("router.signal"));
  EXPECT_EQ(events[3].fields, (QVariantMap{{QStringLiteral("ssid"), QStringLiteral("AP1")},
                                           {QStringLiteral("mac"), QStringLiteral("A0B1C2D3E4F5")},
                                           {QStringLiteral("signal"), 30},
                                           {QStringLiteral("ok"), false},
                                           {QStringLiteral("error"), QStringLiteral("not supported")}}));
}

// Issue 12, P3: the slots of a station all switch the same test routers on. A power request equal to the
// latest one still on its way for that SSID rides on it; an "on" after a pending "off" goes out after it.
TEST_F(RouterPlugTest, Issue12_P3_EqualPowerRequestsInFlightGoOutOnceAndEveryCallerHearsTheResult) {
  std::vector<RouterResult> heard;
  const auto listen = [&heard](const RouterResult& r) { heard.push_back(r); };
  plug->setPower("GIZWITS_TEST_1", true, listen);
  plug->setPower("GIZWITS_TEST_1", true, listen);
  plug->setPower("GIZWITS_TEST_2", true, listen);
  plug->setPower("GIZWITS_TEST_1", true, listen);
  EXPECT_EQ(fake->calls, (QStringList{"power GIZWITS_TEST_1 1", "power GIZWITS_TEST_2 1"}));
  ASSERT_EQ(fake->pending.size(), 2u);
  fake->pending[0]({true, {}});
  EXPECT_EQ(heard.size(), 3u);
  EXPECT_EQ(events.size(), 3u);  // one router.power event per caller
  fake->pending[1]({false, "no-ap"});
  ASSERT_EQ(heard.size(), 4u);
  EXPECT_FALSE(heard[3].ok);
  // Once answered, the next request goes out again: the router may have been switched since.
  plug->setPower("GIZWITS_TEST_1", true, listen);
  EXPECT_EQ(fake->calls.size(), 3);

  // Order is kept: on, off, on are three requests, and an "on" joins only the latest one.
  fake->calls.clear();
  fake->pending.clear();
  plug->setPower("AP", true, listen);
  plug->setPower("AP", false, listen);
  plug->setPower("AP", true, listen);
  plug->setPower("AP", true, listen);
  EXPECT_EQ(fake->calls, (QStringList{"power AP 1", "power AP 0", "power AP 1"}));
  // A reboot in between: a later power request is not joined to the one before it.
  fake->calls.clear();
  plug->setPower("R", true, listen);
  plug->reboot("R", listen);
  plug->setPower("R", true, listen);
  EXPECT_EQ(fake->calls, (QStringList{"power R 1", "reboot R", "power R 1"}));
}

TEST_F(RouterPlugTest, StatusEventCarriesPowerSignalAndClients) {
  RouterStatus seen;
  plug->status(QStringLiteral("AP1"), [&](const RouterResult&, const RouterStatus& s) { seen = s; });
  ASSERT_TRUE(fake->statusDone);
  fake->statusDone({true, {}}, {QStringLiteral("AP1"), true, 70, {QStringLiteral("A0B1C2D3E4F5")}});
  EXPECT_EQ(seen.clientMacs, QStringList{QStringLiteral("A0B1C2D3E4F5")});
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].name, QStringLiteral("router.status"));
  EXPECT_EQ(events[0].fields,
            (QVariantMap{{QStringLiteral("ssid"), QStringLiteral("AP1")},
                         {QStringLiteral("ok"), true},
                         {QStringLiteral("error"), QString()},
                         {QStringLiteral("powered"), true},
                         {QStringLiteral("signal"), 70},
                         {QStringLiteral("clients"), QStringList{QStringLiteral("A0B1C2D3E4F5")}}}));
}

TEST_F(RouterPlugTest, AnAnswerAfterThePlugIsGoneStillReachesTheCallerOnly) {
  // A backend that outlives the plug (kept alive by someone else) answering late must not touch the plug.
  class Keeper final : public RouterControl {
   public:
    explicit Keeper(std::shared_ptr<Done> slot) : slot_(std::move(slot)) {}
    void setPower(const QString&, bool, Done done) override { *slot_ = std::move(done); }
    void reboot(const QString&, Done) override {}
    void configure(const QString&, const QString&, const QString&, Done) override {}
    void setSignal(const QString&, const QString&, int, Done) override {}
    void status(const QString&, std::function<void(const RouterResult&, const RouterStatus&)>) override {}

   private:
    std::shared_ptr<Done> slot_;
  };
  auto slot = std::make_shared<RouterControl::Done>();
  bool heard = false;
  {
    RouterPlug shortLived(std::make_unique<Keeper>(slot));
    QObject::connect(&shortLived, &RouterPlug::event,
                     [&] { ADD_FAILURE() << "event from a destroyed plug"; });
    shortLived.setPower(QStringLiteral("AP1"), true, [&](const RouterResult&) { heard = true; });
  }
  ASSERT_TRUE(*slot);
  (*slot)({true, {}});
  EXPECT_TRUE(heard);
}

}  // namespace
}  // namespace gizrig::core
