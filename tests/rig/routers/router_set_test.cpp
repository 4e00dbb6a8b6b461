// Several router controllers as one (a real line: one OpenWrt device per test router).
#include "gizrig/routers/router_set.h"

#include <gtest/gtest.h>

namespace gizrig::core {
namespace {

// Remembers what it was asked and answers ok.
class RecordingRouter final : public RouterControl {
 public:
  explicit RecordingRouter(QStringList* calls, QString name) : calls_(calls), name_(std::move(name)) {}
  void setPower(const QString& ssid, bool on, Done done) override {
    *calls_ << QStringLiteral("%1 power %2 %3").arg(name_, ssid, on ? "on" : "off");
    done({true, {}});
  }
  void reboot(const QString& ssid, Done done) override {
    *calls_ << QStringLiteral("%1 reboot %2").arg(name_, ssid);
    done({true, {}});
  }
  void configure(const QString& ssid, const QString&, const QString&, Done done) override {
    *calls_ << QStringLiteral("%1 configure %2").arg(name_, ssid);
    done({true, {}});
  }
  void setSignal(const QString& ssid, const QString&, int, Done done) override {
    *calls_ << QStringLiteral("%1 signal %2").arg(name_, ssid);
    done({false, QStringLiteral("a real router cannot set a signal")});
  }
  void status(const QString& ssid,
              std::function<void(const RouterResult&, const RouterStatus&)> done) override {
    *calls_ << QStringLiteral("%1 status %2").arg(name_, ssid);
    RouterStatus status;
    status.ssid = ssid;
    status.powered = true;
    done({true, {}}, status);
  }

 private:
  QStringList* calls_;
  QString name_;
};

TEST(RouterSet, S5_7_EachTestRouterIsSwitchedByTheControllerThatOwnsIt) {
  QStringList calls;
  RouterSet set;
  set.add(std::make_unique<RecordingRouter>(&calls, "R1"), {"GIZWITS_TEST_1"});
  set.add(std::make_unique<RecordingRouter>(&calls, "R2"), {"GIZWITS_TEST_2"});
  QList<RouterResult> results;
  set.setPower("GIZWITS_TEST_2", true, [&](const RouterResult& r) { results << r; });
  set.reboot("GIZWITS_TEST_1", [&](const RouterResult& r) { results << r; });
  RouterStatus seen;
  set.status("GIZWITS_TEST_2", [&](const RouterResult& r, const RouterStatus& s) {
    results << r;
    seen = s;
  });
  EXPECT_EQ(calls, (QStringList{"R2 power GIZWITS_TEST_2 on", "R1 reboot GIZWITS_TEST_1",
                                "R2 status GIZWITS_TEST_2"}));
  ASSERT_EQ(results.size(), 3);
  for (const RouterResult& r : results) EXPECT_TRUE(r.ok);
  EXPECT_EQ(seen.ssid, "GIZWITS_TEST_2");
}

TEST(RouterSet, RigError_AnSsidNoControllerOwnsIsAnErrorNamingIt) {
  QStringList calls;
  RouterSet set;
  set.add(std::make_unique<RecordingRouter>(&calls, "R1"), {"GIZWITS_TEST_1"});
  RouterResult result{true, {}};
  set.setPower("GIZWITS_TEST_3", true, [&](const RouterResult& r) { result = r; });
  EXPECT_FALSE(result.ok);
  EXPECT_EQ(result.error.toStdString(),
            "no router controller of the station switches \"GIZWITS_TEST_3\" (it has: GIZWITS_TEST_1)");
  EXPECT_TRUE(calls.isEmpty());
}

}  // namespace
}  // namespace gizrig::core
