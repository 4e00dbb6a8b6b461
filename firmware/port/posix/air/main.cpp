// gagent-air: the virtual air of the lab (docs/virtual-lab.md). One process, one loopback port.
#include <signal.h>

#include <cstdio>
#include <exception>
#include <string>
#include <string_view>
#include <vector>

#include "gagent/air/air_command_line.h"
#include "gagent/air/air_server.h"

namespace {

gagent::air::AirServer* runningServer = nullptr;

extern "C" void onStopSignal(int) {
  if (runningServer != nullptr) runningServer->requestStop();
}

bool installStopHandlers() {
  struct sigaction action {};
  action.sa_handler = onStopSignal;
  sigemptyset(&action.sa_mask);
  return ::sigaction(SIGTERM, &action, nullptr) == 0 && ::sigaction(SIGINT, &action, nullptr) == 0;
}

int run(int argc, char** argv) {
  using namespace gagent::air;
  const std::vector<std::string_view> args(argv + 1, argv + argc);
  std::string error;
  const auto options = parseCommandLine(args, error);
  if (!options) {
    std::fprintf(stderr, "gagent-air: %s\n%s", error.c_str(), usageText().c_str());
    return 2;
  }
  if (options->help) {
    std::fputs(usageText().c_str(), stdout);
    return 0;
  }

  AirServer server(initialAir(*options));
  if (!server.listen(options->host, options->port, error)) {
    std::fprintf(stderr, "gagent-air: %s\n", error.c_str());
    return 1;
  }
  runningServer = &server;
  if (!installStopHandlers()) {
    std::perror("gagent-air: sigaction");
    return 1;
  }
  std::printf("gagent-air ready port=%u\n", static_cast<unsigned>(server.port()));
  std::fflush(stdout);
  if (!server.run(error)) {
    std::fprintf(stderr, "gagent-air: %s\n", error.c_str());
    return 1;
  }
  runningServer = nullptr;
  return 0;
}

}  // namespace

// No exception leaves main: a clear message and exit 2, never an abort (issue 16).
int main(int argc, char** argv) {
  try {
    return run(argc, argv);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "gagent-air: internal error: %s\n", e.what());
  } catch (...) {
    std::fprintf(stderr, "gagent-air: internal error (unknown exception)\n");
  }
  return 2;
}
