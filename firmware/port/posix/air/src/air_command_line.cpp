#include "gagent/air/air_command_line.h"

#include <arpa/inet.h>

#include <charconv>

#include "gagent/air/text_codec.h"

namespace gagent::air {

namespace {

constexpr std::string_view kProductionSsids[] = {"GIZWITS_TEST_1", "GIZWITS_TEST_2"};
constexpr std::string_view kProductionPassword = "GIZWITS_TEST_PASS";

template <typename Number>
bool parseNumber(std::string_view text, Number max, Number& out) {
  unsigned long value = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (text.empty() || error != std::errc() || end != text.data() + text.size() || value > max) return false;
  out = static_cast<Number>(value);
  return true;
}

bool parseListen(std::string_view text, AirOptions& options, std::string& error) {
  const std::size_t colon = text.rfind(':');
  if (colon == std::string_view::npos) {
    error = "--listen wants HOST:PORT, got '" + std::string(text) + "'";
    return false;
  }
  const std::string host(text.substr(0, colon));
  in_addr address{};
  if (::inet_pton(AF_INET, host.c_str(), &address) != 1 || (ntohl(address.s_addr) >> 24) != 127) {
    error = "--listen: the host must be a loopback IPv4 address (127.x.x.x), got '" + host + "'";
    return false;
  }
  if (!parseNumber<std::uint16_t>(text.substr(colon + 1), 65535, options.port)) {
    error = "--listen: the port must be 0-65535, got '" + std::string(text.substr(colon + 1)) + "'";
    return false;
  }
  options.host = host;
  return true;
}

// SSID:PASSWORD[:SIGNAL], each text percent-encoded as in the air protocol (`%3A` for a colon in an SSID);
// an empty or `-` password is an open AP.
bool parseAccessPoint(std::string_view text, AirOptions& options, std::string& error) {
  std::vector<std::string_view> parts;
  std::size_t start = 0;
  while (true) {
    const std::size_t colon = text.find(':', start);
    parts.push_back(text.substr(start, colon == std::string_view::npos ? text.npos : colon - start));
    if (colon == std::string_view::npos) break;
    start = colon + 1;
  }
  const std::string shown = "--ap '" + std::string(text) + "': ";
  if (parts.size() < 2 || parts.size() > 3) {
    error = shown + "wants SSID:PASSWORD[:SIGNAL]";
    return false;
  }
  AccessPointSpec spec;
  const auto ssid = decodeText(parts[0]);
  if (!ssid || ssid->empty() || ssid->size() > 32) {
    error = shown + "the SSID must be 1-32 bytes (percent-encoded where needed)";
    return false;
  }
  const auto password = decodeText(parts[1]);
  if (!password || password->size() > 64) {
    error = shown + "the password must be 0-64 bytes (percent-encoded where needed)";
    return false;
  }
  if (parts.size() == 3 && !parseNumber<std::uint8_t>(parts[2], kMaxSignal, spec.signal)) {
    error = shown + "the signal must be 0-100";
    return false;
  }
  spec.ssid = *ssid;
  spec.password = *password;
  options.accessPoints.push_back(std::move(spec));
  return true;
}

}  // namespace

std::optional<AirOptions> parseCommandLine(std::span<const std::string_view> args, std::string& error) {
  AirOptions options;
  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string_view arg = args[i];
    const bool takesValue = arg == "--listen" || arg == "--ap";
    if (takesValue && i + 1 >= args.size()) {
      error = std::string(arg) + " needs a value";
      return std::nullopt;
    }
    if (arg == "--help" || arg == "-h") {
      options.help = true;
    } else if (arg == "--production") {
      options.production = true;
    } else if (arg == "--listen") {
      if (!parseListen(args[++i], options, error)) return std::nullopt;
    } else if (arg == "--ap") {
      if (!parseAccessPoint(args[++i], options, error)) return std::nullopt;
    } else {
      error = "unknown argument '" + std::string(arg) + "'";
      return std::nullopt;
    }
  }
  return options;
}

std::string usageText() {
  return "usage: gagent-air [--listen 127.0.0.1:PORT] [--production] [--ap SSID:PASSWORD[:SIGNAL]]...\n"
         "\n"
         "The virtual air of the GAgent lab: access points, their client tables, module SoftAPs and "
         "one-shot\n"
         "listeners, served as the line protocol of docs/virtual-lab.md.\n"
         "\n"
         "  --listen HOST:PORT  loopback address to serve on (default 127.0.0.1:0; port 0 picks a free "
         "port)\n"
         "  --production        start with GIZWITS_TEST_1 and GIZWITS_TEST_2, password GIZWITS_TEST_PASS "
         "(S5.1)\n"
         "  --ap SSID:PASSWORD[:SIGNAL]\n"
         "                      add an access point (repeatable); texts percent-encoded (%3A for ':'),\n"
         "                      an empty or '-' password is an open AP, SIGNAL 0-100 (default 70)\n"
         "  --help              this text\n"
         "\n"
         "Prints 'gagent-air ready port=<port>' when it accepts connections; SIGTERM or SIGINT end it (exit "
         "0).\n"
         "Bad arguments exit 2.\n";
}

AirModel initialAir(const AirOptions& options) {
  AirModel model;
  AirEvents none;  // no module is connected yet
  if (options.production) {
    for (const auto ssid : kProductionSsids) {
      model.addAccessPoint(std::string(ssid), std::string(kProductionPassword), kDefaultSignal, none);
    }
  }
  for (const auto& ap : options.accessPoints) model.addAccessPoint(ap.ssid, ap.password, ap.signal, none);
  return model;
}

}  // namespace gagent::air
