// The wire trace of one run (issue 12, `--trace DIR`): LAN traffic reassembled into named packets with their
// own bytes, one line each, timed from the run's start; an existing file is never overwritten.
#include "gizrig/production/slot_trace.h"

#include <gtest/gtest.h>

#include <QFile>
#include <QTemporaryDir>

#include "app_plug_fakes.h"
#include "gizrig/links/traced_lan_links.h"

namespace gizrig::core {
namespace {

QStringList traceLines(const QString& path) {
  QFile file(path);
  EXPECT_TRUE(file.open(QIODevice::ReadOnly));
  return QString::fromUtf8(file.readAll()).split('\n', Qt::SkipEmptyParts);
}

TEST(SlotTrace, Issue12_LanPacketsAreReassembledNamedAndTimedFromTheRunsStart) {
  test::qtApp();
  test::FakeClock clock;
  clock.advanceTo(5000);
  QTemporaryDir dir;
  const QString path = dir.filePath("1-run.trace");
  QString error;
  auto trace = SlotTrace::create(path, "slot 1, serial SN-1", clock, &error);
  ASSERT_TRUE(trace) << error.toStdString();
  LanTrafficTap tap;
  trace->attach(nullptr, &tap);

  const QHostAddress module(QStringLiteral("10.77.0.2"));
  clock.advanceTo(5250);
  emit tap.datagram(true, module, 12414, QByteArray::fromHex("0000000303000003"));  // discovery request
  // A passcode reply split over two segments, then a ping and a pong in one: three packets, not four lines.
  const QByteArray reply = QByteArray::fromHex("0000000306000007000141");
  clock.advanceTo(6000);
  emit tap.stream(7, false, module, 12416, reply.left(5));
  emit tap.stream(7, false, module, 12416, reply.mid(5) + QByteArray::fromHex("0000000303000016"));
  emit tap.stream(7, true, module, 12416, QByteArray::fromHex("0000000303000015"));
  emit tap.stream(7, false, module, 12416, QByteArray::fromHex("00000003"));  // cut off by the close
  emit tap.streamClosed(7);

  const QStringList lines = traceLines(path);
  ASSERT_EQ(lines.size(), 6) << lines.join('\n').toStdString();
  EXPECT_EQ(lines[0], "# slot 1, serial SN-1");
  EXPECT_TRUE(lines[1].startsWith("+   0.250 s  lan     rig->10.77.0.2:12414")) << lines[1].toStdString();
  EXPECT_TRUE(lines[1].contains("0x0003 discovery request")) << lines[1].toStdString();
  EXPECT_TRUE(lines[1].endsWith("0000000303000003"));
  EXPECT_TRUE(lines[2].startsWith("+   1.000 s  lan     10.77.0.2:12416->rig")) << lines[2].toStdString();
  EXPECT_TRUE(lines[2].contains("0x0007 passcode reply"));
  EXPECT_TRUE(lines[2].endsWith("0000000306000007000141")) << "the whole packet, once";
  EXPECT_TRUE(lines[3].endsWith("0000000303000016"));  // the pong from the same segment, on its own line
  EXPECT_TRUE(lines[4].contains("rig->10.77.0.2:12416")) << lines[4].toStdString();
  EXPECT_TRUE(lines[4].contains("0x0015"));
  EXPECT_TRUE(lines[5].contains("!incomplete")) << lines[5].toStdString();  // not silently dropped
}

TEST(SlotTrace, Issue12_AnExistingFileIsNeverOverwritten) {
  test::qtApp();
  test::FakeClock clock;
  QTemporaryDir dir;
  const QString path = dir.filePath("taken.trace");
  QFile taken(path);
  ASSERT_TRUE(taken.open(QIODevice::WriteOnly));
  taken.write("keep me\n");
  taken.close();
  QString error;
  EXPECT_EQ(SlotTrace::create(path, "header", clock, &error), nullptr);
  EXPECT_TRUE(error.contains(path)) << error.toStdString();
  EXPECT_EQ(traceLines(path), QStringList{"keep me"});
}

}  // namespace
}  // namespace gizrig::core
