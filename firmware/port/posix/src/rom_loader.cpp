#include "gagent/posix/rom_loader.h"

#include <algorithm>
#include <array>

#include "gagent/posix/inflate_stream.h"
#include "gagent/proto/slip.h"

namespace gagent::posix {
namespace {

using proto::esp::Command;
namespace esp = proto::esp;

constexpr std::uint32_t kRomSyncValue = 0x20120707;  // a ROM answers SYNC with a non-zero value, a stub 0
constexpr int kRomSyncAnswers = 8;                   // the ROM answers one SYNC eight times
constexpr std::size_t kBlockSize = 64 * 1024;
constexpr std::uint32_t kFlashEndReboot = 0;  // FLASH_END's word: 0 reboot, 1 run user code / stay (stub)
constexpr std::uint32_t kMaxRamBlock = 0x4000;

}  // namespace

RomLoader::RomLoader(hal::Flash& flash, const RomChipModel& chip, const hal::MacAddress& mac,
                     core::LogHub& logs, FlashTiming timing)
    : flash_(flash), chip_(chip), registers_(chip, mac, flash.size()), log_(logs, "rom"), timing_(timing) {}

RomLoader::~RomLoader() = default;

void RomLoader::reset() {
  stub_ = false;
  download_ = Download::None;
  inflate_.reset();
  setBaud(115200);
}

void RomLoader::setBaud(std::uint32_t baud) {
  baud_ = baud;
  registers_.setBaud(baud);
}

void RomLoader::frame(Reply& reply, proto::Bytes packet) {
  const std::size_t at = reply.frames.size();
  reply.frames.resize(at + proto::slipEncodedSize(packet));
  [[maybe_unused]] const std::size_t n = proto::slipEncode(packet, std::span(reply.frames).subspan(at));
}

void RomLoader::answer(Reply& reply, std::uint8_t command, proto::Bytes body, std::uint32_t value) {
  std::vector<std::uint8_t> data(body.begin(), body.end());
  data.resize(data.size() + statusSize(), 0);  // status 0: success
  std::vector<std::uint8_t> packet(esp::kHeaderSize + data.size());
  packet.resize(esp::encodeResponse(command, value, data, packet));
  frame(reply, packet);
}

void RomLoader::refuse(Reply& reply, std::uint8_t command, std::uint8_t romError, std::uint8_t stubError) {
  std::vector<std::uint8_t> data(statusSize(), 0);
  data[0] = 1;
  data[1] = stub_ ? stubError : romError;
  std::vector<std::uint8_t> packet(esp::kHeaderSize + data.size());
  packet.resize(esp::encodeResponse(command, 0, data, packet));
  frame(reply, packet);
  log_.debug("%s refused (error 0x%02x)", esp::commandName(command).data(), data[1]);
}

void RomLoader::unsupported(Reply& reply, std::uint8_t command) {
  // A ROM answers a command it does not know with "invalid message" under another command byte; esptool
  // recognises that as "unsupported". The stub answers with its own code under the same byte.
  log_.debug("%s (0x%02x) not supported by the %s %s", esp::commandName(command).data(), command,
             chip_.name.data(), stub_ ? "stub" : "ROM");
  if (stub_) {
    refuse(reply, command, esp::kErrorInvalidMessage, esp::kStubErrorUnsupported);
    return;
  }
  refuse(reply, 0x00, esp::kErrorInvalidMessage, esp::kStubErrorUnsupported);
}

RomLoader::Reply RomLoader::handle(proto::Bytes packet) {
  Reply reply;
  const auto request = esp::parseRequest(packet);
  if (!request) {
    log_.debug("dropped a frame that is not a request (%zu bytes)", packet.size());
    return reply;  // a real ROM stays silent on garbage too
  }
  dispatch(reply, *request);
  return reply;
}

void RomLoader::dispatch(Reply& reply, const esp::Request& req) {
  const esp::Request* request = &req;
  const std::uint8_t command = request->command;
  const auto rom = [&](bool romHas) { return stub_ || romHas; };
  switch (static_cast<Command>(command)) {
    case Command::Sync:
      onSync(reply, *request);
      break;
    case Command::ReadReg: {
      const auto address = esp::word(request->data, 0);
      if (!address) return refuse(reply, command, esp::kErrorInvalidParameter, esp::kStubErrorBadDataLen);
      answer(reply, command, {}, registers_.read(*address));
      break;
    }
    case Command::WriteReg: {
      // One or more (address, value, mask, delay) quadruples.
      if (request->data.empty() || request->data.size() % 16 != 0)
        return refuse(reply, command, esp::kErrorInvalidParameter, esp::kStubErrorBadDataLen);
      for (std::size_t i = 0; i + 3 < request->data.size() / 4; i += 4)
        registers_.write(*esp::word(request->data, i), *esp::word(request->data, i + 1),
                         *esp::word(request->data, i + 2));
      answer(reply, command);
      break;
    }
    case Command::FlashBegin:
      onBegin(reply, *request, Download::Flash);
      break;
    case Command::FlashData:
      onData(reply, *request, Download::Flash);
      break;
    case Command::FlashEnd:
      onEnd(reply, *request, Download::Flash);
      break;
    case Command::FlashDeflBegin:
      if (!rom(chip_.romHasDeflate)) return unsupported(reply, command);
      onBegin(reply, *request, Download::FlashDeflate);
      break;
    case Command::FlashDeflData:
      if (!rom(chip_.romHasDeflate)) return unsupported(reply, command);
      onData(reply, *request, Download::FlashDeflate);
      break;
    case Command::FlashDeflEnd:
      if (!rom(chip_.romHasDeflate)) return unsupported(reply, command);
      onEnd(reply, *request, Download::FlashDeflate);
      break;
    case Command::MemBegin:
      onBegin(reply, *request, Download::Memory);
      break;
    case Command::MemData:
      onData(reply, *request, Download::Memory);
      break;
    case Command::MemEnd:
      onMemEnd(reply, *request);
      break;
    case Command::SpiAttach:
    case Command::SpiSetParams:
      if (!rom(chip_.romHasSpiCommands)) return unsupported(reply, command);
      answer(reply, command);
      break;
    case Command::ChangeBaudrate: {
      if (!rom(chip_.romHasChangeBaud)) return unsupported(reply, command);
      const auto baud = esp::word(request->data, 0);
      if (!baud || *baud < 9600 || *baud > 4'000'000)
        return refuse(reply, command, esp::kErrorInvalidParameter, esp::kStubErrorBadDataLen);
      answer(reply, command);
      reply.baudAfter = *baud;
      log_.info("baud rate %u after this answer", *baud);
      break;
    }
    case Command::SpiFlashMd5:
      if (!rom(chip_.romHasMd5)) return unsupported(reply, command);
      onMd5(reply, *request);
      break;
    case Command::EraseFlash:
    case Command::EraseRegion:
      if (!stub_) return unsupported(reply, command);
      onEraseRegion(reply, *request, static_cast<Command>(command) == Command::EraseFlash);
      break;
    case Command::RunUserCode:
      if (!stub_) return unsupported(reply, command);
      log_.info("RUN_USER_CODE: leaving the loader");
      reply.leave = Leave::RunUserCode;  // the stub jumps away without an answer
      break;
    default:
      unsupported(reply, command);
      break;
  }
}

void RomLoader::onSync(Reply& reply, const esp::Request& request) {
  if (!esp::isSyncPayload(request.data)) return;  // not the sync pattern: the ROM stays silent
  const int answers = stub_ ? 1 : kRomSyncAnswers;
  for (int i = 0; i < answers; ++i) answer(reply, request.command, {}, stub_ ? 0 : kRomSyncValue);
}

std::uint32_t RomLoader::eraseThrough(std::size_t end, std::size_t regionEnd) {
  std::uint32_t us = 0;
  const std::size_t sector = flash_.sectorSize();
  end = std::min(end, flash_.size());
  regionEnd = std::min(std::max(regionEnd, end), flash_.size());
  while (erasedEnd_ < end) {
    // A whole aligned 64 KiB block of the region is one block erase, as the stub and the ROM do.
    const bool block = erasedEnd_ % kBlockSize == 0 && regionEnd - erasedEnd_ >= kBlockSize;
    const std::size_t span = block ? kBlockSize : sector;
    for (std::size_t at = erasedEnd_; at < erasedEnd_ + span && at < flash_.size(); at += sector)
      flash_.eraseSector(at);
    us += block ? timing_.blockEraseUs : timing_.sectorEraseUs;
    erasedEnd_ += span;
  }
  return us;
}

void RomLoader::onBegin(Reply& reply, const esp::Request& request, Download kind) {
  const auto size = esp::word(request.data, 0);
  const auto blocks = esp::word(request.data, 1);
  const auto blockSize = esp::word(request.data, 2);
  const auto offset = esp::word(request.data, 3);
  // 4 words; a ROM also takes a fifth (encrypted write: 0 here) from the clients that send it.
  const std::size_t words = request.data.size() / 4;
  if (!size || !blocks || !blockSize || !offset || request.data.size() % 4 != 0 || words > 5) {
    return refuse(reply, request.command, esp::kErrorInvalidParameter, esp::kStubErrorBadDataLen);
  }
  if (kind == Download::Memory) {
    if (*blockSize == 0 || *blockSize > kMaxRamBlock)
      return refuse(reply, request.command, esp::kErrorInvalidParameter, esp::kStubErrorBadDataLen);
    download_ = Download::Memory;
    expectedBlocks_ = *blocks;
    blockSize_ = *blockSize;
    nextSequence_ = 0;
    memoryBytes_ = 0;
    regionSize_ = *size;
    log_.debug("MEM_BEGIN %u bytes at 0x%08x", *size, *offset);
    return answer(reply, request.command);
  }
  const std::size_t sector = flash_.sectorSize();
  if (*offset % sector != 0 || *offset > flash_.size() || *size > flash_.size() - *offset ||
      (*blocks > 0 && (*blockSize == 0 || *blockSize > 0x10000))) {
    log_.warning("%s refused: %u bytes at 0x%x do not fit the %zu-byte flash",
                 esp::commandName(request.command).data(), *size, *offset, flash_.size());
    return refuse(reply, request.command, esp::kErrorInvalidParameter, esp::kStubErrorBadDataLen);
  }
  download_ = kind;
  expectedBlocks_ = *blocks;
  blockSize_ = *blockSize;
  nextSequence_ = 0;
  regionStart_ = *offset;
  regionSize_ = *size;
  cursor_ = *offset;
  erasedEnd_ = *offset;
  inflate_ = kind == Download::FlashDeflate ? std::make_unique<InflateStream>() : nullptr;
  if (!stub_) {
    // The ROM erases the whole region before it answers (esptool scales its timeout with the size).
    std::size_t sectors = (regionSize_ + sector - 1) / sector;
    if (chip_.romEraseSizeBug && kind == Download::Flash) {
      const std::size_t head = kBlockSize / sector - (regionStart_ / sector) % (kBlockSize / sector);
      sectors = sectors <= head ? 2 * sectors : sectors + head;
    }
    const std::size_t end = regionStart_ + sectors * sector;
    reply.busyBeforeUs = eraseThrough(end, end);
    log_.info("erase time modelled: %u ms", reply.busyBeforeUs / 1000);
  }
  log_.info("%s %u bytes at 0x%x in %u blocks of %u", esp::commandName(request.command).data(), *size,
            *offset, *blocks, *blockSize);
  answer(reply, request.command);
}

bool RomLoader::writeAtCursor(proto::Bytes data) {
  // The last block comes padded with 0xFF; what lies past the flash is padding or a client error.
  if (cursor_ > flash_.size()) return false;
  const std::size_t room = flash_.size() - cursor_;
  const proto::Bytes inside = data.first(std::min(room, data.size()));
  for (std::size_t i = inside.size(); i < data.size(); ++i)
    if (data[i] != 0xFF) return false;
  if (!inside.empty() && !flash_.write(cursor_, inside)) return false;
  cursor_ += data.size();
  return true;
}

void RomLoader::onData(Reply& reply, const esp::Request& request, Download kind) {
  const auto block = esp::parseDataBlock(request.data);
  if (download_ != kind || !block) {
    return refuse(reply, request.command, esp::kErrorInvalidMessage, esp::kStubErrorBadDataLen);
  }
  if ((request.checksum & 0xFF) != esp::checksum(block->data)) {
    log_.warning("%s block %u: checksum mismatch", esp::commandName(request.command).data(), block->sequence);
    return refuse(reply, request.command, esp::kErrorChecksum, esp::kStubErrorBadDataChecksum);
  }
  if (block->sequence != nextSequence_ || block->data.size() > blockSize_ ||
      nextSequence_ >= expectedBlocks_) {
    log_.warning("%s block %u refused: expected block %u of %u (size %u)",
                 esp::commandName(request.command).data(), block->sequence, nextSequence_, expectedBlocks_,
                 blockSize_);
    return refuse(reply, request.command, esp::kErrorInvalidParameter, esp::kStubErrorTooMuchData);
  }
  if (kind == Download::Memory) {
    memoryBytes_ += static_cast<std::uint32_t>(block->data.size());
    ++nextSequence_;
    return answer(reply, request.command);
  }
  std::vector<std::uint8_t> inflated;
  proto::Bytes bytes = block->data;
  if (kind == Download::FlashDeflate) {
    // The stub writes exactly the declared size; the ROM's declared size is the erase size.
    const std::size_t limit = regionSize_ + (stub_ ? 0 : blockSize_);
    if (!inflate_->push(block->data, inflated, limit)) {
      log_.warning("FLASH_DEFL_DATA block %u: the compressed stream is corrupt or too long", block->sequence);
      return refuse(reply, request.command, esp::kErrorDeflate, esp::kStubErrorInflate);
    }
    bytes = inflated;
  } else if (stub_ && cursor_ + bytes.size() > regionStart_ + regionSize_ + blockSize_) {
    return refuse(reply, request.command, esp::kErrorInvalidParameter, esp::kStubErrorTooMuchData);
  }
  std::uint32_t eraseUs = 0;
  if (stub_) eraseUs = eraseThrough(cursor_ + bytes.size(), regionStart_ + regionSize_);
  stubEraseUs_ += eraseUs;
  if (!writeAtCursor(bytes)) {
    log_.warning("%s block %u: write at 0x%zx refused by the flash", esp::commandName(request.command).data(),
                 block->sequence, cursor_);
    return refuse(reply, request.command, esp::kErrorFlashWrite, esp::kStubErrorTooMuchData);
  }
  ++nextSequence_;
  // The ROM writes before it answers; the stub answers first and writes while the next block arrives.
  if (stub_) reply.busyAfterUs = eraseUs;
  answer(reply, request.command);
}

void RomLoader::onEnd(Reply& reply, const esp::Request& request, Download kind) {
  const auto flag = esp::word(request.data, 0);
  if (!flag) return refuse(reply, request.command, esp::kErrorInvalidParameter, esp::kStubErrorBadDataLen);
  if (stub_ && download_ != kind) {
    return refuse(reply, request.command, esp::kErrorInvalidMessage, esp::kStubErrorNotEnoughData);
  }
  if (stub_ && kind == Download::FlashDeflate && inflate_ && inflate_->totalOut() != regionSize_) {
    log_.warning("FLASH_DEFL_END: %zu of %zu bytes arrived", inflate_->totalOut(), regionSize_);
    return refuse(reply, request.command, esp::kErrorInvalidMessage, esp::kStubErrorNotEnoughData);
  }
  download_ = Download::None;
  inflate_.reset();
  if (stub_) log_.info("erase time modelled: %u ms", stubEraseUs_ / 1000);
  stubEraseUs_ = 0;
  answer(reply, request.command);
  if (*flag == kFlashEndReboot) {
    reply.leave = Leave::Reboot;
  } else if (!stub_) {
    reply.leave = Leave::RunUserCode;  // the ROM's "run user code"; the stub stays for more commands
  }
}

void RomLoader::onMemEnd(Reply& reply, const esp::Request& request) {
  const auto noEntry = esp::word(request.data, 0);
  const auto entry = esp::word(request.data, 1);
  if (!noEntry || !entry || download_ != Download::Memory) {
    return refuse(reply, request.command, esp::kErrorInvalidParameter, esp::kStubErrorBadDataLen);
  }
  download_ = Download::None;
  answer(reply, request.command);
  if (*noEntry == 0 && !stub_) {
    // The uploaded program runs: on a real chip, esptool's flasher stub. It greets and takes over.
    log_.info("MEM_END: %u bytes uploaded, running them at 0x%08x as the flasher stub", memoryBytes_, *entry);
    stub_ = true;
    frame(reply, proto::asBytes(esp::kStubGreeting));
  }
}

void RomLoader::onMd5(Reply& reply, const esp::Request& request) {
  const auto address = esp::word(request.data, 0);
  const auto size = esp::word(request.data, 1);
  if (!address || !size || *address > flash_.size() || *size > flash_.size() - *address) {
    return refuse(reply, request.command, esp::kErrorInvalidParameter, esp::kStubErrorBadDataLen);
  }
  core::Md5 md5;
  std::array<std::uint8_t, 4096> chunk{};
  for (std::size_t at = *address, left = *size; left > 0;) {
    const std::size_t n = std::min(left, chunk.size());
    if (!flash_.read(at, std::span(chunk).first(n))) {
      return refuse(reply, request.command, esp::kErrorFlashWrite, esp::kStubErrorBadDataLen);
    }
    md5.update(std::span(chunk).first(n));
    at += n;
    left -= n;
  }
  const core::Md5::Digest digest = md5.finish();
  if (stub_) return answer(reply, request.command, digest);
  const auto hex = core::Md5::toHex(digest);  // the ROM sends the digest as 32 hex characters
  answer(reply, request.command, proto::asBytes({hex.data(), hex.size()}));
}

void RomLoader::onEraseRegion(Reply& reply, const esp::Request& request, bool wholeChip) {
  std::size_t offset = 0;
  std::size_t size = flash_.size();
  if (!wholeChip) {
    const auto o = esp::word(request.data, 0);
    const auto s = esp::word(request.data, 1);
    const std::size_t sector = flash_.sectorSize();
    if (!o || !s || *o % sector != 0 || *s % sector != 0 || *o > flash_.size() || *s > flash_.size() - *o)
      return refuse(reply, request.command, esp::kErrorInvalidParameter, esp::kStubErrorBadDataLen);
    offset = *o;
    size = *s;
  }
  erasedEnd_ = offset;
  reply.busyBeforeUs = eraseThrough(offset + size, offset + size);
  answer(reply, request.command);
}

}  // namespace gagent::posix
