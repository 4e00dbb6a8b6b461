#include "interrupt_watch.h"

#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include <QSocketNotifier>

namespace gizrig::cli {
namespace {

volatile sig_atomic_t caught = 0;  // the signal number, 0 before one
int wakePipe[2] = {-1, -1};

void onSignal(int number) {
  caught = number;
  const char byte = 1;
  [[maybe_unused]] const auto written = ::write(wakePipe[0], &byte, 1);
}

}  // namespace

InterruptWatch::InterruptWatch() {
  caught = 0;
  if (wakePipe[0] < 0 && ::socketpair(AF_UNIX, SOCK_STREAM, 0, wakePipe) != 0) wakePipe[0] = wakePipe[1] = -1;
  if (wakePipe[1] >= 0) {
    notifier_ = new QSocketNotifier(wakePipe[1], QSocketNotifier::Read, this);
    connect(notifier_, &QSocketNotifier::activated, this, [this] {
      char byte = 0;
      [[maybe_unused]] const auto got = ::read(wakePipe[1], &byte, 1);
      emit fired();
    });
  }
  struct sigaction action {};
  action.sa_handler = onSignal;
  sigemptyset(&action.sa_mask);
  action.sa_flags = SA_RESTART | SA_RESETHAND;  // a second Ctrl-C ends the process at once
  ::sigaction(SIGINT, &action, nullptr);
  ::sigaction(SIGTERM, &action, nullptr);
}

InterruptWatch::~InterruptWatch() {
  ::signal(SIGINT, SIG_DFL);
  ::signal(SIGTERM, SIG_DFL);
}

bool InterruptWatch::interrupted() const {
  return caught != 0;
}

QString InterruptWatch::signalName() const {
  switch (caught) {
    case 0:
      return {};
    case SIGINT:
      return QStringLiteral("SIGINT");
    case SIGTERM:
      return QStringLiteral("SIGTERM");
    default:
      return QStringLiteral("signal %1").arg(static_cast<int>(caught));
  }
}

}  // namespace gizrig::cli
