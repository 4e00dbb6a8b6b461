#include "gagent/posix/posix_board.h"

namespace gagent::posix {

PosixBoard::PosixBoard(const PosixBoardSettings& settings, FileFlash& flash, hal::Uart& uart,
                       hal::Watchdog& watchdog, core::LogHub& logs, hal::Millis now)
    : uart_(uart),
      net_(settings.address),
      radio_(settings.air, settings.mac, settings.address, logs, now),
      leds_(logs),
      random_(settings.seed),
      system_(settings.mac),
      board_{uart, net_, dns_, radio_, flash, leds_, watchdog, random_, system_} {}

}  // namespace gagent::posix
