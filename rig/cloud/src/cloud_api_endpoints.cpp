// The module's side of the stand-in cloud (§3.2-3.5), as SimCloud answers it in virtual time
// (firmware/port/sim/src/sim_cloud_http.cpp): same bodies, same error codes, same fault kinds.
#include <array>

#include "api_answer.h"
#include "form_fields.h"
#include "gagent/proto/cloud_routes.h"
#include "gagent/proto/form.h"
#include "gagent/proto/http_parser.h"
#include "gizrig/cloud/cloud_api_server.h"
#include "gizrig/cloud/device_registry.h"
#include "gizrig/cloud/firmware_store.h"

namespace gizrig::cloud {

namespace proto = gagent::proto;
using detail::ApiAnswer;
using detail::formValue;

namespace {

// What a "garbage" fault sends as the body: no field the module looks for, and bytes that are not text.
constexpr std::string_view kGarbageBody = "\x01garbage\xff{not=a&reply";
// Room for a provision or OTA check body with the longest host names the settings may hold.
constexpr std::size_t kFormBodyCapacity = 1024;

QString toQString(std::string_view text) {
  return QString::fromUtf8(text.data(), static_cast<qsizetype>(text.size()));
}

QString toQString(const std::string& text) {
  return QString::fromStdString(text);
}

// Form bodies are built in a fixed buffer by proto's ByteWriter / FormWriter, as SimCloud does.
class FormBody {
 public:
  proto::ByteWriter& writer() { return writer_; }
  [[nodiscard]] bool ok() const { return writer_.ok(); }
  [[nodiscard]] QByteArray bytes() const {
    const proto::Bytes written = writer_.written();
    return {reinterpret_cast<const char*>(written.data()), static_cast<qsizetype>(written.size())};
  }

 private:
  std::array<std::uint8_t, kFormBodyCapacity> buffer_{};
  proto::ByteWriter writer_{buffer_};
};

}  // namespace

ApiAnswer CloudApiServer::route(const proto::HttpRequestParser& request, std::string_view body,
                                ApiRequestRecord& record) {
  const proto::CloudRoute route = proto::classifyCloudRequest(request.method(), request.path());
  record.endpoint = route.endpoint;
  if (!route.endpoint) return ApiAnswer::error(404, std::nullopt);

  const ApiEndpoint endpoint = *route.endpoint;
  int delayMs = 0;
  if (const auto fault = takeFault(endpoint)) {
    record.fault = fault->kind;
    if (fault->kind != ApiFault::Kind::Delay) return faultAnswer(endpoint, *fault, route.segment);
    delayMs = fault->delayMs;
  }
  ApiAnswer answer;
  switch (endpoint) {
    case ApiEndpoint::Register:
      answer = registerDevice(body);
      break;
    case ApiEndpoint::Provision:
      answer = provision(route.segment);
      break;
    case ApiEndpoint::Unregister:
      answer = unregister(body);
      break;
    case ApiEndpoint::OtaCheck:
      answer = otaCheck(route.segment, body);
      break;
    case ApiEndpoint::Download:
      answer = download(route.segment);
      break;
  }
  answer.delayMs = delayMs;
  return answer;
}

ApiAnswer CloudApiServer::faultAnswer(ApiEndpoint endpoint, const ApiFault& fault, std::string_view segment) {
  switch (fault.kind) {
    case ApiFault::Kind::Status:
      return ApiAnswer::error(fault.status, fault.errorCode);
    case ApiFault::Kind::Garbage: {
      if (endpoint == ApiEndpoint::Download && firmware_.named(toQString(segment))) {
        ApiAnswer answer = download(segment);  // the real headers (MD5 of the real image), a corrupted image
        for (char& byte : answer.body) byte = static_cast<char>(~byte);
        return answer;
      }
      const quint16 status = endpoint == ApiEndpoint::Register ? 201 : 200;
      return ApiAnswer::form(status,
                             QByteArray(kGarbageBody.data(), static_cast<qsizetype>(kGarbageBody.size())));
    }
    case ApiFault::Kind::Close:
    case ApiFault::Kind::Stall:
      return ApiAnswer::withoutAnswer(fault.kind);
    case ApiFault::Kind::None:
    case ApiFault::Kind::Delay:
      break;
  }
  return ApiAnswer::error(500, std::nullopt);  // not reached: route() handles None and Delay
}

// §3.2: passcode, mac (12 hex), product_key -> 201 did=<22 chars>.
ApiAnswer CloudApiServer::registerDevice(std::string_view body) {
  const auto passcode = formValue(body, "passcode");
  const auto mac = formValue(body, "mac");
  const auto productKey = formValue(body, "product_key");
  if (!passcode || passcode->empty() || !mac || !productKey || productKey->empty()) {
    return ApiAnswer::error(400, proto::CloudErrorCode::FormInvalid);
  }
  const QString key = toQString(*productKey);
  if (!settings_.productKeys.isEmpty() && !settings_.productKeys.contains(key)) {
    return ApiAnswer::error(400, proto::CloudErrorCode::ProductKeyInvalid);
  }
  // A MAC that is not 12 hex characters is refused by the registry: the form is invalid.
  const auto device = registry_.registerDevice(toQString(*mac), key, toQString(*passcode));
  if (!device) return ApiAnswer::error(400, proto::CloudErrorCode::FormInvalid);
  FormBody form;
  proto::FormWriter(form.writer()).field("did", device->did.toStdString());
  return ApiAnswer::form(201, form.bytes());
}

// §3.3: host=<m2m>&port=<n>&server_ts=<epoch>& (the '&' after port is required by v4.2.6).
ApiAnswer CloudApiServer::provision(std::string_view did) {
  if (!registry_.find(toQString(did)))
    return ApiAnswer::error(400, proto::CloudErrorCode::DidOrPasscodeInvalid);
  FormBody form;
  proto::FormWriter writer(form.writer());
  writer.field("host", settings_.m2mHost.toStdString())
      .field("port", std::uint64_t{settings_.m2mPort})
      .field("server_ts", static_cast<std::uint64_t>(QDateTime::currentSecsSinceEpoch()));
  if (!settings_.thirdCloud.isEmpty()) {
    writer.field("3rd_cloud", settings_.thirdCloud.toStdString())
        .field("product_uuid", settings_.productUuid.toStdString());
  }
  form.writer().text("&");
  if (!form.ok()) return ApiAnswer::error(500, std::nullopt);
  return ApiAnswer::form(200, form.bytes());
}

// §3.4: did + passcode -> 200, the device is gone.
ApiAnswer CloudApiServer::unregister(std::string_view body) {
  const auto did = formValue(body, "did");
  const auto passcode = formValue(body, "passcode");
  if (!did || !passcode) return ApiAnswer::error(400, proto::CloudErrorCode::FormInvalid);
  if (!registry_.authenticate(toQString(*did), toQString(*passcode))) {
    return ApiAnswer::error(400, proto::CloudErrorCode::DidOrPasscodeInvalid);
  }
  registry_.unregister(toQString(*did));
  return ApiAnswer::form(200, {});
}

// §3.5 v4.1 check: 200 soft_ver=..&download_url=..&fid=.. when an image with another FID is published for
// the hard_version (S9.6), else 404 / 9027 ("nothing to do").
ApiAnswer CloudApiServer::otaCheck(std::string_view did, std::string_view body) {
  const auto passcode = formValue(body, "passcode");
  const auto hardVersion = formValue(body, "hard_version");
  if (!passcode || !hardVersion) return ApiAnswer::error(400, proto::CloudErrorCode::FormInvalid);
  if (!registry_.authenticate(toQString(did), toQString(*passcode))) {
    return ApiAnswer::error(400, proto::CloudErrorCode::DidOrPasscodeInvalid);
  }
  quint32 currentFid = 0;  // a v4.1 module sends none (S9.3 adds it)
  if (const auto fid = formValue(body, "current_fid")) {
    const auto number = proto::parseUnsignedDecimal(*fid, UINT32_MAX);
    if (!number) return ApiAnswer::error(400, proto::CloudErrorCode::FormInvalid);
    currentFid = static_cast<quint32>(*number);
  }
  const auto firmware = firmware_.offer(toQString(*hardVersion), currentFid);
  if (!firmware) return ApiAnswer::error(404, proto::CloudErrorCode::FirmwareNotFound);
  // Written raw: FormWriter would percent-encode the URL, and v4.2.6 uses download_url as it stands.
  FormBody form;
  proto::ByteWriter& writer = form.writer();
  writer.text("soft_ver=");
  writer.text(firmware->softwareVersion.toStdString());
  writer.text("&download_url=");
  writer.text(downloadUrl(*firmware).toStdString());
  writer.text("&fid=");
  proto::appendDecimal(writer, firmware->fid);
  if (!form.ok()) return ApiAnswer::error(500, std::nullopt);
  return ApiAnswer::form(200, form.bytes());
}

// §3.5 download: the image with Content-Length, Firmware-MD5, Soft-Version and filename=<name>.
ApiAnswer CloudApiServer::download(std::string_view name) {
  const QString fileName = toQString(name);
  const auto firmware = firmware_.named(fileName);
  const auto bytes = firmware ? firmware_.bytes(fileName) : std::nullopt;
  if (!firmware || !bytes) return ApiAnswer::error(404, proto::CloudErrorCode::FirmwareNotFound);
  ApiAnswer answer;
  answer.headers.emplace_back("Content-Type", "application/octet-stream");
  answer.headers.emplace_back("Content-Disposition",
                              "attachment; filename=\"" + firmware->name.toStdString() + "\"");
  answer.headers.emplace_back("Firmware-MD5", firmware->md5Hex.toStdString());
  answer.headers.emplace_back("Soft-Version", firmware->softwareVersion.toStdString());
  answer.body = *bytes;
  return answer;
}

}  // namespace gizrig::cloud
