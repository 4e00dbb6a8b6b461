#include "gagent/proto/cloud_http.h"

#include <algorithm>

#include "gagent/proto/cloud_routes.h"  // the paths, shared with the servers' router
#include "gagent/proto/form.h"

namespace gagent::proto {

namespace {

constexpr std::string_view kFormContentType = "Content-Type: application/x-www-form-urlencoded\r\n";
constexpr char kUpperHex[] = "0123456789ABCDEF";

bool isAlnum(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
}

// A DNS name or IPv4 address: what may follow "Host: " without changing the request.
bool isValidHost(std::string_view host) {
  return !host.empty() && std::all_of(host.begin(), host.end(),
                                      [](char c) { return isAlnum(c) || c == '.' || c == '-' || c == '_'; });
}

// A path segment that needs no escaping (the DID in §3.3/§3.5 paths).
bool isPlainSegment(std::string_view segment) {
  return !segment.empty() && std::all_of(segment.begin(), segment.end(), [](char c) {
    return isAlnum(c) || c == '-' || c == '.' || c == '_' || c == '~';
  });
}

// Visible ASCII only: no space or control character can end the request line early.
bool isValidPath(std::string_view path) {
  return !path.empty() && path.front() == '/' && std::all_of(path.begin(), path.end(), [](char c) {
    const auto b = static_cast<std::uint8_t>(c);
    return b > 0x20 && b < 0x7F;
  });
}

bool isDid(std::string_view did) {
  return did.size() == kCloudDidLength && std::all_of(did.begin(), did.end(), isAlnum);
}

int hexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  return -1;
}

// A request with a form body: "<method> <path> HTTP/1.1", Host, Content-Length, Content-Type (the header
// order of §3.2/§3.4/§3.5), the blank line, the form. `fields(FormWriter&)` writes the form; it runs twice:
// first into `out` to measure the body for Content-Length, then for real over the same bytes.
template <typename Fields>
std::size_t buildFormRequest(MutableBytes out, std::string_view method, std::string_view path,
                             std::string_view pathSuffix, std::string_view host, Fields&& fields) {
  if (!isValidHost(host)) return 0;
  ByteWriter measure(out);
  FormWriter measureForm(measure);
  fields(measureForm);
  if (!measure.ok()) return 0;
  const std::size_t bodySize = measure.size();

  ByteWriter writer(out);
  writer.text(method);
  writer.text(" ");
  writer.text(path);
  writer.text(pathSuffix);
  writer.text(" HTTP/1.1\r\nHost: ");
  writer.text(host);
  writer.text("\r\nContent-Length: ");
  appendDecimal(writer, bodySize);
  writer.text("\r\n");
  writer.text(kFormContentType);
  writer.text("\r\n");
  FormWriter form(writer);
  fields(form);
  return writer.ok() ? writer.size() : 0;
}

template <typename T>
CloudReply<T> failure(CloudReplyError error, std::uint16_t status) {
  CloudReply<T> reply;
  reply.error = error;
  reply.httpStatus = status;
  return reply;
}

// Not the success status: the §3.6 code if the body carries one.
template <typename T>
CloudReply<T> statusFailure(std::uint16_t status, std::string_view body) {
  CloudReply<T> reply = failure<T>(CloudReplyError::HttpStatus, status);
  if (const auto code = parseJsonErrorCode(body)) reply.errorCode = static_cast<CloudErrorCode>(*code);
  return reply;
}

bool startsWithIgnoreCase(std::string_view text, std::string_view prefix) {
  return text.size() >= prefix.size() && asciiEqualsIgnoreCase(text.substr(0, prefix.size()), prefix);
}

// The `filename=` parameter of a header value (e.g. `attachment; filename="gagent_0402.bin"`). The key must
// start the value or follow ';', a space or a tab, so "xfilename=" does not count.
std::optional<std::string_view> filenameParameter(std::string_view value) {
  static constexpr std::string_view kKey = "filename=";
  for (std::size_t at = 0; at + kKey.size() <= value.size(); ++at) {
    if (at > 0 && value[at - 1] != ';' && value[at - 1] != ' ' && value[at - 1] != '\t') continue;
    if (!startsWithIgnoreCase(value.substr(at), kKey)) continue;
    std::string_view name = value.substr(at + kKey.size());
    if (!name.empty() && name.front() == '"') {
      name.remove_prefix(1);
      name = name.substr(0, name.find('"'));
    } else {
      name = name.substr(0, name.find(';'));
      while (!name.empty() && (name.back() == ' ' || name.back() == '\t')) name.remove_suffix(1);
    }
    return name;
  }
  return std::nullopt;
}

FirmwareImageFormat formatOf(std::string_view filename) {
  const std::size_t dot = filename.rfind('.');
  if (dot == std::string_view::npos) return FirmwareImageFormat::Unknown;
  const std::string_view extension = filename.substr(dot + 1);
  if (asciiEqualsIgnoreCase(extension, "hex")) return FirmwareImageFormat::Hex;
  if (asciiEqualsIgnoreCase(extension, "bin")) return FirmwareImageFormat::Bin;
  return FirmwareImageFormat::Unknown;
}

}  // namespace

std::string_view cloudErrorCodeName(CloudErrorCode code) {
  switch (code) {
    case CloudErrorCode::MacAlreadyRegistered:
      return "mac already registered";
    case CloudErrorCode::ProductKeyInvalid:
      return "product_key invalid";
    case CloudErrorCode::DeviceNotFound:
      return "device not found";
    case CloudErrorCode::FormInvalid:
      return "form invalid";
    case CloudErrorCode::DidOrPasscodeInvalid:
      return "did or passcode invalid";
    case CloudErrorCode::DeviceNotBound:
      return "device not bound";
    case CloudErrorCode::DeviceDisabled:
      return "device is disabled";
    case CloudErrorCode::FirmwareNotFound:
      return "firmware not found";
    case CloudErrorCode::OtaServiceIdle:
      return "OTA service idle/disabled";
    case CloudErrorCode::RegisterInProgress:
      return "register already in progress";
    case CloudErrorCode::DeviceEncryptDisabled:
      return "device encrypt disabled";
    case CloudErrorCode::DeviceEncryptEnabled:
      return "device encrypt enabled, API not supported";
  }
  return "unknown";
}

std::string_view cloudReplyErrorName(CloudReplyError error) {
  switch (error) {
    case CloudReplyError::None:
      return "none";
    case CloudReplyError::HttpStatus:
      return "unexpected HTTP status";
    case CloudReplyError::MissingField:
      return "missing field";
    case CloudReplyError::BadField:
      return "bad field";
  }
  return "unknown";
}

// ---- requests ----

std::size_t buildRegisterRequest(MutableBytes out, const RegisterRequest& request) {
  if (request.mac.size() != kCloudMacSize) return 0;
  char macHex[2 * kCloudMacSize];
  for (std::size_t i = 0; i < kCloudMacSize; ++i) {
    macHex[2 * i] = kUpperHex[request.mac[i] >> 4];
    macHex[2 * i + 1] = kUpperHex[request.mac[i] & 0x0F];
  }
  const std::string_view mac(macHex, sizeof(macHex));
  return buildFormRequest(out, "POST", kCloudDevicesPath, "", request.host, [&](FormWriter& form) {
    form.field("passcode", request.passcode).field("mac", mac).field("product_key", request.productKey);
  });
}

std::size_t buildProvisionRequest(MutableBytes out, std::string_view did, std::string_view host) {
  if (!isValidHost(host) || !isPlainSegment(did)) return 0;
  ByteWriter writer(out);
  writer.text("GET ");
  writer.text(kCloudProvisionPrefix);
  writer.text(did);
  writer.text(" HTTP/1.1\r\nHost: ");
  writer.text(host);
  writer.text("\r\nCache-Control: no-cache\r\n");
  writer.text(kFormContentType);
  writer.text("\r\n");
  return writer.ok() ? writer.size() : 0;
}

std::size_t buildUnregisterRequest(MutableBytes out, const UnregisterRequest& request) {
  return buildFormRequest(out, "DELETE", kCloudDevicesPath, "", request.host, [&](FormWriter& form) {
    form.field("did", request.did).field("passcode", request.passcode);
  });
}

std::size_t buildOtaCheckRequest(MutableBytes out, const OtaCheckRequest& request) {
  if (!isPlainSegment(request.did)) return 0;
  return buildFormRequest(
      out, "POST", kCloudOtaCheckPrefix, request.did, request.host, [&](FormWriter& form) {
        form.field("passcode", request.passcode)
            .field("type", static_cast<std::uint64_t>(request.type))
            .field("hard_version", request.hardVersion)
            .field("soft_version", request.softVersion)
            // S9.3 asks the check to carry ProductKey and the current FID, which the v4.1 form lacks: they
            // follow the v4.1 fields, so a v4.1 server still finds everything it reads.
            .field("product_key", request.productKey)
            .field("current_fid", static_cast<std::uint64_t>(request.currentFid));
      });
}

std::optional<HttpUrl> parseHttpUrl(std::string_view url) {
  static constexpr std::string_view kScheme = "http://";
  if (!startsWithIgnoreCase(url, kScheme)) return std::nullopt;
  url.remove_prefix(kScheme.size());
  url = url.substr(0, url.find('#'));
  const std::size_t slash = url.find('/');
  const std::string_view authority = url.substr(0, slash);
  HttpUrl result;
  result.path = slash == std::string_view::npos ? std::string_view("/") : url.substr(slash);
  const std::size_t colon = authority.find(':');
  result.host = authority.substr(0, colon);
  if (colon != std::string_view::npos) {
    const auto port = parseUnsignedDecimal(authority.substr(colon + 1), 65535);
    if (!port || *port == 0) return std::nullopt;
    result.port = static_cast<std::uint16_t>(*port);
  }
  if (!isValidHost(result.host) || !isValidPath(result.path)) return std::nullopt;
  return result;
}

std::size_t buildFirmwareDownloadRequest(MutableBytes out, const HttpUrl& url) {
  if (!isValidHost(url.host) || !isValidPath(url.path) || url.port == 0) return 0;
  ByteWriter writer(out);
  writer.text("GET ");
  writer.text(url.path);
  writer.text(" HTTP/1.1\r\nHost: ");
  writer.text(url.host);
  if (url.port != kHttpDefaultPort) {
    writer.text(":");
    appendDecimal(writer, url.port);
  }
  writer.text("\r\n\r\n");
  return writer.ok() ? writer.size() : 0;
}

// ---- replies ----

CloudReply<std::string_view> parseRegisterResponse(std::uint16_t status, std::string_view body) {
  using Reply = CloudReply<std::string_view>;
  if (status != 201) return statusFailure<std::string_view>(status, body);
  const auto did = findFormField(body, "did");
  if (!did) return failure<std::string_view>(CloudReplyError::MissingField, status);
  if (!isDid(*did)) return failure<std::string_view>(CloudReplyError::BadField, status);
  Reply reply;
  reply.httpStatus = status;
  reply.value = *did;
  return reply;
}

CloudReply<ProvisionInfo> parseProvisionResponse(std::uint16_t status, std::string_view body) {
  if (status != 200) return statusFailure<ProvisionInfo>(status, body);
  const auto host = findFormField(body, "host");
  const auto port = findFormField(body, "port");
  if (!host || !port) return failure<ProvisionInfo>(CloudReplyError::MissingField, status);
  // v4.2.6 reads the port up to the '&' that must follow it (§3.3).
  const std::size_t afterPort = static_cast<std::size_t>(port->data() - body.data()) + port->size();
  const bool ampersandFollows = afterPort < body.size() && body[afterPort] == '&';
  const auto portNumber = parseUnsignedDecimal(*port, 65535);
  if (!isValidHost(*host) || !ampersandFollows || !portNumber || *portNumber == 0) {
    return failure<ProvisionInfo>(CloudReplyError::BadField, status);
  }
  CloudReply<ProvisionInfo> reply;
  reply.httpStatus = status;
  reply.value.host = *host;
  reply.value.port = static_cast<std::uint16_t>(*portNumber);
  if (const auto serverTs = findFormField(body, "server_ts")) {
    reply.value.serverTs = parseUnsignedDecimal(*serverTs);
    if (!reply.value.serverTs) return failure<ProvisionInfo>(CloudReplyError::BadField, status);
  }
  reply.value.thirdCloud = findFormField(body, "3rd_cloud");
  reply.value.productUuid = findFormField(body, "product_uuid");
  return reply;
}

CloudReply<OtaCheckInfo> parseOtaCheckResponse(std::uint16_t status, std::string_view body) {
  if (status != 200) return statusFailure<OtaCheckInfo>(status, body);
  const auto softVersion = findFormField(body, "soft_ver");
  const auto downloadUrl = findFormField(body, "download_url");
  if (!softVersion || !downloadUrl) return failure<OtaCheckInfo>(CloudReplyError::MissingField, status);
  if (softVersion->empty() || downloadUrl->empty()) {
    return failure<OtaCheckInfo>(CloudReplyError::BadField, status);
  }
  CloudReply<OtaCheckInfo> reply;
  reply.httpStatus = status;
  reply.value.softVersion = *softVersion;
  reply.value.downloadUrl = *downloadUrl;
  if (const auto fid = findFormField(body, "fid")) {
    const auto number = parseUnsignedDecimal(*fid, UINT32_MAX);
    if (!number) return failure<OtaCheckInfo>(CloudReplyError::BadField, status);
    reply.value.fid = static_cast<std::uint32_t>(*number);
  }
  return reply;
}

CloudReply<FirmwareDownloadInfo> parseFirmwareDownloadHeaders(const HttpResponseParser& parser) {
  const std::uint16_t status = parser.statusCode();
  if (!parser.headersComplete() || status != 200) {
    return failure<FirmwareDownloadInfo>(CloudReplyError::HttpStatus, status);
  }
  CloudReply<FirmwareDownloadInfo> reply;
  reply.httpStatus = status;
  FirmwareDownloadInfo& info = reply.value;
  info.contentLength = parser.contentLength();
  if (const auto md5 = parser.header("Firmware-MD5")) {
    if (md5->size() != 2 * kFirmwareMd5Size)
      return failure<FirmwareDownloadInfo>(CloudReplyError::BadField, status);
    std::array<std::uint8_t, kFirmwareMd5Size> digest{};
    for (std::size_t i = 0; i < kFirmwareMd5Size; ++i) {
      const int hi = hexValue((*md5)[2 * i]);
      const int lo = hexValue((*md5)[2 * i + 1]);
      if (hi < 0 || lo < 0) return failure<FirmwareDownloadInfo>(CloudReplyError::BadField, status);
      digest[i] = static_cast<std::uint8_t>(hi * 16 + lo);
    }
    info.md5 = digest;
  }
  info.softVersion = parser.header("Soft-Version");
  // v4.2.6 looks for `filename=` anywhere in the response; Content-Disposition is where HTTP puts it.
  if (const auto disposition = parser.header("Content-Disposition"))
    info.filename = filenameParameter(*disposition);
  HttpHeaderCursor cursor = parser.headers();
  HttpHeader header;
  while (!info.filename && cursor.next(header)) info.filename = filenameParameter(header.value);
  if (info.filename) info.format = formatOf(*info.filename);
  return reply;
}

}  // namespace gagent::proto
