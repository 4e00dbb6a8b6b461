#pragma once
// The rig's sans-I/O flasher against gagent-sim's ROM loader in-process: every request the flasher writes
// goes to the loader, every answer back, with a test clock that jumps to the flasher's next deadline when
// the line is quiet. Hooks drop requests or change answers to drive the failure paths.

#include <functional>
#include <vector>

#include "gagent/core/log.h"
#include "gagent/posix/rom_loader.h"
#include "gagent/proto/slip.h"
#include "gagent/sim/sim_flash.h"
#include "gizrig/flash/flasher.h"

namespace gagent::test {

using ByteVector = std::vector<std::uint8_t>;
inline constexpr hal::MacAddress kBenchMac{0x02, 0x47, 0x7F, 0x00, 0x00, 0x2A};

class FlasherBench {
 public:
  explicit FlasherBench(posix::LoaderChip chip, std::size_t sectors = 256)
      : flash(sectors, 4096), loader(flash, posix::romChipModel(chip), kBenchMac, logs), decoder_(storage_) {}

  // Runs the flasher to its end (or `limitMs` of test time); the loader's answers come back at once.
  const gizrig::flash::FlashReport& run(gizrig::flash::Flasher& flasher,
                                        gizrig::flash::FlashMillis limitMs = 600'000) {
    flasher.start(now);
    for (;;) {
      // Output is delivered even once the flasher has finished: its last words (RUN_USER_CODE) need no
      // answer.
      const ByteVector out = flasher.takeOutput();
      lineChanges += flasher.takeLineChanges().size();
      if (const auto baud = flasher.takeBaudChange()) baudChanges.push_back(*baud);
      for (const std::uint8_t b : out) {
        if (decoder_.feed(b) != proto::SlipDecoder::Event::Frame) continue;
        const ByteVector packet(decoder_.frame().begin(), decoder_.frame().end());
        requests.push_back(packet);
        if (beforeRequest) beforeRequest(now);
        if (dropRequest && dropRequest(packet)) continue;
        ByteVector delivered = packet;
        if (corruptRequest) corruptRequest(delivered);
        posix::RomLoader::Reply reply = loader.handle(delivered);
        if (reply.leave != posix::RomLoader::Leave::Stay) left = reply.leave;
        if (changeReply) changeReply(packet, reply.frames);
        if (!reply.frames.empty()) flasher.receive(reply.frames, now);
      }
      if ((flasher.finished() && out.empty()) || now >= limitMs) break;
      if (out.empty() && !flasher.finished()) {
        now = std::max(now + 1, flasher.nextDeadline());
        flasher.tick(now);
      }
    }
    return flasher.report();
  }

  // How many requests with this command the flasher sent.
  [[nodiscard]] std::size_t sent(proto::esp::Command command) const {
    std::size_t n = 0;
    for (const auto& r : requests) n += r.size() > 1 && r[1] == static_cast<std::uint8_t>(command) ? 1 : 0;
    return n;
  }

  [[nodiscard]] ByteVector flashBytes(std::size_t offset, std::size_t size) {
    ByteVector out(size);
    flash.read(offset, out);
    return out;
  }

  core::LogHub logs;
  sim::SimFlash flash;
  posix::RomLoader loader;
  gizrig::flash::FlashMillis now = 0;
  std::vector<ByteVector> requests;
  std::size_t lineChanges = 0;
  std::vector<std::uint32_t> baudChanges;
  posix::RomLoader::Leave left = posix::RomLoader::Leave::Stay;

  std::function<void(gizrig::flash::FlashMillis)> beforeRequest;
  std::function<bool(const ByteVector&)> dropRequest;
  std::function<void(ByteVector&)> corruptRequest;
  std::function<void(const ByteVector& request, ByteVector& answerFrames)> changeReply;

 private:
  ByteVector storage_ = ByteVector(0x10100);
  proto::SlipDecoder decoder_;
};

// A deterministic image that compresses about 2:1, like firmware.
inline ByteVector sampleImage(std::size_t size, std::uint32_t seed = 1) {
  ByteVector image(size);
  std::uint32_t x = seed;
  for (std::size_t i = 0; i < size; ++i) {
    x = x * 1664525u + 1013904223u;
    image[i] = (i / 64) % 2 == 0 ? static_cast<std::uint8_t>(x >> 24) : static_cast<std::uint8_t>(i & 0x0F);
  }
  return image;
}

}  // namespace gagent::test
