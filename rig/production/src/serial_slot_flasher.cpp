#include "serial_slot_flasher.h"

#include <QTimer>

#include "gizrig/flash/serial_flasher.h"
#include "gizrig/plugs/mcu_plug.h"

namespace gizrig::core {

namespace {

FlashJobResult resultOf(const flash::FlashReport& report) {
  FlashJobResult result;
  result.kind = report.ok() ? FlashJobResult::Kind::Ok : FlashJobResult::Kind::ModuleFailed;
  result.message = QString::fromStdString(report.message);
  for (const std::string& note : report.notes) result.notes << QString::fromStdString(note);
  if (report.chip != flash::Chip::Unknown) {
    result.chip = QString::fromLatin1(flash::chipName(report.chip));
    result.mac = QString::fromStdString(flash::macText(report.mac));
  }
  result.baud = static_cast<qint32>(report.baud);
  if (!report.images.empty()) {
    const flash::ImageReport& image = report.images.front();
    result.md5 = QString::fromStdString(image.md5);
    result.verified = image.verified;
    result.bytes = static_cast<qint64>(image.bytes);
    result.wireBytes = static_cast<qint64>(image.wireBytes);
  }
  return result;
}

}  // namespace

SerialSlotFlasher::SerialSlotFlasher(QString portName, McuPlug* mcu, QObject* parent)
    : QObject(parent), portName_(std::move(portName)), mcu_(mcu) {}

SerialSlotFlasher::~SerialSlotFlasher() = default;

void SerialSlotFlasher::start(const FlashJob& job, Progress progress, Done done) {
  progress_ = std::move(progress);
  done_ = std::move(done);
  flash::FlashPlan plan;
  plan.images.push_back(
      {job.image.toStdString(), job.address, std::vector<std::uint8_t>(job.bytes.begin(), job.bytes.end())});
  plan.baud = static_cast<std::uint32_t>(job.baud);
  plan.verify = job.verify;
  plan.stub = job.stub;
  // The loader needs the port to itself: the MCU side gets it back once the module runs the new firmware.
  mcu_->close();
  flasher_ = std::make_unique<flash::SerialFlasher>(portName_, std::move(plan));
  connect(flasher_.get(), &flash::SerialFlasher::progressed, this, [this] {
    const flash::FlashProgress& p = flasher_->progress();
    if (progress_ && p.total > 0) progress_(static_cast<qint64>(p.done), static_cast<qint64>(p.total));
  });
  connect(flasher_.get(), &flash::SerialFlasher::done, this,
          [this] { finish(resultOf(flasher_->report())); });
  if (!flasher_->start()) {
    FlashJobResult result;
    result.kind = FlashJobResult::Kind::RigError;
    result.message = flasher_->portError();
    // `done` never comes inside start().
    QTimer::singleShot(0, this, [this, result] { finish(result); });
  }
}

void SerialSlotFlasher::cancel() {
  done_ = nullptr;
  progress_ = nullptr;
  if (flasher_) {
    flasher_->disconnect(this);
    flasher_.release()->deleteLater();  // it may be inside one of its own signals
  }
  mcu_->open();
}

void SerialSlotFlasher::finish(FlashJobResult result) {
  if (!done_) return;
  if (flasher_) {
    flasher_->disconnect(this);
    flasher_.release()->deleteLater();  // finish() runs inside its done() signal
  }
  if (!mcu_->open() && result.kind == FlashJobResult::Kind::Ok) {
    result.kind = FlashJobResult::Kind::RigError;
    result.message =
        QStringLiteral("%1: written, but the port did not open again for the MCU side").arg(portName_);
  }
  Done done = std::exchange(done_, nullptr);
  progress_ = nullptr;
  done(result);
}

}  // namespace gizrig::core
