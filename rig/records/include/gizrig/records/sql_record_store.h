#pragma once
// RecordStore over QtSql, one schema for SQLite (the default, a file per station) and PostgreSQL (one server
// shared by many stations). See docs/rig.md "Records" for the crash-safety argument.

#include <QString>
#include <QVariantList>
#include <cstdint>
#include <memory>
#include <optional>

#include "gizrig/records/record_store.h"

class QSqlDatabase;

namespace gizrig::core {

// Where the records go, parsed from `--db`:
//   postgresql://user[:password]@host[:port]/database[?host=/socket/dir]   (also postgres://)
//   sqlite:/path/to/runs.db, or a bare path
// A host starting with '/' (percent-encoded in the authority, or the `host` query item) is a unix socket dir.
struct DbTarget {
  enum class Kind : std::uint8_t { Sqlite, Postgres };
  Kind kind = Kind::Sqlite;
  QString path;  // SQLite file
  QString host;
  int port = -1;  // -1: the driver's default (5432)
  QString user;
  QString password;
  QString database;
};

[[nodiscard]] std::optional<DbTarget> parseDbTarget(const QString& spec, QString* error);

// A shift at a station: the yields count from its start. The newest one of a station is its current shift.
struct Shift {
  QUuid id;
  QString station;
  QString operatorName;
  std::int64_t startedMs = 0;  // UTC ms
  bool operator==(const Shift&) const = default;
};

class SqlRecordStore final : public RecordStore {
 public:
  // The schema version this code writes; opening a database with a newer one is refused, an older one is
  // migrated in place (version 2: shifts, the duplicate flag).
  static constexpr int kSchemaVersion = 3;
  static constexpr int kBusyTimeoutMs = 10000;

  // Opens (creating the file and the schema when missing). nullptr with `error` set on failure. A store is a
  // database connection: use it only from the thread that opened it.
  [[nodiscard]] static std::unique_ptr<SqlRecordStore> open(const DbTarget& target, QString* error);
  [[nodiscard]] static std::unique_ptr<SqlRecordStore> open(const QString& spec, QString* error);
  ~SqlRecordStore() override;
  SqlRecordStore(const SqlRecordStore&) = delete;
  SqlRecordStore& operator=(const SqlRecordStore&) = delete;

  bool beginRun(const RunRecord& run) override;
  bool addStep(const QUuid& runId, const StepRecord& step) override;
  bool finishRun(const RunRecord& run) override;
  [[nodiscard]] std::optional<RunRecord> run(const QUuid& id) override;
  [[nodiscard]] std::vector<RunRecord> runs(const RunQuery& query) override;
  [[nodiscard]] std::vector<RunRecord> passedRunsOf(const QString& mac, const QString& serial) override;
  [[nodiscard]] QString lastError() const override { return lastError_; }

  // Shifts: one transaction each; the current shift of a station is its newest. nullopt when the station has
  // none, or on error (lastError() is then set, else cleared).
  bool beginShift(const Shift& shift);
  [[nodiscard]] std::optional<Shift> currentShift(const QString& station);

  // For tests and diagnostics: the schema version stored in the database, and "ok" from SQLite's
  // PRAGMA integrity_check (PostgreSQL has no equivalent and answers "ok").
  [[nodiscard]] int storedSchemaVersion();
  [[nodiscard]] QString integrityCheck();
  [[nodiscard]] DbTarget::Kind kind() const { return target_.kind; }

 private:
  SqlRecordStore(DbTarget target, QString connectionName);
  bool connect();
  bool createSchema();
  bool migrate(int from);
  std::vector<RunRecord> selectRuns(const QString& sql, const QVariantList& binds);
  bool beginWrite();
  bool commitWrite();
  void rollbackWrite();
  bool fail(const QString& what, const QString& why);
  QSqlDatabase database() const;

  DbTarget target_;
  QString connectionName_;
  QString lastError_;
};

}  // namespace gizrig::core
