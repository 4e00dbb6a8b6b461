#include "gizrig/records/sql_record_store.h"

#include <QSqlDatabase>
#include <QSqlDriver>
#include <QSqlError>
#include <QSqlQuery>
#include <QUrl>
#include <QUrlQuery>
#include <QVariant>
#include <map>

namespace gizrig::core {

namespace {

// One schema for both engines: only types both spell the same way (BIGINT, DOUBLE PRECISION, TEXT, INTEGER).
// UUIDs are text so a run id reads the same in every tool. Clause IDs are space-separated (they hold none).
const char* const kSchema[] = {
    "CREATE TABLE IF NOT EXISTS rig_schema (version INTEGER NOT NULL)",
    "CREATE TABLE IF NOT EXISTS runs ("
    " id TEXT PRIMARY KEY, station TEXT NOT NULL, slot TEXT NOT NULL, operator TEXT NOT NULL,"
    " dut_mac TEXT NOT NULL, dut_serial TEXT NOT NULL, dut_did TEXT NOT NULL,"
    " wifi_hw TEXT NOT NULL, wifi_sw TEXT NOT NULL, mcu_hw TEXT NOT NULL, mcu_sw TEXT NOT NULL,"
    " firmware TEXT NOT NULL, scenario TEXT NOT NULL, mode TEXT NOT NULL,"
    " started_ms BIGINT NOT NULL, finished_ms BIGINT, outcome TEXT,"
    " failing_step TEXT NOT NULL DEFAULT '', failing_message TEXT NOT NULL DEFAULT '')",
    "CREATE INDEX IF NOT EXISTS runs_station_started ON runs (station, started_ms)",
    "CREATE INDEX IF NOT EXISTS runs_started ON runs (started_ms)",
    "CREATE TABLE IF NOT EXISTS steps ("
    " run_id TEXT NOT NULL REFERENCES runs (id) ON DELETE CASCADE, step_index INTEGER NOT NULL,"
    " name TEXT NOT NULL, started_ms BIGINT NOT NULL, duration_ms BIGINT NOT NULL, outcome TEXT NOT NULL,"
    " message TEXT NOT NULL, clauses TEXT NOT NULL, PRIMARY KEY (run_id, step_index))",
    "CREATE TABLE IF NOT EXISTS measurements ("
    " run_id TEXT NOT NULL, step_index INTEGER NOT NULL, seq INTEGER NOT NULL, name TEXT NOT NULL,"
    " value_num DOUBLE PRECISION, value_text TEXT, unit TEXT NOT NULL, low DOUBLE PRECISION,"
    " high DOUBLE PRECISION, verdict TEXT NOT NULL, PRIMARY KEY (run_id, step_index, seq),"
    " FOREIGN KEY (run_id, step_index) REFERENCES steps (run_id, step_index) ON DELETE CASCADE)",
};

// Version 1 -> 2: shifts, the duplicate flag of a run, and the indexes the duplicate check reads. ALTER TABLE
// ADD COLUMN with a default keeps every existing row readable (both engines fill it in).
const char* const kMigrationTo2[] = {
    "ALTER TABLE runs ADD COLUMN duplicate TEXT NOT NULL DEFAULT ''",
    ("CREATE TABLE IF NOT EXISTS shifts ("
     " id TEXT PRIMARY KEY, station TEXT NOT NULL, operator TEXT NOT NULL, started_ms BIGINT NOT NULL)"),
    "CREATE INDEX IF NOT EXISTS shifts_station_started ON shifts (station, started_ms)",
    "CREATE INDEX IF NOT EXISTS runs_mac ON runs (dut_mac)",
    "CREATE INDEX IF NOT EXISTS runs_serial ON runs (dut_serial)",
};

// Version 2 -> 3: where the run's wire trace was written (`--trace DIR`), "" when none was.
const char* const kMigrationTo3[] = {
    "ALTER TABLE runs ADD COLUMN trace TEXT NOT NULL DEFAULT ''",
};

const char* const kRunColumns =
    "id, station, slot, operator, dut_mac, dut_serial, dut_did, wifi_hw, wifi_sw, mcu_hw, mcu_sw, firmware,"
    " scenario, mode, started_ms, finished_ms, outcome, failing_step, failing_message, duplicate, trace";

// A null QString binds as SQL NULL; the text columns are NOT NULL and "" is what the caller meant.
QString nonNull(const QString& text) {
  return text.isNull() ? QStringLiteral("") : text;
}

QString idText(const QUuid& id) {
  return id.toString(QUuid::WithoutBraces);
}

QVariant optionalDouble(const std::optional<double>& value) {
  return value ? QVariant(*value) : QVariant(QMetaType(QMetaType::Double));
}

std::optional<double> readOptionalDouble(const QSqlQuery& q, int column) {
  if (q.isNull(column)) return std::nullopt;
  return q.value(column).toDouble();
}

// Reads one row selected with kRunColumns. False on a value no writer of this schema produces.
bool readRun(const QSqlQuery& q, RunRecord& run, QString& error) {
  run.id = QUuid::fromString(q.value(0).toString());
  run.station = q.value(1).toString();
  run.slot = q.value(2).toString();
  run.operatorName = q.value(3).toString();
  run.dut = {q.value(4).toString(), q.value(5).toString(), q.value(6).toString()};
  run.versions = {q.value(7).toString(), q.value(8).toString(), q.value(9).toString(), q.value(10).toString(),
                  q.value(11).toString()};
  run.scenario = q.value(12).toString();
  const auto mode = runModeFromName(q.value(13).toString());
  run.startedMs = q.value(14).toLongLong();
  run.finishedMs = q.isNull(15) ? std::nullopt : std::optional<std::int64_t>(q.value(15).toLongLong());
  run.outcome.reset();
  if (!q.isNull(16)) {
    run.outcome = outcomeFromName(q.value(16).toString());
    if (!run.outcome) {
      error =
          QStringLiteral("run %1: unknown outcome '%2'").arg(q.value(0).toString(), q.value(16).toString());
      return false;
    }
  }
  run.failingStep = q.value(17).toString();
  run.failingMessage = q.value(18).toString();
  run.duplicate = q.value(19).toString();
  run.trace = q.value(20).toString();
  if (run.id.isNull() || !mode) {
    error = QStringLiteral("run %1: bad id or mode '%2'").arg(q.value(0).toString(), q.value(13).toString());
    return false;
  }
  run.mode = *mode;
  return true;
}

}  // namespace

std::optional<DbTarget> parseDbTarget(const QString& spec, QString* error) {
  auto bad = [error](const QString& why) -> std::optional<DbTarget> {
    if (error != nullptr) *error = why;
    return std::nullopt;
  };
  DbTarget target;
  if (spec.startsWith(QLatin1String("postgresql://")) || spec.startsWith(QLatin1String("postgres://"))) {
    const QUrl url(spec, QUrl::StrictMode);
    if (!url.isValid())
      return bad(QStringLiteral("bad PostgreSQL URL '%1': %2").arg(spec, url.errorString()));
    target.kind = DbTarget::Kind::Postgres;
    target.user = url.userName(QUrl::FullyDecoded);
    target.password = url.password(QUrl::FullyDecoded);
    target.host = url.host(QUrl::FullyDecoded);
    target.port = url.port(-1);
    target.database = url.path(QUrl::FullyDecoded).mid(1);
    const QUrlQuery query(url);
    if (query.hasQueryItem(QStringLiteral("host")))
      target.host = query.queryItemValue(QStringLiteral("host"), QUrl::FullyDecoded);
    if (target.database.isEmpty() || target.database.contains(QLatin1Char('/')))
      return bad(
          QStringLiteral("PostgreSQL URL '%1' names no database (postgresql://user@host:port/db)").arg(spec));
    if (target.host.isEmpty()) return bad(QStringLiteral("PostgreSQL URL '%1' names no host").arg(spec));
    return target;
  }
  QString path = spec;
  if (path.startsWith(QLatin1String("sqlite:"))) {
    path = path.mid(7);
    if (path.startsWith(QLatin1String("//"))) path = path.mid(2);  // sqlite:///abs/path
  }
  if (path.isEmpty()) return bad(QStringLiteral("no database path in '%1'").arg(spec));
  if (path.contains(QLatin1String("://")))
    return bad(QStringLiteral("unknown database scheme in '%1' (postgresql:// or a SQLite path)").arg(spec));
  target.path = path;
  return target;
}

SqlRecordStore::SqlRecordStore(DbTarget target, QString connectionName)
    : target_(std::move(target)), connectionName_(std::move(connectionName)) {}

SqlRecordStore::~SqlRecordStore() {
  {
    QSqlDatabase db = database();
    if (db.isOpen()) db.close();
  }  // every QSqlDatabase handle must be gone before the connection is removed
  QSqlDatabase::removeDatabase(connectionName_);
}

std::unique_ptr<SqlRecordStore> SqlRecordStore::open(const QString& spec, QString* error) {
  const auto target = parseDbTarget(spec, error);
  if (!target) return nullptr;
  return open(*target, error);
}

std::unique_ptr<SqlRecordStore> SqlRecordStore::open(const DbTarget& target, QString* error) {
  const QString name = QStringLiteral("gizrig-records-") + QUuid::createUuid().toString(QUuid::WithoutBraces);
  std::unique_ptr<SqlRecordStore> store(new SqlRecordStore(target, name));
  if (!store->connect() || !store->createSchema()) {
    if (error != nullptr) *error = store->lastError();
    return nullptr;
  }
  return store;
}

QSqlDatabase SqlRecordStore::database() const {
  return QSqlDatabase::database(connectionName_, false);
}

bool SqlRecordStore::fail(const QString& what, const QString& why) {
  lastError_ = what + QStringLiteral(": ") + why;
  return false;
}

bool SqlRecordStore::connect() {
  const bool sqlite = target_.kind == DbTarget::Kind::Sqlite;
  const QString driver = sqlite ? QStringLiteral("QSQLITE") : QStringLiteral("QPSQL");
  if (!QSqlDatabase::isDriverAvailable(driver))
    return fail(QStringLiteral("open"), QStringLiteral("Qt SQL driver %1 is not installed").arg(driver));
  QSqlDatabase db = QSqlDatabase::addDatabase(driver, connectionName_);
  if (sqlite) {
    db.setDatabaseName(target_.path);
    db.setConnectOptions(QStringLiteral("QSQLITE_BUSY_TIMEOUT=%1").arg(kBusyTimeoutMs));
  } else {
    db.setHostName(target_.host);
    if (target_.port >= 0) db.setPort(target_.port);
    db.setUserName(target_.user);
    db.setPassword(target_.password);
    db.setDatabaseName(target_.database);
    db.setConnectOptions(QStringLiteral("connect_timeout=10"));
  }
  const QString where =
      sqlite ? target_.path
             : QStringLiteral("postgresql://%1@%2:%3/%4")
                   .arg(target_.user, target_.host, QString::number(target_.port), target_.database);
  if (!db.open()) return fail(QStringLiteral("open %1").arg(where), db.lastError().text());
  if (!sqlite) {
    // CREATE ... IF NOT EXISTS on an existing schema is routine, not news for the rig's log.
    QSqlQuery quiet(db);
    quiet.exec(QStringLiteral("SET client_min_messages TO WARNING"));
    return true;
  }
  // WAL: readers never block the writer and a commit is one append. synchronous=FULL: every commit is fsynced
  // before it returns, so a committed step survives a power cut, not only a kill -9 (NORMAL would keep it
  // over a kill but could lose the last commits on power loss); the cost, one fsync per finished step, is
  // nothing next to a step's seconds.
  QSqlQuery q(db);
  if (!q.exec(QStringLiteral("PRAGMA journal_mode=WAL")) || !q.next() ||
      q.value(0).toString().compare(QLatin1String("wal"), Qt::CaseInsensitive) != 0) {
    return fail(QStringLiteral("open %1").arg(where),
                QStringLiteral("cannot switch to WAL journal: %1").arg(q.lastError().text()));
  }
  for (const char* pragma : {"PRAGMA synchronous=FULL", "PRAGMA foreign_keys=ON"}) {
    if (!q.exec(QString::fromLatin1(pragma)))
      return fail(QStringLiteral("open %1").arg(where), q.lastError().text());
  }
  if (!q.exec(QStringLiteral("PRAGMA busy_timeout=%1").arg(kBusyTimeoutMs)))
    return fail(QStringLiteral("open %1").arg(where), q.lastError().text());
  return true;
}

// SQLite: BEGIN IMMEDIATE takes the write lock up front, so a second station waits in the busy handler
// instead of failing a lock upgrade half way. PostgreSQL: an ordinary transaction; writers touch disjoint
// rows.
bool SqlRecordStore::beginWrite() {
  QSqlDatabase db = database();
  if (target_.kind == DbTarget::Kind::Sqlite) {
    QSqlQuery q(db);
    if (!q.exec(QStringLiteral("BEGIN IMMEDIATE")))
      return fail(QStringLiteral("begin"), q.lastError().text());
    return true;
  }
  if (!db.transaction()) return fail(QStringLiteral("begin"), db.lastError().text());
  return true;
}

bool SqlRecordStore::commitWrite() {
  QSqlDatabase db = database();
  if (target_.kind == DbTarget::Kind::Sqlite) {
    QSqlQuery q(db);
    if (q.exec(QStringLiteral("COMMIT"))) return true;
    const QString why = q.lastError().text();
    rollbackWrite();
    return fail(QStringLiteral("commit"), why);
  }
  if (db.commit()) return true;
  const QString why = db.lastError().text();
  rollbackWrite();
  return fail(QStringLiteral("commit"), why);
}

void SqlRecordStore::rollbackWrite() {
  QSqlDatabase db = database();
  if (target_.kind == DbTarget::Kind::Sqlite) {
    QSqlQuery q(db);
    q.exec(QStringLiteral("ROLLBACK"));
  } else {
    db.rollback();
  }
}

bool SqlRecordStore::createSchema() {
  if (!beginWrite()) return false;
  QSqlQuery q(database());
  auto abort = [&](const QString& what) {
    const QString why = q.lastError().text();
    rollbackWrite();
    return fail(what, why);
  };
  // Stations starting together on one PostgreSQL server would race CREATE TABLE IF NOT EXISTS (it is not
  // atomic there); a transaction-scoped advisory lock makes them take turns. SQLite's BEGIN IMMEDIATE already
  // does.
  if (target_.kind == DbTarget::Kind::Postgres &&
      !q.exec(QStringLiteral("SELECT pg_advisory_xact_lock(5151)")))
    return abort(QStringLiteral("schema lock"));
  for (const char* statement : kSchema) {
    if (!q.exec(QString::fromLatin1(statement))) return abort(QStringLiteral("create schema"));
  }
  if (!q.exec(QStringLiteral("SELECT MAX(version) FROM rig_schema")) || !q.next())
    return abort(QStringLiteral("read schema version"));
  // A new database has the version-1 tables just created: it takes the same migrations as an old one.
  const int stored = q.isNull(0) ? 1 : q.value(0).toInt();
  q.finish();
  if (stored > kSchemaVersion) {
    rollbackWrite();
    return fail(
        QStringLiteral("open"),
        QStringLiteral("the database has records schema version %1, newer than this rig's %2; update the "
                       "rig")
            .arg(stored)
            .arg(kSchemaVersion));
  }
  if (stored < kSchemaVersion) {
    // Inside this transaction: a migration that fails leaves the database as it was.
    if (!migrate(stored)) {
      const QString why = lastError_;
      rollbackWrite();
      lastError_ = why;
      return false;
    }
    q.prepare(QStringLiteral("INSERT INTO rig_schema (version) VALUES (?)"));
    q.addBindValue(kSchemaVersion);
    if (!q.exec()) return abort(QStringLiteral("write schema version"));
    q.finish();
  }
  return commitWrite();
}

bool SqlRecordStore::migrate(int from) {
  QSqlQuery q(database());
  if (from < 2) {
    for (const char* statement : kMigrationTo2) {
      if (!q.exec(QString::fromLatin1(statement)))
        return fail(QStringLiteral("migrate records schema 1 -> 2"), q.lastError().text());
    }
  }
  if (from < 3) {
    for (const char* statement : kMigrationTo3) {
      if (!q.exec(QString::fromLatin1(statement)))
        return fail(QStringLiteral("migrate records schema 2 -> 3"), q.lastError().text());
    }
  }
  return true;
}

bool SqlRecordStore::beginShift(const Shift& shift) {
  if (shift.id.isNull()) return fail(QStringLiteral("begin shift"), QStringLiteral("the shift has no id"));
  if (!beginWrite()) return false;
  QSqlQuery q(database());
  q.prepare(QStringLiteral("INSERT INTO shifts (id, station, operator, started_ms) VALUES (?, ?, ?, ?)"));
  q.addBindValue(idText(shift.id));
  q.addBindValue(nonNull(shift.station));
  q.addBindValue(nonNull(shift.operatorName));
  q.addBindValue(static_cast<qlonglong>(shift.startedMs));
  if (!q.exec()) {
    const QString why = q.lastError().text();
    rollbackWrite();
    return fail(QStringLiteral("begin shift at %1").arg(shift.station), why);
  }
  q.finish();
  return commitWrite();
}

std::optional<Shift> SqlRecordStore::currentShift(const QString& station) {
  QSqlQuery q(database());
  q.setForwardOnly(true);
  q.prepare(
      QStringLiteral("SELECT id, station, operator, started_ms FROM shifts WHERE station = ? "
                     "ORDER BY started_ms DESC, id LIMIT 1"));
  q.addBindValue(nonNull(station));
  if (!q.exec())
    return fail(QStringLiteral("read shift of %1").arg(station), q.lastError().text()), std::nullopt;
  lastError_.clear();
  if (!q.next()) return std::nullopt;
  return Shift{QUuid::fromString(q.value(0).toString()), q.value(1).toString(), q.value(2).toString(),
               q.value(3).toLongLong()};
}

int SqlRecordStore::storedSchemaVersion() {
  QSqlQuery q(database());
  if (!q.exec(QStringLiteral("SELECT MAX(version) FROM rig_schema")) || !q.next()) return -1;
  return q.isNull(0) ? 0 : q.value(0).toInt();
}

QString SqlRecordStore::integrityCheck() {
  if (target_.kind != DbTarget::Kind::Sqlite) return QStringLiteral("ok");
  QSqlQuery q(database());
  if (!q.exec(QStringLiteral("PRAGMA integrity_check"))) return q.lastError().text();
  QStringList lines;
  while (q.next()) lines << q.value(0).toString();
  return lines.join(QLatin1Char('\n'));
}

bool SqlRecordStore::beginRun(const RunRecord& run) {
  if (run.id.isNull()) return fail(QStringLiteral("begin run"), QStringLiteral("the run has no id"));
  if (!beginWrite()) return false;
  QSqlQuery q(database());
  q.prepare(QStringLiteral(
                "INSERT INTO runs (%1) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
                .arg(QLatin1String(kRunColumns)));
  for (const QVariant& v :
       {QVariant(idText(run.id)), QVariant(run.station), QVariant(run.slot), QVariant(run.operatorName),
        QVariant(run.dut.mac), QVariant(run.dut.serial), QVariant(run.dut.did), QVariant(run.versions.wifiHw),
        QVariant(run.versions.wifiSw), QVariant(run.versions.mcuHw), QVariant(run.versions.mcuSw),
        QVariant(run.versions.firmware), QVariant(run.scenario), QVariant(runModeName(run.mode)),
        QVariant(static_cast<qlonglong>(run.startedMs))}) {
    q.addBindValue(v.typeId() == QMetaType::QString ? QVariant(nonNull(v.toString())) : v);
  }
  // Outcome columns stay empty until finishRun, so a run cut short reads back unfinished.
  q.addBindValue(QVariant(QMetaType(QMetaType::LongLong)));
  q.addBindValue(QVariant(QMetaType(QMetaType::QString)));
  q.addBindValue(QStringLiteral(""));
  q.addBindValue(QStringLiteral(""));
  q.addBindValue(nonNull(run.duplicate));
  q.addBindValue(nonNull(run.trace));
  if (!q.exec()) {
    const QString why = q.lastError().text();
    rollbackWrite();
    return fail(QStringLiteral("begin run %1").arg(idText(run.id)), why);
  }
  return commitWrite();
}

bool SqlRecordStore::addStep(const QUuid& runId, const StepRecord& step) {
  if (!beginWrite()) return false;
  const QString what = QStringLiteral("step %1 '%2' of run %3").arg(step.index).arg(step.name, idText(runId));
  QSqlQuery q(database());
  auto abort = [&] {
    const QString why = q.lastError().text();
    rollbackWrite();
    return fail(what, why);
  };
  q.prepare(
      QStringLiteral("INSERT INTO steps (run_id, step_index, name, started_ms, duration_ms, outcome, "
                     "message, clauses) VALUES (?, ?, ?, ?, ?, ?, ?, ?)"));
  q.addBindValue(idText(runId));
  q.addBindValue(step.index);
  q.addBindValue(nonNull(step.name));
  q.addBindValue(static_cast<qlonglong>(step.startedMs));
  q.addBindValue(static_cast<qlonglong>(step.durationMs));
  q.addBindValue(outcomeName(step.outcome));
  q.addBindValue(nonNull(step.message));
  q.addBindValue(nonNull(step.clauses.join(QLatin1Char(' '))));  // none: "" (a null QString binds NULL)
  if (!q.exec()) return abort();
  int seq = 0;
  for (const Measurement& m : step.measurements) {
    q.prepare(
        QStringLiteral("INSERT INTO measurements (run_id, step_index, seq, name, value_num, value_text, "
                       "unit, low, high, verdict) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"));
    q.addBindValue(idText(runId));
    q.addBindValue(step.index);
    q.addBindValue(seq++);
    q.addBindValue(nonNull(m.name));
    const auto* text = std::get_if<QString>(&m.value);
    q.addBindValue(text != nullptr ? QVariant(QMetaType(QMetaType::Double))
                                   : QVariant(std::get<double>(m.value)));
    q.addBindValue(text != nullptr ? QVariant(nonNull(*text)) : QVariant(QMetaType(QMetaType::QString)));
    q.addBindValue(nonNull(m.unit));
    q.addBindValue(optionalDouble(m.low));
    q.addBindValue(optionalDouble(m.high));
    q.addBindValue(outcomeName(m.verdict));
    if (!q.exec()) return abort();
  }
  q.finish();
  return commitWrite();
}

bool SqlRecordStore::finishRun(const RunRecord& run) {
  const QString what = QStringLiteral("finish run %1").arg(idText(run.id));
  if (!run.outcome || !run.finishedMs) return fail(what, QStringLiteral("the run has no outcome yet"));
  if (!beginWrite()) return false;
  QSqlQuery q(database());
  q.prepare(
      QStringLiteral("UPDATE runs SET finished_ms = ?, outcome = ?, failing_step = ?, failing_message = ?, "
                     "duplicate = ?, trace = ? WHERE id = ?"));
  q.addBindValue(static_cast<qlonglong>(*run.finishedMs));
  q.addBindValue(outcomeName(*run.outcome));
  q.addBindValue(nonNull(run.failingStep));
  q.addBindValue(nonNull(run.failingMessage));
  q.addBindValue(nonNull(run.duplicate));
  q.addBindValue(nonNull(run.trace));
  q.addBindValue(idText(run.id));
  if (!q.exec()) {
    const QString why = q.lastError().text();
    rollbackWrite();
    return fail(what, why);
  }
  if (q.numRowsAffected() != 1) {
    rollbackWrite();
    return fail(what, QStringLiteral("no such run (beginRun first)"));
  }
  q.finish();
  return commitWrite();
}

std::optional<RunRecord> SqlRecordStore::run(const QUuid& id) {
  const QString what = QStringLiteral("read run %1").arg(idText(id));
  QSqlQuery q(database());
  q.setForwardOnly(true);
  q.prepare(QStringLiteral("SELECT %1 FROM runs WHERE id = ?").arg(QLatin1String(kRunColumns)));
  q.addBindValue(idText(id));
  if (!q.exec()) return fail(what, q.lastError().text()), std::nullopt;
  if (!q.next()) {
    lastError_ = what + QStringLiteral(": no such run");
    return std::nullopt;
  }
  RunRecord run;
  QString error;
  if (!readRun(q, run, error)) return fail(what, error), std::nullopt;

  q.prepare(
      QStringLiteral("SELECT step_index, name, started_ms, duration_ms, outcome, message, clauses "
                     "FROM steps WHERE run_id = ? ORDER BY step_index"));
  q.addBindValue(idText(id));
  if (!q.exec()) return fail(what, q.lastError().text()), std::nullopt;
  std::map<int, std::size_t> stepAt;  // step_index -> position in run.steps
  while (q.next()) {
    StepRecord step;
    step.index = q.value(0).toInt();
    step.name = q.value(1).toString();
    step.startedMs = q.value(2).toLongLong();
    step.durationMs = q.value(3).toLongLong();
    const auto outcome = outcomeFromName(q.value(4).toString());
    if (!outcome) return fail(what, QStringLiteral("step %1: bad outcome").arg(step.index)), std::nullopt;
    step.outcome = *outcome;
    step.message = q.value(5).toString();
    step.clauses = q.value(6).toString().split(QLatin1Char(' '), Qt::SkipEmptyParts);
    stepAt[step.index] = run.steps.size();
    run.steps.push_back(std::move(step));
  }

  q.prepare(
      QStringLiteral("SELECT step_index, name, value_num, value_text, unit, low, high, verdict "
                     "FROM measurements WHERE run_id = ? ORDER BY step_index, seq"));
  q.addBindValue(idText(id));
  if (!q.exec()) return fail(what, q.lastError().text()), std::nullopt;
  while (q.next()) {
    const auto step = stepAt.find(q.value(0).toInt());
    const auto verdict = outcomeFromName(q.value(7).toString());
    if (step == stepAt.end() || !verdict)
      return fail(what, QStringLiteral("measurement '%1': bad step or verdict").arg(q.value(1).toString())),
             std::nullopt;
    Measurement m;
    m.name = q.value(1).toString();
    if (q.isNull(2)) {
      m.value = q.value(3).toString();
    } else {
      m.value = q.value(2).toDouble();
    }
    m.unit = q.value(4).toString();
    m.low = readOptionalDouble(q, 5);
    m.high = readOptionalDouble(q, 6);
    m.verdict = *verdict;
    run.steps[step->second].measurements.push_back(std::move(m));
  }
  return run;
}

std::vector<RunRecord> SqlRecordStore::runs(const RunQuery& query) {
  QString sql = QStringLiteral("SELECT %1 FROM runs WHERE 1 = 1").arg(QLatin1String(kRunColumns));
  QVariantList binds;
  if (!query.station.isEmpty()) {
    sql += QStringLiteral(" AND station = ?");
    binds << query.station;
  }
  if (query.fromMs) {
    sql += QStringLiteral(" AND started_ms >= ?");
    binds << static_cast<qlonglong>(*query.fromMs);
  }
  if (query.toMs) {
    sql += QStringLiteral(" AND started_ms < ?");
    binds << static_cast<qlonglong>(*query.toMs);
  }

  sql += QStringLiteral(" ORDER BY started_ms DESC, id");
  if (query.limit > 0) sql += QStringLiteral(" LIMIT %1").arg(query.limit);
  return selectRuns(sql, binds);
}

std::vector<RunRecord> SqlRecordStore::passedRunsOf(const QString& mac, const QString& serial) {
  // Two indexed lookups (runs_mac, runs_serial); "" never matches a recorded id there.
  const QString sql =
      QStringLiteral(
          "SELECT %1 FROM runs WHERE outcome = 'PASS' AND ((dut_mac = ? AND dut_mac <> '') OR "
          "(dut_serial = ? AND dut_serial <> '')) ORDER BY started_ms DESC, id")
          .arg(QLatin1String(kRunColumns));
  return selectRuns(sql, {mac.toUpper(), nonNull(serial)});  // MACs are recorded upper case
}

std::vector<RunRecord> SqlRecordStore::selectRuns(const QString& sql, const QVariantList& binds) {
  QSqlQuery q(database());
  q.setForwardOnly(true);
  q.prepare(sql);
  for (const QVariant& v : binds) q.addBindValue(v);
  std::vector<RunRecord> result;
  if (!q.exec()) {
    fail(QStringLiteral("query runs"), q.lastError().text());
    return result;
  }
  lastError_.clear();
  while (q.next()) {
    RunRecord run;
    QString error;
    if (!readRun(q, run, error)) {
      fail(QStringLiteral("query runs"), error);
      continue;  // one bad row does not hide the others
    }
    result.push_back(std::move(run));
  }
  return result;
}

}  // namespace gizrig::core
