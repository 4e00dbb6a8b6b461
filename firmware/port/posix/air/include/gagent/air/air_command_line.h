#pragma once
// gagent-air's command line, parsed without side effects so it can be tested.

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "gagent/air/air_model.h"

namespace gagent::air {

struct AccessPointSpec {
  std::string ssid;
  std::string password;
  std::uint8_t signal = kDefaultSignal;
};

struct AirOptions {
  std::string host = "127.0.0.1";
  std::uint16_t port = 0;
  bool production = false;
  std::vector<AccessPointSpec> accessPoints;  // --ap, in order
  bool help = false;
};

// `args` without the program name. nullopt with `error` set on a bad argument.
std::optional<AirOptions> parseCommandLine(std::span<const std::string_view> args, std::string& error);

[[nodiscard]] std::string usageText();

// The air the options describe: the production routers (S5.1) first, then every --ap (a repeated SSID
// replaces the earlier one).
[[nodiscard]] AirModel initialAir(const AirOptions& options);

}  // namespace gagent::air
