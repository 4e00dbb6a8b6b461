#pragma once
// A production station as configured in fixtures/stations/*.json: who and where, the product, the limits of
// the end-of-line test, and the slots (serial port + module address each; in --sim mode the lab provides
// them).

#include <QHostAddress>
#include <QList>
#include <QString>
#include <QStringList>
#include <optional>

#include "gizrig/clock/rig_clock.h"

namespace gizrig::core {

struct ProductionLimits {
  int minSignalLevel = 3;       // status word bits 8-10 (S4.3 ordinal; 3 = level 50)
  RigMillis maxJoinMs = 60000;  // 0x13 -> router connected + test mode (S5.2-S5.3)
  RigMillis maxControlRoundTripMs = 3000;
  RigMillis stepTimeoutMs = 15000;                 // any single wait of the sequence
  QString controlPoint = QStringLiteral("LED_R");  // the data point written during the test
  int controlValue = 77;
};

struct SlotConfig {
  QString name;         // "1", "A3", ...
  QString serialPort;   // /dev/ttyUSB0, or a gagent-sim pty
  QHostAddress module;  // the module's LAN address, when known in advance (else found by MAC)
};

struct StationConfig {
  QString station;
  QString line;
  QString operatorName;
  QString product;  // fixture path, relative to the fixtures directory
  QStringList testRouters{QStringLiteral("GIZWITS_TEST_1"), QStringLiteral("GIZWITS_TEST_2")};  // S5.1
  QString broadcast = QStringLiteral("127.255.255.255");  // a real line LAN uses 255.255.255.255
  QString database;                                       // --db default: sqlite path or postgresql://...
  ProductionLimits limits;
  QList<SlotConfig> slotConfigs;

  // Clear errors name the file and the field.
  static std::optional<StationConfig> load(const QString& path, QString* error);
};

}  // namespace gizrig::core
