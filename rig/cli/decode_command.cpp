#include "decode_command.h"

#include <QCommandLineParser>
#include <QFile>
#include <QTextStream>

#include "cli_io.h"
#include "exit_codes.h"
#include "gizrig/decode/decode.h"

namespace gizrig::cli {

int runDecode(const QStringList& arguments) {
  QCommandLineParser parser;
  parser.setApplicationDescription(
      "Names the frames in a hex dump and their fields: MCU serial frames (checksum and stuffing verdicts), "
      "LAN packets or MQTT. Exit 0 when every frame decoded, 1 when one is malformed, 2 on a usage error.");
  addHelp(parser);
  parser.addOption({"as", "Protocol of the bytes: mcu (default), lan or mqtt.", "protocol", "mcu"});
  parser.addPositionalArgument("hex", "Bytes as hex (spaces allowed). Read from stdin when absent.");
  if (const auto exit = parseArguments(parser, arguments, "gizrig decode")) return *exit;
  core::WireProtocol protocol = core::WireProtocol::Mcu;
  const QString as = parser.value("as");
  if (as == "lan") {
    protocol = core::WireProtocol::Lan;
  } else if (as == "mqtt") {
    protocol = core::WireProtocol::Mqtt;
  } else if (as != "mcu") {
    QTextStream(stderr) << "gizrig decode: unknown protocol '" << as << "' (mcu, lan or mqtt)\n";
    return kRigOrUsageError;
  }
  QString input = parser.positionalArguments().join(' ');
  if (input.isEmpty()) {
    QFile in;
    if (!in.open(stdin, QIODevice::ReadOnly)) {
      QTextStream(stderr) << "gizrig decode: cannot read stdin\n";
      return kRigOrUsageError;
    }
    // A hex dump of a capture is megabytes at most: read one byte more than that to notice more.
    constexpr qint64 kMaxInputBytes = 64LL * 1024 * 1024;
    const QByteArray bytes = in.read(kMaxInputBytes + 1);
    if (bytes.size() > kMaxInputBytes) {
      QTextStream(stderr) << "gizrig decode: stdin holds more than " << kMaxInputBytes << " bytes\n";
      return kRigOrUsageError;
    }
    input = QString::fromUtf8(bytes);
  }
  std::vector<std::uint8_t> bytes;
  std::string error;
  if (!core::parseHex(input.toStdString(), bytes, error)) {
    QTextStream(stderr) << "gizrig decode: " << QString::fromStdString(error) << "\n";
    return kRigOrUsageError;
  }
  QTextStream out(stdout);
  bool malformed = false;
  for (const auto& item : core::decodeStream(protocol, bytes)) {
    out << QString::fromStdString(core::formatItem(item)) << "\n";
    malformed = malformed || !item.ok;
  }
  // 1 like a DUT failure: the bytes decoded, and at least one frame broke the protocol (checksum, length,
  // a payload its command does not allow, a trailing partial frame).
  return malformed ? kDutFailed : kAllPassed;
}

}  // namespace gizrig::cli
