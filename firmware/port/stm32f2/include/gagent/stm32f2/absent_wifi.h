#pragma once
// The module's WiFi side where no WiFi chip is attached (the emulated board): a radio that hears no access
// point and a network stack with no interface. The core then lives as a module does with no router in
// range: station joins fail with NoAccessPoint and are retried (S12.2), production scans find no test
// router (S5.4), sockets cannot be opened and resolutions fail.

#include "gagent/hal/dns.h"
#include "gagent/hal/net.h"
#include "gagent/hal/radio.h"

namespace gagent::stm32f2 {

class EmptyAirRadio : public hal::Radio {
 public:
  bool startScan() override;
  hal::ScanState scanState() override { return scan_; }
  std::size_t scanResults(std::span<hal::AccessPoint>) override { return 0; }

  bool joinStation(std::string_view ssid, std::string_view password) override;
  void leaveStation() override { link_ = hal::LinkState::Down; }
  hal::LinkState stationLink() override { return link_; }
  std::uint8_t stationSignal() override { return 0; }
  hal::Ipv4 stationAddress() override { return {}; }

  // The radio raises the SoftAP as told; nobody joins it.
  bool startSoftAp(std::string_view, std::string_view) override { return true; }
  void stopSoftAp() override {}

  bool startOneShot(hal::OneShotKind) override;
  hal::OneShotState oneShotState() override { return oneShot_; }
  bool oneShotResult(hal::WifiCredentials&) override { return false; }
  void stopOneShot() override { oneShot_ = hal::OneShotState::Idle; }

 private:
  hal::ScanState scan_ = hal::ScanState::Idle;
  hal::LinkState link_ = hal::LinkState::Down;
  hal::OneShotState oneShot_ = hal::OneShotState::Idle;
};

class NoInterfaceNet : public hal::Net {
 public:
  hal::SocketId udpOpen(std::uint16_t, bool) override { return hal::kNoSocket; }
  hal::IoResult udpSend(hal::SocketId, hal::Endpoint, std::span<const std::uint8_t>) override {
    return hal::IoResult::error();
  }
  hal::IoResult udpReceive(hal::SocketId, std::span<std::uint8_t>, hal::Endpoint&) override {
    return hal::IoResult::error();
  }
  hal::SocketId tcpListen(std::uint16_t, int) override { return hal::kNoSocket; }
  hal::SocketId tcpAccept(hal::SocketId, hal::Endpoint&) override { return hal::kNoSocket; }
  hal::SocketId tcpConnect(hal::Endpoint) override { return hal::kNoSocket; }
  hal::TcpState tcpState(hal::SocketId) override { return hal::TcpState::Failed; }
  hal::IoResult tcpSend(hal::SocketId, std::span<const std::uint8_t>) override {
    return hal::IoResult::error();
  }
  hal::IoResult tcpReceive(hal::SocketId, std::span<std::uint8_t>) override { return hal::IoResult::error(); }
  void close(hal::SocketId) override {}
};

class NoInterfaceDns : public hal::Dns {
 public:
  hal::DnsQueryId startResolve(std::string_view) override { return hal::kNoQuery; }
  hal::DnsState pollResolve(hal::DnsQueryId, hal::Ipv4&) override { return hal::DnsState::Failed; }
};

}  // namespace gagent::stm32f2
