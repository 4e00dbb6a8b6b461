#pragma once
// Names and decoded fields of one MCU serial frame, for the McuPlug's frame log and events. Payloads are
// read with the proto parsers; P0 is read against the product's layout on a scratch copy of the state, so
// describing never changes the plug's data points.

#include <QByteArray>
#include <QList>
#include <QPair>
#include <QString>

#include "gagent/proto/bytes.h"
#include "gagent/proto/mcu_frame.h"
#include "gagent/proto/mcu_payloads.h"
#include "gagent/proto/p0.h"

namespace gizrig::core {

struct McuFrameDescription {
  QString name;                           // "0x0D WiFi status"
  QList<QPair<QString, QString>> fields;  // sn first, then the payload's fields in wire order
};

[[nodiscard]] McuFrameDescription describeMcuFrame(const gagent::proto::McuHeader& header,
                                                   gagent::proto::Bytes payload,
                                                   const gagent::proto::P0State& state);

// The §1.9 bits by name: softap, station, onboarding, bindable, router, cloud, rssi, app, test.
[[nodiscard]] QList<QPair<QString, QString>> describeWifiStatus(const gagent::proto::WifiStatus& status);

// A 0x22 answer of either layout (protocol §1.8), owned. The GPRS layout (type 02) carries no MAC and no IP.
struct McuModuleInfo {
  std::uint8_t type = gagent::proto::kModuleTypeWifi;
  QString protocolVer, hardVer, softVer, mac, ip;
  QByteArray devAttr;
  QString imei, imsi, mcc, mnc;  // GPRS layout only
  int cellCount = 0;             // GPRS layout only

  [[nodiscard]] bool hasMac() const { return mac.size() == 12; }
  // "WiFi layout, type 01" / "GPRS layout, type 02", for records and failure messages.
  [[nodiscard]] QString layoutName() const;
};
// Either 0x22 layout, parsed by the proto codec, as owned text.
[[nodiscard]] McuModuleInfo toModuleInfo(const gagent::proto::AnyModuleInfo& info);

// "2023-11-15 06:13:23"
[[nodiscard]] QString formatNetworkTime(const gagent::proto::NetworkTime& time);

[[nodiscard]] QString hexText(gagent::proto::Bytes bytes);  // lower-case, no spaces
[[nodiscard]] QString qtext(std::string_view text);

}  // namespace gizrig::core
