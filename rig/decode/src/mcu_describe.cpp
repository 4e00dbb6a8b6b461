#include "gizrig/decode/mcu_describe.h"

#include <QByteArray>

namespace gizrig::core {

namespace proto = gagent::proto;
using proto::McuCmd;

namespace {

using Fields = QList<QPair<QString, QString>>;

void add(Fields& fields, const QString& key, const QString& value) {
  fields.append(qMakePair(key, value));
}

QString yesNo(bool value) {
  return value ? QStringLiteral("1") : QStringLiteral("0");
}

// Fixed-width text fields are raw 8/32 bytes on the wire: show them without the NUL padding.
QString fixedText(std::string_view text) {
  while (!text.empty() && text.back() == '\0') text.remove_suffix(1);
  return qtext(text);
}

void describeP0(proto::Bytes p0, const proto::P0State& state, Fields& fields) {
  if (p0.empty()) return;  // the empty 0x04 that acknowledges a control
  const auto action = static_cast<proto::P0Action>(p0[0]);
  proto::P0State scratch = state;
  switch (action) {
    case proto::P0Action::Control: {
      add(fields, "action", "control");
      const proto::ControlDecode control = proto::decodeControl(p0, scratch);
      if (control.ok()) {
        add(fields, "p0", qtext(proto::describeFlagged(scratch, control)));
      } else {
        add(fields, "p0_error", qtext(control.error.view()));
      }
      return;
    }
    case proto::P0Action::Read: {
      add(fields, "action", "read");
      const proto::P0Decode read = proto::decodeRead(p0);
      if (!read.ok()) add(fields, "p0_error", qtext(read.error.view()));
      return;
    }
    case proto::P0Action::ReadReply:
    case proto::P0Action::Report: {
      add(fields, "action", action == proto::P0Action::Report ? "report" : "read reply");
      const proto::P0Decode status = proto::decodeStatus(p0, scratch);
      if (status.ok()) {
        add(fields, "p0", qtext(proto::describe(scratch)));
      } else {
        add(fields, "p0_error", qtext(status.error.view()));
      }
      return;
    }
    case proto::P0Action::PassThroughToMcu:
    case proto::P0Action::PassThroughFromMcu:
      add(fields, "action", "pass-through");
      add(fields, "data", hexText(p0.subspan(1)));
      return;
  }
  add(fields, "action", QStringLiteral("0x%1 unknown").arg(p0[0], 2, 16, QLatin1Char('0')));
  add(fields, "p0", hexText(p0));
}

void describePayload(McuCmd cmd, proto::Bytes payload, const proto::P0State& state, Fields& fields) {
  switch (cmd) {
    case McuCmd::DeviceInfo: {
      const auto info = proto::parseDeviceInfo(payload);
      if (!info.ok()) break;
      const proto::DeviceInfo& v = info.value;
      add(fields, "protocol_ver", fixedText(v.protocolVer));
      add(fields, "p0_ver", fixedText(v.p0Ver));
      add(fields, "hard_ver", fixedText(v.hardVer));
      add(fields, "soft_ver", fixedText(v.softVer));
      add(fields, "product_key", fixedText(v.productKey));
      add(fields, "bind_timeout", QString::number(v.bindTimeout));
      if (!v.devAttr.empty()) add(fields, "dev_attr", hexText(v.devAttr));
      if (!v.productSecret.empty()) add(fields, "product_secret", fixedText(v.productSecret));
      if (v.hasData) add(fields, "data", qtext(v.data));
      return;
    }
    case McuCmd::P0ToMcu:
    case McuCmd::P0ToMcuAck:
    case McuCmd::P0FromMcu:
      describeP0(payload, state, fields);
      return;
    case McuCmd::WifiStatus: {
      const auto status = proto::parseWifiStatus(payload);
      if (!status.ok()) break;
      // The wire word, reserved bits included (the typed view drops them).
      add(fields, "word", hexText(payload).toUpper());
      fields.append(describeWifiStatus(status.value));
      return;
    }
    case McuCmd::ConfigMode: {
      const auto mode = proto::parseConfigMode(payload);
      if (!mode.ok()) break;
      const char* name = mode.value.method() == proto::ConfigMethod::SoftAp   ? "softap"
                         : mode.value.method() == proto::ConfigMethod::Direct ? "direct"
                                                                              : "airlink";
      add(fields, "mode", QStringLiteral("%1 (%2)").arg(mode.value.mode).arg(QLatin1String(name)));
      if (mode.value.method() == proto::ConfigMethod::Direct) add(fields, "ssid", qtext(mode.value.ssid));
      return;
    }
    case McuCmd::IllegalMessage:
    case McuCmd::IllegalMessageAck: {
      const auto code = proto::parseIllegalNotice(payload);
      if (!code.ok()) break;
      add(fields, "code", QString::number(static_cast<int>(code.value)));
      return;
    }
    case McuCmd::NetworkTime: {
      const auto time = proto::parseNetworkTime(payload);
      if (!time.ok()) break;
      add(fields, "time", formatNetworkTime(time.value));
      add(fields, "ntp", QString::number(time.value.ntp));
      return;
    }
    case McuCmd::GetModuleInfo: {
      const auto type = proto::parseModuleInfoRequest(payload);
      if (!type.ok()) break;
      add(fields, "type", QString::number(type.value));
      return;
    }
    case McuCmd::ModuleInfo: {
      const auto parsed = proto::parseAnyModuleInfo(payload);
      if (!parsed.ok()) break;
      const McuModuleInfo info = toModuleInfo(parsed.value);
      add(fields, "layout", info.layoutName());
      add(fields, "protocol_ver", info.protocolVer);
      add(fields, "hard_ver", info.hardVer);
      add(fields, "soft_ver", info.softVer);
      if (info.type == proto::kModuleTypeWifi) {
        add(fields, "mac", info.mac);
        add(fields, "ip", info.ip);
      }
      add(fields, "dev_attr", QString::fromLatin1(info.devAttr.toHex()));
      if (info.type == proto::kModuleTypeGprs) {
        add(fields, "imei", info.imei);
        add(fields, "imsi", info.imsi);
        add(fields, "mcc", info.mcc);
        add(fields, "mnc", info.mnc);
        add(fields, "cells", QString::number(info.cellCount));
      }
      return;
    }
    default:
      if (payload.empty()) return;
      add(fields, "payload", hexText(payload));
      return;
  }
  // A known command whose payload the parser refused: keep the bytes and say so.
  add(fields, "payload", hexText(payload));
  add(fields, "payload_error", QStringLiteral("malformed"));
}

}  // namespace

QString qtext(std::string_view text) {
  return QString::fromUtf8(text.data(), static_cast<qsizetype>(text.size()));
}

QString hexText(proto::Bytes bytes) {
  return QString::fromLatin1(
      QByteArray(reinterpret_cast<const char*>(bytes.data()), static_cast<qsizetype>(bytes.size())).toHex());
}

QString McuModuleInfo::layoutName() const {
  const QString name = type == proto::kModuleTypeWifi   ? QStringLiteral("WiFi")
                       : type == proto::kModuleTypeGprs ? QStringLiteral("GPRS")
                                                        : QStringLiteral("unknown");
  return QStringLiteral("%1 layout, type %2").arg(name).arg(type, 2, 16, QLatin1Char('0'));
}

McuModuleInfo toModuleInfo(const proto::AnyModuleInfo& info) {
  McuModuleInfo m;
  m.type = info.type;
  if (info.wifi) {
    m.protocolVer = fixedText(info.wifi->protocolVer);
    m.hardVer = fixedText(info.wifi->hardVer);
    m.softVer = fixedText(info.wifi->softVer);
    m.mac = qtext(info.wifi->mac);
    m.ip = qtext(info.wifi->ip);
    m.devAttr = QByteArray(reinterpret_cast<const char*>(info.wifi->devAttr.data()),
                           static_cast<qsizetype>(info.wifi->devAttr.size()));
  } else if (info.gprs) {
    m.protocolVer = fixedText(info.gprs->protocolVer);
    m.hardVer = fixedText(info.gprs->hardVer);
    m.softVer = fixedText(info.gprs->softVer);
    m.devAttr = QByteArray(reinterpret_cast<const char*>(info.gprs->devAttr.data()),
                           static_cast<qsizetype>(info.gprs->devAttr.size()));
    m.imei = qtext(info.gprs->imei);
    m.imsi = qtext(info.gprs->imsi);
    m.mcc = qtext(info.gprs->mcc);
    m.mnc = qtext(info.gprs->mnc);
    m.cellCount = static_cast<int>(info.gprs->cellCount());
  }
  return m;
}

QString formatNetworkTime(const proto::NetworkTime& t) {
  return QStringLiteral("%1-%2-%3 %4:%5:%6")
      .arg(t.year, 4, 10, QLatin1Char('0'))
      .arg(t.month, 2, 10, QLatin1Char('0'))
      .arg(t.day, 2, 10, QLatin1Char('0'))
      .arg(t.hour, 2, 10, QLatin1Char('0'))
      .arg(t.minute, 2, 10, QLatin1Char('0'))
      .arg(t.second, 2, 10, QLatin1Char('0'));
}

QList<QPair<QString, QString>> describeWifiStatus(const proto::WifiStatus& s) {
  return {{"softap", yesNo(s.softAp)},
          {"station", yesNo(s.station)},
          {"onboarding", yesNo(s.onboarding)},
          {"bindable", yesNo(s.bindable)},
          {"router", yesNo(s.routerConnected)},
          {"cloud", yesNo(s.cloudConnected)},
          {"rssi", QString::number(s.rssiLevel)},
          {"app", yesNo(s.appOnline)},
          {"test", yesNo(s.productionTest)}};
}

McuFrameDescription describeMcuFrame(const proto::McuHeader& header, proto::Bytes payload,
                                     const proto::P0State& state) {
  McuFrameDescription d;
  d.name = qtext(proto::commandName(header.cmd));
  add(d.fields, "sn", QString::number(header.sn));
  if (header.flags != 0)
    add(d.fields, "flags", QStringLiteral("%1").arg(header.flags, 4, 16, QLatin1Char('0')));
  describePayload(header.cmd, payload, state, d.fields);
  return d;
}

}  // namespace gizrig::core
