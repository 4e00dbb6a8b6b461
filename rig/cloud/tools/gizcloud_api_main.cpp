// gizcloud-api: the stand-in cloud HTTP API as its own process (the lab can also host CloudApiServer
// in-process). Prints "gizcloud-api ready port=<port>" once listening; SIGTERM or SIGINT -> exit 0.
//   gizcloud-api --listen 127.0.0.1:0 --db lab/cloud.db --m2m 127.0.0.1:18830 [--product-key KEY]...
//                [--control-secret-file FILE] [--firmware-dir DIR]
// Without a secret file the control endpoint (/lab/...) is closed. No exception leaves main (exit 2).
#include <QCommandLineParser>
#include <QCoreApplication>
#include <QHostAddress>
#include <cstdio>
#include <exception>

#include "gizrig/cloud/cloud_api_server.h"
#include "gizrig/cloud/device_registry.h"
#include "gizrig/cloud/firmware_store.h"
#include "gizrig/cloud/quit_on_signal.h"
#include "gizrig/files/capped_file.h"

namespace {

struct HostPort {
  QString host;
  quint16 port = 0;
};

// "HOST:PORT" with a port 0-65535; nullopt otherwise.
std::optional<HostPort> parseHostPort(const QString& text) {
  const qsizetype colon = text.lastIndexOf(u':');
  if (colon <= 0) return std::nullopt;
  bool ok = false;
  const uint port = text.mid(colon + 1).toUInt(&ok);
  if (!ok || port > 65535) return std::nullopt;
  return HostPort{text.left(colon), static_cast<quint16>(port)};
}

int fail(const QString& message) {
  std::fprintf(stderr, "gizcloud-api: %s\n", qPrintable(message));
  return 2;
}

}  // namespace

int run(int argc, char** argv) {
  QCoreApplication app(argc, argv);
  QCoreApplication::setApplicationName(QStringLiteral("gizcloud-api"));

  QCommandLineParser parser;
  parser.setApplicationDescription(QStringLiteral("Stand-in Gizwits cloud HTTP API of the virtual lab"));
  parser.addHelpOption();
  parser.addOption({QStringLiteral("listen"),
                    QStringLiteral("Loopback address to listen on (port 0 = free)."),
                    QStringLiteral("host:port"), QStringLiteral("127.0.0.1:0")});
  parser.addOption(
      {QStringLiteral("db"), QStringLiteral("SQLite file of devices and firmware."), QStringLiteral("path")});
  parser.addOption({QStringLiteral("m2m"), QStringLiteral("M2M gate address given to provisioned modules."),
                    QStringLiteral("host:port"), QStringLiteral("127.0.0.1:1883")});
  parser.addOption({QStringLiteral("product-key"),
                    QStringLiteral("Accept only this product key (repeatable)."), QStringLiteral("key")});
  parser.addOption({QStringLiteral("download-host"), QStringLiteral("Host of OTA download URLs."),
                    QStringLiteral("host"), QStringLiteral("127.0.0.1")});
  parser.addOption(
      {QStringLiteral("control-secret-file"),
       QStringLiteral("A file holding the control endpoint's secret (without it /lab/... is closed)."),
       QStringLiteral("file")});
  parser.addOption({QStringLiteral("firmware-dir"),
                    QStringLiteral("The only directory /lab/firmware {\"path\"} may read images from."),
                    QStringLiteral("dir")});
  parser.process(app);

  const auto listen = parseHostPort(parser.value(QStringLiteral("listen")));
  const QHostAddress address(listen ? listen->host : QString());
  if (!listen || address.isNull()) return fail(QStringLiteral("--listen wants IP:PORT"));
  const auto m2m = parseHostPort(parser.value(QStringLiteral("m2m")));
  if (!m2m) return fail(QStringLiteral("--m2m wants HOST:PORT"));
  if (!parser.isSet(QStringLiteral("db"))) return fail(QStringLiteral("--db is required"));
  const QString dbPath = parser.value(QStringLiteral("db"));

  gizrig::cloud::DeviceRegistry registry;
  if (!registry.open(dbPath)) return fail(registry.lastError());
  gizrig::cloud::FirmwareStore firmware;
  if (!firmware.open(dbPath)) return fail(firmware.lastError());

  gizrig::cloud::CloudApiSettings settings;
  settings.m2mHost = m2m->host;
  settings.m2mPort = m2m->port;
  settings.productKeys = parser.values(QStringLiteral("product-key"));
  settings.downloadHost = parser.value(QStringLiteral("download-host"));
  settings.firmwareDirectory = parser.value(QStringLiteral("firmware-dir"));
  if (parser.isSet(QStringLiteral("control-secret-file"))) {
    QString error;
    const auto secret =
        gizrig::core::readCappedFile(parser.value(QStringLiteral("control-secret-file")), 4096, &error);
    if (!secret) return fail(error);
    settings.controlSecret = QString::fromUtf8(*secret).trimmed();
    if (settings.controlSecret.isEmpty()) return fail(QStringLiteral("the control secret file is empty"));
  }
  gizrig::cloud::CloudApiServer server(registry, firmware, settings);
  if (!server.listen(listen->port, address)) return fail(server.errorString());
  if (!gizrig::cloud::quitOnTerminationSignals())
    return fail(QStringLiteral("cannot install signal handlers"));

  std::printf("gizcloud-api ready port=%u\n", unsigned{server.port()});
  std::fflush(stdout);
  return QCoreApplication::exec() == 0 ? 0 : 1;
}

int main(int argc, char** argv) {
  try {
    return run(argc, argv);
  } catch (const std::exception& e) {
    return fail(QStringLiteral("internal error: %1").arg(QString::fromLocal8Bit(e.what())));
  } catch (...) {
    return fail(QStringLiteral("internal error (unknown exception)"));
  }
}
