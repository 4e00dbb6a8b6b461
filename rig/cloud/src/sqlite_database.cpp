#include "sqlite_database.h"

#include <QSqlError>
#include <QSqlQuery>
#include <atomic>

namespace gizrig::cloud::detail {
namespace {

// Another process holding the write lock (a registration in the lab process while a script reads) is
// waited for this long before a statement fails.
constexpr int kBusyTimeoutMs = 5000;

QString nextConnectionName() {
  static std::atomic<unsigned> counter{0};
  return QStringLiteral("gizrig-cloud-%1").arg(++counter);
}

}  // namespace

SqliteDatabase::~SqliteDatabase() {
  close();
}

bool SqliteDatabase::open(const QString& path, const QStringList& schema, QString& error) {
  close();
  if (path.isEmpty()) {
    error = QStringLiteral("no database path given");
    return false;
  }
  const QString name = nextConnectionName();
  {
    QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), name);
    db.setDatabaseName(path);
    db.setConnectOptions(QStringLiteral("QSQLITE_BUSY_TIMEOUT=%1").arg(kBusyTimeoutMs));
    bool ok = db.open();
    if (!ok) error = QStringLiteral("cannot open %1: %2").arg(path, db.lastError().text());
    QStringList statements{QStringLiteral("PRAGMA journal_mode=WAL")};
    statements += schema;
    for (const QString& statement : statements) {
      if (!ok) break;
      QSqlQuery query(db);
      if (!query.exec(statement)) {
        error = QStringLiteral("%1: %2 (%3)").arg(path, query.lastError().text(), statement);
        ok = false;
      }
    }
    if (!ok) {
      db.close();
      db = QSqlDatabase();
      QSqlDatabase::removeDatabase(name);
      return false;
    }
  }
  connectionName_ = name;
  path_ = path;
  return true;
}

void SqliteDatabase::close() {
  if (connectionName_.isEmpty()) return;
  {
    QSqlDatabase db = QSqlDatabase::database(connectionName_, false);
    db.close();
  }
  QSqlDatabase::removeDatabase(connectionName_);
  connectionName_.clear();
}

QSqlDatabase SqliteDatabase::database() const {
  if (connectionName_.isEmpty()) return {};
  return QSqlDatabase::database(connectionName_, false);
}

}  // namespace gizrig::cloud::detail

namespace gizrig::cloud::detail {

void SqliteDatabaseDeleter::operator()(SqliteDatabase* db) const {
  delete db;
}

}  // namespace gizrig::cloud::detail
