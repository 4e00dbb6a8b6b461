#pragma once
// Production runs one after the other in one long-lived virtual world (one process, one virtual clock), the
// virtual clock moved minutes ahead between them: what a GUI open all shift does. Each run carries the wall
// clock read just before and just after it, so a test can check its stamps against the moment it ran.
#include <gtest/gtest.h>

#include <QDateTime>
#include <vector>

#include "gizrig/plugs/app_plug.h"
#include "gizrig/production/production_station.h"
#include "gizrig/records/record_store.h"
#include "gizrig/virtual/virtual_world.h"

namespace gizrig::core::testing {

struct TimedRun {
  RunRecord run;
  std::int64_t wallBefore = 0;  // UTC ms read just before the run started
  std::int64_t wallAfter = 0;   // ... and just after it finished
  RigMillis clockAtStart = 0;   // the virtual clock when it started
  RigMillis clockAtEnd = 0;
};

inline std::vector<TimedRun> productionRunsApart(RecordStore* store, int count, RigMillis gapMs,
                                                 const QString& station = QStringLiteral("EOL-apart")) {
  std::vector<TimedRun> result;
  VirtualWorldOptions options;
  options.productFile = GAGENT_FIXTURES_DIR "/products/gokit-demo.json";
  options.testRouters = true;
  options.homeRouter = true;
  QString error;
  auto world = VirtualWorld::create(options, error);
  EXPECT_TRUE(world) << error.toStdString();
  if (!world) return result;
  world->runFor(1000);  // power-on and handshake
  StationConfig config;
  config.station = station;
  config.product = QStringLiteral("products/gokit-demo.json");
  config.broadcast = VirtualWorld::homeLanBroadcast().toString();
  AppPlug phone(world->clock(), world->lanLinks());
  phone.setProduct(world->sharedProduct());
  for (int i = 0; i < count; ++i) {
    if (i > 0) world->runFor(gapMs);  // the operator's pause, minutes of virtual time
    TimedRun timed;
    timed.wallBefore = QDateTime::currentMSecsSinceEpoch();
    timed.clockAtStart = world->nowMs();
    ProductionStation runner(world->clock(), config, store, RunMode::Virtual);
    runner.startSlot(ProductionSlot{
        "1", world->mcu(), &phone, &world->router(), QHostAddress(), QStringLiteral("SN-%1").arg(i + 1), {}, {}});
    EXPECT_TRUE(world->clock().runUntil([&] { return runner.finished(); }, world->nowMs() + 30 * 60 * 1000));
    timed.clockAtEnd = world->nowMs();
    timed.wallAfter = QDateTime::currentMSecsSinceEpoch();
    timed.run = runner.runs().at(0);
    result.push_back(std::move(timed));
  }
  return result;
}

// The stamps of one run: its start is the wall clock at the moment it started, every later stamp is that
// start plus virtual time (so durations are the virtual clock's), steps in order inside the run.
inline void expectStampsOfTheMoment(const TimedRun& timed) {
  const RunRecord& run = timed.run;
  ASSERT_TRUE(run.finishedMs);
  EXPECT_GE(run.startedMs, timed.wallBefore);
  EXPECT_LE(run.startedMs, timed.wallAfter);
  EXPECT_EQ(*run.finishedMs - run.startedMs, timed.clockAtEnd - timed.clockAtStart);
  std::int64_t previous = run.startedMs;
  for (const StepRecord& step : run.steps) {
    EXPECT_GE(step.startedMs, previous) << step.name.toStdString();
    EXPECT_LE(step.startedMs + step.durationMs, *run.finishedMs) << step.name.toStdString();
    previous = step.startedMs;
  }
}

}  // namespace gizrig::core::testing
