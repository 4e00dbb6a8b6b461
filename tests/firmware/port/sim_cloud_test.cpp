// SimCloud driven from the module's side of SimNet (hal::Net calls), with requests and packets built by the
// proto codecs and answers read back with them: real bytes on the virtual wire.
#include "gagent/sim/sim_cloud.h"

#include <gtest/gtest.h>

#include <array>
#include <memory>
#include <string>
#include <vector>

#include "gagent/core/md5.h"
#include "gagent/proto/cloud_http.h"
#include "gagent/proto/cloud_mgmt.h"
#include "gagent/proto/form.h"
#include "gagent/proto/http_parser.h"
#include "gagent/proto/mqtt.h"
#include "gagent/proto/mqtt_topics.h"

using namespace gagent;
using hal::Endpoint;
using hal::IoResult;
using hal::SocketId;
using hal::TcpState;
using proto::ConnackCode;
using proto::MqttPacketType;
using sim::CloudEndpoint;
using sim::HttpFault;
using sim::SimCloud;
using sim::SimNet;

namespace {

constexpr std::string_view kProductKey = "6f3074fe43894547a4f1314bd7e3ae0b";
constexpr std::string_view kPasscode = "PHHLXAKMEI";
constexpr std::array<std::uint8_t, 6> kMac = {0x5C, 0xCF, 0x7F, 0x01, 0x02, 0x03};
constexpr std::string_view kMacHex = "5CCF7F010203";
constexpr std::string_view kHardVersion = "00ESP826";

using ByteVector = std::vector<std::uint8_t>;

ByteVector bytesOf(std::string_view text) {
  return {text.begin(), text.end()};
}

struct World {
  explicit World(sim::SimCloudOptions options = {}) : cloud(net, dns, std::move(options)) {}

  sim::VirtualClock clock{1000};
  SimNet net{clock, SimNet::kStationAddress};
  sim::SimDns dns{clock};
  SimCloud cloud;

  Endpoint api() const { return {cloud.options().apiAddress, cloud.options().apiPort}; }
  Endpoint m2m() const { return {cloud.options().m2mAddress, cloud.options().m2mPort}; }
  bool service() { return cloud.service(clock.now()); }
};

// Everything the module can read on `socket` now; `closed` tells whether the cloud has closed it.
ByteVector drain(World& world, SocketId socket, bool* closed = nullptr) {
  ByteVector all;
  std::array<std::uint8_t, 512> buffer{};
  while (true) {
    const IoResult r = world.net.tcpReceive(socket, buffer);
    if (r.isDone()) {
      all.insert(all.end(), buffer.begin(), buffer.begin() + static_cast<std::ptrdiff_t>(r.bytes));
      continue;
    }
    if (closed != nullptr) *closed = r.kind == IoResult::Kind::Closed;
    return all;
  }
}

struct HttpResult {
  bool connected = false;
  bool closed = false;
  ByteVector raw;
  std::unique_ptr<proto::HttpResponseParser> parser = std::make_unique<proto::HttpResponseParser>();
  std::string body;
  proto::ParseStatus status = proto::ParseStatus::NeedMore;
  [[nodiscard]] std::uint16_t code() const { return parser->statusCode(); }
  [[nodiscard]] std::optional<std::int32_t> errorCode() const { return proto::parseJsonErrorCode(body); }
};

HttpResult readResponse(World& world, SocketId socket) {
  HttpResult result;
  result.connected = true;
  result.raw = drain(world, socket, &result.closed);
  result.status =
      result.parser->feedAll(result.raw, [&](proto::Bytes piece) { result.body += proto::asText(piece); });
  if (result.closed && result.status == proto::ParseStatus::NeedMore)
    result.status = result.parser->finishOnClose();
  world.net.close(socket);
  return result;
}

// Connects to the API, sends `request`, lets the cloud serve it and reads the answer.
HttpResult roundTrip(World& world, proto::Bytes request) {
  const SocketId socket = world.net.tcpConnect(world.api());
  if (world.net.tcpState(socket) != TcpState::Connected) {
    world.net.close(socket);
    return {};
  }
  EXPECT_EQ(world.net.tcpSend(socket, request).bytes, request.size());
  world.service();
  return readResponse(world, socket);
}

template <typename Build>
ByteVector build(Build&& builder) {
  ByteVector out(4096);
  const std::size_t size = builder(proto::MutableBytes(out));
  EXPECT_NE(size, 0u);
  out.resize(size);
  return out;
}

ByteVector registerRequest(std::string_view passcode = kPasscode, std::string_view productKey = kProductKey) {
  return build([&](proto::MutableBytes out) {
    return proto::buildRegisterRequest(out, {.passcode = passcode, .mac = kMac, .productKey = productKey});
  });
}

ByteVector provisionRequest(std::string_view did) {
  return build([&](proto::MutableBytes out) { return proto::buildProvisionRequest(out, did); });
}

ByteVector otaCheckRequest(std::string_view did, std::uint32_t currentFid,
                           std::string_view hardVersion = kHardVersion,
                           std::string_view passcode = kPasscode) {
  return build([&](proto::MutableBytes out) {
    return proto::buildOtaCheckRequest(out, {.did = did,
                                             .passcode = passcode,
                                             .hardVersion = hardVersion,
                                             .softVersion = "04020006",
                                             .productKey = kProductKey,
                                             .currentFid = currentFid});
  });
}

std::string registerDevice(World& world) {
  const HttpResult result = roundTrip(world, registerRequest());
  const auto reply = proto::parseRegisterResponse(result.code(), result.body);
  EXPECT_TRUE(reply.ok());
  return std::string(reply.value);
}

// ---- an MQTT client on the module's side ----

struct OwnedPacket {
  MqttPacketType type = MqttPacketType::Connect;
  std::uint8_t flags = 0;
  ByteVector body;
  [[nodiscard]] proto::MqttPacket view() const { return {type, flags, body}; }
};

struct MqttClient {
  World& world;
  SocketId socket = hal::kNoSocket;
  proto::MqttStreamDecoder decoder;
  bool closed = false;

  explicit MqttClient(World& w) : world(w), socket(w.net.tcpConnect(w.m2m())) {}
  ~MqttClient() { world.net.close(socket); }

  [[nodiscard]] bool connected() const { return world.net.tcpState(socket) == TcpState::Connected; }

  void sendRaw(proto::Bytes bytes) { EXPECT_EQ(world.net.tcpSend(socket, bytes).bytes, bytes.size()); }
  template <typename Encode>
  void send(Encode&& encode) {
    std::array<std::uint8_t, proto::kMqttMaxPacket> out{};
    const std::size_t size = encode(proto::MutableBytes(out));
    ASSERT_NE(size, 0u);
    sendRaw(proto::Bytes(out).first(size));
  }
  void connect(std::string_view did, std::string_view passcode) {
    send([&](proto::MutableBytes out) {
      return proto::encodeMqttConnect(out, did, did, passcode, 120, true);
    });
  }
  void subscribe(std::uint16_t id, std::string_view filter) {
    send([&](proto::MutableBytes out) { return proto::encodeMqttSubscribe(out, id, filter, 0); });
  }
  // Lets the cloud run, then returns every packet the module received.
  std::vector<OwnedPacket> receive() {
    world.service();
    const ByteVector bytes = drain(world, socket, &closed);
    std::vector<OwnedPacket> packets;
    proto::Bytes data(bytes);
    while (!data.empty()) {
      data = data.subspan(decoder.feed(data));
      for (auto next = decoder.next(); next.ok(); next = decoder.next()) {
        packets.push_back(
            {next.packet.type, next.packet.flags, {next.packet.body.begin(), next.packet.body.end()}});
      }
      EXPECT_FALSE(decoder.failed());
      if (decoder.failed()) break;
    }
    return packets;
  }
  std::optional<ConnackCode> connackCode() {
    const auto packets = receive();
    if (packets.size() != 1) return std::nullopt;
    const auto connack = proto::parseMqttConnack(packets[0].view());
    if (!connack.ok()) return std::nullopt;
    return connack.value.code;
  }
};

struct Online {
  std::string did;
  std::unique_ptr<MqttClient> client;
};

// A registered device logged in with its three §3.7 subscriptions.
Online goOnline(World& world) {
  Online online{registerDevice(world), std::make_unique<MqttClient>(world)};
  MqttClient& client = *online.client;
  client.connect(online.did, kPasscode);
  EXPECT_EQ(client.connackCode(), ConnackCode::Accepted);
  client.subscribe(1, proto::serToCliNotiTopic(kProductKey).view());
  client.subscribe(2, proto::serToCliResTopic(online.did).view());
  client.subscribe(3, proto::appToDevFilter(online.did).view());
  EXPECT_EQ(client.receive().size(), 3u);
  return online;
}

std::optional<proto::MqttPublish> onlyPublish(const std::vector<OwnedPacket>& packets, ByteVector& payload,
                                              std::string& topic) {
  if (packets.size() != 1) return std::nullopt;
  const auto publish = proto::parseMqttPublish(packets[0].view());
  if (!publish.ok()) return std::nullopt;
  payload.assign(publish.value.payload.begin(), publish.value.payload.end());
  topic = publish.value.topic;
  return publish.value;
}

}  // namespace

// ---------------------------------------------------------------- HTTP API

TEST(SimCloud, S11_NamesResolveToTheCloudAddresses) {
  World world;
  hal::Ipv4 address;
  const auto api = world.dns.startResolve("api.gizwits.com");
  ASSERT_EQ(world.dns.pollResolve(api, address), hal::DnsState::Resolved);
  EXPECT_EQ(address, hal::ipv4(10, 0, 0, 2));
  const auto m2m = world.dns.startResolve("m2m.gizwits.com");
  ASSERT_EQ(world.dns.pollResolve(m2m, address), hal::DnsState::Resolved);
  EXPECT_EQ(address, hal::ipv4(10, 0, 0, 3));
}

TEST(SimCloud, S8_2_RegisterReturnsDid) {
  World world;
  const HttpResult result = roundTrip(world, registerRequest());
  ASSERT_TRUE(result.connected);
  EXPECT_EQ(result.status, proto::ParseStatus::Ok);
  EXPECT_TRUE(result.closed);  // one request per connection (§3.1)
  const auto reply = proto::parseRegisterResponse(result.code(), result.body);
  ASSERT_TRUE(reply.ok()) << result.body;
  EXPECT_EQ(result.code(), 201);
  EXPECT_EQ(reply.value.size(), proto::kCloudDidLength);

  ASSERT_EQ(world.cloud.registry().devices().size(), 1u);
  const sim::SimCloudDevice& device = world.cloud.registry().devices()[0];
  EXPECT_EQ(device.did, reply.value);
  EXPECT_EQ(device.passcode, kPasscode);
  EXPECT_EQ(device.productKey, kProductKey);
  EXPECT_EQ(device.mac, kMacHex);

  ASSERT_EQ(world.cloud.httpRequests().size(), 1u);
  const sim::HttpRequestRecord& record = world.cloud.httpRequests()[0];
  EXPECT_EQ(record.time, 1000u);
  EXPECT_EQ(record.method, "POST");
  EXPECT_EQ(record.path, "/dev/devices");
  EXPECT_EQ(record.endpoint, CloudEndpoint::Register);
  EXPECT_EQ(record.status, 201);
  EXPECT_EQ(record.field("mac"), std::string(kMacHex));
  EXPECT_EQ(record.field("product_key"), std::string(kProductKey));
}

TEST(SimCloud, S8_4_4_ReRegisteringTheSameMacKeepsTheDidWithTheNewPasscode) {
  World world;
  const std::string first = registerDevice(world);
  const HttpResult again = roundTrip(world, registerRequest("NEWPASSCOD"));
  const auto reply = proto::parseRegisterResponse(again.code(), again.body);
  ASSERT_TRUE(reply.ok());
  EXPECT_EQ(reply.value, first);
  EXPECT_TRUE(world.cloud.registry().authenticates(first, "NEWPASSCOD"));
  EXPECT_FALSE(world.cloud.registry().authenticates(first, kPasscode));

  // Another product key on the same MAC is another device.
  const HttpResult other = roundTrip(world, registerRequest(kPasscode, "0123456789abcdef0123456789abcdef"));
  const auto otherReply = proto::parseRegisterResponse(other.code(), other.body);
  ASSERT_TRUE(otherReply.ok());
  EXPECT_NE(otherReply.value, first);
}

TEST(SimCloud, S8_2_RegisterRejectsABadFormAndUnknownProductKeys) {
  World world;
  const ByteVector badMac = bytesOf(
      "POST /dev/devices HTTP/1.1\r\nHost: api.gizwits.com\r\nContent-Length: 29\r\n\r\n"
      "passcode=A&mac=XYZ&product_k=");
  const HttpResult bad = roundTrip(world, badMac);
  EXPECT_EQ(bad.code(), 400);
  EXPECT_EQ(bad.errorCode(), 9015);

  sim::SimCloudOptions options;
  options.productKeys = {"0123456789abcdef0123456789abcdef"};
  World strict(options);
  const HttpResult unknown = roundTrip(strict, registerRequest());
  EXPECT_EQ(unknown.code(), 400);
  EXPECT_EQ(unknown.errorCode(), 9002);
  EXPECT_TRUE(strict.cloud.registry().devices().empty());
}

TEST(SimCloud, S8_4_1_ProvisionAnswersHostPortTs) {
  World world;
  const std::string did = registerDevice(world);
  world.clock.advanceTo(61'500);
  world.cloud.setEpochBase(1'600'000'000);
  const HttpResult result = roundTrip(world, provisionRequest(did));
  EXPECT_EQ(result.code(), 200);
  const auto reply = proto::parseProvisionResponse(result.code(), result.body);
  ASSERT_TRUE(reply.ok()) << result.body;
  EXPECT_EQ(reply.value.host, "m2m.gizwits.com");
  EXPECT_EQ(reply.value.port, 1883);
  EXPECT_EQ(reply.value.serverTs, 1'600'000'061u);
  EXPECT_FALSE(reply.value.thirdCloud);
  EXPECT_EQ(result.body, "host=m2m.gizwits.com&port=1883&server_ts=1600000061&");
}

TEST(SimCloud, S8_4_5_ProvisionNamesTheThirdPartyCloud) {
  World world;
  const std::string did = registerDevice(world);
  world.cloud.setThirdCloud("jd", "uuid-42");
  const HttpResult result = roundTrip(world, provisionRequest(did));
  const auto reply = proto::parseProvisionResponse(result.code(), result.body);
  ASSERT_TRUE(reply.ok()) << result.body;
  EXPECT_EQ(reply.value.thirdCloud, "jd");
  EXPECT_EQ(reply.value.productUuid, "uuid-42");
}

TEST(SimCloud, S8_4_4_UnknownDidGets9016) {
  World world;
  const HttpResult result = roundTrip(world, provisionRequest("simdid9999999999999999"));
  EXPECT_EQ(result.code(), 400);
  const auto reply = proto::parseProvisionResponse(result.code(), result.body);
  EXPECT_EQ(reply.error, proto::CloudReplyError::HttpStatus);
  EXPECT_EQ(reply.errorCode, proto::CloudErrorCode::DidOrPasscodeInvalid);
  EXPECT_NE(result.body.find("\"error_code\":9016"), std::string::npos);
}

TEST(SimCloud, S8_3_UnregisterRemovesDevice) {
  World world;
  const std::string did = registerDevice(world);
  const auto unregister = [&](std::string_view passcode) {
    return roundTrip(world, build([&](proto::MutableBytes out) {
                       return proto::buildUnregisterRequest(out, {.did = did, .passcode = passcode});
                     }));
  };
  const HttpResult wrong = unregister("WRONGWRONG");
  EXPECT_EQ(wrong.code(), 400);
  EXPECT_EQ(wrong.errorCode(), 9016);
  EXPECT_NE(world.cloud.registry().find(did), nullptr);

  const HttpResult ok = unregister(kPasscode);
  EXPECT_EQ(ok.code(), 200);
  EXPECT_EQ(world.cloud.registry().find(did), nullptr);
  EXPECT_EQ(world.cloud.httpRequests().back().endpoint, CloudEndpoint::Unregister);
  EXPECT_EQ(world.cloud.httpRequests().back().field("did"), did);
  EXPECT_EQ(roundTrip(world, provisionRequest(did)).errorCode(), 9016);
}

TEST(SimCloud, S9_6_OtaCheckOffersNewerFid) {
  World world;
  const std::string did = registerDevice(world);
  world.cloud.publishFirmware(kHardVersion, "04020007", 7, ByteVector(100, 0xAB));

  const HttpResult offer = roundTrip(world, otaCheckRequest(did, 1));
  EXPECT_EQ(offer.code(), 200);
  const auto reply = proto::parseOtaCheckResponse(offer.code(), offer.body);
  ASSERT_TRUE(reply.ok()) << offer.body;
  EXPECT_EQ(reply.value.softVersion, "04020007");
  EXPECT_EQ(reply.value.fid, 7u);
  const auto url = proto::parseHttpUrl(reply.value.downloadUrl);
  ASSERT_TRUE(url);
  EXPECT_EQ(url->host, "api.gizwits.com");
  EXPECT_EQ(url->port, 80);
  EXPECT_EQ(url->path, "/fw/00ESP826_04020007_7.bin");
  EXPECT_EQ(world.cloud.httpRequests().back().field("current_fid"), "1");

  // Same FID, or nothing for this hardware: 404 / 9027, "nothing to do".
  const HttpResult same = roundTrip(world, otaCheckRequest(did, 7));
  EXPECT_EQ(same.code(), 404);
  EXPECT_EQ(proto::parseOtaCheckResponse(same.code(), same.body).errorCode,
            proto::CloudErrorCode::FirmwareNotFound);
  EXPECT_EQ(roundTrip(world, otaCheckRequest(did, 1, "00OTHER0")).errorCode(), 9027);
  // A DID/passcode the cloud does not know.
  EXPECT_EQ(roundTrip(world, otaCheckRequest(did, 1, kHardVersion, "WRONGWRONG")).errorCode(), 9016);
}

TEST(SimCloud, S9_6_DownloadCarriesMd5Header) {
  World world;
  const std::string did = registerDevice(world);
  ByteVector image(3000);
  for (std::size_t i = 0; i < image.size(); ++i) image[i] = static_cast<std::uint8_t>(i * 7);
  const sim::SimCloudFirmware& firmware = world.cloud.publishFirmware(kHardVersion, "04020007", 9, image);
  const std::string urlText = world.cloud.downloadUrl(firmware);  // the parsed URL views it
  const auto url = proto::parseHttpUrl(urlText);
  ASSERT_TRUE(url);

  const HttpResult result = roundTrip(
      world, build([&](proto::MutableBytes out) { return proto::buildFirmwareDownloadRequest(out, *url); }));
  EXPECT_EQ(result.status, proto::ParseStatus::Ok);
  const auto info = proto::parseFirmwareDownloadHeaders(*result.parser);
  ASSERT_TRUE(info.ok());
  EXPECT_EQ(info.value.contentLength, image.size());
  EXPECT_EQ(info.value.softVersion, "04020007");
  EXPECT_EQ(info.value.filename, "00ESP826_04020007_9.bin");
  EXPECT_EQ(info.value.format, proto::FirmwareImageFormat::Bin);
  core::Md5 md5;
  md5.update(image);
  ASSERT_TRUE(info.value.md5);
  EXPECT_EQ(*info.value.md5, md5.finish());
  EXPECT_EQ(ByteVector(result.body.begin(), result.body.end()), image);
  EXPECT_EQ(world.cloud.httpRequests().back().endpoint, CloudEndpoint::Download);

  const HttpResult missing = roundTrip(world, bytesOf("GET /fw/none.bin HTTP/1.1\r\nHost: a\r\n\r\n"));
  EXPECT_EQ(missing.code(), 404);
}

TEST(SimCloud, S8_4_4_FaultStatusAndDelay) {
  World world;
  const std::string did = registerDevice(world);

  // A status fault for the next request only: the module sees 500, then the normal answer again.
  world.cloud.setFault(CloudEndpoint::Provision, HttpFault::withStatus(500), 1);
  EXPECT_EQ(roundTrip(world, provisionRequest(did)).code(), 500);
  EXPECT_EQ(roundTrip(world, provisionRequest(did)).code(), 200);

  // A persistent 9016 until cleared.
  world.cloud.setFault(CloudEndpoint::Provision, HttpFault::withStatus(400, 9016));
  EXPECT_EQ(roundTrip(world, provisionRequest(did)).errorCode(), 9016);
  EXPECT_EQ(roundTrip(world, provisionRequest(did)).errorCode(), 9016);
  world.cloud.clearFaults();
  EXPECT_EQ(roundTrip(world, provisionRequest(did)).code(), 200);

  // Delay: the answer goes out by a later service() once due, and nextDeadline() says when.
  world.cloud.setFault(CloudEndpoint::Provision, HttpFault::delayed(3000), 1);
  const SocketId socket = world.net.tcpConnect(world.api());
  const ByteVector request = provisionRequest(did);
  world.net.tcpSend(socket, request);
  EXPECT_FALSE(world.service());
  EXPECT_EQ(world.cloud.nextDeadline(), world.clock.now() + 3000);
  EXPECT_TRUE(drain(world, socket).empty());
  world.clock.advanceBy(2999);
  EXPECT_FALSE(world.service());
  EXPECT_TRUE(drain(world, socket).empty());
  world.clock.advanceBy(1);
  EXPECT_TRUE(world.service());
  EXPECT_EQ(world.cloud.nextDeadline(), hal::kNever);
  const HttpResult late = readResponse(world, socket);
  EXPECT_EQ(late.code(), 200);
  EXPECT_TRUE(proto::parseProvisionResponse(late.code(), late.body).ok());
}

TEST(SimCloud, S9_6_FaultGarbageAndCloseWithoutAnswer) {
  World world;
  world.cloud.setFault(CloudEndpoint::Register, HttpFault::garbage(), 1);
  const HttpResult garbage = roundTrip(world, registerRequest());
  EXPECT_EQ(garbage.code(), 201);
  EXPECT_EQ(proto::parseRegisterResponse(garbage.code(), garbage.body).error,
            proto::CloudReplyError::MissingField);
  EXPECT_TRUE(world.cloud.registry().devices().empty());  // the request had no effect

  world.cloud.setFault(CloudEndpoint::Register, HttpFault::closeWithoutAnswer(), 1);
  const HttpResult closed = roundTrip(world, registerRequest());
  EXPECT_TRUE(closed.closed);
  EXPECT_TRUE(closed.raw.empty());
  EXPECT_EQ(world.cloud.httpRequests().back().status, 0);

  // A garbage download: the real MD5 header over a corrupted image of the same length.
  const ByteVector image(64, 0x11);
  const auto& firmware = world.cloud.publishFirmware(kHardVersion, "2", 2, image);
  world.cloud.setFault(CloudEndpoint::Download, HttpFault::garbage());
  const std::string urlText = world.cloud.downloadUrl(firmware);
  const auto url = proto::parseHttpUrl(urlText);
  ASSERT_TRUE(url);
  const HttpResult corrupt = roundTrip(
      world, build([&](proto::MutableBytes out) { return proto::buildFirmwareDownloadRequest(out, *url); }));
  const auto info = proto::parseFirmwareDownloadHeaders(*corrupt.parser);
  ASSERT_TRUE(info.ok());
  ASSERT_EQ(corrupt.body.size(), image.size());
  core::Md5 md5;
  md5.update(proto::asBytes(corrupt.body));
  EXPECT_NE(md5.finish(), *info.value.md5);
}

TEST(SimCloud, S8_4_2_ApiDownRefusesConnects) {
  World world;
  world.cloud.setApiDown(true);
  const SocketId socket = world.net.tcpConnect(world.api());
  EXPECT_EQ(world.net.tcpState(socket), TcpState::Failed);
  world.net.close(socket);
  world.cloud.setApiDown(false);
  EXPECT_EQ(roundTrip(world, registerRequest()).code(), 201);
}

TEST(SimCloud, MalformedRequestsGet4xxAndAClosedConnection) {
  World world;
  const HttpResult junk = roundTrip(world, bytesOf("\x16\x03\x01 not http at all\r\n\r\n"));
  EXPECT_EQ(junk.code(), 400);
  EXPECT_TRUE(junk.closed);
  EXPECT_EQ(world.cloud.httpRequests().back().status, 400);
  EXPECT_TRUE(world.cloud.httpRequests().back().method.empty());

  const HttpResult unknownPath = roundTrip(world, bytesOf("GET /nothing/here HTTP/1.1\r\nHost: a\r\n\r\n"));
  EXPECT_EQ(unknownPath.code(), 404);
  EXPECT_FALSE(world.cloud.httpRequests().back().endpoint);

  const HttpResult wrongMethod = roundTrip(world, bytesOf("PUT /dev/devices HTTP/1.1\r\nHost: a\r\n\r\n"));
  EXPECT_EQ(wrongMethod.code(), 404);

  const HttpResult tooLong = roundTrip(
      world, bytesOf("POST /dev/devices HTTP/1.1\r\nHost: a\r\nContent-Length: 999999\r\n\r\npasscode="));
  EXPECT_EQ(tooLong.code(), 400);

  // A percent escape that does not decode is a bad form, not a crash.
  const HttpResult badEscape =
      roundTrip(world, bytesOf("POST /dev/devices HTTP/1.1\r\nHost: a\r\nContent-Length: 56\r\n\r\n"
                               "passcode=%ZZ&mac=5CCF7F010203&product_key=6f3074fe43894547"));
  EXPECT_EQ(badEscape.code(), 400);
  EXPECT_EQ(badEscape.errorCode(), 9015);
}

TEST(SimCloud, RequestsSplitAcrossServiceCallsAndAbandonedRequests) {
  World world;
  const ByteVector request = registerRequest();
  const SocketId socket = world.net.tcpConnect(world.api());
  world.net.tcpSend(socket, proto::Bytes(request).first(20));
  EXPECT_FALSE(world.service());
  world.net.tcpSend(socket, proto::Bytes(request).subspan(20));
  EXPECT_TRUE(world.service());
  EXPECT_EQ(readResponse(world, socket).code(), 201);

  // Half a request, then the module closes: nothing answered, nothing recorded, nothing broken.
  const std::size_t before = world.cloud.httpRequests().size();
  const SocketId abandoned = world.net.tcpConnect(world.api());
  world.net.tcpSend(abandoned, proto::Bytes(request).first(30));
  world.net.close(abandoned);
  EXPECT_FALSE(world.service());
  EXPECT_EQ(world.cloud.httpRequests().size(), before);
  EXPECT_EQ(roundTrip(world, registerRequest()).code(), 201);
}

// ---------------------------------------------------------------- M2M broker

TEST(SimCloud, S8_5_BrokerAcceptsTheRegisteredDevice) {
  World world;
  const std::string did = registerDevice(world);
  MqttClient client(world);
  ASSERT_TRUE(client.connected());
  client.connect(did, kPasscode);
  EXPECT_EQ(client.connackCode(), ConnackCode::Accepted);
  EXPECT_TRUE(world.cloud.deviceOnline(did));
  ASSERT_EQ(world.cloud.connects().size(), 1u);
  EXPECT_EQ(world.cloud.connects()[0].clientId, did);
  EXPECT_EQ(world.cloud.connects()[0].code, ConnackCode::Accepted);
  EXPECT_TRUE(world.cloud.subscriptions(did).empty());

  world.net.close(client.socket);  // the module goes away
  world.service();
  EXPECT_FALSE(world.cloud.deviceOnline(did));
}

TEST(SimCloud, S8_9_BrokerRejectsWrongPasscodeWith04) {
  World world;
  const std::string did = registerDevice(world);
  {
    MqttClient client(world);
    client.connect(did, "WRONGWRONG");
    EXPECT_EQ(client.connackCode(), ConnackCode::BadUserNameOrPassword);
    EXPECT_TRUE(client.closed);
  }
  {
    MqttClient client(world);
    client.connect("simdid9999999999999999", kPasscode);  // unknown (e.g. unregistered) DID
    EXPECT_EQ(client.connackCode(), ConnackCode::BadUserNameOrPassword);
  }
  {
    MqttClient client(world);  // user name other than the client id
    client.send([&](proto::MutableBytes out) {
      return proto::encodeMqttConnect(out, did, std::string_view("someone"), kPasscode, 120, true);
    });
    EXPECT_EQ(client.connackCode(), ConnackCode::BadUserNameOrPassword);
  }
  EXPECT_FALSE(world.cloud.deviceOnline(did));
  ASSERT_EQ(world.cloud.connects().size(), 3u);
  EXPECT_EQ(world.cloud.connects()[0].code, ConnackCode::BadUserNameOrPassword);
}

TEST(SimCloud, S8_9_ProtocolAndIdentifierRejections) {
  World world;
  const std::string did = registerDevice(world);
  {
    MqttClient client(world);  // MQTT 3.1.1 is not what Gizwits' M2M speaks
    client.send([&](proto::MutableBytes out) {
      proto::MqttConnect connect;
      connect.protocol = proto::MqttProtocol::Mqtt311;
      connect.clientId = did;
      connect.username = did;
      connect.password = kPasscode;
      return proto::encodeMqttConnect(out, connect);
    });
    EXPECT_EQ(client.connackCode(), ConnackCode::UnacceptableProtocol);
  }
  {
    MqttClient client(world);
    client.send([&](proto::MutableBytes out) {
      return proto::encodeMqttConnect(out, std::string_view(), std::string_view(did), kPasscode, 120, true);
    });
    EXPECT_EQ(client.connackCode(), ConnackCode::IdentifierRejected);
  }
}

TEST(SimCloud, S8_9_ForcedConnackCodesForTheNextConnects) {
  World world;
  const std::string did = registerDevice(world);
  world.cloud.forceConnack(ConnackCode::ServerUnavailable, 2);
  for (int i = 0; i < 2; ++i) {
    MqttClient client(world);
    client.connect(did, kPasscode);
    EXPECT_EQ(client.connackCode(), ConnackCode::ServerUnavailable);
    EXPECT_TRUE(client.closed);
  }
  MqttClient client(world);
  client.connect(did, kPasscode);
  EXPECT_EQ(client.connackCode(), ConnackCode::Accepted);
}

TEST(SimCloud, S8_6_BrokerGrantsOwnTopicsOnly) {
  World world;
  Online device = goOnline(world);
  MqttClient& client = *device.client;
  EXPECT_EQ(world.cloud.subscriptions(device.did),
            (std::vector<std::string>{"ser2cli_noti/" + std::string(kProductKey), "ser2cli_res/" + device.did,
                                      "app2dev/" + device.did + "/#"}));

  // One SUBSCRIBE with an own topic and two foreign ones: per-entry codes.
  const proto::MqttTopic ownRes = proto::serToCliResTopic(device.did);
  const std::array<proto::MqttSubscription, 3> topics = {
      proto::MqttSubscription{"app2dev/simdid9999999999999999/#", 0},
      proto::MqttSubscription{ownRes.view(), 1},  // QoS 1 asked, 0 granted
      proto::MqttSubscription{"#", 0}};
  client.send([&](proto::MutableBytes out) { return proto::encodeMqttSubscribe(out, 9, topics); });
  const auto packets = client.receive();
  ASSERT_EQ(packets.size(), 1u);
  const auto suback = proto::parseMqttSuback(packets[0].view());
  ASSERT_TRUE(suback.ok());
  EXPECT_EQ(suback.value.packetId, 9);
  EXPECT_EQ(ByteVector(suback.value.grantedQos.begin(), suback.value.grantedQos.end()),
            (ByteVector{proto::kMqttSubackFailure, 0x00, proto::kMqttSubackFailure}));
  EXPECT_EQ(world.cloud.subscriptions(device.did).size(), 3u);  // no duplicate, nothing foreign
}

TEST(SimCloud, S8_8_1_PingAnswered) {
  World world;
  Online device = goOnline(world);
  device.client->send([](proto::MutableBytes out) { return proto::encodeMqttPingreq(out); });
  const auto packets = device.client->receive();
  ASSERT_EQ(packets.size(), 1u);
  EXPECT_EQ(proto::parseMqttEmptyPacket(packets[0].view()).value, MqttPacketType::Pingresp);
}

TEST(SimCloud, S8_8_2_SilentModeNeverAnswers) {
  World world;
  Online device = goOnline(world);
  world.cloud.setSilent(true);
  device.client->send([](proto::MutableBytes out) { return proto::encodeMqttPingreq(out); });
  EXPECT_TRUE(device.client->receive().empty());
  EXPECT_FALSE(device.client->closed);
  EXPECT_FALSE(world.cloud.deviceOnline(device.did));  // a hung broker serves nobody
  EXPECT_FALSE(world.cloud.appPublish(device.did, "phone01", bytesOf("x")));

  MqttClient newcomer(world);  // connects are accepted, CONNECT is never answered
  ASSERT_TRUE(newcomer.connected());
  newcomer.connect(device.did, kPasscode);
  EXPECT_TRUE(newcomer.receive().empty());

  // Back to normal: new sessions work, the hung ones stay hung (the module drops them by S8.8.2).
  world.cloud.setSilent(false);
  device.client->send([](proto::MutableBytes out) { return proto::encodeMqttPingreq(out); });
  EXPECT_TRUE(device.client->receive().empty());
  MqttClient fresh(world);
  fresh.connect(device.did, kPasscode);
  EXPECT_EQ(fresh.connackCode(), ConnackCode::Accepted);
}

TEST(SimCloud, S8_7_DevicePublishIsRecorded) {
  World world;
  Online device = goOnline(world);
  world.clock.advanceTo(5000);
  const ByteVector report = {0x00, 0x00, 0x00, 0x03, 0x08, 0x00, 0x00, 0x91, 0x04, 0x01, 0x7F, 0xFF, 0x10};
  device.client->send([&](proto::MutableBytes out) {
    return proto::encodeMqttPublish(out, proto::devToAppTopic(device.did).view(), report);
  });
  device.client->send([&](proto::MutableBytes out) {
    return proto::encodeMqttPublish(out, proto::devToAppTopic(device.did, "phone01").view(), report);
  });
  device.client->send([&](proto::MutableBytes out) {
    return proto::encodeMqttPublish(out, "dev2app/simdid9999999999999999", report);
  });
  EXPECT_TRUE(device.client->receive().empty());  // QoS 0: no answer

  const auto& published = world.cloud.publishedByDevice();
  ASSERT_EQ(published.size(), 3u);
  EXPECT_EQ(published[0].time, 5000u);
  EXPECT_EQ(published[0].did, device.did);
  EXPECT_EQ(published[0].topic, "dev2app/" + device.did);
  EXPECT_EQ(published[0].payload, report);
  EXPECT_TRUE(published[0].ownTopic);
  EXPECT_EQ(published[1].topic, "dev2app/" + device.did + "/phone01");
  EXPECT_TRUE(published[1].ownTopic);
  EXPECT_FALSE(published[2].ownTopic);
}

TEST(SimCloud, S8_7_AppPublishReachesDevice) {
  World world;
  const std::string did = registerDevice(world);
  MqttClient client(world);
  client.connect(did, kPasscode);
  ASSERT_EQ(client.connackCode(), ConnackCode::Accepted);
  const ByteVector control = {0x00, 0x00, 0x00, 0x03, 0x06, 0x00, 0x00, 0x90, 0x01, 0x01, 0x00};
  EXPECT_FALSE(world.cloud.appPublish(did, "phone01", control));  // not subscribed yet

  client.subscribe(1, proto::appToDevFilter(did).view());
  ASSERT_EQ(client.receive().size(), 1u);
  EXPECT_TRUE(world.cloud.appPublish(did, "phone01", control));
  ByteVector payload;
  std::string topic;
  ASSERT_TRUE(onlyPublish(client.receive(), payload, topic));
  EXPECT_EQ(topic, "app2dev/" + did + "/phone01");
  EXPECT_EQ(payload, control);
  const auto kind = proto::classifyTopic(topic, did);
  EXPECT_EQ(kind.kind, proto::TopicKind::AppToDev);
  EXPECT_EQ(kind.clientId, "phone01");

  EXPECT_FALSE(world.cloud.appPublish(did, "bad/client", control));
  EXPECT_FALSE(world.cloud.appPublish(did, "", control));
  EXPECT_FALSE(world.cloud.appPublish("simdid9999999999999999", "phone01", control));
}

TEST(SimCloud, S9_1_PushOtaAndAppCountOnSerToCliRes) {
  World world;
  Online device = goOnline(world);
  ByteVector payload;
  std::string topic;

  EXPECT_TRUE(world.cloud.pushOta(device.did, proto::OtaFirmwareType::Wifi));
  ASSERT_TRUE(onlyPublish(device.client->receive(), payload, topic));
  EXPECT_EQ(topic, "ser2cli_res/" + device.did);
  EXPECT_EQ(payload, (ByteVector{0x00, 0x00, 0x00, 0x03, 0x02, 0x11, 0x01}));

  EXPECT_TRUE(world.cloud.pushAppCount(device.did, 2));
  ASSERT_TRUE(onlyPublish(device.client->receive(), payload, topic));
  EXPECT_EQ(payload, (ByteVector{0x00, 0x00, 0x00, 0x03, 0x02, 0x10, 0x00, 0x02}));

  // The device's 0x020F request on cli2ser_req is answered with the count.
  std::array<std::uint8_t, 8> request{};
  const std::size_t size = proto::encodeMgmtAppCountRequest(request);
  device.client->send([&](proto::MutableBytes out) {
    return proto::encodeMqttPublish(out, proto::kCliToSerReqTopic, proto::Bytes(request).first(size));
  });
  ASSERT_TRUE(onlyPublish(device.client->receive(), payload, topic));
  EXPECT_EQ(topic, "ser2cli_res/" + device.did);
  EXPECT_EQ(payload, (ByteVector{0x00, 0x00, 0x00, 0x03, 0x02, 0x10, 0x00, 0x02}));
}

TEST(SimCloud, S8_9_SecondConnectKicksFirst) {
  World world;
  Online device = goOnline(world);
  MqttClient second(world);
  second.connect(device.did, kPasscode);
  EXPECT_EQ(second.connackCode(), ConnackCode::Accepted);
  EXPECT_TRUE(device.client->receive().empty());
  EXPECT_TRUE(device.client->closed);
  EXPECT_EQ(world.cloud.sessionCount(), 1u);
  EXPECT_TRUE(world.cloud.deviceOnline(device.did));
  EXPECT_TRUE(world.cloud.subscriptions(device.did).empty());  // the new session subscribes afresh
}

TEST(SimCloud, S8_8_3_DropAllSessionsAndM2mDown) {
  World world;
  Online device = goOnline(world);
  world.cloud.dropAllSessions();
  EXPECT_FALSE(world.cloud.deviceOnline(device.did));
  EXPECT_TRUE(device.client->receive().empty());
  EXPECT_TRUE(device.client->closed);

  world.cloud.setM2mDown(true);
  MqttClient refused(world);
  EXPECT_EQ(world.net.tcpState(refused.socket), TcpState::Failed);
  world.cloud.setM2mDown(false);
  MqttClient again(world);
  again.connect(device.did, kPasscode);
  EXPECT_EQ(again.connackCode(), ConnackCode::Accepted);
}

TEST(SimCloud, MalformedPacketsCloseTheConnection) {
  World world;
  const std::string did = registerDevice(world);
  {
    MqttClient client(world);  // reserved packet type 0
    client.sendRaw(bytesOf(std::string_view("\x00\x02\x01\x02", 4)));
    EXPECT_TRUE(client.receive().empty());
    EXPECT_TRUE(client.closed);
  }
  {
    MqttClient client(world);  // anything before CONNECT
    client.send([](proto::MutableBytes out) { return proto::encodeMqttPingreq(out); });
    EXPECT_TRUE(client.receive().empty());
    EXPECT_TRUE(client.closed);
  }
  {
    MqttClient client(world);  // a CONNECT with a truncated body
    client.sendRaw(bytesOf(std::string_view("\x10\x04\x00\x06MQ", 6)));
    EXPECT_TRUE(client.receive().empty());
    EXPECT_TRUE(client.closed);
  }
  {
    MqttClient client(world);  // a second CONNECT on a session
    client.connect(did, kPasscode);
    EXPECT_EQ(client.connackCode(), ConnackCode::Accepted);
    client.connect(did, kPasscode);
    EXPECT_TRUE(client.receive().empty());
    EXPECT_TRUE(client.closed);
  }
  EXPECT_EQ(world.cloud.sessionCount(), 0u);
  MqttClient fine(world);
  fine.connect(did, kPasscode);
  EXPECT_EQ(fine.connackCode(), ConnackCode::Accepted);
}
