#include "gagent/core/lan_server.h"

#include <algorithm>
#include <cstring>

namespace gagent::core {

using proto::LanCmd;

namespace {

std::string_view commandName(std::uint16_t cmd) {
  return proto::lanCommandName(static_cast<LanCmd>(cmd));
}

}  // namespace

LanServer::LanServer(hal::Net& net, const ModuleIdentity& identity, const DeviceConfig& config,
                     const BindWindow& bindWindow, LogHub& logs, LanServerListener& listener)
    : net_(net),
      identity_(identity),
      config_(config),
      bindWindow_(bindWindow),
      log_(logs, "lan-tcp"),
      listener_(listener) {}

LanServer::~LanServer() {
  // No callbacks here: the agent that would receive them is being torn down too.
  for (Client& client : clients_) {
    if (client.state != ClientState::Free) net_.close(client.socket);
  }
  if (listenSocket_ != hal::kNoSocket) net_.close(listenSocket_);
}

void LanServer::start(Millis now) {
  if (state_ != State::Stopped) return;
  listen(now);
}

void LanServer::stop(Millis now) {
  for (Client& client : clients_) closeClient(client, now, "server stopped");
  if (listenSocket_ != hal::kNoSocket) net_.close(listenSocket_);
  listenSocket_ = hal::kNoSocket;
  relisten_.stop();
  state_ = State::Stopped;
}

void LanServer::onNetworkChanged(Millis now) {
  log_.info("network changed: listening again on %u", static_cast<unsigned>(kPort));
  stop(now);
  listen(now);
}

void LanServer::listen(Millis now) {
  listenSocket_ = net_.tcpListen(kPort, kBacklog);
  if (listenSocket_ != hal::kNoSocket) {
    state_ = State::Listening;
    log_.info("listening on TCP %u", static_cast<unsigned>(kPort));
    return;
  }
  log_.warning("could not listen on TCP %u; retrying", static_cast<unsigned>(kPort));
  state_ = State::Retrying;
  relisten_.start(now, kRelistenDelay);
}

void LanServer::poll(Millis now) {
  lastPoll_ = now;
  if (relisten_.fire(now)) listen(now);
  acceptClients(now);
  for (Client& client : clients_) serviceClient(client, now);
}

Millis LanServer::nextDeadline() const {
  Millis next = relisten_.deadline();
  for (const Client& client : clients_) {
    if (client.state == ClientState::Free) continue;
    if (client.failed) next = earliest(next, lastPoll_);
    if (hasOutput(client)) next = earliest(next, lastPoll_ + kFlushRetry);
    if (waitsForReceiveBuffer(client)) next = earliest(next, lastPoll_ + kBufferRetry);
    next = earliest(next, earliest(client.idle.deadline(), client.closeAt.deadline()));
    next = earliest(next, client.packetDue.deadline());
  }
  return next;
}

void LanServer::acceptClients(Millis now) {
  if (listenSocket_ == hal::kNoSocket) return;
  for (;;) {
    hal::Endpoint peer;
    const hal::SocketId socket = net_.tcpAccept(listenSocket_, peer);
    if (socket == hal::kNoSocket) return;
    Client* free = slotForNewClient(now);
    if (free == nullptr) {
      // Protocol §2.1: at most 8 sessions. Closing at once tells the app now instead of leaving it hanging.
      net_.close(socket);
      log_.warning("refused a client: %zu sessions already logged in", kMaxClients);
      continue;
    }
    Client& client = *free;
    client.state = ClientState::Connected;
    client.socket = socket;
    client.id = nextId_++;
    if (nextId_ == kNoLanClient) nextId_ = 1;
    client.peer = peer;
    client.have = client.need = 0;
    client.txBegin = client.txEnd = 0;
    client.idle.start(now, kLoginDeadline);
    client.packetDue.stop();
    client.closeAt.stop();
    client.failed = false;
    log_.info("client %u connected (slot %u)", static_cast<unsigned>(client.id), slotOf(client));
  }
}

LanServer::Client* LanServer::slotForNewClient(Millis now) {
  Client* oldest = nullptr;
  for (Client& client : clients_) {
    if (client.state == ClientState::Free) return &client;
    if (client.state == ClientState::Connected && (oldest == nullptr || client.id < oldest->id))
      oldest = &client;
  }
  if (oldest == nullptr) return nullptr;
  closeClient(*oldest, now, "evicted: not logged in, and a new client needs the slot");
  return oldest;
}

void LanServer::serviceClient(Client& client, Millis now) {
  if (client.state == ClientState::Free) return;
  if (client.failed) {
    closeClient(client, now, "connection lost");
    return;
  }
  if (client.state != ClientState::Closing) {
    receive(client, now);
    if (client.state == ClientState::Free) return;
  }
  flush(client);
  if (client.failed) {
    closeClient(client, now, "connection lost");
    return;
  }
  if (client.state == ClientState::Closing) {
    if (!client.closeAt.due(now)) return;
    if (!hasOutput(client) || now >= client.lingerEnd) {
      closeClient(client, now, "closed by the module");
    } else {
      client.closeAt.startAt(client.lingerEnd);  // the peer is slow to read: give it until the linger end
    }
    return;
  }
  if (client.idle.fire(now)) {
    // S7.5.3; S10.2: a client that never logged in has no heartbeat to keep it.
    closeClient(
        client, now,
        client.state == ClientState::LoggedIn ? "idle for 12 s" : "not logged in by its login deadline");
    return;
  }
  if (client.packetDue.fire(now)) closeClient(client, now, "packet not completed in 12 s");
}

void LanServer::receive(Client& client, Millis now) {
  // One packet at a time, never reading past its end: its header (kLanMinPacketSize bytes, which hold LEN),
  // then the rest into the client's buffer or a borrowed one.
  for (std::size_t read = 0; read < kMaxReadsPerPoll; ++read) {
    if (waitsForReceiveBuffer(client) && !borrowReceiveBuffer(client, now)) return;
    const std::size_t want = (client.need == 0 ? proto::kLanMinPacketSize : client.need) - client.have;
    const hal::IoResult result =
        net_.tcpReceive(client.socket, packetBuffer(client).subspan(client.have, want));
    if (result.kind == hal::IoResult::Kind::WouldBlock) return;
    if (!result.isDone()) {
      closeClient(client, now, "closed by the peer");
      return;
    }
    if (result.bytes == 0) return;
    // S7.5.3: any data from a logged-in client. Before login nothing extends the login deadline (S10.2).
    if (client.state == ClientState::LoggedIn) client.idle.start(now, kIdleTimeout);
    client.have = static_cast<std::uint16_t>(client.have + result.bytes);
    if (client.need == 0 && !startPacket(client, now)) return;
    if (client.need == 0 || client.have < client.need) continue;
    const proto::LanDecode d = proto::parseLanDatagram(packetBuffer(client).first(client.need));
    if (!d.ok()) {  // cannot happen once the header was accepted; never trust it
      closeClient(client, now, "framing error");
      return;
    }
    client.have = client.need = 0;  // the payload stays valid until endPacket
    handlePacket(client, d.packet, now);
    endPacket(client);
    if (client.state == ClientState::Free || client.state == ClientState::Closing) return;
  }
}

proto::MutableBytes LanServer::packetBuffer(Client& client) {
  if (client.rxBuffer != ReceivePool::kNone) return receivePool_.buffer(client.rxBuffer);
  return client.small;
}

bool LanServer::startPacket(Client& client, Millis now) {
  // A bad magic, varint or LEN is judged as soon as its bytes are in.
  const proto::LanPacketExtent extent = proto::lanPacketExtent(proto::Bytes(client.small).first(client.have));
  if (extent.status == proto::ParseStatus::NeedMore) return true;
  if (extent.status != proto::ParseStatus::Ok) {
    const std::string_view error = proto::lanPacketErrorName(extent.error);
    log_.warning("client %u: malformed packet (%.*s)", static_cast<unsigned>(client.id),
                 static_cast<int>(error.size()), error.data());
    closeClient(client, now, "framing error");
    return false;
  }
  client.need = static_cast<std::uint16_t>(extent.size);
  if (client.need <= kSmallPacketBytes) return true;
  if (client.state != ClientState::LoggedIn) {
    // No pre-login command is this large (S7.3.2); an unauthenticated peer borrows no shared buffer.
    log_.warning("client %u: %zu-byte packet before login", static_cast<unsigned>(client.id), extent.size);
    closeClient(client, now, "packet too large before login");
    return false;
  }
  return borrowReceiveBuffer(client, now);
}

bool LanServer::borrowReceiveBuffer(Client& client, Millis now) {
  client.rxBuffer = receivePool_.acquire();
  if (client.rxBuffer == ReceivePool::kNone) return false;  // not read until one comes back
  std::memcpy(receivePool_.buffer(client.rxBuffer).data(), client.small.data(), client.have);
  client.packetDue.start(now, kPacketTimeout);
  return true;
}

void LanServer::endPacket(Client& client) {
  receivePool_.release(client.rxBuffer);
  client.packetDue.stop();
}

void LanServer::handlePacket(Client& client, const proto::LanPacketView& packet, Millis now) {
  const auto cmd = static_cast<LanCmd>(packet.cmd);
  const std::string_view name = commandName(packet.cmd);
  log_.debug("client %u: rx 0x%04X %.*s (%zu bytes)", static_cast<unsigned>(client.id),
             static_cast<unsigned>(packet.cmd), static_cast<int>(name.size()), name.data(),
             packet.payload.size());
  if (client.state != ClientState::LoggedIn && !proto::isPreLoginCommand(cmd)) {
    // S7.3.2, protocol §9: heartbeats and everything else need a login first.
    log_.warning("client %u: 0x%04X before login", static_cast<unsigned>(client.id),
                 static_cast<unsigned>(packet.cmd));
    closeClient(client, now, "command before login");
    return;
  }
  switch (cmd) {
    case LanCmd::PasscodeRequest:
      sendPasscode(client, now);
      return;
    case LanCmd::Login:
      handleLogin(client, packet.payload, now);
      return;
    case LanCmd::ApListRequest:
      sendApList(client, now);
      return;
    case LanCmd::DeviceInfoRequest:
      sendDeviceInfo(client);
      return;
    case LanCmd::ExitProductionTest:
      queue(client, LanCmd::ExitProductionTestReply, {});
      log_.info("client %u: exit production test", static_cast<unsigned>(client.id));
      listener_.onExitProductionTest(now);  // S5.6
      return;
    case LanCmd::Ping:
      queue(client, LanCmd::Pong, {});  // S7.5.1
      return;
    case LanCmd::P0ToDevice:
      listener_.onAppCommand(client.id, cmd, 0, packet.payload, now);  // S7.4.1
      return;
    case LanCmd::P0ToDeviceSn: {
      const auto message = proto::parseLanSequencedP0(packet.payload);
      if (!message.ok()) {
        log_.warning("client %u: 0093 without a sequence number ignored", static_cast<unsigned>(client.id));
        return;
      }
      listener_.onAppCommand(client.id, cmd, message.value.sn, message.value.p0, now);  // S7.4.1
      return;
    }
    case LanCmd::Log:
      if (logHandler_ != nullptr) {
        logHandler_->onLogRequest(client.id, packet.payload, now);  // S13.1
      } else {
        log_.debug("client %u: log request ignored (no log facility)", static_cast<unsigned>(client.id));
      }
      return;
    default:
      // Protocol §9: unknown (or app-bound) commands are never forwarded.
      log_.debug("client %u: command 0x%04X ignored", static_cast<unsigned>(client.id),
                 static_cast<unsigned>(packet.cmd));
      return;
  }
}

void LanServer::sendPasscode(Client& client, Millis now) {
  // S7.2.3, protocol §2.3: outside the bind window the passcode is empty and the socket is closed.
  const bool bindable = bindWindow_.isOpen(now) && !config_.passcode.empty();
  const std::string_view passcode = bindable ? config_.passcode.view() : std::string_view{};
  const std::size_t size = proto::encodeLanPacketWith(
      LanCmd::PasscodeReply, [&](proto::ByteWriter& w) { proto::buildLanPasscodeReply(passcode, w); },
      scratch_);
  queueEncoded(client, size);
  if (bindable) {
    log_.info("client %u: passcode handed out", static_cast<unsigned>(client.id));
    return;
  }
  log_.info("client %u: passcode request outside the bind window", static_cast<unsigned>(client.id));
  closeAfter(client, 0, now);
}

void LanServer::handleLogin(Client& client, proto::Bytes payload, Millis now) {
  const std::uint32_t wait =
      client.state == ClientState::LoggedIn ? 0 : loginThrottle_.waitSeconds(client.peer.ip, now);
  const auto login = proto::parseLanLogin(payload);
  // Exact comparison: v4.2.6 compared only strlen(passcode) bytes, letting a longer wrong one in. While its
  // source backs off, a passcode is not even compared (issue 16): guessing costs the guesser time.
  const bool ok =
      wait == 0 && login.ok() && !config_.passcode.empty() && login.value == config_.passcode.view();
  const proto::LanLoginResult result = ok ? proto::LanLoginResult::Ok : proto::LanLoginResult::Fail;
  const std::size_t size = proto::encodeLanPacketWith(
      LanCmd::LoginResult, [&](proto::ByteWriter& w) { proto::buildLanLoginResult(result, w); }, scratch_);
  queueEncoded(client, size);
  if (!ok) {
    refuseLogin(client, wait, login.ok(), now);
    return;
  }
  if (client.state == ClientState::LoggedIn) return;
  loginThrottle_.recordSuccess(client.peer.ip);
  client.state = ClientState::LoggedIn;
  client.idle.start(now, kIdleTimeout);
  log_.info("client %u: logged in", static_cast<unsigned>(client.id));
  updateLoggedInCount(now);
}

void LanServer::refuseLogin(Client& client, std::uint32_t wait, bool wellFormed, Millis now) {
  const auto id = static_cast<unsigned>(client.id);
  const hal::Ipv4Text source = hal::toText(client.peer.ip);
  if (wait > 0) {
    log_.warning("client %u: login from %s refused unread: backing off %u s more", id, source.c_str(),
                 static_cast<unsigned>(wait));
  } else if (!wellFormed) {
    log_.warning("client %u: login refused (malformed)", id);
  } else {
    const std::uint32_t backoff = loginThrottle_.recordFailure(client.peer.ip, now);
    log_.warning("client %u: login refused (wrong passcode, %u from %s; back-off %u s)", id,
                 static_cast<unsigned>(loginThrottle_.failures(client.peer.ip)), source.c_str(),
                 static_cast<unsigned>(backoff));
  }
  closeAfter(client, 0, now);  // S7.3.2
}

void LanServer::sendApList(Client& client, Millis now) {
  // S6.2.4: answered at once from the cache, whatever its age.
  const std::span<const hal::AccessPoint> cache = listener_.scanCache();
  const std::size_t count = std::min(cache.size(), kMaxApEntries);
  const std::size_t size = proto::encodeLanPacketWith(
      LanCmd::ApList,
      [&](proto::ByteWriter& w) {
        for (const hal::AccessPoint& ap : cache.first(count)) {
          const proto::LanApEntry entry{ap.ssidView(), std::min(ap.signal, proto::kLanMaxApPower)};
          proto::buildLanApList(std::span(&entry, 1), w);
        }
      },
      scratch_);
  queueEncoded(client, size);
  log_.info("client %u: AP list with %zu entries", static_cast<unsigned>(client.id), count);
  closeAfter(client, kApListCloseDelay, now);  // protocol §2.3 000D
}

void LanServer::sendDeviceInfo(Client& client) {
  proto::LanDeviceInfo info;
  info.wifiHardVer = identity_.wifiHardwareVersion.view();
  info.wifiSoftVer = identity_.wifiSoftwareVersion.view();
  info.mcuHardVer = identity_.mcuHardwareVersion.view();
  info.mcuSoftVer = identity_.mcuSoftwareVersion.view();
  info.p0Ver = identity_.p0Version.view();
  info.firmwareId = {};  // protocol §2.3: zeros
  info.firmwareVersion = config_.firmwareVersion.view();
  info.productKey = identity_.productKey.view();
  const std::size_t size = proto::encodeLanPacketWith(
      LanCmd::DeviceInfoReply, [&](proto::ByteWriter& w) { proto::buildLanDeviceInfo(info, w); }, scratch_);
  if (size == 0) {
    log_.warning("client %u: device info unavailable (no product key from the MCU yet)",
                 static_cast<unsigned>(client.id));
    return;
  }
  queueEncoded(client, size);
}

bool LanServer::sendToClient(LanClientId id, LanCmd cmd, std::uint32_t sn, proto::Bytes p0) {
  Client* client = find(id);
  if (client == nullptr || client->state != ClientState::LoggedIn) return false;
  if (cmd != LanCmd::P0FromDeviceSn) return queue(*client, cmd, p0);
  const std::size_t size = proto::encodeLanPacketWith(
      cmd,
      [&](proto::ByteWriter& w) {
        proto::buildLanSequencedP0({sn, p0}, w);
      },
      scratch_);
  return queueEncoded(*client, size);
}

std::size_t LanServer::sendToAllLoggedIn(LanCmd cmd, proto::Bytes p0) {
  const std::size_t size = proto::encodeLanPacket(cmd, p0, scratch_);
  if (size == 0) return 0;
  std::size_t sent = 0;
  for (Client& client : clients_) {
    if (client.state == ClientState::LoggedIn && queueEncoded(client, size)) ++sent;
  }
  return sent;
}

bool LanServer::sendPacket(LanClientId id, LanCmd cmd, proto::Bytes payload) {
  Client* client = find(id);
  if (client == nullptr || client->state != ClientState::LoggedIn) return false;
  return queue(*client, cmd, payload);
}

bool LanServer::queue(Client& client, LanCmd cmd, proto::Bytes payload) {
  return queueEncoded(client, proto::encodeLanPacket(cmd, payload, scratch_));
}

bool LanServer::queueEncoded(Client& client, std::size_t size) {
  // No logging on this path: log lines (S13) are sent through it. Failures only set a flag: this runs
  // inside the agent's send calls, and the close (with its callbacks) belongs in poll().
  if (size == 0 || client.failed) return false;
  const proto::Bytes packet = proto::Bytes(scratch_).first(size);
  if (hasOutput(client)) {  // behind earlier output: appended to it, whole or not at all
    flush(client);
    if (hasOutput(client)) {
      const proto::MutableBytes buffer = sendPool_.buffer(client.txBuffer);
      const std::size_t waiting = client.txEnd - client.txBegin;
      if (size > buffer.size() - waiting) return false;
      std::memmove(buffer.data(), buffer.data() + client.txBegin, waiting);
      std::memcpy(buffer.data() + waiting, packet.data(), size);
      client.txBegin = 0;
      client.txEnd = static_cast<std::uint16_t>(waiting + size);
      return true;
    }
    if (client.failed) return false;
  }
  const hal::IoResult result = net_.tcpSend(client.socket, packet);
  std::size_t sent = 0;
  if (result.kind != hal::IoResult::Kind::WouldBlock) {
    if (!result.isDone()) {
      client.failed = true;
      return true;  // the close reports it
    }
    sent = result.bytes;
  }
  if (sent == size) return true;
  client.txBuffer = sendPool_.acquire();
  if (client.txBuffer == SendPool::kNone) {
    if (sent == 0) return false;  // nothing went out: refused, the stream is intact
    client.failed = true;         // the rest of a started packet has nowhere to wait: the stream is torn
    return false;
  }
  std::memcpy(sendPool_.buffer(client.txBuffer).data(), packet.data() + sent, size - sent);
  client.txBegin = 0;
  client.txEnd = static_cast<std::uint16_t>(size - sent);
  return true;
}

void LanServer::flush(Client& client) {
  while (hasOutput(client) && !client.failed) {
    const proto::Bytes waiting = proto::Bytes(sendPool_.buffer(client.txBuffer))
                                     .subspan(client.txBegin, client.txEnd - client.txBegin);
    const hal::IoResult result = net_.tcpSend(client.socket, waiting);
    if (result.kind == hal::IoResult::Kind::WouldBlock) return;
    if (!result.isDone()) {
      client.failed = true;
      return;
    }
    if (result.bytes == 0) return;
    client.txBegin = static_cast<std::uint16_t>(client.txBegin + result.bytes);
    if (client.txBegin == client.txEnd) sendPool_.release(client.txBuffer);
  }
}

void LanServer::closeAfter(Client& client, Millis delay, Millis now) {
  client.state = ClientState::Closing;
  client.idle.stop();
  client.closeAt.start(now, delay);
  client.lingerEnd = now + delay + kCloseLinger;
  updateLoggedInCount(now);
}

void LanServer::closeClient(Client& client, Millis now, const char* why) {
  if (client.state == ClientState::Free) return;
  const LanClientId id = client.id;
  net_.close(client.socket);
  log_.info("client %u (slot %u) closed: %s", static_cast<unsigned>(id), slotOf(client), why);
  client.state = ClientState::Free;
  client.socket = hal::kNoSocket;
  client.id = kNoLanClient;
  client.have = client.need = 0;
  receivePool_.release(client.rxBuffer);
  sendPool_.release(client.txBuffer);
  client.txBegin = client.txEnd = 0;
  client.packetDue.stop();
  client.idle.stop();
  client.closeAt.stop();
  client.failed = false;
  if (logHandler_ != nullptr) logHandler_->onClientClosed(id);
  updateLoggedInCount(now);
}

void LanServer::updateLoggedInCount(Millis now) {
  const std::size_t count = loggedInCount();
  if (count == loggedIn_) return;
  loggedIn_ = count;
  log_.info("%zu app(s) logged in", count);
  listener_.onAppCountChanged(count, now);
}

std::size_t LanServer::loggedInCount() const {
  return static_cast<std::size_t>(std::count_if(
      clients_.begin(), clients_.end(), [](const Client& c) { return c.state == ClientState::LoggedIn; }));
}

std::size_t LanServer::clientCount() const {
  return static_cast<std::size_t>(std::count_if(
      clients_.begin(), clients_.end(), [](const Client& c) { return c.state != ClientState::Free; }));
}

LanServer::ClientState LanServer::clientState(LanClientId id) const {
  const Client* client = find(id);
  return client == nullptr ? ClientState::Free : client->state;
}

LanServer::Client* LanServer::find(LanClientId id) {
  if (id == kNoLanClient) return nullptr;
  for (Client& client : clients_) {
    if (client.state != ClientState::Free && client.id == id) return &client;
  }
  return nullptr;
}

const LanServer::Client* LanServer::find(LanClientId id) const {
  if (id == kNoLanClient) return nullptr;
  for (const Client& client : clients_) {
    if (client.state != ClientState::Free && client.id == id) return &client;
  }
  return nullptr;
}

unsigned LanServer::slotOf(const Client& client) const {
  return static_cast<unsigned>(&client - clients_.data());
}

}  // namespace gagent::core
