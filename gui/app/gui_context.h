#pragma once
// What every view of gizrig-gui shares: where the fixtures, the records and the lab live, and the rig clock.
// The application owns the clock (a RealClock); views only borrow it.

#include <QString>

#include "gizrig/clock/rig_clock.h"

namespace gizrig::gui {

struct GuiContext {
  QString fixturesDir;                      // fixtures/ (products, stations, scenarios)
  QString recordsDb;                        // sqlite path or postgresql://... (SqlRecordStore::open)
  QString labDir;                           // run directory of the virtual lab ("" = a temporary one)
  gizrig::core::RigClock* clock = nullptr;  // RealClock owned by the app
};

}  // namespace gizrig::gui
