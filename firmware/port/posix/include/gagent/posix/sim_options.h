#pragma once
// gagent-sim's command line: every option, its default and its check. Parsing never exits or prints; the
// caller reports the error text (exit 2) or the usage.

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "gagent/core/log.h"
#include "gagent/hal/system.h"
#include "gagent/hal/types.h"

namespace gagent::posix {

struct HostPort {
  std::string host;
  std::uint16_t port = 0;
};

// Where the module starts: its application (the GAgent core) or, as a real module strapped with GPIO0 low,
// the chip's ROM serial loader (rom_loader.h), which boots the application once it is told to run it.
enum class BootMode : std::uint8_t { App, Rom };
// The chip the ROM loader answers as (magic register, status size, which commands its ROM knows).
enum class LoaderChip : std::uint8_t { Esp8266, Esp32 };

struct SimOptions {
  std::string uart = "pty:./gagent-sim.pty";
  int baud = 9600;
  bool pace = false;      // the application's UART paced at `baud` in real time (paced_uart.h)
  hal::Ipv4 ip;           // required, in 127.0.0.0/8
  std::string flash;      // default: gagent-sim-<ip>.flash in the working directory
  hal::MacAddress mac{};  // default: derived from the address (macFromAddress)
  std::optional<std::uint64_t> seed;
  std::string hardwareVersion = "GAGENTSM";  // S2.1
  std::string softwareVersion = "04020000";  // S2.2; an installed OTA image's version wins
  HostPort api{"api.gizwits.com", 80};
  std::optional<HostPort> air;
  hal::Ipv4 broadcast = hal::ipv4(127, 255, 255, 255);
  std::uint16_t webPort = 8080;
  core::LogLevel logLevel = core::LogLevel::Info;
  std::string logFile;                                                  // empty: stderr
  std::chrono::milliseconds watchdogTimeout = std::chrono::minutes(5);  // S12.4
  BootMode boot = BootMode::App;
  LoaderChip chip = LoaderChip::Esp8266;
  std::size_t flashSize = 256 * 1024;  // a multiple of the 4 KiB sector
};

struct ParsedOptions {
  enum class Outcome : std::uint8_t { Run, Help, Error };
  Outcome outcome = Outcome::Error;
  SimOptions options;
  std::string error;  // Outcome::Error: what is wrong, for stderr
};

// args: the arguments after the program name. "--name value" and "--name=value" are both accepted.
ParsedOptions parseSimOptions(std::span<const std::string_view> args);
std::string simUsage();

// A locally administered MAC that names the module's address: 02:47:<a>:<b>:<c>:<d>.
hal::MacAddress macFromAddress(hal::Ipv4 address);
std::string macText(const hal::MacAddress& mac);  // AABBCCDDEEFF

}  // namespace gagent::posix
