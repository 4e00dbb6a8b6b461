#pragma once
// The PIDs in lab.json outlive the processes they named: after a crash the kernel hands them to other
// programs. A PID is only signalled while it still names the process the lab started, told by its start
// time (/proc/<pid>/stat field 22, clock ticks since boot), which lab.json records next to the PID. With a
// pidfd the check and the signal address the same process, so a PID reused in between is never hit.

#include <QtGlobal>
#include <optional>

namespace gizrig::lab {

// One process as lab.json names it.
struct ProcessRef {
  qint64 pid = 0;
  quint64 startTicks = 0;  // 0: unknown (a lab.json without start times): never signalled
};

// The start time of a running process, nullopt when there is none with that PID.
[[nodiscard]] std::optional<quint64> processStartTicks(qint64 pid);
// `pid` with its start time now (startTicks 0 when it is gone).
[[nodiscard]] ProcessRef currentProcess(qint64 pid);
// Whether `ref` still names the process it named when recorded.
[[nodiscard]] bool isSameProcess(const ProcessRef& ref);

enum class SignalResult { Sent, Gone, NotOurs };
// Sends `signal` to `ref` only when it is still that process: Gone when no process has the PID, NotOurs when
// another one (or one of unknown start) has it.
SignalResult signalIfSame(const ProcessRef& ref, int signal);

}  // namespace gizrig::lab
