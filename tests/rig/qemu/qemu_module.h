#pragma once
// The module's firmware on its own MCU architecture, in the rig's real-time tests: scripts/qemu-module boots
// build-cortex-m3/bin/gagent-module.elf (preset cortex-m3) under QEMU's netduino2 with the MCU line on a pty,
// and the rig drives that pty as it drives a USB-serial adapter.
//
// The tests skip, with the reason, when the ELF or qemu-system-arm is absent, unless GAGENT_REQUIRE_QEMU is
// set (CI: .ci/run builds the preset first), where absence is a failure.

#include <gtest/gtest.h>

#include <QFile>
#include <QFileInfo>
#include <QProcess>
#include <QStandardPaths>
#include <QString>
#include <QTemporaryDir>
#include <iostream>

#include "rt_support.h"

namespace gizrig::test {

inline QString moduleElf() {
  const QString fromEnv = qEnvironmentVariable("GAGENT_MODULE_ELF");
  return fromEnv.isEmpty() ? QStringLiteral(GAGENT_MODULE_ELF) : fromEnv;
}

// Why the emulated module cannot run here, or "" when it can.
inline QString qemuModuleMissing() {
  if (!QFileInfo(moduleElf()).isFile())
    return "no firmware at " + moduleElf() +
           " (cmake --preset cortex-m3 && cmake --build --preset cortex-m3)";
  if (QStandardPaths::findExecutable("qemu-system-arm").isEmpty())
    return QStringLiteral("no qemu-system-arm on PATH (scripts/setup installs it)");
  return {};
}

#define GAGENT_REQUIRE_QEMU_MODULE()                                                         \
  do {                                                                                       \
    const QString missing = gizrig::test::qemuModuleMissing();                               \
    if (!missing.isEmpty()) {                                                                \
      if (qEnvironmentVariableIsSet("GAGENT_REQUIRE_QEMU")) FAIL() << missing.toStdString(); \
      GTEST_SKIP() << missing.toStdString();                                                 \
    }                                                                                        \
  } while (false)

// One emulated module: started by start(), always stopped (SIGTERM to the script, which ends QEMU and
// removes the pty link) and reaped, also when an assertion fails.
class QemuModule {
 public:
  explicit QemuModule(const QTemporaryDir& dir)
      : uart_(dir.filePath("module.pty")),
        log_(dir.filePath("module.log")),
        flash_(dir.filePath("module.pair")) {}
  ~QemuModule() { stop(); }
  QemuModule(const QemuModule&) = delete;
  QemuModule& operator=(const QemuModule&) = delete;

  // Returns "" once the script printed its ready line, or what went wrong.
  QString start() {
    process_.setProcessChannelMode(QProcess::SeparateChannels);
    process_.start(QStringLiteral(GAGENT_QEMU_MODULE_SCRIPT),
                   {"--uart", "pty:" + uart_, "--log", log_, "--flash", flash_, "--elf", moduleElf()});
    if (!process_.waitForStarted(10000)) return process_.errorString();
    spinUntil([&] { return process_.canReadLine() || process_.state() == QProcess::NotRunning; }, 60000);
    ready_ = QString::fromUtf8(process_.readLine()).trimmed();
    if (!ready_.startsWith("qemu-module ready uart=")) {
      return "no ready line ('" + ready_ + "'): " + QString::fromUtf8(process_.readAllStandardError());
    }
    return {};
  }

  // SIGTERM, as an operator's Ctrl-C or a lab's shutdown would send it. True when the script exited 0.
  bool stop() {
    if (process_.state() == QProcess::NotRunning)
      return process_.exitStatus() == QProcess::NormalExit && process_.exitCode() == 0;
    process_.terminate();
    if (!process_.waitForFinished(15000)) {
      process_.kill();
      process_.waitForFinished(5000);
      return false;
    }
    return process_.exitStatus() == QProcess::NormalExit && process_.exitCode() == 0;
  }

  [[nodiscard]] const QString& uart() const { return uart_; }
  [[nodiscard]] const QString& readyLine() const { return ready_; }
  [[nodiscard]] const QString& flashFile() const { return flash_; }
  [[nodiscard]] QString log() const {
    QFile file(log_);
    return file.open(QIODevice::ReadOnly) ? QString::fromUtf8(file.readAll()) : QString();
  }
  void dumpLogOnFailure() const {
    if (::testing::Test::HasFailure()) std::cerr << "---- module log ----\n" << log().toStdString();
  }

 private:
  QString uart_;
  QString log_;
  QString flash_;
  QString ready_;
  QProcess process_;
};

}  // namespace gizrig::test
