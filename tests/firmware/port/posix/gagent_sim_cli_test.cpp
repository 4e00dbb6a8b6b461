// gagent-sim's command line and process life: bad arguments exit 2 with a message, --help lists every option,
// SIGTERM ends the process cleanly (exit 0, pty link removed, nothing left running).
#include <sys/stat.h>

#include "sim_lab_rt.h"

namespace gagent::test {
namespace {

int exitCodeOf(const std::vector<std::string>& args, std::string& errors) {
  TempDir dir;
  SimProcess sim(args, dir.file("stderr"));
  const auto status = sim.waitExit();
  errors = sim.log();
  if (!status || !WIFEXITED(*status)) return -1;
  return WEXITSTATUS(*status);
}

TEST(GagentSimCli, BadArgumentsExitTwoWithAMessageOnStderr) {
  const std::vector<std::vector<std::string>> cases = {
      {},                                           // --ip missing
      {"--ip", "10.0.0.5"},                         // not loopback
      {"--ip", "127.0.0.10", "--mac", "XYZ"},       // bad MAC
      {"--ip", "127.0.0.10", "--sw-version", "1"},  // S2.2 needs 8 characters
      {"--ip", "127.0.0.10", "--hw-version", "TOOLONGVERSION"},
      {"--ip", "127.0.0.10", "--baud", "1234"},
      {"--ip", "127.0.0.10", "--air", "nocolon"},
      {"--ip", "127.0.0.10", "--broadcast", "255.255.255.255"},
      {"--ip", "127.0.0.10", "--log-level", "loud"},
      {"--ip", "127.0.0.10", "--web-port", "70000"},
      {"--ip", "127.0.0.10", "--frobnicate", "1"},
      {"--ip"},
      {"stray"},
  };
  for (const auto& args : cases) {
    std::string errors;
    EXPECT_EQ(exitCodeOf(args, errors), 2) << ::testing::PrintToString(args);
    EXPECT_EQ(errors.rfind("gagent-sim: ", 0), 0u) << errors;
  }
}

TEST(GagentSimCli, HelpListsEveryOption) {
  TempDir dir;
  SimProcess sim({"--help"}, dir.file("stderr"));
  const std::string text = sim.readAll();
  const auto status = sim.waitExit();
  ASSERT_TRUE(status);
  EXPECT_TRUE(WIFEXITED(*status) && WEXITSTATUS(*status) == 0);
  for (const char* option :
       {"--uart", "--baud", "--ip", "--flash", "--mac", "--seed", "--hw-version", "--sw-version", "--api",
        "--air", "--broadcast", "--web-port", "--log-level", "--log-file", "--help"}) {
    EXPECT_NE(text.find(option), std::string::npos) << option;
  }
}

class GagentSimProcess : public RealTimeLab {};

TEST_F(GagentSimProcess, ReadyLineNamesThePtyAddressAndDerivedMac) {
  startSim();
  char expected[64];
  std::snprintf(expected, sizeof expected, " mac=02477F%02X%02X%02X", (ip.value >> 16) & 0xFF,
                (ip.value >> 8) & 0xFF, ip.value & 0xFF);
  EXPECT_NE(ready.find(expected), std::string::npos) << ready;
}

TEST_F(GagentSimProcess, GivenMacIsReported) {
  startSim({"--mac", "A1B2C3D4E5F6"});
  EXPECT_NE(ready.find(" mac=A1B2C3D4E5F6"), std::string::npos) << ready;
}

TEST_F(GagentSimProcess, SigtermExitsZeroRemovesThePtyLinkAndLeavesNoProcess) {
  startSim();
  ASSERT_TRUE(handshakeDone());
  const pid_t pid = sim->pid();
  const auto status = sim->terminate(SIGTERM);
  ASSERT_TRUE(status);
  EXPECT_TRUE(WIFEXITED(*status));
  EXPECT_EQ(WEXITSTATUS(*status), 0);
  struct stat info {};
  EXPECT_NE(::lstat(ptyPath().c_str(), &info), 0);  // the link is gone
  EXPECT_NE(::kill(pid, 0), 0);                     // reaped: nothing left
  // The module's ports are free again.
  EXPECT_TRUE(canBind(ip, proto::kLanTcpPort, SOCK_STREAM));
}

TEST_F(GagentSimProcess, SigintExitsZero) {
  startSim();
  const auto status = sim->terminate(SIGINT);
  ASSERT_TRUE(status);
  EXPECT_TRUE(WIFEXITED(*status) && WEXITSTATUS(*status) == 0);
}

TEST_F(GagentSimProcess, UnusableFlashPathIsAClearErrorNotACrash) {
  std::vector<std::string> args = baseArgs();
  args[5] = dir.file("no-such-dir/module.flash");
  SimProcess broken(args, dir.file("broken.log"));
  const auto status = broken.waitExit();
  ASSERT_TRUE(status);
  EXPECT_TRUE(WIFEXITED(*status) && WEXITSTATUS(*status) == 1);
  EXPECT_NE(broken.log().find("flash"), std::string::npos) << broken.log();
}

}  // namespace
}  // namespace gagent::test
