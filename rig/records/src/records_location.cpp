#include "gizrig/records/records_location.h"

#include <QDir>
#include <QFileInfo>
#include <QStandardPaths>

#include "gizrig/records/sql_record_store.h"

namespace gizrig::core {

QString defaultRecordsPath() {
  // GenericDataLocation, not AppDataLocation: the CLI (gizrig) and the GUI (gizrig-gui) are different
  // applications that must share one file.
  return QDir(QStandardPaths::writableLocation(QStandardPaths::GenericDataLocation))
      .filePath(QStringLiteral("gizrig/records.db"));
}

bool prepareRecordsLocation(const QString& spec, QString* error) {
  const auto target = parseDbTarget(spec, error);
  if (!target) return false;
  if (target->kind != DbTarget::Kind::Sqlite) return true;
  const QString dir = QFileInfo(target->path).absolutePath();
  if (QDir().mkpath(dir)) return true;
  if (error != nullptr) *error = QStringLiteral("cannot create the records directory %1").arg(dir);
  return false;
}

bool recordsExist(const QString& spec, QString* error) {
  const auto target = parseDbTarget(spec, error);
  if (!target) return false;
  if (target->kind != DbTarget::Kind::Sqlite || QFileInfo(target->path).isFile()) return true;
  if (error != nullptr) *error = QStringLiteral("no records database at %1").arg(target->path);
  return false;
}

}  // namespace gizrig::core
