// The engineer console's frame filter and formatting (gui/views/engineer_frame_filter.h), without a display.
#include <gtest/gtest.h>

#include "engineer/engineer_frame_filter.h"

using namespace gizrig::gui;
using gizrig::core::FrameDirection;
using gizrig::core::FrameLogEntry;

namespace {
FrameLogEntry frame(FrameDirection dir, const QString& name, const QByteArray& hex, bool ok = true) {
  FrameLogEntry e;
  e.time = 1234;
  e.direction = dir;
  e.name = name;
  e.raw = QByteArray::fromHex(hex);
  e.ok = ok;
  if (!ok) e.error = QStringLiteral("checksum");
  e.fields = {{"sn", "1"}, {"protocol_ver", "00000004"}};
  return e;
}
}  // namespace

TEST(EngineerFrameFormat, HexFieldsVerdictAndCode) {
  const auto e = frame(FrameDirection::FromMcu, "0x02 device info", "ffff0005020100");
  EXPECT_EQ(spacedHex(e.raw), "FF FF 00 05 02 01 00");
  EXPECT_EQ(fieldsText(e), "sn=1 protocol_ver=00000004");
  EXPECT_EQ(checksumVerdict(e), "ok");
  EXPECT_EQ(commandCode(e), "0x02");
  auto bad = frame(FrameDirection::ToMcu, "frame", "ffff00", false);
  bad.fault = "bad checksum";
  EXPECT_EQ(checksumVerdict(bad), "bad: checksum (fault: bad checksum)");
  EXPECT_EQ(commandCode(bad), "");
}

TEST(EngineerFrameFilter, CommandDirectionAndText) {
  const auto hello = frame(FrameDirection::ToMcu, "0x01 device info request", "ffff000501");
  const auto info = frame(FrameDirection::FromMcu, "0x02 device info", "ffff0005020100");
  const auto status = frame(FrameDirection::ToMcu, "0x0D WiFi status", "ffff00050d");
  FrameFilter f;
  EXPECT_TRUE(f.isEmpty());
  EXPECT_TRUE(f.matches(hello));
  f.command = "0x02";
  EXPECT_FALSE(f.matches(hello));
  EXPECT_TRUE(f.matches(info));
  f.command = "2";
  EXPECT_TRUE(f.matches(info));
  f.command = "0d";
  EXPECT_TRUE(f.matches(status));
  f.command = "status";  // a word of the name
  EXPECT_TRUE(f.matches(status));
  EXPECT_FALSE(f.matches(info));
  f = {};
  f.direction = FrameFilter::Direction::FromMcu;
  EXPECT_FALSE(f.matches(hello));
  EXPECT_TRUE(f.matches(info));
  f = {};
  f.text = "02 01";  // spaced hex
  EXPECT_TRUE(f.matches(info));
  f.text = "0005020100";  // plain hex
  EXPECT_TRUE(f.matches(info));
  f.text = "PROTOCOL_VER=00000004";  // fields, any case
  EXPECT_TRUE(f.matches(hello));
  f.text = "nothing like it";
  EXPECT_FALSE(f.matches(hello));
}
