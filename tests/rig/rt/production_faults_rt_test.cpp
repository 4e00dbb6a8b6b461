// The production test against gagent-sim in real time (issue 5): each kind of DUT failure fails the run at
// the step that catches it - no test router on the air, a silent MCU line, a wrong report, a weak signal.
#include <gtest/gtest.h>

#include <QTemporaryDir>

#include "gizrig/clock/rig_clock.h"
#include "gizrig/lab/lab_service.h"
#include "gizrig/plugs/mcu_plug.h"
#include "gizrig/production/production_station.h"
#include "gizrig/production/station_slots.h"
#include "gizrig/routers/air_router_backend.h"
#include "rt_support.h"

namespace gizrig::test {
namespace {

using namespace gizrig::core;

class ProductionFaultsRt : public ::testing::Test {
 protected:
  // One DUT in a lab of its own; `prepare` breaks something before the sequence starts.
  RunRecord run(bool testRoutersInTheAir, const std::function<void(McuPlug&, lab::LabService&)>& prepare,
                int minSignalLevel = 3) {
    app();
    QTemporaryDir dir;
    lab::LabOptions options;
    options.runDir = dir.path();
    options.modules = 1;
    options.production = testRoutersInTheAir;
    options.freshModules = true;
    lab::LabService lab(options);
    QString error;
    EXPECT_TRUE(lab.start(&error)) << error.toStdString();
    if (!lab.state().ready) return {};
    RealClock clock;
    auto product = McuPlug::loadProductFile(GAGENT_FIXTURES_DIR "/products/gokit-demo.json", error);
    EXPECT_TRUE(product) << error.toStdString();
    StationSlots plugs(clock, std::make_shared<const gagent::proto::Product>(*product));
    const lab::ModuleEntry module = lab.state().modules.front();
    EXPECT_TRUE(plugs.open({SlotConfig{"1", module.pty, QHostAddress(module.ip), 9600, {}}}, &error))
        << error.toStdString();
    StationConfig station;
    station.station = "rt";
    station.product = "products/gokit-demo.json";
    station.broadcast = lab.state().broadcast;
    station.limits.minSignalLevel = minSignalLevel;
    station.limits.maxJoinMs = 25000;  // the module scans every 10 s: two chances, then the run must end
    station.limits.stepTimeoutMs = 8000;
    if (!testRoutersInTheAir) station.testRouters.clear();  // the line's routers are simply not there
    if (testRoutersInTheAir) plugs.useAirRouters(lab.state().airPort);
    const ProductionSlot slot = plugs.productionSlot(0, "SN-RT");
    spinUntil([&] { return slot.mcu->statusWord().has_value(); }, 15000);
    if (prepare) prepare(*slot.mcu, lab);
    ProductionStation runner(clock, station, nullptr, RunMode::Real);
    runner.startSlot(slot);
    EXPECT_TRUE(spinUntil([&] { return runner.finished(); }, 120000));
    const RunRecord record = runner.runs().at(0);
    plugs.close();
    lab.stop();
    return record;
  }
};

TEST_F(ProductionFaultsRt, S5_3_AGoodModulePasses) {
  const RunRecord record = run(true, {});
  ASSERT_TRUE(record.outcome);
  EXPECT_EQ(*record.outcome, Outcome::Pass)
      << record.failingStep.toStdString() << ": " << record.failingMessage.toStdString();
}

TEST_F(ProductionFaultsRt, S5_4_NoTestRouterOnTheAirFailsTheJoin) {
  const RunRecord record = run(false, {});
  ASSERT_TRUE(record.outcome);
  EXPECT_EQ(*record.outcome, Outcome::Fail);
  EXPECT_EQ(record.failingStep, "join_test_router");
}

TEST_F(ProductionFaultsRt, S7_6_SilentMcuLineFailsTheRun) {
  // The module restarts and meets an MCU that never answers: no handshake, so no status pushes.
  const RunRecord record = run(true, [](McuPlug& mcu, lab::LabService&) {
    mcu.sendRestartModule();
    mcu.setSilent(true);
  });
  ASSERT_TRUE(record.outcome);
  EXPECT_EQ(*record.outcome, Outcome::Fail);
  EXPECT_EQ(record.failingStep, "join_test_router") << record.failingMessage.toStdString();
}

TEST_F(ProductionFaultsRt, S7_4_5_WrongReportFailsTheControlRoundTrip) {
  const RunRecord record =
      run(true, [](McuPlug& mcu, lab::LabService&) { mcu.setStuckDataPoint("LED_R", 5); });
  ASSERT_TRUE(record.outcome);
  EXPECT_EQ(*record.outcome, Outcome::Fail);
  EXPECT_EQ(record.failingStep, "control_round_trip");
}

TEST_F(ProductionFaultsRt, S4_3_WeakSignalFailsTheSignalStep) {
  // The test routers give signal 70 (level ordinal 5) on the air; a limit of 6 is out of reach.
  const RunRecord record = run(true, {}, 6);
  ASSERT_TRUE(record.outcome);
  EXPECT_EQ(*record.outcome, Outcome::Fail);
  EXPECT_EQ(record.failingStep, "signal_level");
}

}  // namespace
}  // namespace gizrig::test
