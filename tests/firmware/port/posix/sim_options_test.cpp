// gagent-sim's command line parsing: defaults, every option, and clear errors.
#include "gagent/posix/sim_options.h"

#include <gtest/gtest.h>

#include <vector>

using namespace gagent;
using namespace gagent::posix;

namespace {

ParsedOptions parse(std::vector<std::string_view> args) {
  return parseSimOptions(args);
}

}  // namespace

TEST(SimOptions, DefaultsNeedOnlyTheAddress) {
  const ParsedOptions parsed = parse({"--ip", "127.0.0.12"});
  ASSERT_EQ(parsed.outcome, ParsedOptions::Outcome::Run) << parsed.error;
  const SimOptions& o = parsed.options;
  EXPECT_EQ(o.ip, hal::ipv4(127, 0, 0, 12));
  EXPECT_EQ(o.uart, "pty:./gagent-sim.pty");
  EXPECT_EQ(o.baud, 9600);
  EXPECT_FALSE(o.pace);
  EXPECT_EQ(o.flash, "gagent-sim-127.0.0.12.flash");
  EXPECT_EQ(macText(o.mac), "02477F00000C");
  EXPECT_FALSE(o.seed.has_value());
  EXPECT_EQ(o.hardwareVersion, "GAGENTSM");
  EXPECT_EQ(o.softwareVersion, "04020000");
  EXPECT_EQ(o.api.host, "api.gizwits.com");
  EXPECT_EQ(o.api.port, 80);
  EXPECT_FALSE(o.air.has_value());
  EXPECT_EQ(o.broadcast, hal::ipv4(127, 255, 255, 255));
  EXPECT_EQ(o.webPort, 8080);
  EXPECT_EQ(o.logLevel, core::LogLevel::Info);
  EXPECT_EQ(o.logFile, "");
  EXPECT_EQ(o.watchdogTimeout, std::chrono::minutes(5));
}

TEST(SimOptions, EveryOptionBothSpellings) {
  const ParsedOptions parsed = parse({"--uart=/dev/ttyUSB0",
                                      "--baud",
                                      "115200",
                                      "--pace=on",
                                      "--ip=127.0.0.20",
                                      "--flash",
                                      "/tmp/f",
                                      "--mac",
                                      "a1b2c3d4e5f6",
                                      "--seed",
                                      "42",
                                      "--hw-version",
                                      "HWVER001",
                                      "--sw-version=04020099",
                                      "--api",
                                      "127.0.0.1:8081",
                                      "--air",
                                      "localhost:7000",
                                      "--broadcast",
                                      "127.0.0.255",
                                      "--web-port",
                                      "18080",
                                      "--log-level",
                                      "debug",
                                      "--log-file",
                                      "/tmp/log",
                                      "--watchdog-seconds",
                                      "3"});
  ASSERT_EQ(parsed.outcome, ParsedOptions::Outcome::Run) << parsed.error;
  const SimOptions& o = parsed.options;
  EXPECT_EQ(o.uart, "/dev/ttyUSB0");
  EXPECT_EQ(o.baud, 115200);
  EXPECT_TRUE(o.pace);
  EXPECT_EQ(o.ip, hal::ipv4(127, 0, 0, 20));
  EXPECT_EQ(o.flash, "/tmp/f");
  EXPECT_EQ(macText(o.mac), "A1B2C3D4E5F6");
  EXPECT_EQ(o.seed, 42u);
  EXPECT_EQ(o.hardwareVersion, "HWVER001");
  EXPECT_EQ(o.softwareVersion, "04020099");
  EXPECT_EQ(o.api.host, "127.0.0.1");
  EXPECT_EQ(o.api.port, 8081);
  ASSERT_TRUE(o.air.has_value());
  EXPECT_EQ(o.air->host, "localhost");
  EXPECT_EQ(o.air->port, 7000);
  EXPECT_EQ(o.broadcast, hal::ipv4(127, 0, 0, 255));
  EXPECT_EQ(o.webPort, 18080);
  EXPECT_EQ(o.logLevel, core::LogLevel::Debug);
  EXPECT_EQ(o.logFile, "/tmp/log");
  EXPECT_EQ(o.watchdogTimeout, std::chrono::seconds(3));
}

TEST(SimOptions, HelpWinsAndTheUsageNamesEveryOption) {
  EXPECT_EQ(parse({"--help"}).outcome, ParsedOptions::Outcome::Help);
  EXPECT_EQ(parse({"--ip", "127.0.0.10", "-h"}).outcome, ParsedOptions::Outcome::Help);
  const std::string usage = simUsage();
  for (const char* option : {"--uart", "--baud", "--pace", "--ip", "--flash", "--mac", "--seed",
                             "--hw-version", "--sw-version", "--api", "--air", "--broadcast", "--web-port",
                             "--log-level", "--log-file", "--watchdog-seconds", "--help"}) {
    EXPECT_NE(usage.find(option), std::string::npos) << option;
  }
}

TEST(SimOptions, ErrorsSayWhatIsWrong) {
  const auto error = [](std::vector<std::string_view> args) {
    const ParsedOptions parsed = parse(args);
    EXPECT_EQ(parsed.outcome, ParsedOptions::Outcome::Error);
    return parsed.error;
  };
  EXPECT_EQ(error({}), "--ip is required, e.g. --ip 127.0.0.10 (see --help)");
  EXPECT_EQ(error({"--ip", "192.168.1.5"}),
            "--ip 192.168.1.5: expected a host address in 127.0.0.0/8, e.g. 127.0.0.10");
  EXPECT_EQ(error({"--ip", "127.0.0.255"}),
            "--ip 127.0.0.255: expected a host address in 127.0.0.0/8, e.g. 127.0.0.10");
  EXPECT_EQ(error({"--ip"}), "--ip needs a value (see --help)");
  EXPECT_EQ(error({"--ip", "127.0.0.10", "--pace", "yes"}), "--pace yes: expected on or off");
  EXPECT_EQ(error({"--ip", "127.0.0.10", "--mac", "0011223344"}),
            "--mac 0011223344: expected 12 hex digits, e.g. AABBCCDDEEFF");
  EXPECT_EQ(error({"--ip", "127.0.0.10", "--sw-version", "0402"}),
            "--sw-version 0402: expected exactly 8 printable characters (S2.2)");
  EXPECT_EQ(error({"--ip", "127.0.0.10", "--api", "host:0"}), "--api host:0: expected HOST:PORT");
  EXPECT_EQ(error({"--ip", "127.0.0.10", "--broadcast", "255.255.255.255"}),
            "--broadcast 255.255.255.255: expected an address in 127.0.0.0/8 (the lab never broadcasts off "
            "the host)");
  EXPECT_EQ(error({"--ip", "127.0.0.10", "--seed", "-1"}), "--seed -1: expected a non-negative integer");
  EXPECT_EQ(error({"--ip", "127.0.0.10", "--uart", "pty:"}),
            "--uart pty:: expected pty:PATH or a serial device path");
  EXPECT_EQ(error({"--nope", "1"}), "unknown option --nope (see --help)");
  EXPECT_EQ(error({"file"}), "unexpected argument 'file'");
}
