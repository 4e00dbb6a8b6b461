// gagent-sim: the firmware core as a real-time virtual module (docs/virtual-lab.md).
#include <cstdio>
#include <string_view>
#include <vector>

#include "gagent/posix/sim_options.h"
#include "gagent/posix/sim_runner.h"

int main(int argc, char** argv) {
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
