#pragma once
// gagent-sim's ROM serial loader (--boot rom), the protocol level of it: one request packet in, the response
// frames out, with the time the chip would take. Sans-I/O - the UART, the baud-rate pacing and the clock
// are rom_loader_runner's; the flash is the module's own (the application is booted from what is written).
//
// Two personalities, as on a real chip:
//   ROM:  what the chip's mask ROM answers (per RomChipModel: the ESP8266 ROM knows no compressed writes,
//         MD5, SPI_ATTACH/SET_PARAMS or baud change; the ESP32 ROM does). FLASH_BEGIN erases the whole
//         region before it answers.
//   stub: after a program is uploaded to RAM (MEM_BEGIN/DATA/END with an entry point) the "flasher stub"
//         runs: it greets with "OHAI", answers with 2 status bytes, knows every command above plus
//         ERASE_FLASH/ERASE_REGION/RUN_USER_CODE, erases just in time and acknowledges a data block before
//         writing it (the write overlaps the next block's transfer). The uploaded code itself is not run:
//         this is a protocol-level emulation.

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <vector>

#include "gagent/core/log.h"
#include "gagent/core/md5.h"
#include "gagent/hal/flash.h"
#include "gagent/posix/rom_chip.h"
#include "gagent/proto/esp_loader.h"

namespace gagent::posix {

class InflateStream;

// Flash timing (a 4 KiB sector and a 64 KiB block erase of a W25Q-class part, typical datasheet figures).
struct FlashTiming {
  std::uint32_t sectorEraseUs = 45'000;
  std::uint32_t blockEraseUs = 150'000;
};

class RomLoader {
 public:
  enum class Leave : std::uint8_t {
    Stay,
    RunUserCode,  // FLASH_END/FLASH_DEFL_END "run user code" (ROM), RUN_USER_CODE (stub)
    Reboot,       // FLASH_END/FLASH_DEFL_END "reboot": the chip resets with GPIO0 released
  };

  struct Reply {
    std::vector<std::uint8_t> frames;        // SLIP-framed, in order (empty: the chip answers nothing)
    std::uint32_t busyBeforeUs = 0;          // work before the answer (ROM erase, MD5 over flash)
    std::uint32_t busyAfterUs = 0;           // flash work after the answer (the stub's pipelined erase)
    std::optional<std::uint32_t> baudAfter;  // CHANGE_BAUDRATE: the new rate, once the answer is out
    Leave leave = Leave::Stay;               // once the answer is out
  };

  RomLoader(hal::Flash& flash, const RomChipModel& chip, const hal::MacAddress& mac, core::LogHub& logs,
            FlashTiming timing = {});
  ~RomLoader();
  RomLoader(const RomLoader&) = delete;
  RomLoader& operator=(const RomLoader&) = delete;

  // One SLIP frame's content.
  Reply handle(proto::Bytes packet);
  // Back to the mask ROM (a reset that came back into the loader).
  void reset();

  [[nodiscard]] bool stubRunning() const { return stub_; }
  [[nodiscard]] std::uint32_t baud() const { return baud_; }
  void setBaud(std::uint32_t baud);

 private:
  enum class Download : std::uint8_t { None, Flash, FlashDeflate, Memory };

  void answer(Reply& reply, std::uint8_t command, proto::Bytes body = {}, std::uint32_t value = 0);
  void refuse(Reply& reply, std::uint8_t command, std::uint8_t romError, std::uint8_t stubError);
  void unsupported(Reply& reply, std::uint8_t command);
  void frame(Reply& reply, proto::Bytes packet);

  void dispatch(Reply& reply, const proto::esp::Request& request);
  void onSync(Reply& reply, const proto::esp::Request& request);
  void onBegin(Reply& reply, const proto::esp::Request& request, Download kind);
  void onData(Reply& reply, const proto::esp::Request& request, Download kind);
  void onEnd(Reply& reply, const proto::esp::Request& request, Download kind);
  void onMemEnd(Reply& reply, const proto::esp::Request& request);
  void onMd5(Reply& reply, const proto::esp::Request& request);
  void onEraseRegion(Reply& reply, const proto::esp::Request& request, bool wholeChip);

  // Erases what the write up to `end` needs that is not erased yet (64 KiB blocks where the region, up to
  // `regionEnd`, covers one); returns the time it takes.
  std::uint32_t eraseThrough(std::size_t end, std::size_t regionEnd);
  // Writes at the download's cursor; false when it does not fit.
  bool writeAtCursor(proto::Bytes data);
  [[nodiscard]] std::size_t statusSize() const { return stub_ ? 2 : chip_.romStatusSize; }

  hal::Flash& flash_;
  const RomChipModel& chip_;
  RomRegisters registers_;
  core::Logger log_;
  FlashTiming timing_;
  bool stub_ = false;
  std::uint32_t baud_ = 115200;

  Download download_ = Download::None;
  std::uint32_t expectedBlocks_ = 0;
  std::uint32_t blockSize_ = 0;
  std::uint32_t nextSequence_ = 0;
  std::size_t regionStart_ = 0;
  std::size_t regionSize_ = 0;  // stub: the exact bytes to write; ROM: the erase size
  std::size_t cursor_ = 0;
  std::size_t erasedEnd_ = 0;
  std::unique_ptr<InflateStream> inflate_;
  std::uint32_t memoryBytes_ = 0;
  std::uint32_t stubEraseUs_ = 0;  // the stub's just-in-time erases of this download, for the log
};

}  // namespace gagent::posix
