#include "gizrig/flash/flasher.h"

#include <zlib.h>

#include <algorithm>
#include <cstdio>
#include <utility>

#include "gagent/core/md5.h"
#include "gagent/proto/esp_loader.h"

namespace gizrig::flash {
namespace {

namespace esp = gagent::proto::esp;
using esp::Command;

constexpr std::size_t kMaxFrame = 0x10000 + 64;
constexpr std::uint32_t kEsp8266EfuseBase = 0x3FF00050;
constexpr std::uint32_t kEsp32EfuseBase = 0x3FF5A000;
constexpr FlashMillis kEraseMsPerMiB = 30000;  // the ROM erases the region before it answers FLASH_BEGIN
constexpr FlashMillis kMd5MsPerMiB = 8000;
constexpr std::uint32_t kFlashEndRunUserCode = 1;  // ROM: run the application; stub: stay in the stub
constexpr std::uint32_t kFlashEndReboot = 0;
constexpr std::uint32_t kSpiSetParamsSize = 16 * 1024 * 1024;  // the biggest part; bounds only

std::uint8_t op(Command command) {
  return static_cast<std::uint8_t>(command);
}

std::vector<std::uint8_t> words(std::initializer_list<std::uint32_t> values) {
  std::vector<std::uint8_t> out(values.size() * 4);
  gagent::proto::ByteWriter writer(out);
  for (const std::uint32_t v : values) esp::putWord(writer, v);
  return out;
}

FlashMillis scaled(FlashMillis perMiB, std::size_t bytes) {
  return std::max<FlashMillis>(Flasher::kCommandTimeout,
                               perMiB * static_cast<FlashMillis>(bytes) / (1024 * 1024) + 1);
}

std::string hex(std::span<const std::uint8_t> bytes) {
  std::string text;
  char pair[3];
  for (const std::uint8_t b : bytes) {
    std::snprintf(pair, sizeof pair, "%02x", b);
    text += pair;
  }
  return text;
}

std::string hexAddress(std::uint32_t address) {
  char text[16];
  std::snprintf(text, sizeof text, "0x%x", address);
  return text;
}

std::string romErrorText(std::uint8_t error) {
  switch (error) {
    case 0x05:
      return "invalid message / not supported";
    case 0x06:
      return "the operation failed";
    case 0x07:
      return "checksum error";
    case 0x08:
      return "flash write error";
    case 0x09:
      return "flash read error";
    case 0x0B:
      return "deflate error";
    case 0xC1:
      return "bad data checksum";
    case 0xC7:
      return "inflate error";
    case 0xC8:
      return "not enough data";
    case 0xC9:
      return "too much data";
    case 0xFF:
      return "not supported by the stub";
    default:
      return "error";
  }
}

// esptool's workaround for the ESP8266 ROM's FLASH_BEGIN: it erases more than the size it is given (the
// first 64 KiB block's sectors are erased twice over), so it is given less.
std::uint32_t esp8266RomEraseSize(std::uint32_t offset, std::uint32_t size) {
  constexpr std::uint32_t kSector = 4096;
  constexpr std::uint32_t kSectorsPerBlock = 16;
  const std::uint32_t sectors = (size + kSector - 1) / kSector;
  const std::uint32_t startSector = offset / kSector;
  std::uint32_t head = kSectorsPerBlock - startSector % kSectorsPerBlock;
  head = std::min(head, sectors);
  if (sectors < 2 * head) return (sectors + 1) / 2 * kSector;
  return (sectors - head) * kSector;
}

}  // namespace

Flasher::Flasher(FlashPlan plan) : plan_(std::move(plan)), frameStorage_(kMaxFrame), decoder_(frameStorage_) {
  progress_.imageCount = plan_.images.size();
}

std::vector<std::uint8_t> Flasher::takeOutput() {
  return std::exchange(output_, {});
}

std::vector<Flasher::Lines> Flasher::takeLineChanges() {
  return std::exchange(lines_, {});
}

std::optional<std::uint32_t> Flasher::takeBaudChange() {
  return std::exchange(baudChange_, std::nullopt);
}

void Flasher::fail(FlashFailure failure, std::string message, FlashMillis) {
  if (finished_) return;
  report_.failure = failure;
  report_.message = std::move(message);
  pending_.reset();
  waiting_ = nullptr;
  finished_ = true;
  progress_.phase = "failed";
}

void Flasher::finish(FlashMillis) {
  finished_ = true;
  pending_.reset();
  waiting_ = nullptr;
  progress_.phase = "done";
}

void Flasher::portFailed(const std::string& reason, FlashMillis now) {
  fail(FlashFailure::PortLost, "the serial port failed (" + reason + "): did the module vanish?", now);
}

void Flasher::request(std::uint8_t command, std::span<const std::uint8_t> data, std::uint32_t checksum,
                      std::string what, FlashMillis timeout, int attempts, std::size_t bodySize,
                      OnAnswer onAnswer, FlashMillis now) {
  std::vector<std::uint8_t> packet(esp::kHeaderSize + data.size());
  packet.resize(esp::encodeRequest(command, data, checksum, packet));
  Pending pending;
  pending.command = command;
  pending.frame.resize(gagent::proto::slipEncodedSize(packet));
  pending.frame.resize(gagent::proto::slipEncode(packet, pending.frame));
  pending.bodySize = bodySize;
  pending.timeout = timeout;
  pending.attemptsLeft = attempts - 1;
  pending.what = std::move(what);
  pending.onAnswer = std::move(onAnswer);
  output_.insert(output_.end(), pending.frame.begin(), pending.frame.end());
  pending_ = std::move(pending);
  deadline_ = now + timeout;
}

void Flasher::waitThen(FlashMillis until, Next next) {
  pending_.reset();
  waiting_ = std::move(next);
  deadline_ = until;
}

void Flasher::start(FlashMillis now) {
  progress_.phase = "connecting";
  if (plan_.images.empty() && !plan_.identifyOnly)
    return fail(FlashFailure::Refused, "nothing to write: no image given", now);
  if (plan_.resetIntoLoader) return resetIntoLoader(now, [this](FlashMillis t) { sync(t); });
  sync(now);
}

void Flasher::tick(FlashMillis now) {
  if (finished_ || now < deadline_) return;
  if (waiting_) {
    Next next = std::exchange(waiting_, nullptr);
    return next(now);
  }
  if (awaitGreeting_) {
    awaitGreeting_ = false;
    return fail(FlashFailure::Timeout, "the flasher stub did not greet (no \"OHAI\") after it was uploaded",
                now);
  }
  if (!pending_) return;
  if (pending_->attemptsLeft > 0) {
    --pending_->attemptsLeft;
    output_.insert(output_.end(), pending_->frame.begin(), pending_->frame.end());
    deadline_ = now + pending_->timeout;
    return;
  }
  Pending given = std::move(*pending_);
  pending_.reset();
  if (given.onGiveUp) return given.onGiveUp(now);
  fail(FlashFailure::Timeout,
       "no answer to " + given.what + " within " + std::to_string(given.timeout) + " ms (every retry)", now);
}

void Flasher::receive(std::span<const std::uint8_t> bytes, FlashMillis now) {
  for (const std::uint8_t byte : bytes) {
    if (finished_) return;
    if (decoder_.feed(byte) == gagent::proto::SlipDecoder::Event::Frame) onFrame(decoder_.frame(), now);
  }
}

void Flasher::onFrame(std::span<const std::uint8_t> frame, FlashMillis now) {
  if (awaitGreeting_) {
    if (gagent::proto::asText(frame) != esp::kStubGreeting) return;
    awaitGreeting_ = false;
    report_.stubRunning = true;
    return changeBaud(now);
  }
  const auto response = esp::parseResponse(frame);
  if (!response || !pending_) return;  // noise, or a late answer to a retried request
  if (response->command != pending_->command) {
    // A ROM answers a command it does not know with "invalid message" under another command byte.
    const auto status = esp::parseStatus(response->data, 2);
    if (response->data.size() >= 2 && response->data[0] != 0 &&
        response->data[1] == esp::kErrorInvalidMessage && response->command != op(Command::Sync)) {
      const std::string what = pending_->what;
      fail(FlashFailure::Refused, what + ": not supported by this loader", now);
    }
    (void)status;
    return;
  }
  if (response->data.size() < pending_->bodySize + 2) {
    return fail(FlashFailure::Refused,
                pending_->what + ": a short answer (" + std::to_string(response->data.size()) + " bytes)",
                now);
  }
  const std::uint8_t status = response->data[pending_->bodySize];
  const std::uint8_t error = response->data[pending_->bodySize + 1];
  if (status != 0) {
    char code[8];
    std::snprintf(code, sizeof code, "0x%02x", error);
    return fail(FlashFailure::Refused,
                "the module refused " + pending_->what + " (error " + code + ": " + romErrorText(error) + ")",
                now);
  }
  Pending done = std::move(*pending_);
  pending_.reset();
  done.onAnswer(response->value, response->data.first(done.bodySize), now);
}

void Flasher::resetIntoLoader(FlashMillis now, Next next) {
  // esptool's classic reset: EN low (RTS) with GPIO0 high, then EN high with GPIO0 low (DTR), then GPIO0
  // released: the chip samples GPIO0 low as it leaves reset and starts its serial loader.
  lines_.push_back({.dtr = false, .rts = true});
  waitThen(now + 100, [this, next](FlashMillis t) {
    lines_.push_back({.dtr = true, .rts = false});
    waitThen(t + 50, [this, next](FlashMillis t2) {
      lines_.push_back({.dtr = false, .rts = false});
      next(t2);
    });
  });
}

void Flasher::sync(FlashMillis now) {
  progress_.phase = "connecting";
  const auto payload = esp::syncPayload();
  ++syncAttempts_;
  request(
      op(Command::Sync), payload, 0, "SYNC", kSyncTimeout, 1, 0,
      [this](std::uint32_t value, std::span<const std::uint8_t>, FlashMillis t) {
        // A ROM answers with a non-zero value (and eight times); a stub already running answers 0 once.
        report_.stubRunning = value == 0;
        // Let the ROM's further SYNC answers go by before the next command.
        waitThen(t + kSyncTimeout, [this](FlashMillis t2) { detectChip(t2); });
      },
      now);
  pending_->onGiveUp = [this](FlashMillis t) {
    if (syncAttempts_ >= kSyncAttempts) {
      return fail(FlashFailure::NoSync,
                  "no answer to SYNC after " + std::to_string(syncAttempts_) +
                      " attempts: is GPIO0 low / is the module in its loader? (TX and RX crossed, 3.3 V, EN "
                      "high?)",
                  t);
    }
    if (plan_.resetIntoLoader && syncAttempts_ % kSyncAttemptsPerReset == 0)
      return resetIntoLoader(t, [this](FlashMillis t2) { sync(t2); });
    sync(t);
  };
}

void Flasher::detectChip(FlashMillis now) {
  progress_.phase = "detecting";
  request(
      op(Command::ReadReg), words({esp::kChipMagicRegister}), 0, "READ_REG chip magic", kCommandTimeout, 3, 0,
      [this](std::uint32_t magic, std::span<const std::uint8_t>, FlashMillis t) {
        if (magic == esp::kEsp8266Magic) {
          report_.chip = Chip::Esp8266;
        } else if (magic == esp::kEsp32Magic) {
          report_.chip = Chip::Esp32;
        } else {
          char text[64];
          std::snprintf(text, sizeof text, "unknown chip magic 0x%08x", magic);
          return fail(FlashFailure::WrongChip,
                      std::string(text) + ": not an ESP8266 or ESP32 (the chips this flasher knows)", t);
        }
        if (plan_.expectChip && *plan_.expectChip != report_.chip) {
          return fail(FlashFailure::WrongChip,
                      std::string("the module is an ") + chipName(report_.chip) + ", expected an " +
                          chipName(*plan_.expectChip),
                      t);
        }
        readMac(t);
      },
      now);
}

void Flasher::readMac(FlashMillis now) {
  progress_.phase = "reading MAC";
  macWords_.clear();
  readMacWord(now);
}

void Flasher::readMacWord(FlashMillis now) {
  // The eFuse words esptool reads (per chip), then the MAC assembled from them.
  const bool esp8266 = report_.chip == Chip::Esp8266;
  static constexpr std::uint32_t kEsp8266Words[] = {0, 1, 3};
  static constexpr std::uint32_t kEsp32Words[] = {1, 2};
  const std::span<const std::uint32_t> indices =
      esp8266 ? std::span<const std::uint32_t>(kEsp8266Words) : std::span<const std::uint32_t>(kEsp32Words);
  if (macWords_.size() < indices.size()) {
    const std::uint32_t address =
        (esp8266 ? kEsp8266EfuseBase : kEsp32EfuseBase) + 4 * indices[macWords_.size()];
    return request(
        op(Command::ReadReg), words({address}), 0, "READ_REG eFuse (MAC)", kCommandTimeout, 3, 0,
        [this](std::uint32_t value, std::span<const std::uint8_t>, FlashMillis t) {
          macWords_.push_back(value);
          readMacWord(t);
        },
        now);
  }
  const auto& v = macWords_;
  const auto byte = [](std::uint32_t value, int shift) { return static_cast<std::uint8_t>(value >> shift); };
  if (esp8266) {
    // Word 3 holds the OUI when it is set; otherwise word 1 says which of Espressif's two it is.
    const std::uint32_t oui = v[2] != 0 ? v[2] : ((v[1] >> 16) & 0xFF) == 1 ? 0xACD074 : 0x18FE34;
    report_.mac = {byte(oui, 16), byte(oui, 8), byte(oui, 0), byte(v[1], 8), byte(v[1], 0), byte(v[0], 24)};
  } else {
    report_.mac = {byte(v[1], 8),  byte(v[1], 0), byte(v[0], 24),
                   byte(v[0], 16), byte(v[0], 8), byte(v[0], 0)};
  }
  if (plan_.identifyOnly) return run(now);  // chip and MAC were all that was asked
  if (plan_.stub && !report_.stubRunning) return uploadStub(now);
  changeBaud(now);
}

void Flasher::uploadStub(FlashMillis now) {
  progress_.phase = "uploading stub";
  uploadSegment(0, now);
}

void Flasher::uploadSegment(std::size_t segment, FlashMillis now) {
  const FlasherStub& stub = *plan_.stub;
  if (segment == stub.segments.size()) {
    return request(
        op(Command::MemEnd), words({0, stub.entry}), 0, "MEM_END (run the stub)", kCommandTimeout, 1, 0,
        [this](std::uint32_t, std::span<const std::uint8_t>, FlashMillis t) {
          awaitGreeting_ = true;
          deadline_ = t + kStubGreetingTimeout;
        },
        now);
  }
  const auto& bytes = stub.segments[segment].bytes;
  const auto blocks = static_cast<std::uint32_t>((bytes.size() + kRamBlockSize - 1) / kRamBlockSize);
  request(
      op(Command::MemBegin),
      words(
          {static_cast<std::uint32_t>(bytes.size()), blocks, kRamBlockSize, stub.segments[segment].address}),
      0, "MEM_BEGIN (stub upload)", kCommandTimeout, 3, 0,
      [this, segment](std::uint32_t, std::span<const std::uint8_t>, FlashMillis t) {
        uploadBlock(segment, 0, t);
      },
      now);
}

void Flasher::uploadBlock(std::size_t segment, std::uint32_t block, FlashMillis now) {
  const auto& data = plan_.stub->segments[segment].bytes;
  const std::size_t from = std::size_t{block} * kRamBlockSize;
  if (from >= data.size()) return uploadSegment(segment + 1, now);
  const std::size_t size = std::min<std::size_t>(kRamBlockSize, data.size() - from);
  const std::span<const std::uint8_t> piece(data.data() + from, size);
  std::vector<std::uint8_t> payload = words({static_cast<std::uint32_t>(size), block, 0, 0});
  payload.insert(payload.end(), piece.begin(), piece.end());
  request(
      op(Command::MemData), payload, esp::checksum(piece), "MEM_DATA (stub upload)", kCommandTimeout, 3, 0,
      [this, segment, block](std::uint32_t, std::span<const std::uint8_t>, FlashMillis t) {
        uploadBlock(segment, block + 1, t);
      },
      now);
}

void Flasher::changeBaud(FlashMillis now) {
  const bool can = report_.stubRunning || report_.chip == Chip::Esp32;
  if (plan_.baud == kRomBaud) return attachFlash(now);
  if (!can) {
    report_.notes.push_back(
        "the ESP8266 ROM cannot change its baud rate (it needs the flasher stub, --stub): "
        "staying at 115200");
    return attachFlash(now);
  }
  progress_.phase = "changing baud";
  request(
      op(Command::ChangeBaudrate), words({plan_.baud, report_.stubRunning ? kRomBaud : 0}), 0,
      "CHANGE_BAUDRATE", kCommandTimeout, 1, 0,
      [this](std::uint32_t, std::span<const std::uint8_t>, FlashMillis t) {
        baudChange_ = plan_.baud;
        report_.baud = plan_.baud;
        // What arrives while both sides switch is noise.
        waitThen(t + kBaudSettle, [this](FlashMillis t2) {
          decoder_.reset();
          attachFlash(t2);
        });
      },
      now);
}

bool Flasher::compressedWrites() const {
  return report_.stubRunning || report_.chip == Chip::Esp32;
}

bool Flasher::romHasMd5() const {
  return report_.stubRunning || report_.chip == Chip::Esp32;
}

std::uint32_t Flasher::blockSize() const {
  return report_.stubRunning ? kStubBlockSize : kRomBlockSize;
}

void Flasher::attachFlash(FlashMillis now) {
  // The ESP8266 ROM attaches the flash itself on FLASH_BEGIN and knows neither command.
  if (!report_.stubRunning && report_.chip == Chip::Esp8266) return writeImage(0, now);
  progress_.phase = "attaching flash";
  const std::vector<std::uint8_t> attach = report_.stubRunning ? words({0}) : words({0, 0});
  request(
      op(Command::SpiAttach), attach, 0, "SPI_ATTACH", kCommandTimeout, 3, 0,
      [this](std::uint32_t, std::span<const std::uint8_t>, FlashMillis t) {
        request(
            op(Command::SpiSetParams), words({0, kSpiSetParamsSize, 64 * 1024, 4096, 256, 0xFFFF}), 0,
            "SPI_SET_PARAMS", kCommandTimeout, 3, 0,
            [this](std::uint32_t, std::span<const std::uint8_t>, FlashMillis t2) { writeImage(0, t2); }, t);
      },
      now);
}

void Flasher::writeImage(std::size_t index, FlashMillis now) {
  if (index == plan_.images.size()) return run(now);
  const FlashImage& image = plan_.images[index];
  ImageReport entry;
  entry.address = image.address;
  entry.bytes = image.bytes.size();
  entry.startedAt = now;
  gagent::core::Md5 md5;
  md5.update(image.bytes);
  const auto digest = md5.finish();
  entry.md5 = hex(digest);
  entry.compressed = compressedWrites();
  const std::uint32_t block = blockSize();
  const auto size = static_cast<std::uint32_t>(image.bytes.size());
  if (entry.compressed) {
    uLongf length = compressBound(static_cast<uLong>(image.bytes.size()));
    wire_.resize(length);
    if (compress2(wire_.data(), &length, image.bytes.data(), static_cast<uLong>(image.bytes.size()), 9) !=
        Z_OK)
      return fail(FlashFailure::Refused, "zlib could not compress " + image.name, now);
    wire_.resize(length);
  } else {
    wire_ = image.bytes;
  }
  blocks_ = (wire_.size() + block - 1) / block;
  entry.wireBytes = entry.compressed ? wire_.size() : blocks_ * block;
  report_.images.push_back(entry);
  progress_ = {
      .phase = "erasing", .image = index, .imageCount = plan_.images.size(), .done = 0, .total = size};

  std::uint32_t declared = size;
  FlashMillis timeout = kCommandTimeout;
  if (!report_.stubRunning) {
    // The ROM erases the whole region before it answers; its compressed size is the erase size.
    const std::uint32_t rounded = static_cast<std::uint32_t>((size + block - 1) / block * block);
    declared = entry.compressed                ? rounded
               : report_.chip == Chip::Esp8266 ? esp8266RomEraseSize(image.address, size)
                                               : size;
    timeout = scaled(kEraseMsPerMiB, size);
  }
  const Command begin = entry.compressed ? Command::FlashDeflBegin : Command::FlashBegin;
  request(
      op(begin), words({declared, static_cast<std::uint32_t>(blocks_), block, image.address}), 0,
      std::string(esp::commandName(op(begin))) + " for " + image.name + " at " + hexAddress(image.address),
      timeout, 3, 0,
      [this, index](std::uint32_t, std::span<const std::uint8_t>, FlashMillis t) {
        progress_.phase = "writing";
        writeBlock(index, 0, t);
      },
      now);
}

void Flasher::writeBlock(std::size_t index, std::size_t block, FlashMillis now) {
  if (block == blocks_) return endImage(index, now);
  const FlashImage& image = plan_.images[index];
  const bool compressed = report_.images.back().compressed;
  const std::uint32_t size = blockSize();
  const std::size_t from = block * size;
  std::vector<std::uint8_t> data(
      wire_.begin() + static_cast<std::ptrdiff_t>(from),
      wire_.begin() + static_cast<std::ptrdiff_t>(std::min(wire_.size(), from + size)));
  if (!compressed) data.resize(size, 0xFF);  // the last block padded, as the protocol asks
  std::vector<std::uint8_t> payload =
      words({static_cast<std::uint32_t>(data.size()), static_cast<std::uint32_t>(block), 0, 0});
  payload.insert(payload.end(), data.begin(), data.end());
  const Command command = compressed ? Command::FlashDeflData : Command::FlashData;
  // The ROM writes a block before it answers; the stub answers first (esptool's timeouts per MiB).
  const FlashMillis timeout = scaled(40000, size);
  request(
      op(command), payload, esp::checksum(data),
      std::string(esp::commandName(op(command))) + " block " + std::to_string(block + 1) + " of " +
          std::to_string(blocks_) + " for " + image.name,
      timeout, kBlockAttempts, 0,
      [this, index, block, compressed](std::uint32_t, std::span<const std::uint8_t>, FlashMillis t) {
        const std::size_t total = plan_.images[index].bytes.size();
        progress_.done =
            compressed ? total * (block + 1) / blocks_ : std::min(total, (block + 1) * blockSize());
        writeBlock(index, block + 1, t);
      },
      now);
}

void Flasher::endImage(std::size_t index, FlashMillis now) {
  // A ROM leaves the loader on FLASH_END; only the stub is told the write is over (and to stay).
  if (!report_.stubRunning) return verifyImage(index, now);
  const Command end = report_.images.back().compressed ? Command::FlashDeflEnd : Command::FlashEnd;
  request(
      op(end), words({kFlashEndRunUserCode}), 0, std::string(esp::commandName(op(end))), kCommandTimeout, 3,
      0,
      [this, index](std::uint32_t, std::span<const std::uint8_t>, FlashMillis t) { verifyImage(index, t); },
      now);
}

void Flasher::verifyImage(std::size_t index, FlashMillis now) {
  ImageReport& entry = report_.images[index];
  const auto next = [this, index](FlashMillis t) {
    report_.images[index].finishedAt = t;
    writeImage(index + 1, t);
  };
  if (!plan_.verify) return next(now);
  if (!romHasMd5()) {
    report_.notes.push_back(
        "not verified: the ESP8266 ROM has no SPI_FLASH_MD5 (it needs the flasher stub, "
        "--stub)");
    return next(now);
  }
  progress_.phase = "verifying";
  const std::size_t digestSize = report_.stubRunning ? 16 : 32;  // the ROM sends hex text
  request(
      op(Command::SpiFlashMd5), words({entry.address, static_cast<std::uint32_t>(entry.bytes), 0, 0}), 0,
      "SPI_FLASH_MD5 at " + hexAddress(entry.address), scaled(kMd5MsPerMiB, entry.bytes), 2, digestSize,
      [this, index, next](std::uint32_t, std::span<const std::uint8_t> body, FlashMillis t) {
        ImageReport& image = report_.images[index];
        std::string module = report_.stubRunning ? hex(body) : std::string(gagent::proto::asText(body));
        std::transform(module.begin(), module.end(), module.begin(),
                       [](char c) { return static_cast<char>(c >= 'A' && c <= 'F' ? c - 'A' + 'a' : c); });
        if (module != image.md5) {
          return fail(FlashFailure::Md5Mismatch,
                      "MD5 mismatch for " + plan_.images[index].name + " at " + hexAddress(image.address) +
                          ": file " + image.md5 + ", flash " + module,
                      t);
        }
        image.verified = true;
        next(t);
      },
      now);
}

void Flasher::run(FlashMillis now) {
  if (!plan_.runAfter) return finish(now);
  progress_.phase = "running";
  if (report_.stubRunning && report_.chip == Chip::Esp8266) {
    // The ESP8266 stub's reboot would come back into the ROM loader; it jumps to the application instead.
    std::vector<std::uint8_t> packet(esp::kHeaderSize);
    packet.resize(esp::encodeRequest(op(Command::RunUserCode), {}, 0, packet));
    std::vector<std::uint8_t> framed(gagent::proto::slipEncodedSize(packet));
    framed.resize(gagent::proto::slipEncode(packet, framed));
    output_.insert(output_.end(), framed.begin(), framed.end());
    return finish(now);
  }
  // esptool's soft reset: an empty FLASH_BEGIN, then FLASH_END - "run user code" from a ROM, "reboot" from a
  // stub (GPIO0 is released by now, so the chip boots the application).
  const std::uint32_t how = report_.stubRunning ? kFlashEndReboot : kFlashEndRunUserCode;
  request(
      op(Command::FlashBegin), words({0, 0, blockSize(), 0}), 0, "FLASH_BEGIN (run)", kCommandTimeout, 2, 0,
      [this, how](std::uint32_t, std::span<const std::uint8_t>, FlashMillis t) {
        request(
            op(Command::FlashEnd), words({how}), 0, "FLASH_END (run)", kCommandTimeout, 1, 0,
            [this](std::uint32_t, std::span<const std::uint8_t>, FlashMillis t2) { finish(t2); }, t);
        // The loader may jump away before its answer is out: that is not a failure of the flashing.
        pending_->onGiveUp = [this](FlashMillis t2) {
          report_.notes.push_back("the loader did not answer FLASH_END (run): it may have jumped already");
          finish(t2);
        };
      },
      now);
}

}  // namespace gizrig::flash
