#include "gagent/stm32f2/absent_wifi.h"

namespace gagent::stm32f2 {

bool EmptyAirRadio::startScan() {
  scan_ = hal::ScanState::Done;  // a full sweep of the channels, and nothing answered
  return true;
}

bool EmptyAirRadio::joinStation(std::string_view, std::string_view) {
  link_ = hal::LinkState::NoAccessPoint;  // the router's SSID is not on the air
  return true;
}

bool EmptyAirRadio::startOneShot(hal::OneShotKind) {
  oneShot_ = hal::OneShotState::Listening;  // listening; no phone sends
  return true;
}

}  // namespace gagent::stm32f2
