// gizrig as a careless user and an attacker use it (issue 16): unbounded inputs (/dev/zero, /dev/stdin, a
// FIFO) are usage errors with a message, never an abort; scenario mistakes are load errors (exit 2), never a
// DUT verdict; duplicate keys in station files are refused; `lab down` never signals a process whose PID
// lab.json names but which the lab did not start.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/stat.h>

#include <QDir>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>

#include "gizrig/lab/lab_process.h"
#include "gizrig/lab/lab_state.h"
#include "rt_support.h"

namespace gizrig::test {
namespace {

struct CliRun {
  int exitCode = -1;  // -1: crashed or did not finish
  QString output;
};

CliRun gizrig(const QStringList& args, const QByteArray& input = {}, int timeoutMs = 60000) {
  QProcess process;
  process.setProgram(GIZRIG_BINARY);
  process.setArguments(args);
  process.setProcessChannelMode(QProcess::MergedChannels);
  process.start();
  process.write(input);
  process.closeWriteChannel();
  if (!process.waitForFinished(timeoutMs)) {
    process.kill();
    process.waitForFinished();
    return {-1, QStringLiteral("(did not finish) ") + QString::fromUtf8(process.readAll())};
  }
  return {process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -1,
          QString::fromUtf8(process.readAll())};
}

QString write(const QTemporaryDir& dir, const QString& name, const QByteArray& bytes) {
  const QString path = dir.filePath(name);
  QFile file(path);
  EXPECT_TRUE(file.open(QIODevice::WriteOnly));
  file.write(bytes);
  return path;
}

TEST(RigAbuseCli, RigError_UnboundedInputsAreUsageErrors) {
  app();
  QTemporaryDir dir;
  const QString fifo = dir.filePath("fifo");
  ASSERT_EQ(::mkfifo(fifo.toLocal8Bit().constData(), 0600), 0);
  const struct {
    QStringList args;
    QString says;
  } cases[] = {
      {{"run", "/dev/zero"}, "not a regular file"},
      {{"run", "/dev/stdin"}, "not a regular file"},
      {{"run", fifo}, "not a regular file"},
      {{"production", "--station", "/dev/zero"}, "not a regular file"},
      {{"run", "--station", "/dev/zero", GAGENT_FIXTURES_DIR "/scenarios/handshake.json"},
       "not a regular file"},
      {{"lab", "status", "--dir", "/dev"}, "no lab"},
  };
  for (const auto& c : cases) {
    const CliRun run = gizrig(c.args, QByteArray(1024, '\0'));
    EXPECT_EQ(run.exitCode, 2) << c.args.join(' ').toStdString() << ": " << run.output.toStdString();
    EXPECT_TRUE(run.output.contains(c.says))
        << c.args.join(' ').toStdString() << ": " << run.output.toStdString();
  }
  // lab.json that is a FIFO: refused without blocking on it.
  ASSERT_EQ(::mkfifo(dir.filePath("lab.json").toLocal8Bit().constData(), 0600), 0);
  const CliRun status = gizrig({"lab", "status", "--dir", dir.path()});
  EXPECT_EQ(status.exitCode, 2) << status.output.toStdString();
}

TEST(RigAbuseCli, RigError_ScenarioMistakesAreLoadErrorsNotDutVerdicts) {
  app();
  QTemporaryDir dir;
  const QByteArray head = R"({"name": "s", "product": "products/gokit-demo.json", "steps": [)";
  const struct {
    QByteArray steps;
    QString says;
  } cases[] = {
      {R"({"do": "mcu.send", "cmd": "moduleInfo"}, {"measure": "x", "from": "@nosuchstep.x"})",
       "steps[1].from: no earlier step is named \"nosuchstep\""},
      {R"({"do": "mcu.set", "values": {"no_such_point": 1}})",
       "steps[0].values.no_such_point: no data point"},
      {R"({"do": "mcu.set", "values": {"LED_R": 1e300}})", "steps[0].values.LED_R: "},
      {R"({"wait": "10000h"})", "steps[0].wait: \"10000h\" is longer than"},
      {R"({"wait": "1s", "wait": "2s"})", "steps[0].wait: key given twice"},
  };
  for (const auto& c : cases) {
    const QString file = write(dir, "s.json", head + c.steps + "]}");
    const CliRun run = gizrig({"run", file});
    EXPECT_EQ(run.exitCode, 2) << c.steps.toStdString() << ": " << run.output.toStdString();
    EXPECT_TRUE(run.output.contains(file + ": " + c.says)) << run.output.toStdString();
  }
  const QString noProduct =
      write(dir, "p.json", R"({"name": "s", "product": "products/missing.json", "steps": [{"wait": "1s"}]})");
  const CliRun run = gizrig({"run", noProduct});
  EXPECT_EQ(run.exitCode, 2) << run.output.toStdString();
  EXPECT_TRUE(run.output.contains(noProduct + ": product: ")) << run.output.toStdString();
}

TEST(RigAbuseCli, RigError_DuplicateKeysInAStationFileAreUsageErrors) {
  app();
  QTemporaryDir dir;
  QFile in(GAGENT_FIXTURES_DIR "/stations/line-1.json");
  ASSERT_TRUE(in.open(QIODevice::ReadOnly));
  QByteArray text = in.readAll();
  // A second "station" key right after the opening brace.
  text.insert(text.indexOf('{') + 1, R"("station": "shadowed",)");
  const QString path = write(dir, "station.json", text);
  const CliRun run = gizrig({"production", "--station", path});
  EXPECT_EQ(run.exitCode, 2) << run.output.toStdString();
  EXPECT_TRUE(run.output.contains("station: key given twice")) << run.output.toStdString();
}

TEST(RigAbuseCli, Security_LabDownLeavesAProcessWithAStalePidAlone) {
  app();
  QTemporaryDir dir;
  QProcess sleeper;
  sleeper.start("sleep", {"300"});
  ASSERT_TRUE(sleeper.waitForStarted());
  const qint64 pid = sleeper.processId();
  const auto start = lab::processStartTicks(pid);
  ASSERT_TRUE(start.has_value());
  // A crashed lab's lab.json: its PIDs now name the sleeper (a different start time, or none recorded).
  lab::LabState state;
  state.runDir = dir.path();
  state.pid = pid;
  state.pidStart = *start - 1;
  state.airPid = pid;
  state.mosquittoPid = pid;  // no start time: an old lab.json
  state.modules.append(lab::ModuleEntry{1, "127.0.0.11", "", "", "", pid, *start + 7, 0});
  QString error;
  ASSERT_TRUE(lab::writeLabState(state, &error)) << error.toStdString();
  EXPECT_EQ(QFileInfo(lab::labStatePath(dir.path())).permissions() & 0x0077, 0)
      << "lab.json must be readable by its owner only";

  const CliRun status = gizrig({"lab", "status", "--dir", dir.path()});
  EXPECT_EQ(status.exitCode, 2) << "a stale lab is no running lab: " << status.output.toStdString();
  const CliRun down = gizrig({"lab", "down", "--dir", dir.path()});
  EXPECT_EQ(down.exitCode, 0) << down.output.toStdString();
  EXPECT_TRUE(down.output.contains("left alone")) << down.output.toStdString();
  EXPECT_FALSE(sleeper.waitForFinished(500)) << "lab down signalled a process the lab did not start";
  EXPECT_EQ(sleeper.state(), QProcess::Running);
  EXPECT_FALSE(QFile::exists(lab::labStatePath(dir.path())));

  // The same PID with its true start time is the lab's, and is stopped.
  state.pidStart = *start;
  ASSERT_TRUE(lab::writeLabState(state, &error));
  EXPECT_EQ(gizrig({"lab", "down", "--dir", dir.path()}).exitCode, 0);
  EXPECT_TRUE(sleeper.waitForFinished(30000));
}

}  // namespace
}  // namespace gizrig::test
