#include "gizrig/lab/lab_process.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <QByteArray>
#include <QList>
#include <cerrno>

namespace gizrig::lab {

namespace {

// A file descriptor that closes itself.
class Fd {
 public:
  explicit Fd(int fd) : fd_(fd) {}
  ~Fd() {
    if (fd_ >= 0) ::close(fd_);
  }
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  [[nodiscard]] int get() const { return fd_; }

 private:
  int fd_;
};

int openPidfd(qint64 pid) {
#ifdef SYS_pidfd_open
  return static_cast<int>(::syscall(SYS_pidfd_open, static_cast<pid_t>(pid), 0));
#else
  (void)pid;
  errno = ENOSYS;
  return -1;
#endif
}

bool pidfdSignal(int pidfd, int signal) {
#ifdef SYS_pidfd_send_signal
  return ::syscall(SYS_pidfd_send_signal, pidfd, signal, nullptr, 0) == 0;
#else
  (void)pidfd;
  (void)signal;
  return false;
#endif
}

}  // namespace

std::optional<quint64> processStartTicks(qint64 pid) {
  if (pid <= 0) return std::nullopt;
  const QByteArray path = "/proc/" + QByteArray::number(pid) + "/stat";
  const Fd fd(::open(path.constData(), O_RDONLY | O_CLOEXEC));
  if (fd.get() < 0) return std::nullopt;
  char buffer[1024];  // a stat line is a few hundred bytes; comm is at most 16
  const ssize_t size = ::read(fd.get(), buffer, sizeof buffer - 1);
  if (size <= 0) return std::nullopt;
  // "pid (comm) state ppid ...": comm may hold spaces and ')', so fields count from the last ')'.
  const QByteArray line(buffer, static_cast<qsizetype>(size));
  const qsizetype close = line.lastIndexOf(')');
  if (close < 0) return std::nullopt;
  const QList<QByteArray> fields = line.mid(close + 1).simplified().split(' ');
  constexpr qsizetype kStartTimeIndex = 22 - 3;  // field 22 (1-based); the list starts at field 3 (state)
  if (fields.size() <= kStartTimeIndex) return std::nullopt;
  if (fields[0] == "Z" || fields[0] == "X") return std::nullopt;  // dead, waiting to be reaped: gone
  bool ok = false;
  const quint64 ticks = fields[kStartTimeIndex].toULongLong(&ok);
  if (!ok) return std::nullopt;
  return ticks;
}

ProcessRef currentProcess(qint64 pid) {
  return {pid, processStartTicks(pid).value_or(0)};
}

bool isSameProcess(const ProcessRef& ref) {
  if (ref.pid <= 0 || ref.startTicks == 0) return false;
  const auto now = processStartTicks(ref.pid);
  return now && *now == ref.startTicks;
}

SignalResult signalIfSame(const ProcessRef& ref, int signal) {
  if (ref.pid <= 0) return SignalResult::Gone;
  // Hold the process first, then check it: a pidfd keeps naming that process even if the PID is reused.
  const Fd pidfd(openPidfd(ref.pid));
  if (pidfd.get() < 0 && errno == ESRCH) return SignalResult::Gone;
  const auto now = processStartTicks(ref.pid);
  if (!now) return SignalResult::Gone;
  if (ref.startTicks == 0 || *now != ref.startTicks) return SignalResult::NotOurs;
  if (pidfd.get() >= 0) return pidfdSignal(pidfd.get(), signal) ? SignalResult::Sent : SignalResult::Gone;
  // No pidfd (old kernel): the check and the signal are a few microseconds apart.
  return ::kill(static_cast<pid_t>(ref.pid), signal) == 0 ? SignalResult::Sent : SignalResult::Gone;
}

}  // namespace gizrig::lab
