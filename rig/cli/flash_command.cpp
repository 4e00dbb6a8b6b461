#include "flash_command.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <memory>
#include <vector>

#include "cli_io.h"
#include "gizrig/flash/flash_inputs.h"
#include "gizrig/flash/serial_flasher.h"
#include "gizrig/production/station_config.h"

#include <unistd.h>

namespace gizrig::cli {
namespace {

QString progressLine(const flash::SerialFlasher& flasher) {
  const flash::FlashProgress& p = flasher.progress();
  QString line = QStringLiteral("%1: %2").arg(flasher.portName(), QString::fromStdString(p.phase));
  if (p.phase == "writing" || p.phase == "erasing" || p.phase == "verifying") {
    const int percent = p.total == 0 ? 100 : static_cast<int>(100 * p.done / p.total);
    line += QStringLiteral(" image %1/%2 %3%").arg(p.image + 1).arg(p.imageCount).arg(percent);
  }
  return line;
}

QString summaryLine(const flash::SerialFlasher& flasher) {
  if (!flasher.portError().isEmpty())
    return QStringLiteral("%1: RIG ERROR %2").arg(flasher.portName(), flasher.portError());
  const flash::FlashReport& r = flasher.report();
  if (!r.ok()) {
    return QStringLiteral("%1: FAILED (%2) %3")
        .arg(flasher.portName(), flash::failureName(r.failure), QString::fromStdString(r.message));
  }
  std::size_t bytes = 0;
  std::size_t wire = 0;
  bool verified = !r.images.empty();
  for (const auto& image : r.images) {
    bytes += image.bytes;
    wire += image.wireBytes;
    verified = verified && image.verified;
  }
  const double seconds = static_cast<double>(flasher.elapsedMs()) / 1000.0;
  return QStringLiteral(
             "%1: OK %2 mac %3, %4 image(s), %5 bytes (%6 on the wire) at %7 baud in %8 s (%9 KiB/s)%10")
      .arg(flasher.portName(), flash::chipName(r.chip), QString::fromStdString(flash::macText(r.mac)))
      .arg(r.images.size())
      .arg(bytes)
      .arg(wire)
      .arg(r.baud)
      .arg(seconds, 0, 'f', 1)
      .arg(seconds > 0 ? static_cast<double>(bytes) / 1024.0 / seconds : 0.0, 0, 'f', 1)
      .arg(verified ? QStringLiteral(", MD5 verified") : QString());
}

// The progress: redrawn in place on a terminal, one line per port per phase change otherwise.
class ProgressView {
 public:
  explicit ProgressView(const std::vector<std::unique_ptr<flash::SerialFlasher>>& flashers)
      : flashers_(flashers), tty_(::isatty(STDOUT_FILENO) != 0), last_(flashers.size()) {}

  void update() {
    if (tty_) {
      if (drawn_) out() << "\x1b[" << flashers_.size() << "A";
      for (const auto& f : flashers_) out() << "\x1b[2K" << progressLine(*f) << "\n";
      drawn_ = true;
      out().flush();
      return;
    }
    for (std::size_t i = 0; i < flashers_.size(); ++i) {
      const flash::FlashProgress& p = flashers_[i]->progress();
      const int quarter = p.total == 0 ? 0 : static_cast<int>(4 * p.done / p.total);
      const QString key =
          QString::fromStdString(p.phase) + QString::number(p.image) + QString::number(quarter);
      if (key == last_[i]) continue;
      last_[i] = key;
      out() << progressLine(*flashers_[i]) << "\n";
      out().flush();
    }
  }

 private:
  const std::vector<std::unique_ptr<flash::SerialFlasher>>& flashers_;
  bool tty_;
  bool drawn_ = false;
  std::vector<QString> last_;
};

}  // namespace

int runFlash(const QStringList& arguments) {
  QCommandLineParser parser;
  parser.setApplicationDescription(
      "Writes firmware images through the ESP ROM serial loader (ESP8266, ESP32): reset into the loader "
      "(DTR/RTS), sync, chip and MAC, optional faster baud, each image (compressed where the loader can), "
      "MD5 "
      "verify, run the new firmware. Exit 0 all written, 1 a module failed or refused, 2 rig or usage "
      "error.");
  addHelp(parser);
  parser.addOption({"port", "A serial port (repeatable).", "PORT"});
  parser.addOption({"station", "Flash every slot's port of this station file in parallel.", "FILE"});
  parser.addOption({"image", "An image FILE, at ADDR (default 0x2000, where GAgent boots from) (repeatable).",
                    "FILE[@ADDR]"});
  parser.addOption({"baud", "Raise the baud rate after sync (default 115200: stay).", "N", "115200"});
  parser.addOption({"no-verify", "Skip the MD5 check after each image."});
  parser.addOption({"no-reset", "The module is already in its loader: no DTR/RTS reset first."});
  parser.addOption({"stub",
                    "esptool's flasher stub JSON, uploaded first (compressed writes, MD5 and baud "
                    "changes on an ESP8266).",
                    "FILE"});
  parser.addOption({"chip", "Refuse any other chip: esp8266 or esp32.", "CHIP"});
  if (const auto exit = parseArguments(parser, arguments, "gizrig flash")) return *exit;

  flash::FlashPlan plan;
  QString error;
  for (const QString& argument : parser.values("image")) {
    auto image = flash::loadImageArgument(argument, &error);
    if (!image) {
      err() << "gizrig flash: " << error << "\n";
      return kRigOrUsageError;
    }
    plan.images.push_back(std::move(*image));
  }
  if (plan.images.empty()) {
    err() << "gizrig flash: give at least one --image FILE[@ADDR] (see --help)\n";
    return kRigOrUsageError;
  }
  bool ok = false;
  const uint baud = parser.value("baud").toUInt(&ok);
  if (!ok || baud < 9600 || baud > 4'000'000) {
    err() << "gizrig flash: --baud " << parser.value("baud") << ": expected 9600-4000000\n";
    return kRigOrUsageError;
  }
  plan.baud = baud;
  plan.verify = !parser.isSet("no-verify");
  plan.resetIntoLoader = !parser.isSet("no-reset");
  if (parser.isSet("chip")) {
    const QString chip = parser.value("chip");
    if (chip != "esp8266" && chip != "esp32") {
      err() << "gizrig flash: --chip " << chip << ": expected esp8266 or esp32\n";
      return kRigOrUsageError;
    }
    plan.expectChip = chip == "esp32" ? flash::Chip::Esp32 : flash::Chip::Esp8266;
  }
  if (parser.isSet("stub")) {
    auto stub = flash::loadStubFile(parser.value("stub"), &error);
    if (!stub) {
      err() << "gizrig flash: " << error << "\n";
      return kRigOrUsageError;
    }
    plan.stub = std::move(*stub);
  }

  QStringList ports = parser.values("port");
  if (parser.isSet("station")) {
    const auto station = core::StationConfig::load(parser.value("station"), &error);
    if (!station) {
      err() << "gizrig flash: " << error << "\n";
      return kRigOrUsageError;
    }
    for (const core::SlotConfig& slot : station->slotConfigs) {
      if (slot.serialPort.isEmpty()) {
        err() << "gizrig flash: slot " << slot.name << " of " << parser.value("station")
              << " has no serial port\n";
        return kRigOrUsageError;
      }
      ports << slot.serialPort;
    }
  }
  if (ports.isEmpty()) {
    err() << "gizrig flash: give --port PORT or --station FILE (with slots) (see --help)\n";
    return kRigOrUsageError;
  }
  ports.removeDuplicates();

  std::vector<std::unique_ptr<flash::SerialFlasher>> flashers;
  for (const QString& port : ports) flashers.push_back(std::make_unique<flash::SerialFlasher>(port, plan));
  ProgressView view(flashers);
  std::size_t running = 0;
  for (const auto& flasher : flashers) {
    QObject::connect(flasher.get(), &flash::SerialFlasher::progressed, [&view] { view.update(); });
    QObject::connect(flasher.get(), &flash::SerialFlasher::done, [&running] {
      if (--running == 0) QCoreApplication::quit();
    });
    ++running;
  }
  for (const auto& flasher : flashers) {
    if (!flasher->start()) --running;  // its port error is in the summary
  }
  if (running > 0) QCoreApplication::exec();

  int exit = kAllPassed;
  for (const auto& flasher : flashers) {
    out() << summaryLine(*flasher) << "\n";
    for (const auto& image : flasher->report().images) {
      out() << flasher->portName() << ":   image at 0x" << QString::number(image.address, 16) << ": "
            << image.bytes << " bytes, " << image.wireBytes << " on the wire, "
            << QString::number(static_cast<double>(image.finishedAt - image.startedAt) / 1000.0, 'f', 3)
            << " s, md5 " << QString::fromStdString(image.md5) << (image.verified ? " verified" : "") << "\n";
    }
    for (const std::string& note : flasher->report().notes)
      out() << flasher->portName() << ":   note: " << QString::fromStdString(note) << "\n";
    if (!flasher->portError().isEmpty()) {
      exit = kRigOrUsageError;
    } else if (!flasher->report().ok() && exit == kAllPassed) {
      exit = kDutFailed;
    }
  }
  return exit;
}

}  // namespace gizrig::cli
