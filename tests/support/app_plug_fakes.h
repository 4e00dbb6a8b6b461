#pragma once
// Fakes for the app plug's unit tests: a manual RigClock and LAN links that record what the plug sends and
// let the test play the module.

#include <QCoreApplication>
#include <QPointer>
#include <map>
#include <utility>
#include <vector>

#include "gizrig/links/links.h"
#include "gizrig/clock/rig_clock.h"

namespace gizrig::core::test {

inline QCoreApplication& qtApp() {
  static int argc = 1;
  static char name[] = "app_plug_test";
  static char* argv[] = {name, nullptr};
  static QCoreApplication instance(argc, argv);
  return instance;
}

// Time moves only when the test says so; due callbacks run in deadline order (then in scheduling order).
class FakeClock final : public RigClock {
 public:
  [[nodiscard]] RigMillis nowMs() const override { return now_; }
  TimerId callAt(RigMillis at, QObject* context, std::function<void()> fn) override {
    const TimerId id = nextId_++;
    timers_[{at, id}] = Timer{QPointer<QObject>(context), context != nullptr, std::move(fn)};
    return id;
  }
  void cancel(TimerId id) override {
    for (auto it = timers_.begin(); it != timers_.end(); ++it) {
      if (it->first.second == id) {
        timers_.erase(it);
        return;
      }
    }
  }
  void advanceTo(RigMillis to) {
    while (!timers_.empty() && timers_.begin()->first.first <= to) {
      auto node = timers_.extract(timers_.begin());
      now_ = std::max(now_, node.key().first);
      Timer& timer = node.mapped();
      if (timer.hasContext && !timer.context) continue;
      timer.fn();
    }
    now_ = std::max(now_, to);
  }
  void advanceBy(RigMillis by) { advanceTo(now_ + by); }

 private:
  struct Timer {
    QPointer<QObject> context;
    bool hasContext = false;
    std::function<void()> fn;
  };
  RigMillis now_ = 0;
  TimerId nextId_ = 1;
  std::map<std::pair<RigMillis, TimerId>, Timer> timers_;
};

struct SentDatagram {
  QByteArray bytes;
  QHostAddress to;
  quint16 port = 0;
};

class FakeDatagramLink final : public DatagramLink {
 public:
  using DatagramLink::DatagramLink;
  bool bind(const QHostAddress& address, quint16 port) override {
    if (failBind) return false;
    boundAddress = address;
    boundPort = port == 0 ? 50000 : port;
    return true;
  }
  bool sendTo(const QByteArray& datagram, const QHostAddress& to, quint16 port) override {
    sent.push_back({datagram, to, port});
    return true;
  }
  void close() override { closed = true; }
  [[nodiscard]] quint16 localPort() const override { return boundPort; }
  void deliver(const QByteArray& bytes, const QHostAddress& from, quint16 port) {
    emit received(bytes, from, port);
  }

  bool failBind = false;
  bool closed = false;
  QHostAddress boundAddress;
  quint16 boundPort = 0;
  std::vector<SentDatagram> sent;
};

class FakeStreamLink final : public StreamLink {
 public:
  using StreamLink::StreamLink;
  void connectTo(const QHostAddress& address, quint16 port) override {
    target = address;
    targetPort = port;
  }
  void write(const QByteArray& bytes) override { written.push_back(bytes); }
  void close() override {
    if (!connected_) return;
    connected_ = false;
    emit disconnected();
  }
  [[nodiscard]] bool isConnected() const override { return connected_; }

  // The module's side.
  void accept() {
    connected_ = true;
    emit connected();
  }
  void refuse() { emit errorOccurred("Connection refused"); }
  void deliver(const QByteArray& bytes) { emit received(bytes); }
  void peerClose() { close(); }

  QHostAddress target;
  quint16 targetPort = 0;
  std::vector<QByteArray> written;

 private:
  bool connected_ = false;
};

class FakeLanLinks final : public LanLinkFactory {
 public:
  DatagramLink* createDatagram(QObject* parent) override {
    auto* link = new FakeDatagramLink(parent);
    if (failNextBind) link->failBind = true;
    failNextBind = false;
    datagrams.push_back(link);
    return link;
  }
  StreamLink* createStream(QObject* parent) override {
    auto* link = new FakeStreamLink(parent);
    streams.push_back(link);
    return link;
  }
  std::vector<QPointer<FakeDatagramLink>> datagrams;
  std::vector<QPointer<FakeStreamLink>> streams;
  bool failNextBind = false;
};

}  // namespace gizrig::core::test
