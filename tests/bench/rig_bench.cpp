// Benchmark (not a test) of the rig, issues 5 and 12 (P2): a single-DUT production test in virtual time at
// 9600 8N1 against two lower bounds, the busier wire direction's bytes (full duplex) and the protocol's
// stop-and-wait order of the frames the run exchanged (protocol_order_bound.h); and the virtual-time speed
// of the certification suite (simulated seconds per wall second). scripts/bench adds the real-time timings.
// --frames lists the run's frames with their wire times (-> module to MCU, <- MCU to module).
#include <QCoreApplication>
#include <QElapsedTimer>
#include <algorithm>
#include <cstdio>
#include <vector>

#include "gagent/sim/sim_board.h"
#include "gagent/sim/sim_uart.h"
#include "gizrig/engine/scenario_loader.h"
#include "gizrig/plugs/app_plug.h"
#include "gizrig/plugs/mcu_plug.h"
#include "gizrig/production/production_station.h"
#include "gizrig/virtual/virtual_scenario_host.h"
#include "gizrig/virtual/virtual_world.h"
#include "protocol_order_bound.h"

using namespace gizrig::core;

namespace {

constexpr double kBaud = 9600;
constexpr double kByteMs = 10.0 * 1000.0 / kBaud;  // S3.2: 8N1, 10 bits a byte

struct ProductionTimes {
  RigMillis virtualMs = -1;     // the run, start to verdict
  double fullDuplexMs = -1;     // the busier direction's bytes
  double protocolOrderMs = -1;  // protocol_order_bound.h; -1 when the captures disagree
  std::vector<gizrig::bench::WireFrame> frames;
};

// The frames of the MCU plug's capture with their wire times from the SimUart's transfers (which give when
// each write happened): byte by byte per direction, as SimUart paces them. Empty when the two disagree.
std::vector<gizrig::bench::WireFrame> wireFrames(
    const McuCapture& capture, const std::vector<gagent::sim::SimUart::Transfer>& transfers) {
  struct ByteTime {
    double sentAt;
    double endedAt;
    std::uint8_t value;
  };
  std::vector<ByteTime> lines[2];  // [0] module -> MCU, [1] MCU -> module
  for (int d = 0; d < 2; ++d) {
    const auto direction =
        d == 1 ? gagent::sim::SimUart::Direction::McuToModule : gagent::sim::SimUart::Direction::ModuleToMcu;
    double freeAt = 0;
    for (const auto& t : transfers) {
      if (t.direction != direction) continue;
      for (const std::uint8_t b : t.bytes) {
        freeAt = std::max(freeAt, static_cast<double>(t.sentAt)) + kByteMs;
        lines[d].push_back({static_cast<double>(t.sentAt), freeAt, b});
      }
    }
  }
  std::vector<gizrig::bench::WireFrame> frames;
  std::size_t next[2] = {0, 0};
  for (const FrameLogEntry& entry : capture.entries()) {
    const int d = entry.direction == FrameDirection::FromMcu ? 1 : 0;
    const auto n = static_cast<std::size_t>(entry.raw.size());
    if (n < 6 || next[d] + n > lines[d].size()) return {};
    for (std::size_t k = 0; k < n; ++k) {
      if (lines[d][next[d] + k].value != static_cast<std::uint8_t>(entry.raw[static_cast<qsizetype>(k)]))
        return {};
    }
    const ByteTime& first = lines[d][next[d]];
    frames.push_back({d == 1, static_cast<std::uint8_t>(entry.raw[4]),
                      static_cast<std::uint8_t>(entry.raw[5]), static_cast<std::int64_t>(n), first.sentAt,
                      first.endedAt - kByteMs, lines[d][next[d] + n - 1].endedAt});
    next[d] += n;
  }
  if (next[0] != lines[0].size() || next[1] != lines[1].size()) return {};
  return frames;
}

// One production run in virtual time on a paced 9600-baud line.
ProductionTimes productionTimes() {
  ProductionTimes times;
  VirtualWorldOptions options;
  options.productFile = GAGENT_FIXTURES_DIR "/products/gokit-demo.json";
  options.testRouters = true;
  options.uartBaud = 9600;
  QString error;
  auto world = VirtualWorld::create(options, error);
  if (!world) return times;
  world->runFor(1000);
  world->mcu()->capture().clear();
  world->board().uart().clearCapture();
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
  times.virtualMs = world->nowMs() - start;
  qsizetype toMcu = 0;
  qsizetype fromMcu = 0;
  for (const FrameLogEntry& entry : world->mcu()->capture().entries()) {
    (entry.direction == FrameDirection::ToMcu ? toMcu : fromMcu) += entry.raw.size();
  }
  // The line is full duplex, so the busier direction bounds the time. The sequence imposes no spec wait: the
  // module scans at once after 0x13 (S5.2), joins, and the test tool proceeds as soon as each answer arrives.
  times.fullDuplexMs = static_cast<double>(std::max(toMcu, fromMcu)) * kByteMs;
  times.frames = wireFrames(world->mcu()->capture(), world->board().uart().capture());
  if (!times.frames.empty()) {
    times.protocolOrderMs = gizrig::bench::protocolOrderBoundMs(
        times.frames, kByteMs, static_cast<double>(start), static_cast<double>(world->nowMs()));
    for (gizrig::bench::WireFrame& f : times.frames) {  // relative to the run's start, for --frames
      f.sentAtMs -= static_cast<double>(start);
      f.startedAtMs -= static_cast<double>(start);
      f.endedAtMs -= static_cast<double>(start);
    }
  }
  return times;
}

}  // namespace

int main(int argc, char** argv) {
  QCoreApplication app(argc, argv);
  const ProductionTimes times = productionTimes();
  if (times.virtualMs < 0) return 2;
  const auto virtualMs = static_cast<double>(times.virtualMs);
  std::printf("%-46s %10.1f ms\n", "single-DUT lower bound, full duplex", times.fullDuplexMs);
  std::printf("%-46s %10.1f ms  (%.2f x full duplex)\n", "single-DUT lower bound, protocol order",
              times.protocolOrderMs, times.protocolOrderMs / times.fullDuplexMs);
  std::printf("%-46s %10lld ms  (%.2f x full duplex, %.2f x protocol order)\n",
              "single-DUT production, virtual time at 9600", static_cast<long long>(times.virtualMs),
              virtualMs / times.fullDuplexMs, virtualMs / times.protocolOrderMs);
  if (QCoreApplication::arguments().contains(QStringLiteral("--frames"))) {
    std::printf("  %8s %8s %8s  %-3s %4s %4s %6s\n", "sent ms", "start ms", "end ms", "dir", "cmd", "sn",
                "bytes");
    for (const gizrig::bench::WireFrame& f : times.frames)
      std::printf("  %8.1f %8.1f %8.1f  %-3s 0x%02X %4u %6lld\n", f.sentAtMs, f.startedAtMs, f.endedAtMs,
                  f.fromMcu ? "<-" : "->", f.cmd, f.sn, static_cast<long long>(f.bytes));
  }

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
