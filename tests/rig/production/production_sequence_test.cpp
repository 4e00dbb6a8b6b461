// The production sequence against the firmware core in virtual time: a good module passes every phase; each
// kind of DUT fault fails the run at the phase that catches it.
#include "gizrig/production/production_sequence.h"

#include <gtest/gtest.h>

#include <QCoreApplication>

#include "gizrig/plugs/app_plug.h"
#include "gizrig/plugs/mcu_plug.h"
#include "gizrig/production/production_station.h"
#include "gizrig/virtual/virtual_world.h"

namespace gizrig::core {
namespace {

QCoreApplication& app() {
  static int argc = 1;
  static char name[] = "production_sequence_test";
  static char* argv[] = {name, nullptr};
  static QCoreApplication instance(argc, argv);
  return instance;
}

class ProductionVirtual : public ::testing::Test {
 protected:
  void SetUp() override { app(); }

  // Builds the world; `prepare` may break the DUT or the air before the test starts.
  RunRecord run(bool testRouters, const std::function<void(VirtualWorld&)>& prepare = {},
                bool routerControl = true) {
    VirtualWorldOptions options;
    options.productFile = GAGENT_FIXTURES_DIR "/products/gokit-demo.json";
    options.testRouters = testRouters;
    options.homeRouter = true;
    QString error;
    auto world = VirtualWorld::create(options, error);
    EXPECT_TRUE(world) << error.toStdString();
    if (!world) return {};
    if (prepare) prepare(*world);
    world->runFor(1000);  // power-on and handshake
    StationConfig station;
    station.station = "EOL-test";
    station.product = "products/gokit-demo.json";
    station.broadcast = VirtualWorld::homeLanBroadcast().toString();
    AppPlug phone(world->clock(), world->lanLinks());
    phone.setProduct(world->sharedProduct());
    ProductionStation runner(world->clock(), station, nullptr, RunMode::Virtual);
    runner.startSlot(ProductionSlot{"1", world->mcu(), &phone, routerControl ? &world->router() : nullptr,
                                    QHostAddress(), "SN-1"});
    EXPECT_TRUE(world->clock().runUntil([&] { return runner.finished(); }, world->nowMs() + 30 * 60 * 1000));
    return runner.runs().at(0);
  }

  static const StepRecord* step(const RunRecord& run, const QString& name) {
    for (const StepRecord& s : run.steps) {
      if (s.name == name) return &s;
    }
    return nullptr;
  }
};

TEST_F(ProductionVirtual, S5_3_S5_6_AGoodModulePassesEveryPhase) {
  const RunRecord record = run(true);
  ASSERT_TRUE(record.outcome);
  EXPECT_EQ(*record.outcome, Outcome::Pass)
      << record.failingStep.toStdString() << ": " << record.failingMessage.toStdString();
  EXPECT_EQ(record.steps.size(), static_cast<std::size_t>(ProductionSequence::phaseNames().size()));
  EXPECT_EQ(record.dut.mac.size(), 12);
  EXPECT_EQ(record.dut.serial, "SN-1");
  EXPECT_FALSE(record.versions.wifiSw.isEmpty());
  const StepRecord* signal = step(record, "signal_level");
  ASSERT_NE(signal, nullptr);
  EXPECT_EQ(signal->measurements.at(0).low, 3.0);
}

TEST_F(ProductionVirtual, S5_4_NoTestRouterInTheAirFailsTheJoinPhase) {
  // The line's routers are managed outside the rig (no router control) and none is on the air.
  const RunRecord record = run(false, {}, false);
  ASSERT_TRUE(record.outcome);
  EXPECT_EQ(*record.outcome, Outcome::Fail);
  EXPECT_EQ(record.failingStep, "join_test_router");
}

TEST_F(ProductionVirtual, S7_6_SilentMcuFailsTheRunWhenNoStatusArrives) {
  // The MCU hears the module but never answers (a dead MCU TX line): the module never completes its
  // handshake, so it pushes no status (McuLink holds requests until then) and the join can never be
  // confirmed.
  const RunRecord record = run(true, [](VirtualWorld& w) { w.mcu()->setSilent(true); });
  ASSERT_TRUE(record.outcome);
  EXPECT_EQ(*record.outcome, Outcome::Fail);
  EXPECT_EQ(record.failingStep, "join_test_router") << record.failingMessage.toStdString();
  EXPECT_TRUE(record.failingMessage.contains("status 0x0000")) << record.failingMessage.toStdString();
}

TEST_F(ProductionVirtual, RigError_RouterBackendThatCannotSwitchTheTestRoutersIsAnError) {
  const RunRecord record = run(false);  // router control present, but it knows no test router
  ASSERT_TRUE(record.outcome);
  EXPECT_EQ(*record.outcome, Outcome::Error);
  EXPECT_EQ(record.failingStep, "test_routers_on");
}

TEST_F(ProductionVirtual, S7_4_5_WrongReportFailsTheControlRoundTrip) {
  const RunRecord record = run(true, [](VirtualWorld& w) { w.mcu()->setStuckDataPoint("LED_R", 5); });
  ASSERT_TRUE(record.outcome);
  EXPECT_EQ(*record.outcome, Outcome::Fail);
  EXPECT_EQ(record.failingStep, "control_round_trip");
}

TEST_F(ProductionVirtual, S4_3_WeakSignalFailsTheSignalPhase) {
  const RunRecord record = run(true, [](VirtualWorld& w) {
    w.router().setSignal("GIZWITS_TEST_1", QString(), 30, [](const RouterResult&) {});
    w.router().setSignal("GIZWITS_TEST_2", QString(), 30, [](const RouterResult&) {});
  });
  ASSERT_TRUE(record.outcome);
  EXPECT_EQ(*record.outcome, Outcome::Fail);
  EXPECT_EQ(record.failingStep, "signal_level");
  const StepRecord* signal = step(record, "signal_level");
  ASSERT_NE(signal, nullptr);
  EXPECT_EQ(std::get<double>(signal->measurements.at(0).value), 2.0);  // 30 -> level 40 -> ordinal 2
}

}  // namespace
}  // namespace gizrig::core
