#include "gagent/core/record_slots.h"

#include <array>

#include "gagent/core/crc32.h"

namespace gagent::core {
namespace {

std::uint32_t readU32(const std::uint8_t* p) {
  return (std::uint32_t{p[0]} << 24) | (std::uint32_t{p[1]} << 16) | (std::uint32_t{p[2]} << 8) | p[3];
}

void putU32(std::uint8_t* p, std::uint32_t v) {
  p[0] = static_cast<std::uint8_t>(v >> 24);
  p[1] = static_cast<std::uint8_t>(v >> 16);
  p[2] = static_cast<std::uint8_t>(v >> 8);
  p[3] = static_cast<std::uint8_t>(v);
}

// Sequence numbers compare by signed difference so the counter may wrap.
bool isNewer(std::uint32_t a, std::uint32_t b) {
  return static_cast<std::int32_t>(a - b) > 0;
}

}  // namespace

const char* slotStateName(SlotState state) {
  switch (state) {
    case SlotState::Blank:
      return "blank";
    case SlotState::Valid:
      return "valid";
    case SlotState::ReadError:
      return "flash read error";
    case SlotState::Foreign:
      return "no record header (foreign data or a torn header)";
    case SlotState::BadLength:
      return "record length does not fit the sector";
    case SlotState::BadCrc:
      return "CRC mismatch (an interrupted save or decayed flash)";
  }
  return "?";
}

RecordSlots::RecordSlots(hal::Flash& flash, std::size_t firstSectorOffset)
    : flash_(flash), base_(firstSectorOffset) {}

std::size_t RecordSlots::slotOffset(int slot) const {
  return base_ + static_cast<std::size_t>(slot) * flash_.sectorSize();
}

std::size_t RecordSlots::maxPayload() const {
  const std::size_t sector = flash_.sectorSize();
  const std::size_t limit = sector > kOverhead ? sector - kOverhead : 0;
  return limit < 0xFFFF ? limit : 0xFFFF;
}

RecordSlots::SlotInfo RecordSlots::inspect(int slot, std::span<std::uint8_t> payloadOut) {
  SlotInfo info;  // ReadError until shown otherwise
  std::array<std::uint8_t, 10> head{};
  if (!flash_.read(slotOffset(slot), head)) return info;
  const std::uint32_t magic = readU32(head.data());
  if (magic != kMagic) {
    info.state = magic == 0xFFFFFFFF ? SlotState::Blank : SlotState::Foreign;
    return info;
  }
  const std::uint16_t length = static_cast<std::uint16_t>((head[8] << 8) | head[9]);
  if (length > maxPayload()) {
    info.state = SlotState::BadLength;
    return info;
  }

  // CRC over header and payload, streamed through a small buffer so any payload size fits.
  std::uint32_t crc = crc32(head);
  std::array<std::uint8_t, 64> chunk{};
  std::size_t offset = slotOffset(slot) + head.size();
  for (std::size_t done = 0; done < length;) {
    const std::size_t n = std::min(chunk.size(), static_cast<std::size_t>(length) - done);
    auto piece = std::span(chunk).first(n);
    if (!flash_.read(offset + done, piece)) return info;
    crc = crc32(piece, crc);
    if (done + n <= payloadOut.size()) {
      for (std::size_t i = 0; i < n; ++i) payloadOut[done + i] = piece[i];
    }
    done += n;
  }
  std::array<std::uint8_t, 4> stored{};
  if (!flash_.read(offset + length, stored)) return info;
  if (readU32(stored.data()) != crc) {
    info.state = SlotState::BadCrc;
    return info;
  }

  info.state = SlotState::Valid;
  info.sequence = readU32(head.data() + 4);
  info.length = length;
  return info;
}

void RecordSlots::refresh() {
  newestSlot_ = -1;
  for (int slot = 0; slot < 2; ++slot) {
    const SlotInfo info = inspect(slot, {});
    states_[slot] = info.state;
    if (info.state != SlotState::Valid) continue;
    if (newestSlot_ < 0 || isNewer(info.sequence, newestSequence_)) {
      newestSlot_ = slot;
      newestSequence_ = info.sequence;
    }
  }
  scanned_ = true;
}

std::size_t RecordSlots::load(std::span<std::uint8_t> out) {
  refresh();
  if (newestSlot_ < 0) return 0;
  const SlotInfo info = inspect(newestSlot_, out);
  if (info.state != SlotState::Valid || info.length > out.size()) return 0;
  return info.length;
}

bool RecordSlots::save(std::span<const std::uint8_t> payload) {
  if (payload.size() > maxPayload()) return false;
  if (!scanned_) refresh();
  const int target = newestSlot_ == 0 ? 1 : 0;
  const std::uint32_t sequence = newestSlot_ < 0 ? 1 : newestSequence_ + 1;

  std::array<std::uint8_t, 10> head{};
  putU32(head.data(), kMagic);
  putU32(head.data() + 4, sequence);
  head[8] = static_cast<std::uint8_t>(payload.size() >> 8);
  head[9] = static_cast<std::uint8_t>(payload.size());
  std::array<std::uint8_t, 4> tail{};
  putU32(tail.data(), crc32(payload, crc32(head)));

  const std::size_t offset = slotOffset(target);
  // Order matters: header and payload first, the CRC that makes the slot valid last.
  if (!flash_.eraseSector(offset)) return false;
  if (!flash_.write(offset, head)) return false;
  if (!flash_.write(offset + head.size(), payload)) return false;
  if (!flash_.write(offset + head.size() + payload.size(), tail)) return false;

  newestSlot_ = target;
  newestSequence_ = sequence;
  return true;
}

}  // namespace gagent::core
