#include "operator/operator_export.h"

#include <QSaveFile>

#include "gizrig/records/record_export.h"

namespace gizrig::gui {

int exportRecords(core::RecordStore& store, const core::RunQuery& query, const QString& path,
                  QString* error) {
  const auto runs = core::runsForExport(store, query, error);
  if (!runs) return -1;
  const QByteArray bytes = path.endsWith(QStringLiteral(".json"), Qt::CaseInsensitive)
                               ? core::exportJson(*runs)
                               : core::exportCsv(*runs);
  QSaveFile file(path);  // all or nothing, as gizrig export
  if (!file.open(QIODevice::WriteOnly) || file.write(bytes) != bytes.size() || !file.commit()) {
    *error = QStringLiteral("cannot write %1: %2").arg(path, file.errorString());
    return -1;
  }
  return static_cast<int>(runs->size());
}

}  // namespace gizrig::gui
