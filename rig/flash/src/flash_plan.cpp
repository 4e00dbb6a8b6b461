#include "gizrig/flash/flash_plan.h"

#include <cstdio>

namespace gizrig::flash {

const char* chipName(Chip chip) {
  switch (chip) {
    case Chip::Esp8266:
      return "ESP8266";
    case Chip::Esp32:
      return "ESP32";
    case Chip::Unknown:
      break;
  }
  return "unknown";
}

const char* failureName(FlashFailure failure) {
  switch (failure) {
    case FlashFailure::None:
      return "none";
    case FlashFailure::NoSync:
      return "no sync";
    case FlashFailure::WrongChip:
      return "wrong chip";
    case FlashFailure::Refused:
      return "refused";
    case FlashFailure::Timeout:
      return "timeout";
    case FlashFailure::Md5Mismatch:
      return "MD5 mismatch";
    case FlashFailure::PortLost:
      return "port lost";
  }
  return "unknown";
}

std::string macText(const std::array<std::uint8_t, 6>& mac) {
  char text[18];
  std::snprintf(text, sizeof text, "%02x:%02x:%02x:%02x:%02x:%02x", mac[0], mac[1], mac[2], mac[3], mac[4],
                mac[5]);
  return text;
}

}  // namespace gizrig::flash
