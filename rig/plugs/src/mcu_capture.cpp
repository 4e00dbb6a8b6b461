#include "gizrig/plugs/mcu_capture.h"

#include "gizrig/files/capped_file.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSaveFile>

namespace gizrig::core {

QString FrameLogEntry::field(const QString& key) const {
  for (const auto& [k, v] : fields)
    if (k == key) return v;
  return {};
}

QString directionName(FrameDirection direction) {
  return direction == FrameDirection::ToMcu ? QStringLiteral("to_mcu") : QStringLiteral("from_mcu");
}

QByteArray toJsonLine(const FrameLogEntry& entry) {
  QJsonArray fields;
  for (const auto& [key, value] : entry.fields) fields.append(QJsonArray{key, value});
  QJsonObject object{{"t", static_cast<qint64>(entry.time)},
                     {"dir", directionName(entry.direction)},
                     {"name", entry.name},
                     {"raw", QString::fromLatin1(entry.raw.toHex())},
                     {"ok", entry.ok},
                     {"fields", fields}};
  if (!entry.error.isEmpty()) object.insert("error", entry.error);
  if (!entry.fault.isEmpty()) object.insert("fault", entry.fault);
  return QJsonDocument(object).toJson(QJsonDocument::Compact);
}

std::optional<FrameLogEntry> fromJsonLine(const QByteArray& line, QString& error) {
  QJsonParseError parseError;
  const QJsonDocument document = QJsonDocument::fromJson(line, &parseError);
  if (parseError.error != QJsonParseError::NoError) {
    error = QStringLiteral("not JSON: %1").arg(parseError.errorString());
    return std::nullopt;
  }
  if (!document.isObject()) {
    error = QStringLiteral("not a JSON object");
    return std::nullopt;
  }
  const QJsonObject o = document.object();
  FrameLogEntry entry;
  if (!o.value("t").isDouble()) {
    error = QStringLiteral("\"t\" is not a number");
    return std::nullopt;
  }
  entry.time = static_cast<RigMillis>(o.value("t").toInteger());
  const QString dir = o.value("dir").toString();
  if (dir == QLatin1String("to_mcu")) {
    entry.direction = FrameDirection::ToMcu;
  } else if (dir == QLatin1String("from_mcu")) {
    entry.direction = FrameDirection::FromMcu;
  } else {
    error = QStringLiteral("\"dir\" must be to_mcu or from_mcu, not '%1'").arg(dir);
    return std::nullopt;
  }
  const QByteArray hex = o.value("raw").toString().toLatin1();
  entry.raw = QByteArray::fromHex(hex);
  if (entry.raw.toHex() != hex.toLower()) {
    error = QStringLiteral("\"raw\" is not hex");
    return std::nullopt;
  }
  entry.name = o.value("name").toString();
  entry.ok = o.value("ok").toBool(true);
  entry.error = o.value("error").toString();
  entry.fault = o.value("fault").toString();
  for (const QJsonValue& pair : o.value("fields").toArray()) {
    const QJsonArray kv = pair.toArray();
    if (kv.size() != 2 || !kv[0].isString() || !kv[1].isString()) {
      error = QStringLiteral("\"fields\" must hold [key, value] string pairs");
      return std::nullopt;
    }
    entry.fields.append(qMakePair(kv[0].toString(), kv[1].toString()));
  }
  return entry;
}

void McuCapture::append(FrameLogEntry entry) {
  entries_.push_back(std::move(entry));
  while (entries_.size() > capacity_) {
    entries_.pop_front();
    ++dropped_;
  }
}

void McuCapture::clear() {
  entries_.clear();
  dropped_ = 0;
}

void McuCapture::setCapacity(std::size_t capacity) {
  capacity_ = capacity == 0 ? 1 : capacity;
  while (entries_.size() > capacity_) {
    entries_.pop_front();
    ++dropped_;
  }
}

bool McuCapture::save(const QString& path, QString& error) const {
  QSaveFile file(path);
  if (!file.open(QIODevice::WriteOnly)) {
    error = QStringLiteral("%1: %2").arg(path, file.errorString());
    return false;
  }
  for (const FrameLogEntry& entry : entries_) {
    file.write(toJsonLine(entry));
    file.write("\n");
  }
  if (!file.commit()) {
    error = QStringLiteral("%1: %2").arg(path, file.errorString());
    return false;
  }
  return true;
}

// A saved capture is one JSON line per frame; far beyond any capacity a session keeps.
constexpr qint64 kMaxCaptureFileBytes = 256LL * 1024 * 1024;

bool McuCapture::load(const QString& path, QString& error) {
  const auto bytes = readCappedFile(path, kMaxCaptureFileBytes, &error);
  if (!bytes) return false;
  std::deque<FrameLogEntry> loaded;
  int lineNumber = 0;
  for (const QByteArray& raw : bytes->split('\n')) {
    const QByteArray line = raw.trimmed();
    ++lineNumber;
    if (line.isEmpty()) continue;
    QString why;
    auto entry = fromJsonLine(line, why);
    if (!entry) {
      error = QStringLiteral("%1:%2: %3").arg(path).arg(lineNumber).arg(why);
      return false;
    }
    loaded.push_back(std::move(*entry));
  }
  entries_ = std::move(loaded);
  dropped_ = 0;
  while (entries_.size() > capacity_) {
    entries_.pop_front();
    ++dropped_;
  }
  return true;
}

}  // namespace gizrig::core
