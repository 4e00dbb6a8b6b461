// gagent-air's command line: the arguments of the brief and the air they describe.
#include "gagent/air/air_command_line.h"

#include <gtest/gtest.h>

#include <string>
#include <string_view>
#include <vector>

using namespace gagent::air;

namespace {

std::optional<AirOptions> parse(std::vector<std::string_view> args, std::string& error) {
  return parseCommandLine(args, error);
}

std::string parseError(std::vector<std::string_view> args) {
  std::string error;
  EXPECT_FALSE(parse(args, error));
  return error;
}

}  // namespace

TEST(AirCommandLine, DefaultsToAFreeLoopbackPortAndNoAccessPoints) {
  std::string error;
  const auto options = parse({}, error);
  ASSERT_TRUE(options);
  EXPECT_EQ(options->host, "127.0.0.1");
  EXPECT_EQ(options->port, 0);
  EXPECT_FALSE(options->production);
  EXPECT_TRUE(initialAir(*options).accessPoints().empty());
}

TEST(AirCommandLine, S5_1_ProductionStartsWithBothTestRouters) {
  std::string error;
  const auto options = parse({"--production", "--listen", "127.0.0.1:4567"}, error);
  ASSERT_TRUE(options);
  EXPECT_EQ(options->port, 4567);
  const AirModel air = initialAir(*options);
  ASSERT_EQ(air.accessPoints().size(), 2u);
  EXPECT_EQ(air.accessPoints()[0].ssid, "GIZWITS_TEST_1");
  EXPECT_EQ(air.accessPoints()[1].ssid, "GIZWITS_TEST_2");
  for (const auto& ap : air.accessPoints()) {
    EXPECT_EQ(ap.password, "GIZWITS_TEST_PASS");
    EXPECT_TRUE(ap.powered);
  }
}

TEST(AirCommandLine, AccessPointsArePercentDecodedWithAnOptionalSignal) {
  std::string error;
  const auto options = parse(
      {"--ap", "my%20home:secret%3Apass:35", "--ap", "Cafe:", "--ap", "Bar:-", "--ap", "Cafe:x:100"}, error);
  ASSERT_TRUE(options) << error;
  const AirModel air = initialAir(*options);
  ASSERT_EQ(air.accessPoints().size(), 3u);  // the second Cafe replaces the first
  EXPECT_EQ(air.accessPoints()[0].ssid, "my home");
  EXPECT_EQ(air.accessPoints()[0].password, "secret:pass");
  EXPECT_EQ(air.accessPoints()[0].defaultSignal, 35);
  EXPECT_EQ(air.accessPoints()[1].ssid, "Bar");
  EXPECT_EQ(air.accessPoints()[1].password, "");
  EXPECT_EQ(air.accessPoints()[2].ssid, "Cafe");
  EXPECT_EQ(air.accessPoints()[2].password, "x");
  EXPECT_EQ(air.accessPoints()[2].defaultSignal, 100);
}

TEST(AirCommandLine, BadArgumentsSayWhatIsWrong) {
  EXPECT_EQ(parseError({"--fly"}), "unknown argument '--fly'");
  EXPECT_EQ(parseError({"--listen"}), "--listen needs a value");
  EXPECT_EQ(parseError({"--listen", "127.0.0.1"}), "--listen wants HOST:PORT, got '127.0.0.1'");
  EXPECT_EQ(parseError({"--listen", "10.0.0.1:80"}),
            "--listen: the host must be a loopback IPv4 address (127.x.x.x), got '10.0.0.1'");
  EXPECT_EQ(parseError({"--listen", "127.0.0.1:65536"}), "--listen: the port must be 0-65535, got '65536'");
  EXPECT_EQ(parseError({"--listen", "127.0.0.1:"}), "--listen: the port must be 0-65535, got ''");
  EXPECT_EQ(parseError({"--ap", "onlyssid"}), "--ap 'onlyssid': wants SSID:PASSWORD[:SIGNAL]");
  EXPECT_EQ(parseError({"--ap", "a:b:1:2"}), "--ap 'a:b:1:2': wants SSID:PASSWORD[:SIGNAL]");
  EXPECT_EQ(parseError({"--ap", ":pass"}),
            "--ap ':pass': the SSID must be 1-32 bytes (percent-encoded where needed)");
  EXPECT_EQ(parseError({"--ap", "ssid:pass:101"}), "--ap 'ssid:pass:101': the signal must be 0-100");
  EXPECT_EQ(parseError({"--ap", "ssid:bad%"}),
            "--ap 'ssid:bad%': the password must be 0-64 bytes (percent-encoded where needed)");
}

TEST(AirCommandLine, HelpIsRecognisedAndTheUsageNamesEveryOption) {
  std::string error;
  EXPECT_TRUE(parse({"--help"}, error)->help);
  EXPECT_TRUE(parse({"-h"}, error)->help);
  const std::string usage = usageText();
  for (const char* option : {"--listen", "--production", "--ap", "--help"}) {
    EXPECT_NE(usage.find(option), std::string::npos) << option;
  }
}
