#pragma once
// The scripted MCU's transport in the virtual-time world: the MCU's side of a SimUart.

#include <memory>
#include <vector>

#include "gagent/sim/sim_uart.h"
#include "scripted_mcu.h"

namespace gagent::test {

class SimUartMcuLink final : public McuByteLink {
 public:
  explicit SimUartMcuLink(sim::SimUart& uart) : uart_(uart) {}
  std::vector<std::uint8_t> receive() override { return uart_.mcuReceive(); }
  void send(proto::Bytes bytes) override { uart_.mcuSend(bytes); }

 private:
  sim::SimUart& uart_;
};

// A ScriptedMcu on `uart` (the sim tests' and SimLab's MCU).
inline ScriptedMcu scriptedMcuOn(sim::SimUart& uart) {
  return ScriptedMcu(std::make_unique<SimUartMcuLink>(uart));
}

}  // namespace gagent::test
