#pragma once
// The flashing state machine of the ESP ROM serial loader protocol, sans I/O: bytes in (receive), bytes
// out (takeOutput), modem-line and baud-rate requests for the driver, and the time always from the caller.
// The driver (serial_flasher.h) wires it to a QSerialPort; the tests feed it bytes.
//
//   reset into the loader (DTR/RTS) -> SYNC (retried) -> READ_REG chip magic -> READ_REG eFuse MAC
//   -> [upload the flasher stub: MEM_BEGIN/DATA/END, "OHAI"] -> [CHANGE_BAUDRATE]
//   -> [SPI_ATTACH + SPI_SET_PARAMS] -> per image: FLASH_(DEFL_)BEGIN, blocks, [END], [SPI_FLASH_MD5]
//   -> run the new firmware.
// What the loader supports decides the path: the ESP8266 ROM has no compressed writes, MD5, SPI commands or
// baud change (those need the stub); the ESP32 ROM and every stub have them.

#include <cstdint>
#include <deque>
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "gagent/proto/slip.h"
#include "gizrig/flash/flash_plan.h"

namespace gizrig::flash {

class Flasher {
 public:
  struct Lines {
    bool dtr = false;  // GPIO0 low while true (through the auto-reset transistors)
    bool rts = false;  // EN (reset) low while true
  };

  explicit Flasher(FlashPlan plan);

  void start(FlashMillis now);
  void receive(std::span<const std::uint8_t> bytes, FlashMillis now);
  void tick(FlashMillis now);
  // The port failed (read/write error, device gone): `reason` is the OS's text.
  void portFailed(const std::string& reason, FlashMillis now);

  [[nodiscard]] std::vector<std::uint8_t> takeOutput();
  [[nodiscard]] std::vector<Lines> takeLineChanges();
  // Switch the host side to this rate now (the loader has acknowledged CHANGE_BAUDRATE).
  [[nodiscard]] std::optional<std::uint32_t> takeBaudChange();

  [[nodiscard]] FlashMillis nextDeadline() const { return deadline_; }
  [[nodiscard]] bool finished() const { return finished_; }
  [[nodiscard]] const FlashReport& report() const { return report_; }
  [[nodiscard]] const FlashProgress& progress() const { return progress_; }

  // Timeouts and retries (esptool's figures).
  static constexpr FlashMillis kSyncTimeout = 100;
  static constexpr int kSyncAttempts = 30;
  static constexpr int kSyncAttemptsPerReset = 5;
  static constexpr FlashMillis kCommandTimeout = 3000;
  static constexpr int kBlockAttempts = 3;
  static constexpr FlashMillis kStubGreetingTimeout = 3000;
  static constexpr FlashMillis kBaudSettle = 50;
  static constexpr std::uint32_t kRomBlockSize = 0x400;
  static constexpr std::uint32_t kStubBlockSize = 0x4000;
  static constexpr std::uint32_t kRamBlockSize = 0x1800;

 private:
  using Next = std::function<void(FlashMillis)>;
  using OnAnswer = std::function<void(std::uint32_t value, std::span<const std::uint8_t> body, FlashMillis)>;

  struct Pending {
    std::uint8_t command = 0;
    std::vector<std::uint8_t> frame;  // SLIP-framed request, kept for a retry
    std::size_t bodySize = 0;         // response data before the status bytes
    FlashMillis timeout = 0;
    int attemptsLeft = 0;
    std::string what;  // "FLASH_DATA block 3 of 40 at 0x2000" for messages
    OnAnswer onAnswer;
    std::function<void(FlashMillis)> onGiveUp;  // default: a Timeout failure
  };

  // One request, its answer handled by `onAnswer`; retried on timeout, a failure status fails the run.
  void request(std::uint8_t command, std::span<const std::uint8_t> data, std::uint32_t checksum,
               std::string what, FlashMillis timeout, int attempts, std::size_t bodySize, OnAnswer onAnswer,
               FlashMillis now);
  void waitThen(FlashMillis until, Next next);
  void fail(FlashFailure failure, std::string message, FlashMillis now);
  void onFrame(std::span<const std::uint8_t> frame, FlashMillis now);

  void resetIntoLoader(FlashMillis now, Next next);
  void sync(FlashMillis now);
  void detectChip(FlashMillis now);
  void readMac(FlashMillis now);
  void readMacWord(FlashMillis now);
  void uploadStub(FlashMillis now);
  void uploadSegment(std::size_t segment, FlashMillis now);
  void uploadBlock(std::size_t segment, std::uint32_t block, FlashMillis now);
  void changeBaud(FlashMillis now);
  void attachFlash(FlashMillis now);
  void writeImage(std::size_t index, FlashMillis now);
  void writeBlock(std::size_t index, std::size_t block, FlashMillis now);
  void endImage(std::size_t index, FlashMillis now);
  void verifyImage(std::size_t index, FlashMillis now);
  void run(FlashMillis now);
  void finish(FlashMillis now);

  [[nodiscard]] bool compressedWrites() const;
  [[nodiscard]] bool romHasMd5() const;
  [[nodiscard]] std::uint32_t blockSize() const;

  FlashPlan plan_;
  FlashReport report_;
  FlashProgress progress_;
  bool finished_ = false;
  FlashMillis deadline_ = 0;

  std::vector<std::uint8_t> output_;
  std::vector<Lines> lines_;
  std::optional<std::uint32_t> baudChange_;

  std::vector<std::uint8_t> frameStorage_;
  gagent::proto::SlipDecoder decoder_;

  std::optional<Pending> pending_;
  Next waiting_;  // runs at deadline_ when nothing is pending
  bool awaitGreeting_ = false;
  int syncAttempts_ = 0;
  std::vector<std::uint32_t> macWords_;

  // The image being written: what goes on the wire, in blocks.
  std::vector<std::uint8_t> wire_;
  std::size_t blocks_ = 0;
};

}  // namespace gizrig::flash
