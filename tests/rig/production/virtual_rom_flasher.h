#pragma once
// The flash step's SlotFlasher in virtual time: the rig's own sans-I/O flasher (rig/flash) talks to
// gagent-sim's ROM loader emulation (the same code `gagent-sim --boot rom` runs) over the virtual module's
// flash, on the world's clock; every exchange takes its wire time at the negotiated baud plus the loader's
// flash work. When the flasher leaves the loader, the module reboots and its core reads what was written
// (an image in the OTA format carries the software version it then reports in 0x22, S2.2). The core keeps
// running while the loader writes - in-process there is one module, not a chip held in reset - and nothing
// of it touches the application region meanwhile.

#include <QObject>
#include <algorithm>
#include <functional>
#include <memory>
#include <vector>

#include "gagent/core/log.h"
#include "gagent/posix/rom_loader.h"
#include "gagent/proto/esp_loader.h"
#include "gagent/proto/slip.h"
#include "gagent/sim/sim_board.h"
#include "gizrig/flash/flasher.h"
#include "gizrig/production/slot_flasher.h"
#include "gizrig/virtual/virtual_world.h"

namespace gizrig::testing {

class VirtualRomFlasher final : public core::SlotFlasher {
 public:
  explicit VirtualRomFlasher(core::VirtualWorld& world,
                             gagent::posix::LoaderChip chip = gagent::posix::LoaderChip::Esp8266)
      : world_(world), chip_(chip) {}
  ~VirtualRomFlasher() override { cancel(); }

  void start(const core::FlashJob& job, Progress progress, Done done) override {
    ++starts;
    flash::FlashPlan plan;
    plan.images.push_back({job.image.toStdString(), job.address,
                           std::vector<std::uint8_t>(job.bytes.begin(), job.bytes.end())});
    plan.baud = static_cast<std::uint32_t>(job.baud);
    plan.verify = job.verify;
    plan.stub = job.stub;
    progress_ = std::move(progress);
    done_ = std::move(done);
    baud_ = flash::kRomBaud;
    context_ = std::make_unique<QObject>();
    flasher_ = std::make_unique<flash::Flasher>(std::move(plan));
    loader_ = std::make_unique<gagent::posix::RomLoader>(
        world_.board().flash(), gagent::posix::romChipModel(chip_), world_.board().system().mac(), logs_);
    flasher_->start(world_.nowMs());
    world_.clock().callAfter(0, context_.get(), [this] { pump(); });
  }

  void cancel() override {
    context_.reset();  // every pending turn goes with it
    flasher_.reset();
    loader_.reset();
    done_ = nullptr;
  }

  int starts = 0;
  bool answerNothing = false;  // a module that is not in its loader (GPIO0 high): nothing answers SYNC
  // Runs just before the loader computes SPI_FLASH_MD5 (a bit flipped in the flash: a real mismatch).
  std::function<void(gagent::sim::SimFlash&)> beforeMd5;

 private:
  void pump() {
    const core::RigMillis now = world_.nowMs();
    flasher_->tick(now);
    const std::vector<std::uint8_t> out = flasher_->takeOutput();
    (void)flasher_->takeLineChanges();  // no modem lines in-process: the module is "in its loader" already
    if (const auto baud = flasher_->takeBaudChange()) baud_ = *baud;
    core::RigMillis answerAt = now;
    std::vector<std::uint8_t> answers;
    for (const std::uint8_t byte : out) {
      if (decoder_.feed(byte) != gagent::proto::SlipDecoder::Event::Frame) continue;
      const std::vector<std::uint8_t> packet(decoder_.frame().begin(), decoder_.frame().end());
      if (answerNothing) continue;
      if (packet.size() > 1 &&
          packet[1] == static_cast<std::uint8_t>(gagent::proto::esp::Command::SpiFlashMd5) && beforeMd5)
        beforeMd5(world_.board().flash());
      const gagent::posix::RomLoader::Reply reply = loader_->handle(packet);
      answerAt += wireMs(packet.size() + reply.frames.size()) + reply.busyBeforeUs / 1000;
      answers.insert(answers.end(), reply.frames.begin(), reply.frames.end());
      if (reply.baudAfter) loader_->setBaud(*reply.baudAfter);
      if (reply.leave != gagent::posix::RomLoader::Leave::Stay) left_ = true;
    }
    report();
    if (flasher_->finished()) {
      finish();
      return;
    }
    if (!answers.empty()) {
      world_.clock().callAt(answerAt, context_.get(), [this, answers] {
        flasher_->receive(answers, world_.nowMs());
        pump();
      });
      return;
    }
    world_.clock().callAt(std::max(now + 1, flasher_->nextDeadline()), context_.get(), [this] { pump(); });
  }

  void report() {
    const flash::FlashProgress& p = flasher_->progress();
    if (progress_ && p.total > 0) progress_(static_cast<qint64>(p.done), static_cast<qint64>(p.total));
  }

  void finish() {
    const flash::FlashReport& r = flasher_->report();
    core::FlashJobResult result;
    result.kind = r.ok() ? core::FlashJobResult::Kind::Ok : core::FlashJobResult::Kind::ModuleFailed;
    result.message = QString::fromStdString(r.message);
    for (const std::string& note : r.notes) result.notes << QString::fromStdString(note);
    result.chip = QString::fromLatin1(flash::chipName(r.chip));
    result.mac = QString::fromStdString(flash::macText(r.mac));
    result.baud = static_cast<qint32>(r.baud);
    if (!r.images.empty()) {
      result.md5 = QString::fromStdString(r.images[0].md5);
      result.verified = r.images[0].verified;
      result.bytes = static_cast<qint64>(r.images[0].bytes);
      result.wireBytes = static_cast<qint64>(r.images[0].wireBytes);
    }
    // Leaving the loader boots what was written: a fresh core on the same flash.
    if (r.ok() && left_) world_.board().system().reboot();
    Done done = std::exchange(done_, nullptr);
    world_.clock().callAfter(0, context_.get(), [done, result] {
      if (done) done(result);
    });
  }

  // 10 bit times a byte (8N1) at the rate the loader runs at, rounded up to the clock's millisecond.
  [[nodiscard]] core::RigMillis wireMs(std::size_t bytes) const {
    return static_cast<core::RigMillis>((bytes * 10 * 1000 + baud_ - 1) / baud_);
  }

  core::VirtualWorld& world_;
  gagent::posix::LoaderChip chip_;
  gagent::core::LogHub logs_;
  std::unique_ptr<QObject> context_;
  std::unique_ptr<flash::Flasher> flasher_;
  std::unique_ptr<gagent::posix::RomLoader> loader_;
  std::vector<std::uint8_t> storage_ = std::vector<std::uint8_t>(0x10100);
  gagent::proto::SlipDecoder decoder_{storage_};
  std::uint32_t baud_ = flash::kRomBaud;
  bool left_ = false;
  Progress progress_;
  Done done_;
};

}  // namespace gizrig::testing
