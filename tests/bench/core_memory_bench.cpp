// Benchmark (not a test): the firmware core's memory with 4 LAN clients logged in and the cloud online.
//
// static memory = sizeof(core::Agent): every module's state and buffers, fixed at construction.
// core heap     = bytes the core allocates while it runs (it should be none: no heap after start-up).
// The simulated board allocates freely (it is host code), so every HAL call pauses the heap count: only what
// the core itself allocates is counted. Results are printed as value / budget ratios.
#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <new>

#include "gagent/core/agent.h"
#include "gagent/sim/sim_board.h"
#include "gagent/sim/sim_cloud.h"
#include "scripted_mcu.h"
#include "sim_lab.h"

namespace {

// ---- heap accounting ---------------------------------------------------------------------------------
bool gCounting = false;
std::size_t gLive = 0;
std::size_t gPeak = 0;
std::size_t gAllocations = 0;

struct PauseCount {
  bool was = gCounting;
  PauseCount() { gCounting = false; }
  ~PauseCount() { gCounting = was; }
};

}  // namespace

void* operator new(std::size_t size) {
  auto* block = static_cast<std::size_t*>(std::malloc(size + sizeof(std::max_align_t)));
  if (block == nullptr) throw std::bad_alloc();
  block[0] = gCounting ? size : 0;  // remember whether this block was counted
  if (gCounting) {
    gLive += size;
    ++gAllocations;
    if (gLive > gPeak) gPeak = gLive;
  }
  return reinterpret_cast<char*>(block) + sizeof(std::max_align_t);
}
void operator delete(void* p) noexcept {
  if (p == nullptr) return;
  auto* block = reinterpret_cast<std::size_t*>(static_cast<char*>(p) - sizeof(std::max_align_t));
  gLive -= block[0] <= gLive ? block[0] : gLive;
  std::free(block);
}
void operator delete(void* p, std::size_t) noexcept {
  operator delete(p);
}

namespace {

using namespace gagent;
using hal::Millis;
using sim::Bytes;

// ---- HAL proxies: forward every call with the heap count paused ---------------------------------------
struct UartProxy : hal::Uart {
  hal::Uart& in;
  explicit UartProxy(hal::Uart& u) : in(u) {}
  hal::IoResult read(std::span<std::uint8_t> o) override {
    PauseCount p;
    return in.read(o);
  }
  hal::IoResult write(std::span<const std::uint8_t> d) override {
    PauseCount p;
    return in.write(d);
  }
};
struct NetProxy : hal::Net {
  hal::Net& in;
  explicit NetProxy(hal::Net& n) : in(n) {}
  hal::SocketId udpOpen(std::uint16_t port, bool b) override {
    PauseCount p;
    return in.udpOpen(port, b);
  }
  hal::IoResult udpSend(hal::SocketId s, hal::Endpoint to, std::span<const std::uint8_t> d) override {
    PauseCount p;
    return in.udpSend(s, to, d);
  }
  hal::IoResult udpReceive(hal::SocketId s, std::span<std::uint8_t> o, hal::Endpoint& from) override {
    PauseCount p;
    return in.udpReceive(s, o, from);
  }
  hal::SocketId tcpListen(std::uint16_t port, int backlog) override {
    PauseCount p;
    return in.tcpListen(port, backlog);
  }
  hal::SocketId tcpAccept(hal::SocketId l, hal::Endpoint& peer) override {
    PauseCount p;
    return in.tcpAccept(l, peer);
  }
  hal::SocketId tcpConnect(hal::Endpoint r) override {
    PauseCount p;
    return in.tcpConnect(r);
  }
  hal::TcpState tcpState(hal::SocketId s) override {
    PauseCount p;
    return in.tcpState(s);
  }
  hal::IoResult tcpSend(hal::SocketId s, std::span<const std::uint8_t> d) override {
    PauseCount p;
    return in.tcpSend(s, d);
  }
  hal::IoResult tcpReceive(hal::SocketId s, std::span<std::uint8_t> o) override {
    PauseCount p;
    return in.tcpReceive(s, o);
  }
  void close(hal::SocketId s) override {
    PauseCount p;
    in.close(s);
  }
};
struct DnsProxy : hal::Dns {
  hal::Dns& in;
  explicit DnsProxy(hal::Dns& d) : in(d) {}
  hal::DnsQueryId startResolve(std::string_view h) override {
    PauseCount p;
    return in.startResolve(h);
  }
  hal::DnsState pollResolve(hal::DnsQueryId q, hal::Ipv4& a) override {
    PauseCount p;
    return in.pollResolve(q, a);
  }
};
struct RadioProxy : hal::Radio {
  hal::Radio& in;
  explicit RadioProxy(hal::Radio& r) : in(r) {}
  bool startScan() override {
    PauseCount p;
    return in.startScan();
  }
  hal::ScanState scanState() override {
    PauseCount p;
    return in.scanState();
  }
  std::size_t scanResults(std::span<hal::AccessPoint> o) override {
    PauseCount p;
    return in.scanResults(o);
  }
  bool joinStation(std::string_view s, std::string_view w) override {
    PauseCount p;
    return in.joinStation(s, w);
  }
  void leaveStation() override {
    PauseCount p;
    in.leaveStation();
  }
  hal::LinkState stationLink() override {
    PauseCount p;
    return in.stationLink();
  }
  std::uint8_t stationSignal() override {
    PauseCount p;
    return in.stationSignal();
  }
  hal::Ipv4 stationAddress() override {
    PauseCount p;
    return in.stationAddress();
  }
  bool startSoftAp(std::string_view s, std::string_view w) override {
    PauseCount p;
    return in.startSoftAp(s, w);
  }
  void stopSoftAp() override {
    PauseCount p;
    in.stopSoftAp();
  }
  bool startOneShot(hal::OneShotKind k) override {
    PauseCount p;
    return in.startOneShot(k);
  }
  hal::OneShotState oneShotState() override {
    PauseCount p;
    return in.oneShotState();
  }
  bool oneShotResult(hal::WifiCredentials& o) override {
    PauseCount p;
    return in.oneShotResult(o);
  }
  void stopOneShot() override {
    PauseCount p;
    in.stopOneShot();
  }
};
struct FlashProxy : hal::Flash {
  hal::Flash& in;
  explicit FlashProxy(hal::Flash& f) : in(f) {}
  std::size_t size() const override { return in.size(); }
  std::size_t sectorSize() const override { return in.sectorSize(); }
  bool read(std::size_t o, std::span<std::uint8_t> d) override {
    PauseCount p;
    return in.read(o, d);
  }
  bool eraseSector(std::size_t o) override {
    PauseCount p;
    return in.eraseSector(o);
  }
  bool write(std::size_t o, std::span<const std::uint8_t> d) override {
    PauseCount p;
    return in.write(o, d);
  }
};
struct LedsProxy : hal::Leds {
  hal::Leds& in;
  explicit LedsProxy(hal::Leds& l) : in(l) {}
  void set(bool r, bool g) override {
    PauseCount p;
    in.set(r, g);
  }
};
struct WatchdogProxy : hal::Watchdog {
  hal::Watchdog& in;
  explicit WatchdogProxy(hal::Watchdog& w) : in(w) {}
  void feed() override {
    PauseCount p;
    in.feed();
  }
};
struct RandomProxy : hal::Random {
  hal::Random& in;
  explicit RandomProxy(hal::Random& r) : in(r) {}
  void fill(std::span<std::uint8_t> o) override {
    PauseCount p;
    in.fill(o);
  }
};
struct SystemProxy : hal::System {
  hal::System& in;
  explicit SystemProxy(hal::System& s) : in(s) {}
  hal::MacAddress mac() override {
    PauseCount p;
    return in.mac();
  }
  void reboot() override {
    PauseCount p;
    in.reboot();
  }
};

// The lab of the sim tests, but with the agent on the counting proxies and its own loop.
class MemoryLab : public sim::SimLab {
 public:
  void TestBody() override {}

  void run() {
    hal::Board& real = board.hal();
    UartProxy uart{real.uart};
    NetProxy net{real.net};
    DnsProxy dns{real.dns};
    RadioProxy radio{real.radio};
    FlashProxy flash{real.flash};
    LedsProxy leds{real.leds};
    WatchdogProxy watchdog{real.watchdog};
    RandomProxy random{real.random};
    SystemProxy system{real.system};
    hal::Board proxied{uart, net, dns, radio, flash, leds, watchdog, random, system};

    // Onboard once the ordinary way so the flash holds the home router (as a deployed module's would).
    bootConfiguredForHomeRouter();
    runFor(hal::seconds(20));
    const std::string did(module.agent().config().did.view());

    board.restartModule();  // the measured core starts from that flash, on the proxies
    cloud.dropAllSessions();
    auto agent = std::make_unique<core::Agent>(proxied, logs);
    const Millis start = board.clock().now();
    gCounting = true;
    agent->start(start);
    loop(*agent, start + hal::seconds(20));
    std::vector<sim::AppSession> apps;
    for (int i = 0; i < 4; ++i) {
      PauseCount p;
      apps.push_back(loginWith(*agent));
    }
    for (int second = 0; second < 600; second += 4) {
      {
        PauseCount p;
        for (auto& app : apps) app.send(proto::LanCmd::Ping);  // S7.5.1: the apps' 4 s heartbeat
        if (second % 60 == 0) {
          for (auto& app : apps) app.send(proto::LanCmd::P0ToDevice, Bytes{0x02});
          mcu.report();
          cloud.appPublish(did, "phone01", sim::lanPacket(proto::LanCmd::P0ToDevice, Bytes{0x02}));
        }
      }
      loop(*agent, board.clock().now() + hal::seconds(4));
      PauseCount p;
      for (auto& app : apps) app.receive();
    }
    gCounting = false;

    std::size_t loggedIn = 0;
    for (auto& app : apps) loggedIn += app.connected() ? 1 : 0;
    const bool online = cloud.deviceOnline(did);
    const std::size_t staticBytes = sizeof(core::Agent);
    constexpr std::size_t kStaticBudget = 96 * 1024;  // user RAM left on an ESP8266-class module
    std::printf("core memory with %zu LAN clients logged in, cloud %s, 10 minutes of traffic\n", loggedIn,
                online ? "online" : "OFFLINE");
    std::printf("%-28s %12s %12s %8s\n", "metric", "value", "budget", "ratio");
    std::printf("%-28s %12zu %12zu %8.2f\n", "static (sizeof Agent), B", staticBytes, kStaticBudget,
                static_cast<double>(staticBytes) / kStaticBudget);
    std::printf("%-28s %12zu %12d %8s\n", "core heap peak, B", gPeak, 0, gPeak == 0 ? "ok" : "OVER");
    std::printf("%-28s %12zu %12d %8s\n", "core heap allocations", gAllocations, 0,
                gAllocations == 0 ? "ok" : "OVER");
    if (loggedIn != 4 || !online) std::exit(1);  // the setup did not hold: the numbers mean nothing
  }

 private:
  // The world loop of SimModule, for an agent SimModule does not own.
  void loop(core::Agent& agent, Millis until) {
    for (;;) {
      const Millis now = board.clock().now();
      for (int pass = 0; pass < 64; ++pass) {
        agent.poll(now);
        PauseCount p;
        const bool progress = mcu.service(now) | cloud.service(now);
        if (!progress) break;
      }
      if (now >= until) return;
      Millis next = std::min(agent.nextDeadline(), board.clock().nextEventTime());
      next = std::min(next, cloud.nextDeadline());
      PauseCount p;
      board.clock().advanceTo(std::clamp(next, now + 1, until));
    }
  }

  sim::AppSession loginWith(core::Agent& agent) {
    sim::AppSession app(board.net().connectPeer({sim::kPhoneOnHomeLan, 0},
                                                {sim::SimNet::kStationAddress, proto::kLanTcpPort}));
    app.send(proto::LanCmd::PasscodeRequest);
    loop(agent, board.clock().now() + 10);
    std::string passcode;
    for (const auto& m : app.receive()) {
      const auto reply = proto::parseLanPasscodeReply(m.payload);
      if (m.cmd == proto::LanCmd::PasscodeReply && reply.ok()) passcode = std::string(reply.value);
    }
    app.send(proto::LanCmd::Login,
             lanPayload([&](proto::ByteWriter& w) { proto::buildLanLogin(passcode, w); }));
    loop(agent, board.clock().now() + 10);
    return app;
  }
};

}  // namespace

int main() {
  // The accounting itself must see an allocation, or a zero below would mean nothing.
  gCounting = true;
  auto probe = std::make_unique<int>(1);
  gCounting = false;
  if (gAllocations != 1 || gPeak < sizeof(int)) {
    std::fprintf(stderr, "heap accounting broken\n");
    return 2;
  }
  probe.reset();
  gAllocations = gPeak = gLive = 0;
  MemoryLab lab;
  lab.run();
  return 0;
}
