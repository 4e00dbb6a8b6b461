#include "gizrig/plugs/mcu_plug.h"

#include "gizrig/decode/decode.h"

#include <QFile>
#include <vector>

#include "gizrig/decode/mcu_describe.h"
#include "gizrig/files/capped_file.h"

namespace gizrig::core {

namespace proto = gagent::proto;
using proto::McuCmd;

namespace {

// Received bytes that never form a frame (noise without a header) are kept only this far back for the log.
constexpr qsizetype kMaxPendingRaw = static_cast<qsizetype>(proto::kMcuMaxWireSize);
// Heartbeats arrive every 55 s (§1.14): this many cover days of a run.
constexpr qsizetype kMaxHeartbeatTimes = 10000;

proto::Bytes bytesOf(const QByteArray& data) {
  return {reinterpret_cast<const std::uint8_t*>(data.constData()), static_cast<std::size_t>(data.size())};
}

std::string_view viewOf(const QByteArray& data) {
  return {data.constData(), static_cast<std::size_t>(data.size())};
}

QByteArray toQBytes(proto::Bytes bytes) {
  return QByteArray(reinterpret_cast<const char*>(bytes.data()), static_cast<qsizetype>(bytes.size()));
}

QString cmdName(McuCmd cmd) {
  return qtext(proto::commandName(cmd));
}

QVariantMap statusFields(const proto::WifiStatus& s) {
  return {{"softap", s.softAp},     {"station", s.station},        {"onboarding", s.onboarding},
          {"bindable", s.bindable}, {"router", s.routerConnected}, {"cloud", s.cloudConnected},
          {"rssi", s.rssiLevel},    {"app", s.appOnline},          {"test", s.productionTest}};
}

}  // namespace

McuPlug::McuPlug(SerialLink* link, RigClock* clock, proto::Product product, QObject* parent)
    : QObject(parent),
      link_(link),
      clock_(clock),
      product_(std::make_unique<const proto::Product>(std::move(product))),
      state_(*product_),
      wire_(new McuWire(link, clock, this)),
      requests_(new McuRequests(
          clock,
          [this](const McuRequest& r) {
            const proto::McuHeader header{r.cmd, r.sn, 0};
            if (!wire_->send(header, bytesOf(r.payload), /*isAnswer=*/false)) {
              // Cannot be framed (payload over 1024 bytes): say so, and let it run into its timeout.
              emitEvent(
                  QStringLiteral("mcu.error"),
                  {{"sn", r.sn},
                   {"error", QStringLiteral("payload of %1 bytes cannot be framed").arg(r.payload.size())}});
              requests_->transmitted(header);
            }
          },
          this)) {
  info_.p0Ver = QStringLiteral("%1").arg(product_->packetVersion, 8, 16, QLatin1Char('0')).toLatin1();
  info_.productKey = QByteArray::fromStdString(product_->productKey);
  connect(link_, &SerialLink::received, this, &McuPlug::onBytes);
  connect(wire_, &McuWire::sending, this, &McuPlug::logSent);
  connect(requests_, &McuRequests::timedOut, this, [this](const McuRequest& r) {
    emitEvent(QStringLiteral("mcu.timeout"), {{"sn", r.sn},
                                              {"cmd", proto::toByte(r.cmd)},
                                              {"name", cmdName(r.cmd)},
                                              {"transmissions", r.transmissions}});
    emit commandTimedOut(proto::toByte(r.cmd), r.sn);
  });
}

McuPlug::~McuPlug() {
  requests_->clear();
}

std::optional<proto::Product> McuPlug::loadProductFile(const QString& path, QString& error) {
  const auto bytes = readCappedFile(path, kMaxDescriptionFileBytes, &error);
  if (!bytes) return std::nullopt;
  const QByteArray& text = *bytes;
  proto::ProductLoad load = proto::loadProduct(viewOf(text));
  if (!load.product) {
    error = QStringLiteral("%1: %2").arg(path, QString::fromStdString(load.error));
    return std::nullopt;
  }
  return std::move(*load.product);
}

bool McuPlug::open() {
  return link_->isOpen() || link_->open();
}

void McuPlug::close() {
  link_->close();
}

// ---- receiving ----------------------------------------------------------------------------------------

void McuPlug::onBytes(const QByteArray& bytes) {
  inbox_.append(bytes);
  if (receiving_) return;  // a handler's write made the peer answer at once: the loop below takes it
  receiving_ = true;
  while (!inbox_.isEmpty()) {
    const QByteArray chunk = std::exchange(inbox_, QByteArray());
    for (const char c : chunk) {
      rawPending_.append(c);
      const proto::McuDecodeEvent ev = decoder_.push(static_cast<std::uint8_t>(c));
      if (ev.kind == proto::McuEventKind::None) {
        if (rawPending_.size() > kMaxPendingRaw) rawPending_.remove(0, rawPending_.size() - kMaxPendingRaw);
        continue;
      }
      const QByteArray raw = std::exchange(rawPending_, QByteArray());
      if (ev.isFrame()) {
        // The payload views the decoder's buffer: copy it before anything else runs.
        handleFrame(ev.frame.header, toQBytes(ev.frame.payload), raw);
      } else {
        handleBadFrame(ev.error, raw);
      }
    }
  }
  receiving_ = false;
}

void McuPlug::handleFrame(const proto::McuHeader& header, const QByteArray& payload, const QByteArray& raw) {
  const McuFrameDescription d = describeMcuFrame(header, bytesOf(payload), state_);
  FrameLogEntry entry;
  entry.time = clock_->nowMs();
  entry.direction = FrameDirection::ToMcu;
  entry.raw = raw;
  entry.name = d.name;
  entry.fields = d.fields;
  log(std::move(entry));

  const std::uint8_t sn = header.sn;
  switch (header.cmd) {
    case McuCmd::GetDeviceInfo: {
      ++handshakes_;
      commandedSinceHandshake_ = false;
      QString error;
      const QByteArray info = deviceInfoPayload(error);
      if (!error.isEmpty()) {
        emitEvent(QStringLiteral("mcu.error"), {{"sn", sn}, {"error", error}});
        return;
      }
      answer(McuCmd::DeviceInfo, sn, info);
      emitEvent(QStringLiteral("mcu.handshake"), {{"sn", sn}});
      emit handshake(sn);
      return;
    }
    case McuCmd::P0ToMcu:
      handleP0(header, payload);
      return;
    case McuCmd::Heartbeat: {
      const RigMillis now = clock_->nowMs();
      heartbeatTimes_.append(now);
      if (heartbeatTimes_.size() > kMaxHeartbeatTimes) heartbeatTimes_.removeFirst();
      answer(McuCmd::HeartbeatAck, sn);
      emitEvent(QStringLiteral("mcu.heartbeat"), {{"sn", sn}});
      emit heartbeatReceived(now);
      return;
    }
    case McuCmd::WifiStatus:
      handleStatus(header, payload);
      return;
    case McuCmd::RebootMcu:
      answer(McuCmd::RebootMcuAck, sn);
      emitEvent(QStringLiteral("mcu.reboot"), {{"sn", sn}});
      return;
    case McuCmd::IllegalMessage: {
      // §1.10: a notice is never ACKed (answering notices could ping-pong).
      const auto code = proto::parseIllegalNotice(bytesOf(payload));
      const int value = code.ok() ? static_cast<int>(code.value) : -1;
      emitEvent(QStringLiteral("mcu.illegal"), {{"sn", sn}, {"code", value}});
      emit illegalReceived(value, sn);
      return;
    }
    default:
      break;
  }
  if (!proto::isKnownCommand(header.cmd)) {
    // The generated MCU SDK answers an unknown command with 0x12 code 02 (§1.10).
    answerIllegal(sn, proto::IllegalCode::Command);
    emitEvent(QStringLiteral("mcu.unknown"), {{"sn", sn}, {"cmd", proto::toByte(header.cmd)}});
    return;
  }
  if (proto::isAckType(header.cmd)) {
    handleAck(header, payload);
    return;
  }
  // A request this MCU has no behaviour for (big data, transactions): acknowledge it plainly.
  answer(proto::ackFor(header.cmd), sn);
  emitEvent(QStringLiteral("mcu.request"),
            {{"sn", sn}, {"cmd", proto::toByte(header.cmd)}, {"name", cmdName(header.cmd)}});
}

void McuPlug::handleBadFrame(const proto::McuDecodeError& error, const QByteArray& raw) {
  FrameLogEntry entry;
  entry.time = clock_->nowMs();
  entry.direction = FrameDirection::ToMcu;
  entry.raw = raw;
  entry.ok = false;
  entry.error = QLatin1String(mcuFrameErrorName(error.reason));
  entry.name = error.cmd ? cmdName(*error.cmd) : QStringLiteral("frame");
  if (error.sn) entry.fields.append(qMakePair(QStringLiteral("sn"), QString::number(*error.sn)));
  log(std::move(entry));

  QVariantMap fields{{"error", QLatin1String(mcuFrameErrorName(error.reason))}};
  if (error.cmd) fields.insert("cmd", proto::toByte(*error.cmd));
  if (error.sn) fields.insert("sn", *error.sn);
  emitEvent(QStringLiteral("mcu.badframe"), fields);
  // The generated SDK reports a bad checksum with 0x12 code 01 and the frame's sn; ACK types are dropped
  // silently (the sender retransmits on its own).
  if (error.reason == proto::McuFrameError::BadChecksum && error.sn && error.cmd &&
      !proto::isAckType(*error.cmd) && *error.cmd != McuCmd::IllegalMessage)
    answerIllegal(*error.sn, proto::IllegalCode::Checksum);
}

void McuPlug::handleP0(const proto::McuHeader& header, const QByteArray& payload) {
  const std::uint8_t sn = header.sn;
  const proto::Bytes p0 = bytesOf(payload);
  const auto invalid = [&](const QString& why) {
    answer(McuCmd::P0ToMcuAck, sn);  // the frame itself was fine: ACK it so the module does not resend
    emitEvent(QStringLiteral("mcu.p0.invalid"), {{"sn", sn}, {"error", why}});
  };
  if (p0.empty()) {
    invalid(QStringLiteral("empty P0"));
    return;
  }
  switch (static_cast<proto::P0Action>(p0[0])) {
    case proto::P0Action::Control: {
      const proto::ControlDecode control = proto::decodeControl(p0, state_);
      if (!control.ok()) {
        invalid(qtext(control.error.view()));
        return;
      }
      QVariantMap changes;
      for (const proto::Attr& attr : product_->attrs) {
        if (attr.type == proto::AttrType::StatusWritable && control.flagged(attr.writableIndex)) {
          const QString name = QString::fromStdString(attr.name);
          changes.insert(name, dataPoint(name));
        }
      }
      // §1.11: a control is acknowledged with an empty 0x04, then the new state is reported in a 0x05.
      answer(McuCmd::P0ToMcuAck, sn);
      QVariantMap fields = changes;
      fields.insert("sn", sn);
      emitEvent(QStringLiteral("mcu.control"), fields);
      emit controlReceived(changes);
      if (!stuckPoint_.isEmpty()) setDataPoint(stuckPoint_, stuckValue_, false);
      if (!silent_) sendReport();
      return;
    }
    case proto::P0Action::Read: {
      const proto::P0Decode read = proto::decodeRead(p0);
      if (!read.ok()) {
        invalid(qtext(read.error.view()));
        return;
      }
      answer(McuCmd::P0ToMcuAck, sn, statusPayload(proto::P0Action::ReadReply));
      emitEvent(QStringLiteral("mcu.read"), {{"sn", sn}});
      return;
    }
    case proto::P0Action::PassThroughToMcu:
      answer(McuCmd::P0ToMcuAck, sn);
      emitEvent(QStringLiteral("mcu.passthrough"), {{"sn", sn}, {"data", hexText(p0.subspan(1))}});
      return;
    default:
      invalid(QStringLiteral("action 0x%1 not handled").arg(p0[0], 2, 16, QLatin1Char('0')));
      return;
  }
}

void McuPlug::handleStatus(const proto::McuHeader& header, const QByteArray& payload) {
  const auto status = proto::parseWifiStatus(bytesOf(payload));
  answer(McuCmd::WifiStatusAck, header.sn);
  if (!status.ok()) {
    emitEvent(QStringLiteral("mcu.badframe"),
              {{"sn", header.sn}, {"cmd", proto::toByte(header.cmd)}, {"error", "status payload"}});
    return;
  }
  // The wire word, reserved bits included (the typed view drops them).
  const auto word = static_cast<quint16>((static_cast<std::uint8_t>(payload[0]) << 8) |
                                         static_cast<std::uint8_t>(payload[1]));
  const bool changed = !statusWord_ || *statusWord_ != word;
  statusWord_ = word;
  statusTime_ = clock_->nowMs();
  QVariantMap fields = statusFields(status.value);
  fields.insert("sn", header.sn);
  fields.insert("word", word);
  fields.insert("changed", changed);
  emitEvent(QStringLiteral("mcu.status"), fields);
  if (changed) emit statusChanged(word, statusTime_);
}

void McuPlug::handleAck(const proto::McuHeader& header, const QByteArray& payload) {
  const std::optional<McuRequest> request = requests_->takeAck(header);
  if (!request) {
    emitEvent(QStringLiteral("mcu.unmatched"),
              {{"sn", header.sn}, {"cmd", proto::toByte(header.cmd)}, {"name", cmdName(header.cmd)}});
    return;
  }
  QVariantMap fields{{"sn", request->sn},
                     {"cmd", proto::toByte(request->cmd)},
                     {"name", cmdName(request->cmd)},
                     {"transmissions", request->transmissions}};
  if (header.cmd == McuCmd::NetworkTime) {
    const auto time = proto::parseNetworkTime(bytesOf(payload));
    if (time.ok()) {
      networkTime_ = time.value;
      fields.insert("local_time", formatNetworkTime(time.value));
      fields.insert("ntp", static_cast<qint64>(time.value.ntp));
    } else {
      fields.insert("error", QStringLiteral("malformed 0x18"));
    }
  } else if (header.cmd == McuCmd::ModuleInfo) {
    const auto info = proto::parseAnyModuleInfo(bytesOf(payload));
    if (info.ok()) {
      McuModuleInfo m = toModuleInfo(info.value);
      fields.insert("layout", m.layoutName());
      fields.insert("protocol_ver", m.protocolVer);
      fields.insert("hard_ver", m.hardVer);
      fields.insert("soft_ver", m.softVer);
      fields.insert("mac", m.mac);
      fields.insert("ip", m.ip);
      fields.insert("dev_attr", QString::fromLatin1(m.devAttr.toHex()));
      if (m.type == proto::kModuleTypeGprs) {
        fields.insert("imei", m.imei);
        fields.insert("imsi", m.imsi);
        fields.insert("cells", m.cellCount);
      }
      moduleInfo_ = std::move(m);
    } else {
      fields.insert("error", QStringLiteral("malformed 0x22 (neither the WiFi nor the GPRS layout)"));
    }
  }
  emitEvent(QStringLiteral("mcu.ack"), fields);
  emit commandAcked(proto::toByte(request->cmd), request->sn, fields);
}

// ---- sending ------------------------------------------------------------------------------------------

void McuPlug::answer(McuCmd cmd, std::uint8_t sn, const QByteArray& payload) {
  if (silent_) return;
  wire_->send(proto::McuHeader{cmd, sn, 0}, bytesOf(payload), /*isAnswer=*/true);
}

void McuPlug::answerIllegal(std::uint8_t sn, proto::IllegalCode code) {
  std::uint8_t buffer[1];
  proto::ByteWriter writer(buffer);
  proto::buildIllegalNotice(code, writer);
  answer(McuCmd::IllegalMessageAck, sn, toQBytes(writer.written()));
}

QByteArray McuPlug::deviceInfoPayload(QString& error) const {
  const auto check = [&](const QByteArray& value, std::size_t width, const char* name) {
    if (static_cast<std::size_t>(value.size()) > width && error.isEmpty())
      error = QStringLiteral("device info: %1 is longer than %2 bytes").arg(QLatin1String(name)).arg(width);
  };
  check(info_.protocolVer, proto::kMcuVersionSize, "protocol_ver");
  check(info_.p0Ver, proto::kMcuVersionSize, "p0_ver");
  check(info_.hardVer, proto::kMcuVersionSize, "hard_ver");
  check(info_.softVer, proto::kMcuVersionSize, "soft_ver");
  check(info_.productKey, proto::kProductKeySize, "product_key");
  check(info_.productSecret, proto::kProductSecretSize, "product_secret");
  if (!info_.devAttr.isEmpty() && info_.devAttr.size() != static_cast<qsizetype>(proto::kDevAttrSize))
    error = QStringLiteral("device info: dev_attr must be 8 bytes");
  if (!error.isEmpty()) return {};
  // Fixed-width fields are padded to their width here so the secret too goes out whole.
  const QByteArray secret =
      info_.productSecret.isEmpty()
          ? QByteArray()
          : info_.productSecret.leftJustified(static_cast<qsizetype>(proto::kProductSecretSize), '\0');
  proto::DeviceInfo info;
  info.protocolVer = viewOf(info_.protocolVer);
  info.p0Ver = viewOf(info_.p0Ver);
  info.hardVer = viewOf(info_.hardVer);
  info.softVer = viewOf(info_.softVer);
  info.productKey = viewOf(info_.productKey);
  info.bindTimeout = info_.bindTimeout;
  info.devAttr = bytesOf(info_.devAttr);
  info.productSecret = viewOf(secret);
  info.hasData = info_.data.has_value();
  if (info_.data) info.data = viewOf(*info_.data);
  std::vector<std::uint8_t> buffer(proto::kDeviceInfoWithSecretSize + 2 +
                                   static_cast<std::size_t>(info_.data ? info_.data->size() : 0));
  proto::ByteWriter writer(buffer);
  proto::buildDeviceInfo(info, writer);
  if (!writer.ok()) {
    error = QStringLiteral(
        "device info: the fields do not form a §1.8 payload (a tail without the ones "
        "before it, or data over 65535 bytes)");
    return {};
  }
  return toQBytes(writer.written());
}

QByteArray McuPlug::statusPayload(proto::P0Action action) const {
  std::vector<std::uint8_t> buffer(product_->statusPayloadBytes());
  const proto::P0Result result = action == proto::P0Action::Report ? proto::encodeReport(state_, buffer)
                                                                   : proto::encodeReadReply(state_, buffer);
  return result.ok() ? toQBytes(proto::Bytes(buffer).first(result.size)) : QByteArray();
}

std::uint8_t McuPlug::sendReport() {
  return sendCommand(McuCmd::P0FromMcu, statusPayload(proto::P0Action::Report));
}

std::uint8_t McuPlug::sendConfigMode(proto::ConfigMethod method) {
  std::uint8_t buffer[1];
  proto::ByteWriter writer(buffer);
  proto::ConfigModeRequest request;
  request.mode = static_cast<std::uint8_t>(method);
  proto::buildConfigMode(request, writer);
  return sendCommand(McuCmd::ConfigMode, toQBytes(writer.written()));
}

std::optional<std::uint8_t> McuPlug::sendDirectConfig(const QByteArray& ssid, const QByteArray& password,
                                                      const QByteArray& bssid) {
  std::uint8_t buffer[1 + 3 * 256];
  proto::ByteWriter writer(buffer);
  proto::ConfigModeRequest request;
  request.mode = static_cast<std::uint8_t>(proto::ConfigMethod::Direct);
  request.ssid = std::string_view(ssid.constData(), static_cast<std::size_t>(ssid.size()));
  request.password = std::string_view(password.constData(), static_cast<std::size_t>(password.size()));
  request.bssid = std::string_view(bssid.constData(), static_cast<std::size_t>(bssid.size()));
  proto::buildConfigMode(request, writer);
  if (!writer.ok()) return std::nullopt;
  return sendCommand(McuCmd::ConfigMode, toQBytes(writer.written()));
}

std::uint8_t McuPlug::sendResetModule() {
  return sendCommand(McuCmd::ResetModule);
}
std::uint8_t McuPlug::sendProductionTest() {
  return sendCommand(McuCmd::ProductionTest);
}
std::uint8_t McuPlug::sendBindWindow() {
  return sendCommand(McuCmd::BindWindow);
}
std::uint8_t McuPlug::requestNetworkTime() {
  return sendCommand(McuCmd::GetNetworkTime);
}
std::uint8_t McuPlug::requestModuleInfo() {
  std::uint8_t buffer[1];
  proto::ByteWriter writer(buffer);
  proto::buildModuleInfoRequest(0, writer);  // §1.8: the MCU sends type 0
  return sendCommand(McuCmd::GetModuleInfo, toQBytes(writer.written()));
}
std::uint8_t McuPlug::sendRestartModule() {
  return sendCommand(McuCmd::RestartModule);
}

std::uint8_t McuPlug::sendCommand(McuCmd cmd, const QByteArray& payload) {
  // The commands after which the module is no longer as it came up (§1.10).
  if (cmd == McuCmd::ConfigMode || cmd == McuCmd::ResetModule || cmd == McuCmd::ProductionTest ||
      cmd == McuCmd::BindWindow || cmd == McuCmd::RestartModule) {
    commandedSinceHandshake_ = true;
  }
  return requests_->submit(cmd, payload);
}

void McuPlug::sendRawBytes(const QByteArray& bytes) {
  wire_->sendRaw(bytes);
}

// ---- data points --------------------------------------------------------------------------------------

QVariant McuPlug::dataPoint(const QString& name) const {
  const std::string key = name.toStdString();
  const proto::Attr* attr = product_->find(key);
  if (attr == nullptr) return {};
  switch (attr->dataType) {
    case proto::DataType::Bool:
      return state_.raw(key).value_or(0) != 0;
    case proto::DataType::Enum:
      return qtext(state_.enumName(key).value_or(""));
    case proto::DataType::Binary:
      return toQBytes(state_.binary(key));
    default:
      return state_.display(key).value_or(0.0);
  }
}

QVariantMap McuPlug::dataPoints() const {
  QVariantMap all;
  for (const proto::Attr& attr : product_->attrs) {
    const QString name = QString::fromStdString(attr.name);
    all.insert(name, dataPoint(name));
  }
  return all;
}

QString McuPlug::checkDataPointValue(const proto::Product& product, const QString& name,
                                     const QVariant& value) {
  proto::P0State state(product);
  return applyValue(state, name, value);
}

QString McuPlug::applyValue(proto::P0State& state, const QString& name, const QVariant& value) {
  const std::string key = name.toStdString();
  const proto::Attr* attr = state.product().find(key);
  if (attr == nullptr)
    return QStringLiteral("no data point '%1' in %2").arg(name, qtext(state.product().name));
  proto::P0Result result;
  bool converted = true;
  switch (attr->dataType) {
    case proto::DataType::Bool:
      if (value.typeId() == QMetaType::Bool) {
        result = state.setRaw(key, value.toBool() ? 1 : 0);
      } else {
        const uint raw = value.toUInt(&converted);
        if (converted) result = state.setRaw(key, raw);
      }
      break;
    case proto::DataType::Enum:
      if (value.typeId() == QMetaType::QString) {
        result = state.setEnum(key, value.toString().toStdString());
      } else {
        const uint index = value.toUInt(&converted);
        if (converted) result = state.setRaw(key, index);
      }
      break;
    case proto::DataType::Binary: {
      QByteArray bytes = value.typeId() == QMetaType::QString
                             ? QByteArray::fromHex(value.toString().toLatin1())
                             : value.toByteArray();
      result = state.setBinary(key, bytesOf(bytes));
      break;
    }
    default: {
      const double display = value.toDouble(&converted);
      if (converted) result = state.setDisplay(key, display);
      break;
    }
  }
  if (!converted) return QStringLiteral("%1: cannot use '%2'").arg(name, value.toString());
  return result.ok() ? QString() : QStringLiteral("%1: %2").arg(name, qtext(result.error.view()));
}

QString McuPlug::setDataPoints(const QVariantMap& values, bool report) {
  proto::P0State next = state_;
  for (auto it = values.cbegin(); it != values.cend(); ++it) {
    const QString error = applyValue(next, it.key(), it.value());
    if (!error.isEmpty()) return error;
  }
  state_ = next;
  if (report) sendReport();
  return {};
}

QString McuPlug::setDataPoint(const QString& name, const QVariant& value, bool report) {
  return setDataPoints({{name, value}}, report);
}

// ---- faults -------------------------------------------------------------------------------------------

void McuPlug::delayAcks(RigMillis ms) {
  wire_->faults().ackDelayMs = ms < 0 ? 0 : ms;
}
void McuPlug::dropAcks(int count) {
  wire_->faults().dropAcks = count < 0 ? 0 : count;
}
void McuPlug::corruptChecksums(int count) {
  wire_->faults().corruptChecksums = count < 0 ? 0 : count;
}
void McuPlug::sendUnstuffedFf(int count) {
  wire_->faults().unstuffedFf = count < 0 ? 0 : count;
}
void McuPlug::splitFrames(int chunkBytes, RigMillis gapMs) {
  wire_->faults().splitChunkBytes = chunkBytes < 0 ? 0 : chunkBytes;
  wire_->faults().splitGapMs = gapMs < 0 ? 0 : gapMs;
}
void McuPlug::setStuckDataPoint(const QString& name, const QVariant& value) {
  stuckPoint_ = value.isValid() ? name : QString();
  stuckValue_ = value;
}

void McuPlug::setSilent(bool silent) {
  silent_ = silent;
}
void McuPlug::clearFaults() {
  wire_->faults() = McuFaults{};
  silent_ = false;
  stuckPoint_.clear();
}

// ---- records ------------------------------------------------------------------------------------------

void McuPlug::logSent(const McuWire::Sent& sent) {
  // A request's ACK deadline runs from when its first byte is on the wire, not from when it was queued
  // behind a delayed or split frame.
  if (!sent.unframed && !sent.dropped) requests_->transmitted(sent.header);
  FrameLogEntry entry;
  entry.time = clock_->nowMs();
  entry.direction = FrameDirection::FromMcu;
  entry.raw = sent.raw;
  entry.fault = sent.fault;
  if (sent.unframed) {
    entry.name = QStringLiteral("raw bytes");
    entry.fault = QStringLiteral("unframed");
  } else {
    const McuFrameDescription d = describeMcuFrame(sent.header, bytesOf(sent.payload), state_);
    entry.name = d.name;
    entry.fields = d.fields;
  }
  if (sent.malformed) {
    entry.ok = false;
    entry.error = sent.fault;
  }
  log(std::move(entry));
}

void McuPlug::log(FrameLogEntry entry) {
  capture_.append(entry);
  emit frameLogged(entry);
}

void McuPlug::emitEvent(const QString& name, QVariantMap fields) {
  fields.insert("time", static_cast<qint64>(clock_->nowMs()));
  emit event(name, fields);
}

}  // namespace gizrig::core
