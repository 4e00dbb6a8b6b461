#pragma once
// The lab as a station: a station file (docs/real-station.md) whose slots are the lab's modules (their ptys
// and addresses), whose routers are the virtual air and whose cloud is the lab's. With it the lab stands in
// for a real line through exactly the real-mode path (gizrig production --station, gizrig run --station).

#include <QString>

#include "gizrig/lab/lab_state.h"
#include "gizrig/production/station_config.h"

namespace gizrig::lab {

[[nodiscard]] core::StationConfig labStation(const LabState& state, const QString& product);

// Writes it (mode 0600: it carries the cloud's app password); false + error.
bool writeLabStation(const LabState& state, const QString& product, const QString& path, QString* error);

}  // namespace gizrig::lab
