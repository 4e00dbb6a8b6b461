#pragma once
// CPU seconds (user + system) the rig and a lab's processes used, for the benchmark's accounting of a test
// phase (P3, docs/rig.md): CPU-seconds are robust to other load on a shared machine where wall time is not.
// Linux: /proc/<pid>/stat fields 14 and 15; the rig's own from getrusage (every thread of it).

#include <QString>

#include "gizrig/lab/lab_state.h"

namespace gizrig::lab {

struct LabCpu {
  double rig = 0;      // this process: the plugs, the records, the stand-in cloud and the M2M gate
  double modules = 0;  // every gagent-sim
  double air = 0;      // gagent-air
  double broker = 0;   // mosquitto
  [[nodiscard]] double total() const { return rig + modules + air + broker; }
};

// Now, for the rig and every process `state` names (a process gone since counts 0).
[[nodiscard]] LabCpu sampleLabCpu(const LabState& state);
// What was used between two samples.
[[nodiscard]] LabCpu operator-(const LabCpu& later, const LabCpu& earlier);
// "rig 0.410 s, modules 0.520 s, air 0.010 s, broker 0.030 s = 0.970 s of 2 cores x 0.880 s (55 %); the CPU
// alone needs at least 0.485 s" (the shared work over the cores, or the rig's one event loop if more)
[[nodiscard]] QString describeCpu(const LabCpu& used, int cores, double wallSeconds);

}  // namespace gizrig::lab
