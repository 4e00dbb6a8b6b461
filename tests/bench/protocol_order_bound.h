#pragma once
// Issue 12, P2: the protocol-order bound of a run on a paced serial line. The full-duplex bound (the busier
// direction's bytes) assumes both directions stream without pause; the protocol does not allow that (§1.4:
// one outstanding request per side, every request answered), so this bound replays the frames the run
// actually exchanged with zero processing time, each frame starting as early as these rules let it:
//   1. not before the previous frame on its own direction ended (one wire per direction, in the run's order);
//   2. an answer (cmd + 1, same sn) not before the request it answers ended;
//   3. a request not before the last frame its sender had wholly received when it sent it in the run ended:
//      what made it send the request (the ACK of its previous request, §1.4, or the frame it reacts to) keeps
//      its place. Events off the wire (the join, the app's LAN requests) take no time here.
// Each frame then takes its bytes' wire time. Every rule points at a frame that ended before the dependent
// one started in the run, so the bound never exceeds the run; what the run takes beyond it is processing,
// LAN and timer time, and millisecond rounding.
#include <algorithm>
#include <cstdint>
#include <optional>
#include <vector>

namespace gizrig::bench {

struct WireFrame {
  bool fromMcu = false;  // MCU -> module; false: module -> MCU
  std::uint8_t cmd = 0;
  std::uint8_t sn = 0;
  std::int64_t bytes = 0;  // on the wire, stuffing included
  double sentAtMs = 0;     // when its sender wrote it (in the run)
  double startedAtMs = 0;  // when its first bit went out (in the run; later than sentAtMs behind a frame)
  double endedAtMs = 0;    // when its last byte had arrived (in the run)
};

// The bound, in ms from `startMs`, of the frames that ended by `untilMs` (those the run waited for).
inline double protocolOrderBoundMs(const std::vector<WireFrame>& frames, double byteMs, double startMs,
                                   double untilMs) {
  std::vector<double> end(frames.size(), startMs);
  std::optional<std::size_t> lastOnDirection[2];
  double bound = startMs;
  // Frames in the order they started in the run: every frame a rule points at comes earlier.
  std::vector<std::size_t> order(frames.size());
  for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
    return frames[a].startedAtMs < frames[b].startedAtMs;
  });
  for (const std::size_t i : order) {
    const WireFrame& f = frames[i];
    double start = startMs;
    if (const auto prev = lastOnDirection[f.fromMcu ? 1 : 0]) start = std::max(start, end[*prev]);
    std::optional<std::size_t> request;  // rule 2: the latest matching request of the other side before it
    if (f.cmd % 2 == 0) {
      for (const std::size_t j : order) {
        if (j == i) break;
        const WireFrame& r = frames[j];
        if (r.fromMcu != f.fromMcu && r.cmd + 1 == f.cmd && r.sn == f.sn) request = j;
      }
    }
    if (request) {
      start = std::max(start, end[*request]);
    } else {  // rule 3: the last frame its sender had heard
      std::optional<std::size_t> heard;
      for (const std::size_t j : order) {
        if (j == i) break;
        const WireFrame& g = frames[j];
        if (g.fromMcu != f.fromMcu && g.endedAtMs <= f.sentAtMs &&
            (!heard || g.endedAtMs >= frames[*heard].endedAtMs))
          heard = j;
      }
      if (heard) start = std::max(start, end[*heard]);
    }
    end[i] = start + static_cast<double>(f.bytes) * byteMs;
    lastOnDirection[f.fromMcu ? 1 : 0] = i;
    if (f.endedAtMs <= untilMs) bound = std::max(bound, end[i]);
  }
  return bound - startMs;
}

}  // namespace gizrig::bench
