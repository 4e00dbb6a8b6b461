#include "gagent/sim/sim_board.h"

namespace gagent::sim {

SimBoard::SimBoard(const SimBoardOptions& options)
    : clock_(options.startTime),
      uart_(clock_),
      net_(clock_),
      dns_(clock_),
      radio_(clock_, net_),
      flash_(options.flashSectors, options.flashSectorSize),
      leds_(clock_),
      watchdog_(clock_),
      random_(options.randomSeed),
      system_(clock_),
      board_{uart_, net_, dns_, radio_, flash_, leds_, watchdog_, random_, system_} {}

void SimBoard::restartModule() {
  net_.closeAllModuleSockets();
  radio_.resetModuleState();
  uart_.flush();
  watchdog_.rearm();
  system_.takeRebootRequest();
}

}  // namespace gagent::sim
