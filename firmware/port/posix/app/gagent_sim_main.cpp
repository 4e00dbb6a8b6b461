// gagent-sim: the firmware core as a real-time virtual module (docs/virtual-lab.md).
#include <cstdio>
#include <exception>
#include <string_view>
#include <vector>

#include "gagent/posix/sim_options.h"
#include "gagent/posix/sim_runner.h"

namespace {

int run(int argc, char** argv) {
  const std::vector<std::string_view> args(argv + 1, argv + argc);
  const gagent::posix::ParsedOptions parsed = gagent::posix::parseSimOptions(args);
  using Outcome = gagent::posix::ParsedOptions::Outcome;
  if (parsed.outcome == Outcome::Help) {
    std::fputs(gagent::posix::simUsage().c_str(), stdout);
    return 0;
  }
  if (parsed.outcome == Outcome::Error) {
    std::fprintf(stderr, "gagent-sim: %s\n", parsed.error.c_str());
    return 2;
  }
  gagent::posix::SimRunner runner(parsed.options, argv);
  return runner.run();
}

}  // namespace

// No exception leaves main: a clear message and exit 2, never an abort (issue 16).
int main(int argc, char** argv) {
  try {
    return run(argc, argv);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "gagent-sim: internal error: %s\n", e.what());
  } catch (...) {
    std::fprintf(stderr, "gagent-sim: internal error (unknown exception)\n");
  }
  return 2;
}
