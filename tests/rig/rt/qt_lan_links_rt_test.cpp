// The Qt LAN links on real loopback sockets: UDP round trip, the loopback broadcast reaching a listener bound
// to 0.0.0.0 (how the app hears 0005/0019, docs/virtual-lab.md), 255.255.255.255 refused, TCP connect / bytes
// / peer close. Ports are chosen by the system (bind port 0).
#include "gizrig/links/qt_lan_links.h"

#include <gtest/gtest.h>

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QTcpServer>
#include <QTcpSocket>
#include <QThread>
#include <optional>

#include "gizrig/plugs/app_plug.h"
#include "gizrig/plugs/lan_bytes.h"

namespace gizrig::core {
namespace {

QCoreApplication& app() {
  static int argc = 1;
  static char name[] = "qt_lan_links_rt_test";
  static char* argv[] = {name, nullptr};
  static QCoreApplication instance(argc, argv);
  return instance;
}

template <typename Done>
bool spinUntil(Done done, int guardMs = 10000) {
  QElapsedTimer elapsed;
  elapsed.start();
  while (!done()) {
    if (elapsed.elapsed() > guardMs) return false;
    QCoreApplication::processEvents(QEventLoop::AllEvents, 10);
    QThread::msleep(1);
  }
  return true;
}

TEST(QtDatagramLink, RoundTripOnLoopbackWithPlainIpv4Senders) {
  app();
  QtDatagramLink a;
  QtDatagramLink b;
  ASSERT_TRUE(a.bind(QHostAddress::LocalHost, 0));
  ASSERT_TRUE(b.bind(QHostAddress::LocalHost, 0));
  ASSERT_NE(b.localPort(), 0);
  std::optional<std::tuple<QByteArray, QHostAddress, quint16>> got;
  QObject::connect(&b, &DatagramLink::received,
                   [&](const QByteArray& d, const QHostAddress& from, quint16 port) {
                     got = std::make_tuple(d, from, port);
                   });
  ASSERT_TRUE(a.sendTo("hello", QHostAddress::LocalHost, b.localPort()));
  ASSERT_TRUE(spinUntil([&] { return got.has_value(); }));
  EXPECT_EQ(std::get<0>(*got), "hello");
  EXPECT_EQ(std::get<1>(*got), QHostAddress("127.0.0.1"));
  EXPECT_EQ(std::get<2>(*got), a.localPort());
}

TEST(QtDatagramLink, TheLimitedBroadcastIsRefused) {
  app();
  QtDatagramLink link;
  ASSERT_TRUE(link.bind(QHostAddress::LocalHost, 0));
  QString error;
  QObject::connect(&link, &DatagramLink::errorOccurred, [&](const QString& e) { error = e; });
  EXPECT_FALSE(link.sendTo("x", QHostAddress::Broadcast, 2415));
  EXPECT_TRUE(error.contains("127.255.255.255"));
}

TEST(QtDatagramLink, S6_1_3_LoopbackBroadcastReachesTheAppsAnnouncementListener) {
  app();
  // A free port for the listener (the real 2415 may be used by a lab on this machine).
  quint16 port = 0;
  {
    QtDatagramLink probe;
    ASSERT_TRUE(probe.bind(QHostAddress::AnyIPv4, 0));
    port = probe.localPort();
  }
  RealClock clock;
  QtLanLinkFactory links;
  AppPlug plug(clock, links);
  ASSERT_TRUE(plug.listenAnnouncements(QHostAddress::AnyIPv4, port));
  std::optional<ConfigSuccess> success;
  QObject::connect(&plug, &AppPlug::configSuccessReceived, [&](const ConfigSuccess& s) { success = s; });

  QtDatagramLink module;
  ASSERT_TRUE(module.bind(QHostAddress("127.0.0.1"), 0));
  const QByteArray pk = "6f3074fe43894547a4f1314bd7e3ae0b";
  const QByteArray body = QByteArray::fromHex("0006 02477F00000A 0020") + pk + QByteArray::fromHex("0000");
  ASSERT_TRUE(module.sendTo(encodeLan(gagent::proto::LanCmd::ConfigSuccess, body),
                            QHostAddress("127.255.255.255"), port));
  ASSERT_TRUE(spinUntil([&] { return success.has_value(); }));
  EXPECT_EQ(success->productKey, QString(pk));
  EXPECT_EQ(success->address, QHostAddress("127.0.0.1"));
}

TEST(QtStreamLink, ConnectExchangeAndPeerClose) {
  app();
  QTcpServer server;
  ASSERT_TRUE(server.listen(QHostAddress::LocalHost, 0));
  QtStreamLink link;
  bool connected = false;
  bool disconnected = false;
  QByteArray received;
  QObject::connect(&link, &StreamLink::connected, [&] { connected = true; });
  QObject::connect(&link, &StreamLink::disconnected, [&] { disconnected = true; });
  QObject::connect(&link, &StreamLink::received, [&](const QByteArray& b) { received += b; });
  link.connectTo(QHostAddress::LocalHost, server.serverPort());
  ASSERT_TRUE(spinUntil([&] { return connected && server.hasPendingConnections(); }));
  EXPECT_TRUE(link.isConnected());
  QTcpSocket* peer = server.nextPendingConnection();
  link.write("ping");
  ASSERT_TRUE(spinUntil([&] { return peer->bytesAvailable() >= 4; }));
  EXPECT_EQ(peer->readAll(), "ping");
  peer->write("pong");
  ASSERT_TRUE(spinUntil([&] { return received.size() >= 4; }));
  EXPECT_EQ(received, "pong");
  peer->close();
  ASSERT_TRUE(spinUntil([&] { return disconnected; }));
  EXPECT_FALSE(link.isConnected());
}

TEST(QtStreamLink, RefusedConnectionIsAnError) {
  app();
  quint16 port = 0;
  {
    QTcpServer probe;
    ASSERT_TRUE(probe.listen(QHostAddress::LocalHost, 0));
    port = probe.serverPort();
  }
  QtStreamLink link;
  QString error;
  QObject::connect(&link, &StreamLink::errorOccurred, [&](const QString& e) { error = e; });
  link.connectTo(QHostAddress::LocalHost, port);
  ASSERT_TRUE(spinUntil([&] { return !error.isEmpty(); }));
  EXPECT_FALSE(link.isConnected());
}

}  // namespace
}  // namespace gizrig::core
