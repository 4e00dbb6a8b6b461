// gagent-module: the firmware core on the STM32F205 board. One loop: poll the core when it is due or the MCU
// sent bytes, feed the watchdog, reboot when the core asked, and sleep until the next interrupt (SysTick
// wakes it every millisecond).
#include "gagent/core/agent.h"
#include "gagent/stm32f2/memory_map.h"
#include "gagent/stm32f2/registers.h"
#include "gagent/stm32f2/stm32_board.h"

namespace {

using namespace gagent;
using namespace gagent::stm32f2;

core::LogHub gLogs;
Stm32Board gBoard;

void reportStack(core::Logger& log, std::size_t& reported) {
  const std::size_t peak = stackPeakBytes();
  if (peak <= reported) return;
  reported = peak;
  log.info("stack: peak %u B of a %u B window", static_cast<unsigned>(peak),
           static_cast<unsigned>(stackWindowBytes()));
}

}  // namespace

int main() {
  gBoard.start(gLogs);
  core::Logger log(gLogs, "board");

  core::AgentOptions options;
  options.wifiHardwareVersion = "GAGENTF2";  // S2.1: vendor code + model
  // Constructed here, once the board is up: its constructor binds the HAL.
  static core::Agent agent(gBoard.hal(), gLogs, options);
  hal::Millis now = millis();
  agent.start(now);
  sealHeap();  // from here on an allocation traps
  const hal::MacAddress mac = gBoard.hal().system.mac();
  log.info(
      "ready: MCU on USART1 at %lu 8N1, mac %02x%02x%02x%02x%02x%02x, static RAM %u B, heap at start-up %u B",
      static_cast<unsigned long>(Stm32Board::kMcuBaud), mac[0], mac[1], mac[2], mac[3], mac[4], mac[5],
      static_cast<unsigned>(staticRamBytes()), static_cast<unsigned>(heapUsedAtSeal()));

  std::size_t reportedStack = 0;
  hal::Millis nextStackCheck = 0;
  for (;;) {
    now = millis();
    if (now >= agent.nextDeadline() || gBoard.mcuUart().receivePending()) agent.poll(now);
    gBoard.mcuUart().service();
    gBoard.logUart().service();
    if (gBoard.system().rebootRequested()) {
      log.info("rebooting");
      gBoard.logSink().flush();
      systemReset();
    }
    if (gBoard.watchdog().service(now)) {
      log.error("watchdog: the core has not fed it for %lu s and the IWDG did not fire; resetting",
                static_cast<unsigned long>(IwdgWatchdog::kBackstop / 1000));
      gBoard.logSink().flush();
      systemReset();
    }
    if (now >= nextStackCheck) {
      reportStack(log, reportedStack);
      nextStackCheck = now + 1000;
    }
    waitForInterrupt();
  }
}
