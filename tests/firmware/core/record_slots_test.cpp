#include "gagent/core/record_slots.h"

#include <gtest/gtest.h>

#include <array>
#include <string>
#include <vector>

#include "gagent/sim/sim_flash.h"

using gagent::core::RecordSlots;
using gagent::sim::SimFlash;

namespace {

constexpr std::size_t kSector = 512;

std::vector<std::uint8_t> payload(const std::string& text) {
  return {text.begin(), text.end()};
}

std::string loadText(SimFlash& flash) {
  RecordSlots slots(flash, 0);
  std::array<std::uint8_t, kSector> out{};
  const std::size_t n = slots.load(out);
  return {out.begin(), out.begin() + static_cast<std::ptrdiff_t>(n)};
}

}  // namespace

TEST(RecordSlots, BlankFlashLoadsNothing) {
  SimFlash flash(2, kSector);
  EXPECT_EQ(loadText(flash), "");
}

TEST(RecordSlots, NewestSaveWinsAcrossAlternatingSlots) {
  SimFlash flash(2, kSector);
  RecordSlots slots(flash, 0);
  for (int i = 0; i < 5; ++i) ASSERT_TRUE(slots.save(payload("record " + std::to_string(i))));
  EXPECT_EQ(loadText(flash), "record 4");
}

TEST(RecordSlots, FlippedPayloadBitFallsBackToTheOtherSlot) {
  SimFlash flash(2, kSector);
  RecordSlots slots(flash, 0);
  ASSERT_TRUE(slots.save(payload("old")));
  ASSERT_TRUE(slots.save(payload("new")));  // lands in slot B
  auto bytes = flash.contents();
  bytes[kSector + 10] ^= 0x01;  // first payload byte of slot B
  flash.setContents(bytes);
  EXPECT_EQ(loadText(flash), "old");
}

TEST(RecordSlots, OversizedPayloadIsRefused) {
  SimFlash flash(2, kSector);
  RecordSlots slots(flash, 0);
  EXPECT_FALSE(slots.save(std::vector<std::uint8_t>(kSector, 0x41)));
  EXPECT_EQ(loadText(flash), "");
}

// Issue 3 storage rule: a power cut at any byte of a save leaves the old or the new record, never a corrupt
// one.
TEST(RecordSlots, PowerCutAtEveryByteOfASaveLeavesOldOrNew) {
  const auto oldRecord = payload("ssid=Home&did=old-did-0000000000000");
  const auto newRecord = payload("ssid=Office&did=new-did-11111111111111111111");
  for (int history = 1; history <= 2; ++history) {  // new record goes to slot B, then to slot A
    SimFlash reference(2, kSector);
    {
      RecordSlots slots(reference, 0);
      for (int i = 0; i < history; ++i) ASSERT_TRUE(slots.save(oldRecord));
    }
    const std::size_t before = reference.byteOperations();
    {
      RecordSlots slots(reference, 0);
      ASSERT_TRUE(slots.save(newRecord));
    }
    const std::size_t saveCost = reference.byteOperations() - before;

    for (std::size_t cut = 0; cut <= saveCost; ++cut) {
      SimFlash flash(2, kSector);
      {
        RecordSlots slots(flash, 0);
        for (int i = 0; i < history; ++i) ASSERT_TRUE(slots.save(oldRecord));
      }
      flash.cutPowerAfter(cut);
      {
        RecordSlots slots(flash, 0);
        EXPECT_EQ(slots.save(newRecord), cut == saveCost) << "cut " << cut;
      }
      flash.restorePower();
      const std::string loaded = loadText(flash);
      const std::string expected(cut == saveCost ? newRecord.begin() : oldRecord.begin(),
                                 cut == saveCost ? newRecord.end() : oldRecord.end());
      ASSERT_EQ(loaded, expected) << "history " << history << " cut at byte " << cut << " of " << saveCost;
    }
  }
}
