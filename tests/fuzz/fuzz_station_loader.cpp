// libFuzzer target for the station file loader (rig/production station_config.h): any bytes as a station
// file. It loads or says why, naming the file; what loads writes back (toJson) to a file that loads again.
#include <cstddef>
#include <cstdint>

#include "gizrig/production/station_config.h"

using namespace gizrig::core;

namespace {

void check(bool condition) {
  if (!condition) __builtin_trap();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const QByteArray json(reinterpret_cast<const char*>(data), static_cast<qsizetype>(size));
  QString error;
  const auto station = StationConfig::fromJson(json, QStringLiteral("fuzz.json"), &error);
  if (!station) {
    check(error.startsWith(QStringLiteral("fuzz.json: ")));
    return 0;
  }
  const QByteArray written = station->toJson();
  const auto again = StationConfig::fromJson(written, QStringLiteral("written"), &error);
  check(again.has_value());
  return 0;
}
