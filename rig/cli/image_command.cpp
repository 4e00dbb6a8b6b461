#include "image_command.h"

#include <QCommandLineParser>
#include <QDateTime>
#include <QFile>
#include <QSaveFile>
#include <vector>

#include "cli_io.h"
#include "gagent/core/firmware_image.h"
#include "gizrig/flash/flash_inputs.h"

namespace gizrig::cli {

int runImage(const QStringList& arguments) {
  QCommandLineParser parser;
  parser.setApplicationDescription(
      "Writes a GAgent firmware image (header with the versions, payload, CRC-32): the format the module's "
      "OTA "
      "update installs and its boot check accepts, e.g. for gizrig flash.");
  addHelp(parser);
  parser.addOption(
      {"hw-version", "WiFi hardware version the image is built for (S2.1, 1-8 letters/digits).", "XXXXXXXX"});
  parser.addOption(
      {"sw-version", "WiFi software version it carries (S2.2, 1-8 letters/digits).", "XXXXXXXX"});
  parser.addOption({"fw-version", "Firmware version YYMMDDHH (S2.3; default: now, UTC).", "YYMMDDHH"});
  parser.addOption({"payload", "The image's payload (default: a short text naming the versions).", "FILE"});
  parser.addOption({"out", "The image file to write.", "FILE"});
  if (const auto exit = parseArguments(parser, arguments, "gizrig image")) return *exit;
  if (!parser.isSet("hw-version") || !parser.isSet("sw-version") || !parser.isSet("out")) {
    err() << "gizrig image: --hw-version, --sw-version and --out are required (see --help)\n";
    return kRigOrUsageError;
  }
  const QString hardware = parser.value("hw-version");
  const QString software = parser.value("sw-version");
  const QString firmware = parser.isSet("fw-version")
                               ? parser.value("fw-version")
                               : QDateTime::currentDateTimeUtc().toString(QStringLiteral("yyMMddHH"));
  QByteArray payload = QStringLiteral("GAgent %1 for %2\n").arg(software, hardware).toUtf8();
  if (parser.isSet("payload")) {
    QString error;
    const auto bytes = flash::readCappedFile(parser.value("payload"), flash::kMaxImageBytes - 64, &error);
    if (!bytes) {
      err() << "gizrig image: " << error << "\n";
      return kRigOrUsageError;
    }
    payload = *bytes;
  }
  std::vector<std::uint8_t> image(gagent::core::kFirmwareImageHeaderSize +
                                  static_cast<std::size_t>(payload.size()));
  const std::size_t size = gagent::core::encodeFirmwareImage(
      image, hardware.toStdString(), software.toStdString(), firmware.toStdString(),
      {reinterpret_cast<const std::uint8_t*>(payload.constData()), static_cast<std::size_t>(payload.size())});
  if (size == 0) {
    err() << "gizrig image: the versions must be 1-8 letters or digits (hardware, software) and 8 digits "
             "YYMMDDHH (firmware): got "
          << hardware << ", " << software << ", " << firmware << "\n";
    return kRigOrUsageError;
  }
  QSaveFile file(parser.value("out"));
  if (!file.open(QIODevice::WriteOnly) ||
      file.write(reinterpret_cast<const char*>(image.data()), static_cast<qint64>(size)) !=
          static_cast<qint64>(size) ||
      !file.commit()) {
    err() << "gizrig image: cannot write " << parser.value("out") << ": " << file.errorString() << "\n";
    return kRigOrUsageError;
  }
  out() << "image " << parser.value("out") << ": " << size << " bytes, hardware " << hardware << ", software "
        << software << ", firmware " << firmware << "\n";
  return kAllPassed;
}

}  // namespace gizrig::cli
