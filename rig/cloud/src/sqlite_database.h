#pragma once
// One named QtSql connection to an SQLite file shared by the registry and the firmware store. QtSql keeps
// connections in a global table by name, so each owner gets a unique name and removes it when it goes away.
// WAL and a busy timeout let the lab process, a second gizcloud-api and scripts open the same file.

#include <QSqlDatabase>
#include <QString>
#include <QStringList>

#include "gizrig/cloud/sqlite_database_fwd.h"

namespace gizrig::cloud::detail {

class SqliteDatabase {
 public:
  SqliteDatabase() = default;
  ~SqliteDatabase();
  SqliteDatabase(const SqliteDatabase&) = delete;
  SqliteDatabase& operator=(const SqliteDatabase&) = delete;

  // Opens (creating) `path`, switches to WAL and runs `schema` (CREATE ... IF NOT EXISTS statements).
  // False with `error` set when anything fails; the connection is then closed again.
  bool open(const QString& path, const QStringList& schema, QString& error);
  void close();

  [[nodiscard]] bool isOpen() const { return !connectionName_.isEmpty(); }
  // The open connection (an invalid QSqlDatabase when closed).
  [[nodiscard]] QSqlDatabase database() const;
  [[nodiscard]] const QString& path() const { return path_; }

 private:
  QString connectionName_;
  QString path_;
};

}  // namespace gizrig::cloud::detail
