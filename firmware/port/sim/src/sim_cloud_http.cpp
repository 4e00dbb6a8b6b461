// SimCloud: the HTTP API of §3.2-3.6 (register, provision, unregister, OTA check, firmware download) and its
// fault injection. Requests are read with HttpRequestParser, answers built with buildHttpResponseHead.
#include <algorithm>

#include "gagent/proto/cloud_http.h"
#include "gagent/proto/cloud_routes.h"
#include "gagent/proto/form.h"
#include "gagent/sim/form_text.h"
#include "sim_cloud_internal.h"

namespace gagent::sim {
namespace {

constexpr std::string_view kFormType = "application/x-www-form-urlencoded";
// What a "garbage" fault sends as the body: no field the module looks for, and bytes that are not text.
constexpr std::string_view kGarbageBody = "\x01garbage\xff{not=a&reply";
// Room for a provision or OTA check body with the longest host names the options may hold.
constexpr std::size_t kFormBodyCapacity = 1024;

bool isMacHex(std::string_view mac) {
  return mac.size() == 12 && std::all_of(mac.begin(), mac.end(), [](char c) {
           return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'F') || (c >= 'a' && c <= 'f');
         });
}

std::vector<std::uint8_t> toVector(proto::Bytes bytes) {
  return {bytes.begin(), bytes.end()};
}

std::vector<std::uint8_t> toVector(std::string_view text) {
  return toVector(proto::asBytes(text));
}

}  // namespace

// Builds SimCloud's private Answer (a friend of SimCloud).
struct SimCloudHttpHelpers {
  // The §3.6 error body the real cloud sends (OpenAPI JSON); no body without a code.
  static SimCloud::Answer error(std::uint16_t status, std::optional<std::int32_t> code) {
    SimCloud::Answer answer;
    answer.status = status;
    if (code) {
      const auto name = proto::cloudErrorCodeName(static_cast<proto::CloudErrorCode>(*code));
      const std::string json = "{\"error_code\":" + std::to_string(*code) + ",\"error_message\":\"" +
                               std::string(name) + "\",\"detail_message\":null}";
      answer.headers.emplace_back("Content-Type", "application/json");
      answer.body = toVector(json);
    }
    return answer;
  }
  static SimCloud::Answer error(std::uint16_t status, proto::CloudErrorCode code) {
    return error(status, static_cast<std::int32_t>(code));
  }
  static SimCloud::Answer form(std::uint16_t status, proto::Bytes body) {
    SimCloud::Answer answer;
    answer.status = status;
    answer.headers.emplace_back("Content-Type", kFormType);
    answer.body = toVector(body);
    return answer;
  }
  // Status line, headers, Content-Length and "Connection: close" (one request per connection, §3.1), body.
  static std::vector<std::uint8_t> serialize(const SimCloud::Answer& answer) {
    std::vector<proto::HttpHeader> headers;
    for (const auto& [name, value] : answer.headers) headers.push_back({name, value});
    headers.push_back({"Connection", "close"});
    std::vector<std::uint8_t> bytes(proto::kHttpMaxHeaderBytes);
    const std::size_t head = proto::buildHttpResponseHead(bytes, answer.status, headers, answer.body.size());
    bytes.resize(head);  // 0 only on a bug in the headers above: the module then sees a bare close
    if (head != 0) bytes.insert(bytes.end(), answer.body.begin(), answer.body.end());
    return bytes;
  }
};

namespace {
using H = SimCloudHttpHelpers;
}  // namespace

void SimCloud::setFault(CloudEndpoint endpoint, HttpFault fault, std::size_t count) {
  const std::size_t remaining = fault.kind == HttpFault::Kind::None ? 0 : count;
  faults_[static_cast<std::size_t>(endpoint)] = {fault, remaining};
}

void SimCloud::clearFaults() {
  faults_.fill({});
}

std::optional<HttpFault> SimCloud::takeFault(CloudEndpoint endpoint) {
  FaultSlot& slot = faults_[static_cast<std::size_t>(endpoint)];
  if (slot.remaining == 0 || slot.fault.kind == HttpFault::Kind::None) return std::nullopt;
  if (slot.remaining != kPersistent) --slot.remaining;
  return slot.fault;
}

bool SimCloud::serviceHttp(hal::Millis now) {
  bool sent = false;
  while (PeerTcpConnection* peer = apiListener_.accept()) {
    httpConnections_.push_back(std::make_unique<HttpConnection>());
    httpConnections_.back()->peer = peer;
  }
  for (auto& connection : httpConnections_) {
    if (connection->finished) continue;
    const std::vector<std::uint8_t> bytes = connection->peer->receiveAll();
    if (!bytes.empty()) {
      const proto::HttpRequestFeed feed = connection->parser.feed(bytes);
      if (feed.status == proto::ParseStatus::Ok) {
        sent = handleRequest(*connection, now) || sent;
      } else if (feed.status == proto::ParseStatus::Malformed) {
        // Whatever the module sent, it gets a clear 400 and the connection ends (§3.6 9015 "form invalid").
        HttpRequestRecord record;
        record.time = now;
        record.status = 400;
        httpRequests_.push_back(std::move(record));
        connection->peer->send(H::serialize(H::error(400, proto::CloudErrorCode::FormInvalid)));
        connection->peer->close();
        connection->finished = true;
        sent = true;
      }
    }
    // The module gave up before its request was complete: nothing to answer.
    if (!connection->finished && connection->peer->isClosed()) connection->finished = true;
  }
  std::erase_if(httpConnections_, [](const auto& connection) { return connection->finished; });

  for (DelayedAnswer& answer : delayed_) {
    if (answer.due > now) continue;
    if (answer.peer->send(answer.bytes)) sent = true;
    answer.peer->close();
  }
  std::erase_if(delayed_, [now](const DelayedAnswer& answer) { return answer.due <= now; });
  return sent;
}

bool SimCloud::handleRequest(HttpConnection& connection, hal::Millis now) {
  const proto::HttpRequestParser& request = connection.parser;
  HttpRequestRecord record;
  record.time = now;
  record.method = request.method();
  record.path = request.path();
  record.form = formFields(request.body());
  const Answer answer = route(request, record, now);
  connection.finished = true;
  record.status = answer.respond ? answer.status : 0;
  httpRequests_.push_back(std::move(record));
  if (!answer.respond) {
    connection.peer->close();
    return true;  // the close is news for the module too
  }
  std::vector<std::uint8_t> bytes = H::serialize(answer);
  if (answer.delay > 0) {
    delayed_.push_back({now + answer.delay, connection.peer, std::move(bytes)});
    return false;
  }
  connection.peer->send(bytes);
  connection.peer->close();
  return true;
}

SimCloud::Answer SimCloud::route(const proto::HttpRequestParser& request, HttpRequestRecord& record,
                                 hal::Millis now) {
  const proto::CloudRoute route = proto::classifyCloudRequest(request.method(), request.path());
  record.endpoint = route.endpoint;
  if (!route.endpoint) return H::error(404, std::nullopt);

  const CloudEndpoint endpoint = *route.endpoint;
  hal::Millis delay = 0;
  if (const auto fault = takeFault(endpoint)) {
    if (fault->kind != HttpFault::Kind::Delay) return faultAnswer(endpoint, *fault, route.segment);
    delay = fault->delay;
  }
  Answer answer;
  switch (endpoint) {
    case CloudEndpoint::Register:
      answer = registerDevice(request.body(), now);
      break;
    case CloudEndpoint::Provision:
      answer = provision(route.segment, now);
      break;
    case CloudEndpoint::Unregister:
      answer = unregister(request.body());
      break;
    case CloudEndpoint::OtaCheck:
      answer = otaCheck(route.segment, request.body());
      break;
    case CloudEndpoint::Download:
      answer = download(route.segment);
      break;
  }
  answer.delay = delay;
  return answer;
}

SimCloud::Answer SimCloud::faultAnswer(CloudEndpoint endpoint, const HttpFault& fault,
                                       std::string_view segment) {
  switch (fault.kind) {
    case HttpFault::Kind::Status:
      return H::error(fault.status, fault.errorCode);
    case HttpFault::Kind::Garbage: {
      if (endpoint == CloudEndpoint::Download && registry_.firmwareNamed(segment)) {
        Answer answer = download(segment);  // the real headers (MD5 of the real image), a corrupted image
        for (std::uint8_t& byte : answer.body) byte = static_cast<std::uint8_t>(byte ^ 0xFF);
        return answer;
      }
      const std::uint16_t status = endpoint == CloudEndpoint::Register ? 201 : 200;
      return H::form(status, proto::asBytes(kGarbageBody));
    }
    case HttpFault::Kind::Close: {
      Answer answer;
      answer.respond = false;
      return answer;
    }
    case HttpFault::Kind::None:
    case HttpFault::Kind::Delay:
      break;
  }
  return H::error(500, std::nullopt);  // not reached: route() handles None and Delay
}

// §3.2: passcode, mac (12 hex), product_key -> 201 did=<22 chars>.
SimCloud::Answer SimCloud::registerDevice(std::string_view body, hal::Millis now) {
  const auto passcode = formValue(body, "passcode");
  const auto mac = formValue(body, "mac");
  const auto productKey = formValue(body, "product_key");
  if (!passcode || passcode->empty() || !mac || !isMacHex(*mac) || !productKey || productKey->empty()) {
    return H::error(400, proto::CloudErrorCode::FormInvalid);
  }
  const auto& keys = options_.productKeys;
  if (!keys.empty() && std::find(keys.begin(), keys.end(), *productKey) == keys.end()) {
    return H::error(400, proto::CloudErrorCode::ProductKeyInvalid);
  }
  const SimCloudDevice& device = registry_.registerDevice(*mac, *productKey, *passcode, now);
  std::array<std::uint8_t, kFormBodyCapacity> buffer{};
  proto::ByteWriter writer(buffer);
  proto::FormWriter(writer).field("did", device.did);
  return H::form(201, writer.written());
}

// §3.3: host=<m2m>&port=<n>&server_ts=<epoch>& (the '&' after port is required by v4.2.6).
SimCloud::Answer SimCloud::provision(std::string_view did, hal::Millis now) {
  if (registry_.find(did) == nullptr) return H::error(400, proto::CloudErrorCode::DidOrPasscodeInvalid);
  std::array<std::uint8_t, kFormBodyCapacity> buffer{};
  proto::ByteWriter writer(buffer);
  proto::FormWriter form(writer);
  form.field("host", options_.m2mHost)
      .field("port", std::uint64_t{options_.m2mPort})
      .field("server_ts", options_.epochBase + now / 1000);
  if (!thirdCloud_.empty()) form.field("3rd_cloud", thirdCloud_).field("product_uuid", productUuid_);
  writer.text("&");
  if (!writer.ok()) return H::error(500, std::nullopt);
  return H::form(200, writer.written());
}

// §3.4: did + passcode -> 200, the device is gone.
SimCloud::Answer SimCloud::unregister(std::string_view body) {
  const auto did = formValue(body, "did");
  const auto passcode = formValue(body, "passcode");
  if (!did || !passcode) return H::error(400, proto::CloudErrorCode::FormInvalid);
  if (!registry_.authenticates(*did, *passcode))
    return H::error(400, proto::CloudErrorCode::DidOrPasscodeInvalid);
  registry_.remove(*did);
  return H::form(200, {});
}

// §3.5 v4.1 check: 200 soft_ver=..&download_url=..&fid=.. when a firmware with another FID is published for
// the hard_version (S9.6), else 404 / 9027 ("nothing to do").
SimCloud::Answer SimCloud::otaCheck(std::string_view did, std::string_view body) {
  const auto passcode = formValue(body, "passcode");
  const auto hardVersion = formValue(body, "hard_version");
  if (!passcode || !hardVersion) return H::error(400, proto::CloudErrorCode::FormInvalid);
  if (!registry_.authenticates(did, *passcode))
    return H::error(400, proto::CloudErrorCode::DidOrPasscodeInvalid);
  std::uint32_t currentFid = 0;  // a v4.1 module sends none (S9.3 adds it)
  if (const auto fid = formValue(body, "current_fid")) {
    const auto number = proto::parseUnsignedDecimal(*fid, UINT32_MAX);
    if (!number) return H::error(400, proto::CloudErrorCode::FormInvalid);
    currentFid = static_cast<std::uint32_t>(*number);
  }
  const SimCloudFirmware* firmware = registry_.offer(*hardVersion, currentFid);
  if (firmware == nullptr) return H::error(404, proto::CloudErrorCode::FirmwareNotFound);
  // Written raw: FormWriter would percent-encode the URL, and v4.2.6 uses download_url as it stands.
  std::array<std::uint8_t, kFormBodyCapacity> buffer{};
  proto::ByteWriter writer(buffer);
  writer.text("soft_ver=");
  writer.text(firmware->softwareVersion);
  writer.text("&download_url=");
  writer.text(downloadUrl(*firmware));
  writer.text("&fid=");
  proto::appendDecimal(writer, firmware->fid);
  if (!writer.ok()) return H::error(500, std::nullopt);
  return H::form(200, writer.written());
}

// §3.5 download: the image with Content-Length, Firmware-MD5, Soft-Version and filename=<name>.
SimCloud::Answer SimCloud::download(std::string_view name) {
  const SimCloudFirmware* firmware = registry_.firmwareNamed(name);
  if (firmware == nullptr) return H::error(404, proto::CloudErrorCode::FirmwareNotFound);
  Answer answer;
  answer.headers.emplace_back("Content-Type", "application/octet-stream");
  answer.headers.emplace_back("Content-Disposition", "attachment; filename=\"" + firmware->name + "\"");
  answer.headers.emplace_back("Firmware-MD5", firmware->md5Hex);
  answer.headers.emplace_back("Soft-Version", firmware->softwareVersion);
  answer.body = firmware->bytes;
  return answer;
}

}  // namespace gagent::sim
