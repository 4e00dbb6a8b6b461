// Benchmark (not a test) of the rig, issue 5: the lower bound of a single-DUT production test (bytes on the
// serial wire at 9600 8N1 plus the waits the spec imposes) and the virtual-time speed of the certification
// suite (simulated seconds per wall second). scripts/bench adds the real-time slot timings.
#include <QCoreApplication>
#include <QElapsedTimer>
#include <algorithm>
#include <cstdio>

#include "gizrig/engine/scenario_loader.h"
#include "gizrig/plugs/app_plug.h"
#include "gizrig/plugs/mcu_plug.h"
#include "gizrig/production/production_station.h"
#include "gizrig/virtual/virtual_scenario_host.h"
#include "gizrig/virtual/virtual_world.h"

using namespace gizrig::core;

namespace {

// One production run in virtual time on a paced 9600-baud line: every MCU frame's bytes at 10 bits each.
double productionLowerBoundMs(RigMillis& virtualDurationMs) {
  VirtualWorldOptions options;
  options.productFile = GAGENT_FIXTURES_DIR "/products/gokit-demo.json";
  options.testRouters = true;
  options.uartBaud = 9600;
  QString error;
  auto world = VirtualWorld::create(options, error);
  if (!world) return -1;
  world->runFor(1000);
  world->mcu()->capture().clear();
  StationConfig station;
  station.station = "bench";
  station.product = "products/gokit-demo.json";
  station.broadcast = VirtualWorld::homeLanBroadcast().toString();
  AppPlug app(world->clock(), world->lanLinks());
  app.setProduct(world->sharedProduct());
  ProductionStation runner(world->clock(), station, nullptr, RunMode::Virtual);
  const RigMillis start = world->nowMs();
  runner.startSlot(
      ProductionSlot{"1", world->mcu(), &app, &world->router(), QHostAddress(), {}, {}, {}, nullptr});
  world->clock().runUntil([&] { return runner.finished(); }, start + 30 * 60 * 1000);
  virtualDurationMs = world->nowMs() - start;
  qsizetype toMcu = 0;
  qsizetype fromMcu = 0;
  for (const FrameLogEntry& entry : world->mcu()->capture().entries()) {
    (entry.direction == FrameDirection::ToMcu ? toMcu : fromMcu) += entry.raw.size();
  }
  // S3.2: 9600 bps, 8N1 = 10 bits a byte; the line is full duplex, so the busier direction bounds the time.
  // The sequence imposes no spec wait: the module scans at once after 0x13 (S5.2), joins, and the test tool
  // proceeds as soon as each answer arrives.
  return static_cast<double>(std::max(toMcu, fromMcu)) * 10.0 * 1000.0 / 9600.0;
}

}  // namespace

int main(int argc, char** argv) {
  QCoreApplication app(argc, argv);
  RigMillis virtualProductionMs = 0;
  const double boundMs = productionLowerBoundMs(virtualProductionMs);
  std::printf("%-46s %10.1f ms\n", "single-DUT lower bound (busier wire direction)", boundMs);
  std::printf("%-46s %10lld ms  (%.2f x the bound)\n", "single-DUT production, virtual time at 9600",
              static_cast<long long>(virtualProductionMs),
              static_cast<double>(virtualProductionMs) / boundMs);

  const ActionRegistry actions = standardActions();
  QString error;
  const auto suite =
      ScenarioLoader(actions).loadSuiteFile(GAGENT_FIXTURES_DIR "/suites/certification.json", error);
  if (!suite) {
    std::fprintf(stderr, "%s\n", qPrintable(error));
    return 2;
  }
  VirtualRunOptions options;
  options.fixturesDir = GAGENT_FIXTURES_DIR;
  double simulatedMs = 0;
  QElapsedTimer wall;
  wall.start();
  int passed = 0;
  for (const QString& file : suite->scenarioFiles) {
    const auto scenario = ScenarioLoader(actions).loadFile(file, error);
    if (!scenario) continue;
    const RunRecord run = runScenarioVirtual(*scenario, actions, options);
    for (const StepRecord& step : run.steps) simulatedMs += static_cast<double>(step.durationMs);
    passed += run.outcome == Outcome::Pass ? 1 : 0;
  }
  const double wallMs = static_cast<double>(wall.nsecsElapsed()) / 1e6;
  std::printf("%-46s %10.0f s simulated in %.2f s wall: %.0f simulated s per wall s (%d/%lld passed)\n",
              "certification suite, virtual time", simulatedMs / 1000.0, wallMs / 1000.0,
              simulatedMs / std::max(wallMs, 1e-3), passed,
              static_cast<long long>(suite->scenarioFiles.size()));
  return 0;
}
