// libFuzzer target for mcu_frame.h (protocol §1.2-1.3). The input is a raw serial stream:
//   - decoded byte by byte; every Frame is re-encoded and must (a) equal the last bytes of the input up to
//     here (within a frame the wire form is canonical: FF is always FF 55, nothing else is escaped, and the
//     header is the last FF FF before len), and (b) decode again, alone, to the identical header and payload,
//     reported on its last byte and nowhere before;
//   - every Error carries what its reason implies (a bad checksum knows len, cmd and sn; a bad len knows len
//     only, and it is out of range);
//   - fed again in two chunks through feed(), split where the first two bytes say: the same events;
//   - the input as a payload (header from its first bytes) encodes within kMcuMaxWireSize and decodes back.
#include <array>
#include <cstddef>
#include <cstdint>
#include <cstring>

#include "gagent/proto/mcu_frame.h"

using namespace gagent::proto;

namespace {

void check(bool condition) {
  if (!condition) __builtin_trap();
}

bool samePayload(Bytes a, Bytes b) {
  return a.size() == b.size() && (a.empty() || std::memcmp(a.data(), b.data(), a.size()) == 0);
}

// A short digest of the event sequence, so the chunked run can be compared without storing payloads.
struct EventLog {
  std::size_t count = 0;
  std::uint64_t hash = 1469598103934665603ull;
  void mix(std::uint64_t value) { hash = (hash ^ value) * 1099511628211ull; }
  void add(const McuDecodeEvent& event) {
    ++count;
    mix(static_cast<std::uint64_t>(event.kind));
    if (event.isFrame()) {
      mix(toByte(event.frame.header.cmd));
      mix(event.frame.header.sn);
      mix(event.frame.header.flags);
      mix(event.frame.payload.size());
      for (std::uint8_t b : event.frame.payload) mix(b);
    } else {
      mix(static_cast<std::uint64_t>(event.error.reason));
      mix(event.error.len ? *event.error.len + 1u : 0u);
      mix(event.error.cmd ? toByte(*event.error.cmd) + 1u : 0u);
      mix(event.error.sn ? *event.error.sn + 1u : 0u);
    }
  }
};

// Decodes `wire` with a fresh decoder: exactly one Frame, on the last byte, equal to `header` + `payload`.
void checkDecodesAlone(Bytes wire, const McuHeader& header, Bytes payload) {
  McuFrameDecoder decoder;
  for (std::size_t i = 0; i < wire.size(); ++i) {
    const McuDecodeEvent event = decoder.push(wire[i]);
    if (i + 1 < wire.size()) {
      check(event.kind == McuEventKind::None);
      continue;
    }
    check(event.isFrame());
    check(event.frame.header == header);
    check(samePayload(event.frame.payload, payload));
  }
}

void checkError(const McuDecodeError& error) {
  switch (error.reason) {
    case McuFrameError::BadChecksum:
      check(error.len && error.cmd && error.sn);
      check(*error.len >= kMcuFixedLen && *error.len <= kMcuMaxLen);
      break;
    case McuFrameError::BadLength:
      check(error.len && !error.cmd && !error.sn);
      check(*error.len < kMcuFixedLen || *error.len > kMcuMaxLen);
      break;
    case McuFrameError::BadStuffing:
    case McuFrameError::Interrupted:
      check(!error.sn || error.cmd);
      check(!error.cmd || error.len);
      break;
  }
  // A notice always echoes a known sn.
  if (illegalNoticeFor(error)) check(error.sn.has_value());
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const Bytes input(data, size);
  static std::array<std::uint8_t, kMcuMaxWireSize> wire;

  McuFrameDecoder decoder;
  EventLog whole;
  for (std::size_t i = 0; i < size; ++i) {
    const McuDecodeEvent event = decoder.push(input[i]);
    if (event.kind == McuEventKind::None) continue;
    whole.add(event);
    if (event.isError()) {
      checkError(event.error);
      continue;
    }
    const McuFrame& frame = event.frame;
    check(frame.payload.size() <= kMcuMaxPayload);
    const std::size_t n = encodeMcuFrame(frame.header, frame.payload, wire);
    check(n > 0 && n <= i + 1 && n == mcuWireSize(frame.header, frame.payload));
    check(std::memcmp(wire.data(), input.data() + i + 1 - n, n) == 0);
    checkDecodesAlone(Bytes(wire).first(n), frame.header, frame.payload);
  }

  // The same stream in two chunks.
  const std::size_t split = size >= 2 ? ((std::size_t{input[0]} << 8) | input[1]) % (size + 1) : 0;
  McuFrameDecoder chunked;
  EventLog parts;
  const auto record = [&](const McuDecodeEvent& event) { parts.add(event); };
  chunked.feed(input.first(split), record);
  chunked.feed(input.subspan(split), record);
  check(parts.count == whole.count && parts.hash == whole.hash);

  // The input as a payload: header from its first four bytes, payload = the rest (capped).
  if (size >= 4) {
    const McuHeader header{static_cast<McuCmd>(input[0]), input[1],
                           static_cast<std::uint16_t>((input[2] << 8) | input[3])};
    Bytes payload = input.subspan(4);
    if (payload.size() > kMcuMaxPayload) {
      check(encodeMcuFrame(header, payload, wire) == 0);
      payload = payload.first(kMcuMaxPayload);
    }
    const std::size_t n = encodeMcuFrame(header, payload, wire);
    check(n > 0 && n <= kMcuMaxWireSize && n == mcuWireSize(header, payload));
    checkDecodesAlone(Bytes(wire).first(n), header, payload);
  }
  return 0;
}
