#include "gizrig/lab/lab_cpu.h"

#include <algorithm>
#include <optional>

#include <sys/resource.h>
#include <unistd.h>

#include <QFile>
#include <QList>

namespace gizrig::lab {

namespace {

double seconds(const timeval& t) {
  return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_usec) / 1e6;
}

// A running process's CPU seconds, nullopt when it is gone or /proc cannot tell.
std::optional<double> processCpuSeconds(qint64 pid) {
  if (pid <= 0) return std::nullopt;
  QFile file(QStringLiteral("/proc/%1/stat").arg(pid));
  if (!file.open(QIODevice::ReadOnly)) return std::nullopt;
  const QByteArray line = file.read(1024);
  // "pid (comm) state ...": comm may hold spaces and ')', so fields count from the last ')'.
  const qsizetype close = line.lastIndexOf(')');
  if (close < 0) return std::nullopt;
  const QList<QByteArray> fields = line.mid(close + 1).simplified().split(' ');
  constexpr qsizetype kUtime = 14 - 3;  // fields 14 and 15 (1-based); the list starts at field 3
  if (fields.size() <= kUtime + 1) return std::nullopt;
  bool userOk = false;
  bool systemOk = false;
  const qulonglong ticks = fields[kUtime].toULongLong(&userOk) + fields[kUtime + 1].toULongLong(&systemOk);
  const long perSecond = ::sysconf(_SC_CLK_TCK);
  if (!userOk || !systemOk || perSecond <= 0) return std::nullopt;
  return static_cast<double>(ticks) / static_cast<double>(perSecond);
}

double ownCpuSeconds() {
  rusage usage{};
  if (::getrusage(RUSAGE_SELF, &usage) != 0) return 0;
  return seconds(usage.ru_utime) + seconds(usage.ru_stime);
}

}  // namespace

LabCpu sampleLabCpu(const LabState& state) {
  LabCpu cpu;
  cpu.rig = ownCpuSeconds();
  cpu.air = processCpuSeconds(state.airPid).value_or(0);
  cpu.broker = processCpuSeconds(state.mosquittoPid).value_or(0);
  for (const ModuleEntry& module : state.modules) cpu.modules += processCpuSeconds(module.pid).value_or(0);
  return cpu;
}

LabCpu operator-(const LabCpu& later, const LabCpu& earlier) {
  return {later.rig - earlier.rig, later.modules - earlier.modules, later.air - earlier.air,
          later.broker - earlier.broker};
}

QString describeCpu(const LabCpu& used, int cores, double wallSeconds) {
  const double available = cores * wallSeconds;
  // What the CPU alone forces on the wall time: the work shared over the cores, and the rig's own work, whose
  // slots all turn on one event loop (one core at most).
  const double cpuBound = std::max(cores > 0 ? used.total() / cores : used.total(), used.rig);
  return QStringLiteral(
             "rig %1 s, modules %2 s, air %3 s, broker %4 s = %5 s of %6 cores x %7 s (%8 %); the CPU alone "
             "needs at least %9 s")
      .arg(used.rig, 0, 'f', 3)
      .arg(used.modules, 0, 'f', 3)
      .arg(used.air, 0, 'f', 3)
      .arg(used.broker, 0, 'f', 3)
      .arg(used.total(), 0, 'f', 3)
      .arg(cores)
      .arg(wallSeconds, 0, 'f', 3)
      .arg(available > 0 ? 100.0 * used.total() / available : 0.0, 0, 'f', 0)
      .arg(cpuBound, 0, 'f', 3);
}

}  // namespace gizrig::lab
