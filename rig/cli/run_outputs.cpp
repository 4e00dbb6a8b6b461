#include "run_outputs.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QTextStream>

#include "gizrig/records/record_outputs.h"

namespace gizrig::cli {

namespace {

bool writeFile(const QString& command, const QString& path, const QByteArray& bytes) {
  QFile file(path);
  if (file.open(QIODevice::WriteOnly) && file.write(bytes) == bytes.size()) return true;
  QTextStream(stderr) << "gizrig " << command << ": cannot write " << path << ": " << file.errorString()
                      << "\n";
  return false;
}

}  // namespace

bool writeRunOutputs(const QString& command, const QString& junitPath, const QString& jsonPath,
                     const std::vector<core::RunRecord>& runs) {
  if (!junitPath.isEmpty() && !writeFile(command, junitPath, core::toJunitXml(runs))) return false;
  if (jsonPath.isEmpty()) return true;
  QJsonArray list;
  for (const core::RunRecord& run : runs) list.append(core::runToJson(run));
  return writeFile(command, jsonPath, QJsonDocument(list).toJson());
}

}  // namespace gizrig::cli
