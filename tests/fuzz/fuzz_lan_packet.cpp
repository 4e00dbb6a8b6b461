// libFuzzer target for lan_packet.h and lan_commands.h (protocol §2.2-2.3). The input is used three ways:
//   - as one UDP datagram: if it parses, 4 + lenbytes + LEN is its size and the packet re-encodes to a
//   datagram
//     that parses to the same flag/cmd/payload;
//   - as a TCP stream, fed whole, split in two at a point taken from its first two bytes, and one byte at a
//     time: the three runs give the same events (framing does not depend on segmentation), feed() never takes
//     more than offered, the decoded packets never cover more bytes than the input, and every packet
//     re-encodes and decodes (datagram and stream) to the same flag/cmd/payload;
//   - every payload (the datagram's and each stream packet's) goes through every typed parser; what parses is
//     built again and must parse to the same values.
#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <initializer_list>

#include "gagent/proto/lan_commands.h"
#include "gagent/proto/lan_packet.h"

using namespace gagent::proto;

namespace {

void check(bool condition) {
  if (!condition) __builtin_trap();
}

bool same(Bytes a, Bytes b) {
  return a.size() == b.size() && (a.empty() || std::memcmp(a.data(), b.data(), a.size()) == 0);
}

bool samePacket(const LanPacketView& a, const LanPacketView& b) {
  return a.flag == b.flag && a.cmd == b.cmd && same(a.payload, b.payload);
}

// A digest of the event sequence, so runs can be compared without storing payloads.
struct EventLog {
  std::size_t count = 0;
  std::size_t packetBytes = 0;  // sum of the minimal wire sizes of the packets
  std::uint64_t hash = 1469598103934665603ull;
  void mix(std::uint64_t value) { hash = (hash ^ value) * 1099511628211ull; }
  void add(const LanDecode& d) {
    ++count;
    mix(static_cast<std::uint64_t>(d.status));
    mix(static_cast<std::uint64_t>(d.error));
    if (!d.ok()) return;
    packetBytes += lanPacketSize(d.packet.payload.size());
    mix(d.packet.flag);
    mix(d.packet.cmd);
    mix(d.packet.payload.size());
    for (std::uint8_t b : d.packet.payload) mix(b);
  }
};

// Room for a rebuilt 0004 body, which may gain the apiServer terminator its input lacked.
using Scratch = std::array<std::uint8_t, kLanMaxPayload + 1>;

// Builds with `build` into the scratch buffer (a builder refusing a parsed value is a finding); the bytes
// written.

template <typename Build>
Bytes rebuild(Scratch& scratch, Build&& build) {
  ByteWriter writer(scratch);
  build(writer);
  check(writer.ok());
  return writer.written();
}

bool sameAnnounce(const LanDeviceAnnounce& a, const LanDeviceAnnounce& b) {
  return a.did == b.did && same(a.mac, b.mac) && a.firmwareVersion == b.firmwareVersion &&
         a.productKey == b.productKey && same(a.mcuAttr, b.mcuAttr) && a.apiServer == b.apiServer &&
         a.gagentVersion == b.gagentVersion;
}

void checkTypedParsers(Bytes payload) {
  Scratch scratch{};

  const ParseStatus empty = parseLanEmpty(payload);
  check((empty == ParseStatus::Ok) == payload.empty());

  if (const auto p = parseLanOnboardingRequest(payload); p.ok()) {
    check(p.value.ssid.size() <= kLanMaxSsid && p.value.password.size() <= kLanMaxPassword);
    const Bytes again = rebuild(scratch, [&](ByteWriter& w) { buildLanOnboardingRequest(p.value, w); });
    check(same(again, payload));  // exact format: byte-identical
  }

  if (const auto p = parseLanDeviceAnnounce(payload); p.ok()) {
    check(p.value.mac.size() == kLanMacSize && p.value.productKey.size() == kLanProductKeySize);
    check(p.value.mcuAttr.size() == kLanMcuAttrSize);
    check(!p.value.gagentVersion || p.value.apiServer);
    const Bytes again = rebuild(scratch, [&](ByteWriter& w) { buildLanDeviceAnnounce(p.value, w); });
    check(again.size() <= payload.size() + 1);  // at most the apiServer's missing terminator is added
    const auto q = parseLanDeviceAnnounce(again);
    check(q.ok() && sameAnnounce(p.value, q.value));
  }

  for (auto parse : {parseLanPasscodeReply, parseLanLogin}) {
    if (const auto p = parse(payload); p.ok()) {
      check(p.value.size() <= kLanMaxPasscode);
      const Bytes again = rebuild(scratch, [&](ByteWriter& w) { buildLanLogin(p.value, w); });
      check(same(again, payload));
    }
  }

  if (const auto p = parseLanLoginResult(payload); p.ok()) {
    check(payload.size() == 1 && static_cast<std::uint8_t>(p.value) == payload[0]);
  }

  if (const auto p = parseLanApList(payload); p.ok()) {
    check(same(p.value.entries, payload));
    std::array<LanApEntry, kLanMaxPayload / 3> entries{};
    std::size_t n = 0;
    forEachLanAp(p.value, [&](const LanApEntry& e) {
      check(e.ssid.size() <= kLanMaxSsid && e.power <= kLanMaxApPower);
      check(n < entries.size());
      entries[n++] = e;
    });
    check(n == p.value.count());
    const Bytes again = rebuild(
        scratch, [&](ByteWriter& w) { buildLanApList(std::span<const LanApEntry>(entries.data(), n), w); });
    check(same(again, payload));
  }

  if (const auto p = parseLanDeviceInfo(payload); p.ok()) {
    const LanDeviceInfo& v = p.value;
    for (std::string_view field :
         {v.wifiHardVer, v.wifiSoftVer, v.mcuHardVer, v.mcuSoftVer, v.p0Ver, v.firmwareId}) {
      check(field.size() == kLanVersionSize);
    }
    check(v.productKey.size() == kLanProductKeySize);
    const Bytes again = rebuild(scratch, [&](ByteWriter& w) { buildLanDeviceInfo(v, w); });
    check(again.size() <= payload.size() &&
          same(again, payload.first(again.size())));  // trailing bytes dropped
  }

  if (const auto p = parseLanConfigSuccess(payload); p.ok()) {
    check(p.value.mac.size() == kLanMacSize && p.value.productKey.size() == kLanProductKeySize);
    const Bytes again = rebuild(scratch, [&](ByteWriter& w) { buildLanConfigSuccess(p.value, w); });
    check(same(again, payload));
  }

  if (const auto p = parseLanSequencedP0(payload); p.ok()) {
    check(payload.size() >= kLanSnSize && p.value.p0.size() == payload.size() - kLanSnSize);
    const Bytes again = rebuild(scratch, [&](ByteWriter& w) { buildLanSequencedP0(p.value, w); });
    check(same(again, payload));
  } else {
    check(payload.size() < kLanSnSize);
  }

  // Names are total.
  check(!lanCommandName(static_cast<LanCmd>(payload.empty() ? 0 : payload[0])).empty());
}

// Re-encodes `packet` (both encoders) and checks both decoders give it back.
void checkReencodes(const LanPacketView& packet) {
  check(packet.payload.size() <= kLanMaxPayload);
  std::array<std::uint8_t, kLanMaxPacketSize> wire{};
  const std::size_t size = encodeLanPacket(packet.cmd, packet.payload, wire, packet.flag);
  check(size == lanPacketSize(packet.payload.size()) && size >= kLanMinPacketSize);
  std::array<std::uint8_t, kLanMaxPacketSize> inPlace{};
  const std::size_t inPlaceSize = encodeLanPacketWith(
      packet.cmd, [&](ByteWriter& w) { w.bytes(packet.payload); }, inPlace, packet.flag);
  check(inPlaceSize == size && std::memcmp(wire.data(), inPlace.data(), size) == 0);

  const Bytes encoded(wire.data(), size);
  const LanDecode datagram = parseLanDatagram(encoded);
  check(datagram.ok() && samePacket(datagram.packet, packet));

  LanStreamDecoder decoder;
  check(decoder.feed(encoded) == size);
  const LanDecode streamed = decoder.next();
  check(streamed.ok() && samePacket(streamed.packet, packet));
  check(decoder.next().status == ParseStatus::NeedMore && decoder.buffered() == 0);
}

// Feeds `chunks` the way the firmware does and logs every event; `inspect` sees each one.
template <typename Inspect>
EventLog runStream(std::initializer_list<Bytes> chunks, Inspect&& inspect) {
  LanStreamDecoder decoder;
  EventLog log;
  for (Bytes data : chunks) {
    do {
      const std::size_t offered = data.size();
      const std::size_t taken = decoder.feed(data);
      check(taken <= offered && decoder.buffered() <= LanStreamDecoder::kCapacity);
      data = data.subspan(taken);
      for (LanDecode d = decoder.next(); d.status != ParseStatus::NeedMore; d = decoder.next()) {
        check(d.ok() ? d.error == LanPacketError::None : d.error != LanPacketError::None);
        check(d.error != LanPacketError::Truncated && d.error != LanPacketError::TrailingBytes);
        log.add(d);
        inspect(d);
      }
    } while (!data.empty());
  }
  return log;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const Bytes input(data, size);

  // UDP.
  const LanDecode datagram = parseLanDatagram(input);
  if (datagram.ok()) {
    check(datagram.error == LanPacketError::None);
    const VarintDecode len = decodeVarint(input.subspan(kLanMagicSize));
    check(len.status == ParseStatus::Ok && len.shortest && kLanMagicSize + len.consumed + len.value == size);
    check(lanPacketSize(datagram.packet.payload.size()) == size);  // one value, one encoding (issue 16)
    check(datagram.packet.payload.size() + kLanFixedLen == len.value);
    checkReencodes(datagram.packet);
    checkTypedParsers(datagram.packet.payload);
  } else {
    check(datagram.status == ParseStatus::Malformed && datagram.error != LanPacketError::None);
  }

  // TCP, whole.
  const EventLog whole = runStream({input}, [](const LanDecode& d) {
    if (!d.ok()) return;
    checkReencodes(d.packet);
    checkTypedParsers(d.packet.payload);
  });
  check(whole.packetBytes <= size);  // packets are disjoint

  // TCP, split at a fuzzer-chosen point.
  const std::size_t split = size >= 2 ? ((std::size_t{data[0]} << 8) | data[1]) % (size + 1) : 0;
  const EventLog halves = runStream({input.first(split), input.subspan(split)}, [](const LanDecode&) {});
  check(halves.count == whole.count && halves.hash == whole.hash);

  // TCP, one byte at a time (bounded, to keep the run fast).
  if (size <= 4096) {
    LanStreamDecoder decoder;
    EventLog bytes;
    for (std::size_t i = 0; i < size; ++i) {
      check(decoder.feed(input.subspan(i, 1)) == 1);
      for (LanDecode d = decoder.next(); d.status != ParseStatus::NeedMore; d = decoder.next()) bytes.add(d);
    }
    check(bytes.count == whole.count && bytes.hash == whole.hash);
  }
  return 0;
}
