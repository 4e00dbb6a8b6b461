#pragma once
// The registry and the firmware store hold their SQLite connection through this pointer so the public
// headers need no QtSql includes.

#include <memory>

namespace gizrig::cloud::detail {

class SqliteDatabase;
struct SqliteDatabaseDeleter {
  void operator()(SqliteDatabase* db) const;
};
using SqliteDatabasePtr = std::unique_ptr<SqliteDatabase, SqliteDatabaseDeleter>;

}  // namespace gizrig::cloud::detail
