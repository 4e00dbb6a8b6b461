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
