// The record store on PostgreSQL (QPSQL): the same round trip as on SQLite, several stations writing at once,
// and stations racing to create the schema. A throwaway server runs in a temp dir (initdb + pg_ctl, unix
// socket only, in the temp dir) and is stopped in every case; the tests skip with the reason when
// PostgreSQL's binaries or the QPSQL driver are missing.
#include <gtest/gtest.h>
#include <pwd.h>
#include <unistd.h>

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QProcess>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QVersionNumber>
#include <thread>

#include "gizrig/records/sql_record_store.h"
#include "production_runs_apart.h"
#include "records_samples.h"

namespace gizrig::core {
namespace {

QCoreApplication& app() {
  static int argc = 1;
  static char name[] = "records_pg_test";
  static char* argv[] = {name, nullptr};
  static QCoreApplication instance(argc, argv);
  return instance;
}

// The newest /usr/lib/postgresql/<version>/bin holding initdb and pg_ctl, or empty.
QString postgresBinDir() {
  QString best;
  QVersionNumber bestVersion;
  const QDir root(QStringLiteral("/usr/lib/postgresql"));
  for (const QString& version : root.entryList(QDir::Dirs | QDir::NoDotAndDotDot)) {
    const QString bin = root.filePath(version + QStringLiteral("/bin"));
    if (!QFile::exists(bin + QStringLiteral("/initdb")) || !QFile::exists(bin + QStringLiteral("/pg_ctl")))
      continue;
    const QVersionNumber number = QVersionNumber::fromString(version);
    if (best.isEmpty() || number > bestVersion) {
      best = bin;
      bestVersion = number;
    }
  }
  return best;
}

int freeTcpPort() {
  QTcpServer probe;
  if (!probe.listen(QHostAddress::LocalHost, 0)) return -1;
  return probe.serverPort();
}

// A PostgreSQL server of our own: created in a temp dir, listening only on a unix socket there, stopped
// (immediate mode) and deleted by the destructor.
class ThrowawayPostgres {
 public:
  // Empty on success, else why the server could not be had (the tests skip with it).
  QString start() {
    bin_ = postgresBinDir();
    if (bin_.isEmpty()) return QStringLiteral("no PostgreSQL binaries under /usr/lib/postgresql/*/bin");
    if (!QSqlDatabase::isDriverAvailable(QStringLiteral("QPSQL"))) return QStringLiteral("no QPSQL driver");
    if (!dir_.isValid()) return QStringLiteral("no temp dir");
    // initdb refuses to run as root; as root, the server runs as the postgres account.
    if (::geteuid() == 0) {
      const passwd* account = ::getpwnam("postgres");
      if (account == nullptr) return QStringLiteral("running as root and there is no 'postgres' account");
      if (::chown(QFile::encodeName(dir_.path()).constData(), account->pw_uid, account->pw_gid) != 0)
        return QStringLiteral("cannot hand the temp dir to postgres");
      runAs_ = QStringLiteral("postgres");
    }
    port_ = freeTcpPort();  // names the socket file; no TCP listener is opened
    if (port_ < 0) return QStringLiteral("no free port");
    const QString data = dir_.filePath(QStringLiteral("data"));
    QString output;
    if (!run(QStringLiteral("initdb"),
             {QStringLiteral("-D"), data, QStringLiteral("-U"), QStringLiteral("rig"),
              QStringLiteral("--auth=trust"), QStringLiteral("-E"), QStringLiteral("UTF8"),
              QStringLiteral("--locale=C"), QStringLiteral("--no-sync")},
             output))
      return QStringLiteral("initdb failed: ") + output;
    const QString options =
        QStringLiteral("-k %1 -p %2 -c listen_addresses='' -c fsync=off").arg(dir_.path()).arg(port_);
    if (!run(QStringLiteral("pg_ctl"),
             {QStringLiteral("-D"), data, QStringLiteral("-o"), options, QStringLiteral("-l"),
              dir_.filePath(QStringLiteral("server.log")), QStringLiteral("-w"), QStringLiteral("-t"),
              QStringLiteral("60"), QStringLiteral("start")},
             output))
      return QStringLiteral("pg_ctl start failed: ") + output;
    started_ = true;
    return {};
  }

  ~ThrowawayPostgres() {
    if (!started_) return;
    QString output;
    run(QStringLiteral("pg_ctl"),
        {QStringLiteral("-D"), dir_.filePath(QStringLiteral("data")), QStringLiteral("-m"),
         QStringLiteral("immediate"), QStringLiteral("-w"), QStringLiteral("stop")},
        output);
  }

  [[nodiscard]] QString url(const QString& database) const {
    return QStringLiteral("postgresql://rig@localhost:%1/%2?host=%3").arg(port_).arg(database, dir_.path());
  }

  // A fresh database per test, so tests never see each other's runs.
  bool createDatabase(const QString& name, QString* error) {
    const QString connection = QStringLiteral("pg-admin");
    bool ok = false;
    {
      QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QPSQL"), connection);
      db.setHostName(dir_.path());
      db.setPort(port_);
      db.setUserName(QStringLiteral("rig"));
      db.setDatabaseName(QStringLiteral("postgres"));
      if (db.open()) {
        QSqlQuery q(db);
        ok = q.exec(QStringLiteral("CREATE DATABASE %1").arg(name));
        if (!ok) *error = q.lastError().text();
        db.close();
      } else {
        *error = db.lastError().text();
      }
    }
    QSqlDatabase::removeDatabase(connection);
    return ok;
  }

 private:
  bool run(const QString& tool, QStringList args, QString& output) const {
    QProcess process;
    process.setProcessChannelMode(QProcess::MergedChannels);
    const QString program = bin_ + QLatin1Char('/') + tool;
    if (runAs_.isEmpty()) {
      process.start(program, args);
    } else {
      args.prepend(program);
      args.prepend(QStringLiteral("--"));
      args.prepend(runAs_);
      args.prepend(QStringLiteral("-u"));
      process.start(QStringLiteral("runuser"), args);
    }
    const bool finished = process.waitForFinished(90000);
    output = QString::fromLocal8Bit(process.readAll());
    return finished && process.exitStatus() == QProcess::NormalExit && process.exitCode() == 0;
  }

  QTemporaryDir dir_;
  QString bin_;
  QString runAs_;
  int port_ = -1;
  bool started_ = false;
};

class PostgresStore : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    app();
    server_ = new ThrowawayPostgres;
    skipReason_ = server_->start();
  }
  static void TearDownTestSuite() {
    delete server_;  // stops the server, also after failed tests
    server_ = nullptr;
  }
  void SetUp() override {
    if (!skipReason_.isEmpty()) GTEST_SKIP() << skipReason_.toStdString();
    static int databases = 0;
    database_ = QStringLiteral("records_%1").arg(++databases);
    QString error;
    ASSERT_TRUE(server_->createDatabase(database_, &error)) << error.toStdString();
  }
  std::unique_ptr<SqlRecordStore> open() {
    QString error;
    auto store = SqlRecordStore::open(server_->url(database_), &error);
    EXPECT_NE(store, nullptr) << error.toStdString();
    return store;
  }

  static ThrowawayPostgres* server_;
  static QString skipReason_;
  QString database_;
};

ThrowawayPostgres* PostgresStore::server_ = nullptr;
QString PostgresStore::skipReason_;

TEST_F(PostgresStore, TheSchemaIsCreatedOnceAndVersioned) {
  auto store = open();
  ASSERT_NE(store, nullptr);
  EXPECT_EQ(store->kind(), DbTarget::Kind::Postgres);
  EXPECT_EQ(store->storedSchemaVersion(), SqlRecordStore::kSchemaVersion);
  store.reset();
  store = open();  // reopening leaves the schema alone
  ASSERT_NE(store, nullptr);
  EXPECT_EQ(store->storedSchemaVersion(), SqlRecordStore::kSchemaVersion);
}

TEST_F(PostgresStore, AFullRunRoundTripsExactly) {
  auto store = open();
  ASSERT_NE(store, nullptr);
  const RunRecord original = samples::fullRun(3, 4);
  ASSERT_TRUE(store->saveRun(original)) << store->lastError().toStdString();
  const auto back = store->run(original.id);
  ASSERT_TRUE(back) << store->lastError().toStdString();
  EXPECT_EQ(*back, original);

  RunRecord cut = samples::runHeader(9);
  ASSERT_TRUE(store->beginRun(cut));
  ASSERT_TRUE(store->addStep(cut.id, samples::step(9, 0)));
  const auto unfinished = store->run(cut.id);
  ASSERT_TRUE(unfinished);
  EXPECT_FALSE(unfinished->finished());
  EXPECT_EQ(unfinished->steps, (std::vector<StepRecord>{samples::step(9, 0)}));

  const auto yield = store->yieldPerStation({});
  ASSERT_EQ(yield.size(), 1u);
  EXPECT_EQ(yield[0], (StationYield{"station-1", 2, 0, 1, 0, 1, 1, 0}));
  EXPECT_FALSE(store->addStep(cut.id, samples::step(9, 0)));  // duplicate step: refused, store intact
  EXPECT_EQ(*store->run(cut.id), *unfinished);
}

TEST_F(PostgresStore, StationsWritingAtOnceKeepEveryRun) {
  constexpr int kStations = 3;
  constexpr int kRuns = 10;
  const QString url = server_->url(database_);
  std::vector<std::thread> stations;
  std::vector<int> ok(kStations, 0);
  // Each station opens its own connection at the same moment on a fresh database, so they also race to
  // create the schema.
  for (int s = 0; s < kStations; ++s) {
    stations.emplace_back([&, s] {
      QString error;
      auto store = SqlRecordStore::open(url, &error);
      if (!store) {
        ADD_FAILURE() << error.toStdString();
        return;
      }
      const QString station = QStringLiteral("station-%1").arg(s);
      for (int n = s * 1000; n < s * 1000 + kRuns; ++n) {
        if (!store->saveRun(samples::fullRun(n, 3, station))) {
          ADD_FAILURE() << store->lastError().toStdString();
          return;
        }
      }
      ok[static_cast<std::size_t>(s)] = 1;
    });
  }
  for (auto& t : stations) t.join();
  EXPECT_EQ(ok, std::vector<int>(kStations, 1));
  auto store = open();
  ASSERT_NE(store, nullptr);
  EXPECT_EQ(store->runs({}).size(), static_cast<std::size_t>(kStations * kRuns));
  EXPECT_EQ(store->runs({QStringLiteral("station-2"), {}, {}, 0}).size(), static_cast<std::size_t>(kRuns));
  EXPECT_EQ(*store->run(samples::runId(2003)), samples::fullRun(2003, 3, QStringLiteral("station-2")));
  EXPECT_EQ(store->storedSchemaVersion(), SqlRecordStore::kSchemaVersion);
}

TEST_F(PostgresStore, Records_RunsMinutesApartInOneProcessCarryTheWallClockOfTheirOwnStart) {
  auto store = open();
  ASSERT_NE(store, nullptr);
  const auto runs = core::testing::productionRunsApart(store.get(), 2, 5 * 60 * 1000);
  ASSERT_EQ(runs.size(), 2u);
  for (const auto& timed : runs) {
    core::testing::expectStampsOfTheMoment(timed);
    const auto stored = store->run(timed.run.id);
    ASSERT_TRUE(stored) << store->lastError().toStdString();
    EXPECT_EQ(stored->startedMs, timed.run.startedMs);
    EXPECT_EQ(stored->finishedMs, timed.run.finishedMs);
    ASSERT_EQ(stored->steps.size(), timed.run.steps.size());
    for (std::size_t i = 0; i < stored->steps.size(); ++i)
      EXPECT_EQ(stored->steps[i].startedMs, timed.run.steps[i].startedMs);
  }
  EXPECT_EQ(store->runs({}).front().id, runs[1].run.id);  // newest first
}

TEST_F(PostgresStore, Records_ShiftsAbortedRunsAndTheDuplicateLookupsOfSchema2) {
  auto store = open();
  ASSERT_NE(store, nullptr);
  EXPECT_EQ(store->storedSchemaVersion(), core::SqlRecordStore::kSchemaVersion);
  const Shift shift{QUuid::createUuid(), "EOL-1", "ann", samples::kEpoch};
  ASSERT_TRUE(store->beginShift(shift)) << store->lastError().toStdString();
  EXPECT_EQ(store->currentShift("EOL-1"), shift);
  EXPECT_FALSE(store->currentShift("EOL-2"));

  RunRecord aborted = samples::runHeader(1);
  aborted.steps.push_back(samples::step(1, 0));
  abortRun(aborted, aborted.startedMs + 5, "interrupted (SIGINT)");
  ASSERT_TRUE(store->saveRun(aborted)) << store->lastError().toStdString();
  EXPECT_EQ(store->run(aborted.id)->outcome, Outcome::Aborted);

  RunRecord passed = samples::fullRun(4, 1);
  ASSERT_TRUE(store->saveRun(passed));
  RunRecord sameMac = samples::runHeader(5);
  sameMac.dut.mac = passed.dut.mac;
  sameMac.duplicate = describeDuplicate(sameMac, store->passedRunsOf(sameMac.dut.mac, sameMac.dut.serial));
  EXPECT_TRUE(sameMac.duplicate.contains(passed.dut.serial)) << sameMac.duplicate.toStdString();
  finishRun(sameMac, sameMac.startedMs + 1);
  ASSERT_TRUE(store->saveRun(sameMac));
  EXPECT_EQ(store->run(sameMac.id)->duplicate, sameMac.duplicate);
}

TEST(PostgresTarget, AnUnreachableServerIsAClearErrorNotACrash) {
  app();
  if (!QSqlDatabase::isDriverAvailable(QStringLiteral("QPSQL"))) GTEST_SKIP() << "no QPSQL driver";
  QTemporaryDir empty;  // a socket dir with no server in it
  QString error;
  auto store = SqlRecordStore::open(
      QStringLiteral("postgresql://rig@localhost:%1/none?host=%2").arg(freeTcpPort()).arg(empty.path()),
      &error);
  EXPECT_EQ(store, nullptr);
  EXPECT_NE(error.indexOf(QStringLiteral("open postgresql://rig@")), -1) << error.toStdString();
}

}  // namespace
}  // namespace gizrig::core
