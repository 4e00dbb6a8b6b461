#include "gagent/posix/sim_options.h"

#include <arpa/inet.h>

#include <charconv>
#include <cstdio>

namespace gagent::posix {
namespace {

template <typename T>
std::optional<T> parseNumber(std::string_view text) {
  T value{};
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (text.empty() || error != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return value;
}

std::optional<hal::Ipv4> parseIpv4(std::string_view text) {
  in_addr addr{};
  const std::string copy(text);
  if (::inet_pton(AF_INET, copy.c_str(), &addr) != 1) return std::nullopt;
  return hal::Ipv4{ntohl(addr.s_addr)};
}

bool isLoopback(hal::Ipv4 ip) {
  return (ip.value >> 24) == 127;
}

std::optional<HostPort> parseHostPort(std::string_view text) {
  const std::size_t colon = text.rfind(':');
  if (colon == std::string_view::npos || colon == 0) return std::nullopt;
  const auto port = parseNumber<unsigned>(text.substr(colon + 1));
  if (!port || *port == 0 || *port > 65535) return std::nullopt;
  return HostPort{std::string(text.substr(0, colon)), static_cast<std::uint16_t>(*port)};
}

std::optional<hal::MacAddress> parseMac(std::string_view text) {
  if (text.size() != 12) return std::nullopt;
  hal::MacAddress mac{};
  for (std::size_t i = 0; i < 6; ++i) {
    unsigned byte = 0;
    const auto [end, error] = std::from_chars(text.data() + 2 * i, text.data() + 2 * i + 2, byte, 16);
    if (error != std::errc() || end != text.data() + 2 * i + 2) return std::nullopt;
    mac[i] = static_cast<std::uint8_t>(byte);
  }
  return mac;
}

std::optional<core::LogLevel> parseLogLevel(std::string_view text) {
  if (text == "error") return core::LogLevel::Error;
  if (text == "warning") return core::LogLevel::Warning;
  if (text == "info") return core::LogLevel::Info;
  if (text == "debug") return core::LogLevel::Debug;
  return std::nullopt;
}

constexpr std::size_t kSectorSize = 4096;
constexpr std::size_t kMinFlash = 16 * 1024;
constexpr std::size_t kMaxFlash = 16 * 1024 * 1024;

// Bytes, or K / M (binary) multiples: 262144, 256K, 4M.
std::optional<std::size_t> parseSize(std::string_view text) {
  std::size_t unit = 1;
  if (!text.empty() && (text.back() == 'K' || text.back() == 'k')) unit = 1024;
  if (!text.empty() && (text.back() == 'M' || text.back() == 'm')) unit = 1024 * 1024;
  if (unit != 1) text.remove_suffix(1);
  const auto number = parseNumber<std::size_t>(text);
  if (!number || *number > kMaxFlash) return std::nullopt;
  return *number * unit;
}

bool isVersion(std::string_view text) {
  if (text.size() != 8) return false;
  for (const char c : text) {
    if (c < 0x21 || c > 0x7E) return false;
  }
  return true;
}

ParsedOptions failure(std::string text) {
  ParsedOptions parsed;
  parsed.outcome = ParsedOptions::Outcome::Error;
  parsed.error = std::move(text);
  return parsed;
}

// Applies one option; returns an error text or "".
std::string apply(SimOptions& o, std::string_view name, std::string_view value, bool& ipGiven,
                  bool& macGiven) {
  const std::string shown = "--" + std::string(name) + " " + std::string(value);
  if (name == "uart") {
    if (value.empty() || value == "pty:") return shown + ": expected pty:PATH or a serial device path";
    o.uart = value;
  } else if (name == "baud") {
    const auto baud = parseNumber<int>(value);
    if (!baud || (*baud != 9600 && *baud != 19200 && *baud != 38400 && *baud != 57600 && *baud != 115200))
      return shown + ": expected one of 9600 19200 38400 57600 115200";
    o.baud = *baud;
  } else if (name == "pace") {
    if (value != "on" && value != "off") return shown + ": expected on or off";
    o.pace = value == "on";
  } else if (name == "ip") {
    const auto ip = parseIpv4(value);
    if (!ip || !isLoopback(*ip) || (ip->value & 0xFF) == 0 || (ip->value & 0xFF) == 255)
      return shown + ": expected a host address in 127.0.0.0/8, e.g. 127.0.0.10";
    o.ip = *ip;
    ipGiven = true;
  } else if (name == "flash") {
    if (value.empty()) return shown + ": expected a file path";
    o.flash = value;
  } else if (name == "mac") {
    const auto mac = parseMac(value);
    if (!mac) return shown + ": expected 12 hex digits, e.g. AABBCCDDEEFF";
    o.mac = *mac;
    macGiven = true;
  } else if (name == "seed") {
    const auto seed = parseNumber<std::uint64_t>(value);
    if (!seed) return shown + ": expected a non-negative integer";
    o.seed = *seed;
  } else if (name == "hw-version") {
    if (!isVersion(value)) return shown + ": expected exactly 8 printable characters (S2.1)";
    o.hardwareVersion = value;
  } else if (name == "sw-version") {
    if (!isVersion(value)) return shown + ": expected exactly 8 printable characters (S2.2)";
    o.softwareVersion = value;
  } else if (name == "api") {
    const auto api = parseHostPort(value);
    if (!api) return shown + ": expected HOST:PORT";
    o.api = *api;
  } else if (name == "air") {
    const auto air = parseHostPort(value);
    if (!air) return shown + ": expected HOST:PORT";
    o.air = *air;
  } else if (name == "broadcast") {
    const auto broadcast = parseIpv4(value);
    if (!broadcast || !isLoopback(*broadcast))
      return shown + ": expected an address in 127.0.0.0/8 (the lab never broadcasts off the host)";
    o.broadcast = *broadcast;
  } else if (name == "web-port") {
    const auto port = parseNumber<unsigned>(value);
    if (!port || *port == 0 || *port > 65535) return shown + ": expected a port 1-65535";
    o.webPort = static_cast<std::uint16_t>(*port);
  } else if (name == "log-level") {
    const auto level = parseLogLevel(value);
    if (!level) return shown + ": expected error, warning, info or debug";
    o.logLevel = *level;
  } else if (name == "log-file") {
    if (value.empty()) return shown + ": expected a file path";
    o.logFile = value;
  } else if (name == "watchdog-seconds") {
    const auto seconds = parseNumber<unsigned>(value);
    if (!seconds || *seconds == 0 || *seconds > 86400) return shown + ": expected 1-86400";
    o.watchdogTimeout = std::chrono::seconds(*seconds);
  } else if (name == "boot") {
    if (value != "app" && value != "rom") return shown + ": expected app or rom";
    o.boot = value == "rom" ? BootMode::Rom : BootMode::App;
  } else if (name == "chip") {
    if (value != "esp8266" && value != "esp32") return shown + ": expected esp8266 or esp32";
    o.chip = value == "esp32" ? LoaderChip::Esp32 : LoaderChip::Esp8266;
  } else if (name == "flash-size") {
    const auto size = parseSize(value);
    if (!size || *size % kSectorSize != 0 || *size < kMinFlash || *size > kMaxFlash)
      return shown + ": expected 16K-16M in whole 4K sectors, e.g. 4M";
    o.flashSize = *size;
  } else {
    return "unknown option --" + std::string(name) + " (see --help)";
  }
  return "";
}

}  // namespace

hal::MacAddress macFromAddress(hal::Ipv4 address) {
  return {0x02,
          0x47,
          static_cast<std::uint8_t>(address.value >> 24),
          static_cast<std::uint8_t>(address.value >> 16),
          static_cast<std::uint8_t>(address.value >> 8),
          static_cast<std::uint8_t>(address.value)};
}

std::string macText(const hal::MacAddress& mac) {
  char text[13];
  std::snprintf(text, sizeof text, "%02X%02X%02X%02X%02X%02X", mac[0], mac[1], mac[2], mac[3], mac[4],
                mac[5]);
  return text;
}

ParsedOptions parseSimOptions(std::span<const std::string_view> args) {
  ParsedOptions parsed;
  SimOptions& o = parsed.options;
  bool ipGiven = false;
  bool macGiven = false;
  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string_view arg = args[i];
    if (arg == "--help" || arg == "-h") {
      parsed.outcome = ParsedOptions::Outcome::Help;
      return parsed;
    }
    if (arg.substr(0, 2) != "--" || arg.size() == 2)
      return failure("unexpected argument '" + std::string(arg) + "'");
    std::string_view name = arg.substr(2);
    std::string_view value;
    if (const std::size_t equals = name.find('='); equals != std::string_view::npos) {
      value = name.substr(equals + 1);
      name = name.substr(0, equals);
    } else {
      if (i + 1 >= args.size()) return failure("--" + std::string(name) + " needs a value (see --help)");
      value = args[++i];
    }
    if (std::string error = apply(o, name, value, ipGiven, macGiven); !error.empty()) return failure(error);
  }
  if (!ipGiven) return failure("--ip is required, e.g. --ip 127.0.0.10 (see --help)");
  if (!macGiven) o.mac = macFromAddress(o.ip);
  if (o.flash.empty()) o.flash = "gagent-sim-" + std::string(hal::toText(o.ip).view()) + ".flash";
  parsed.outcome = ParsedOptions::Outcome::Run;
  return parsed;
}

std::string simUsage() {
  return R"(usage: gagent-sim --ip 127.0.0.N [options]

The GAgent firmware core on real time: a virtual module with a serial line (pty or device), LAN sockets on
its own loopback address and a radio that is a client of the virtual air (gagent-air).

  --uart pty:PATH | DEVICE   serial line to the MCU: a pty whose slave PATH links to (default
                             pty:./gagent-sim.pty), or a serial device such as /dev/ttyUSB0
  --baud N                   device baud rate: 9600 (default, S3.2), 19200, 38400, 57600, 115200
  --pace on|off              on: the module's UART takes 10 bit times a byte each way at --baud, as a
                             real line does (a pty alone carries bytes at once); default off
  --ip 127.0.0.N             the module's address (required; 127.0.0.0/8, the lab uses N >= 10)
  --flash PATH               flash file, created blank if missing, fixed size (default
                             ./gagent-sim-<ip>.flash); it keeps the configuration across restarts
  --mac AABBCCDDEEFF         the module's MAC (default 0247 followed by the four address bytes)
  --seed N                   deterministic entropy for tests (default: getrandom)
  --hw-version XXXXXXXX      WiFi hardware version, 8 characters (S2.1, default GAGENTSM)
  --sw-version XXXXXXXX      WiFi software version, 8 characters (S2.2, default 04020000); an image
                             installed by OTA reports its own version after the reboot
  --api HOST:PORT            cloud API (default api.gizwits.com:80)
  --air HOST:PORT            the virtual air; without it no access point is ever in range
  --broadcast ADDR           LAN broadcast address (default 127.255.255.255; must be in 127.0.0.0/8)
  --web-port N               WebConfig port (default 8080)
  --log-level LEVEL          error, warning, info (default) or debug
  --log-file PATH            log destination (default stderr)
  --watchdog-seconds N       watchdog timeout (default 300, S12.4); on expiry the process restarts itself
  --flash-size N             flash size in bytes or K/M, whole 4K sectors (default 256K); the first two
                             sectors hold the configuration, the application image starts at 0x2000
  --boot app|rom             app (default): start the GAgent core; rom: start in the chip's ROM serial
                             loader, as a module strapped with GPIO0 low (the protocol esptool speaks:
                             docs/flashing.md); it boots the image written at 0x2000 when told to run
  --chip esp8266|esp32       the chip the ROM loader answers as (default esp8266)
  --help                     this text

When ready it prints one line on stdout:
  gagent-sim ready uart=<path> ip=<ip> mac=<mac>
(with --boot rom the line ends with " boot=rom", and the UART starts at 115200 baud in the loader)
SIGTERM or SIGINT: clean shutdown, exit 0. Bad arguments: a message on stderr, exit 2.
)";
}

}  // namespace gagent::posix
