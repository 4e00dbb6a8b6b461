#include "gizrig/production/slot_trace.h"

#include <QDir>
#include <QFileInfo>
#include <algorithm>

#include "gizrig/links/traced_lan_links.h"
#include "gizrig/plugs/mcu_capture.h"
#include "gizrig/plugs/mcu_plug.h"

namespace gizrig::core {

namespace {

QString endpoint(const QHostAddress& address, quint16 port) {
  return QStringLiteral("%1:%2").arg(address.toString()).arg(port);
}

// "name a=1 b=2 !checksum": the decoded name, its fields and what was wrong with it.
QString describe(const QString& name, const QList<QPair<QString, QString>>& fields, const QString& error) {
  QString text = name;
  for (const auto& [key, value] : fields) text += QStringLiteral(" %1=%2").arg(key, value);
  if (!error.isEmpty()) text += QStringLiteral(" !%1").arg(error);
  return text;
}

}  // namespace

SlotTrace::SlotTrace(const QString& path, RigClock& clock)
    : file_(path), clock_(clock), start_(clock.nowMs()) {}

bool SlotTrace::prepareDirectory(const QString& directory, QString* error) {
  const QFileInfo info(directory);
  if (directory.isEmpty() || (info.exists() && !info.isDir()) || !QDir().mkpath(directory) ||
      !QFileInfo(directory).isWritable()) {
    if (error != nullptr) *error = QStringLiteral("\"%1\" is not a writable directory").arg(directory);
    return false;
  }
  return true;
}

std::unique_ptr<SlotTrace> SlotTrace::create(const QString& path, const QString& header, RigClock& clock,
                                             QString* error) {
  std::unique_ptr<SlotTrace> trace(new SlotTrace(path, clock));
  if (!trace->file_.open(QIODevice::WriteOnly | QIODevice::NewOnly | QIODevice::Text)) {
    if (error != nullptr)
      *error = QStringLiteral("cannot create trace %1: %2").arg(path, trace->file_.errorString());
    return nullptr;
  }
  trace->file_.write(QStringLiteral("# %1\n").arg(header).toUtf8());
  trace->file_.flush();
  return trace;
}

void SlotTrace::attach(McuPlug* mcu, LanTrafficTap* lan) {
  if (mcu != nullptr) connect(mcu, &McuPlug::frameLogged, this, &SlotTrace::onFrame);
  if (lan == nullptr) return;
  connect(lan, &LanTrafficTap::datagram, this,
          [this](bool fromRig, const QHostAddress& peer, quint16 port, const QByteArray& bytes) {
            onPackets(tap_.datagram(clock_.nowMs(), !fromRig, endpoint(peer, port).toStdString(),
                                    std::span(reinterpret_cast<const std::uint8_t*>(bytes.constData()),
                                              static_cast<std::size_t>(bytes.size()))));
          });
  connect(lan, &LanTrafficTap::stream, this,
          [this](quintptr connection, bool fromRig, const QHostAddress& peer, quint16 port,
                 const QByteArray& bytes) {
            // The rig's app connects to ports the module listens on (12416, WebConfig).
            onPackets(tap_.stream(clock_.nowMs(), std::to_string(connection), true, !fromRig,
                                  endpoint(peer, port).toStdString(),
                                  std::span(reinterpret_cast<const std::uint8_t*>(bytes.constData()),
                                            static_cast<std::size_t>(bytes.size()))));
          });
  connect(lan, &LanTrafficTap::streamClosed, this, [this](quintptr connection) {
    onPackets(tap_.closed(clock_.nowMs(), std::to_string(connection)));
  });
}

void SlotTrace::onFrame(const FrameLogEntry& entry) {
  const QString direction = entry.direction == FrameDirection::ToMcu ? QStringLiteral("module->mcu")
                                                                     : QStringLiteral("mcu->module");
  QString what = describe(entry.name, entry.fields, entry.ok ? QString() : entry.error);
  if (!entry.fault.isEmpty()) what += QStringLiteral(" [fault: %1]").arg(entry.fault);
  writeLine(entry.time, QStringLiteral("serial"), direction, what, entry.raw);
}

void SlotTrace::onPackets(const std::vector<WirePacket>& packets) {
  for (const WirePacket& packet : packets) {
    const QString peer = QString::fromStdString(packet.peer);
    const QString direction =
        packet.fromModule ? peer + QStringLiteral("->rig") : QStringLiteral("rig->") + peer;
    QList<QPair<QString, QString>> fields;
    for (const auto& [key, value] : packet.item.fields)
      fields.append({QString::fromStdString(key), QString::fromStdString(value)});
    const QString what = describe(QString::fromStdString(packet.item.name), fields,
                                  packet.item.ok ? QString() : QString::fromStdString(packet.item.error));
    writeLine(packet.time, QString::fromLatin1(wireKindName(packet.kind)).toLower(), direction, what,
              QByteArray(reinterpret_cast<const char*>(packet.bytes.data()),
                         static_cast<qsizetype>(packet.bytes.size())));
  }
}

void SlotTrace::writeLine(RigMillis time, const QString& channel, const QString& direction,
                          const QString& what, const QByteArray& bytes) {
  const double seconds = static_cast<double>(time - start_) / 1000.0;
  const QString line = QStringLiteral("+%1 s  %2  %3  %4  %5\n")
                           .arg(seconds, 8, 'f', 3)
                           .arg(channel, -6)
                           .arg(direction, -24)
                           .arg(what, -40)
                           .arg(QString::fromLatin1(bytes.toHex()));
  file_.write(line.toUtf8());
  file_.flush();  // a rig killed mid-run keeps the trace up to here
}

}  // namespace gizrig::core
