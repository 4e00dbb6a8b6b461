#pragma once
// A production station as described by its station file (fixtures/stations/*.json, docs/real-station.md):
// who and where, the product, the limits of the end-of-line test, the slots (serial port, module address,
// power-cycle command), the test routers' control and the cloud. The one place that describes the equipment;
// loaded strictly: an unknown key, a bad address or a missing port is an error naming the file and the field
// ("line.json: slots[1].module_ip: bad IPv4 address \"10.77.0.300\"").

#include <QHostAddress>
#include <QList>
#include <QString>
#include <QStringList>
#include <optional>

#include "gizrig/clock/rig_clock.h"
#include "gizrig/flash/flash_plan.h"

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
  QString serialPort;   // /dev/ttyUSB0, /dev/serial/by-id/..., or a gagent-sim pty
  QHostAddress module;  // the module's LAN address, when known in advance (else found by MAC)
  qint32 baud = 9600;   // S3.2: 9600 8N1
  QString powerCycle;   // a shell command that power-cycles this slot's module (a USB relay); empty = none
};

// One router controller: the OpenWrt devices of a real line (ubus JSON-RPC), or the virtual air of the lab.
struct RouterControllerConfig {
  enum class Backend { OpenWrt, Air } backend = Backend::OpenWrt;
  QStringList ssids;  // the access points this controller switches (GIZWITS_TEST_1, ...)
  QString url;        // OpenWrt: http://192.168.10.1/ubus
  QString username;   // OpenWrt: the rpcd login
  QString password;
  QHostAddress address;  // air: where gagent-air listens
  quint16 port = 0;
};

// The stand-in cloud's control (the lab's): its HTTP API and the app side's broker account.
struct CloudConfig {
  QHostAddress apiAddress;
  quint16 apiPort = 0;
  QHostAddress mqttAddress;
  quint16 mqttPort = 0;
  QString appUser;
  QString appPassword;
  QString secret;  // the stand-in cloud's control secret ("secret"; the lab's lab.json api.secret)
};

// The station's flash step (docs/flashing.md): an image written through the module's ROM serial loader
// before the test, unless the module already reports `version` in 0x22.
struct FlashStepConfig {
  QString image;             // absolute path (relative ones in the file are relative to the station file)
  QByteArray bytes;          // the image, read once when the station file is loaded (size-capped)
  quint32 address = 0x2000;  // where GAgent boots its application from
  QString version;           // the software version the module reports in 0x22 after booting the image
  bool skipWhenCurrent = true;
  qint32 baud = 460800;  // raised after sync where the loader can (an ESP8266 ROM stays at 115200)
  bool verify = true;    // SPI_FLASH_MD5 after writing, where the loader has it
  // esptool's flasher stub (its JSON, path as `image`), uploaded first where a chip's ROM lacks compressed
  // writes, MD5 and a baud change (an ESP8266); read and checked when the station file is loaded.
  QString stubFile;
  std::optional<gizrig::flash::FlasherStub> stub;
};

// The home network scenarios with setup "station" put the module on (S6: the user's router).
struct HomeRouterConfig {
  // How the module gets onto it (docs/real-station.md):
  //   SoftAp  the rig joins the module's SoftAP and sends 0001 (S6.2); needs the virtual air today
  //   Mcu     the MCU writes the credentials directly (0x09 type 4, protocol 1.8; newer GAgents only)
  //   OnLan   the module is on the station's LAN by itself (wired, or joined by hand): the setup only
  //           checks that it is there and never resets it
  enum class Onboarding { SoftAp, Mcu, OnLan };
  QString ssid;
  QString password;
  Onboarding onboarding = Onboarding::SoftAp;
};

[[nodiscard]] QString onboardingName(HomeRouterConfig::Onboarding onboarding);  // "softap", "mcu", "on_lan"

struct StationConfig {
  QString station;
  QString line;
  QString operatorName;
  QString product;  // fixture path, relative to the fixtures directory (or absolute)
  QStringList testRouters{QStringLiteral("GIZWITS_TEST_1"), QStringLiteral("GIZWITS_TEST_2")};  // S5.1
  QString broadcast = QStringLiteral("127.255.255.255");  // a real line LAN uses 255.255.255.255
  QString database;                                       // --db default: sqlite path or postgresql://...
  // A DUT whose MAC already passed under another serial (or serial under another MAC) is flagged in its
  // record; with this set its run FAILs too (step "duplicate_check").
  bool duplicateFails = false;
  // The operator station's retest rule: a DUT that FAILed may be tested again this many times; its next FAIL
  // is final (Retest refused, the tile says to reject it). Absent: no limit.
  std::optional<int> maxRetests;
  // Unlocks the operator view's engineer mode (settings, the slot's serial console). Absent: no password.
  QString engineerPassword;
  ProductionLimits limits;
  QList<SlotConfig> slotConfigs;
  QList<RouterControllerConfig> routers;       // empty: the test routers are managed outside the rig
  std::optional<CloudConfig> cloud;            // absent: no cloud (scenarios that need one are skipped)
  std::optional<HomeRouterConfig> homeRouter;  // absent: scenarios with setup "station" are skipped
  std::optional<FlashStepConfig> flash;        // absent: no flash step, the test starts at the handshake

  [[nodiscard]] const SlotConfig* slot(const QString& name) const;

  // Clear errors name the file and the field.
  static std::optional<StationConfig> load(const QString& path, QString* error);
  // The same rules on a document already read (`source` names it in errors).
  static std::optional<StationConfig> fromJson(const QByteArray& json, const QString& source, QString* error);
  // The file's form, for `gizrig lab up --station-out`: fromJson(toJson()) gives the same station.
  [[nodiscard]] QByteArray toJson() const;
};

}  // namespace gizrig::core
