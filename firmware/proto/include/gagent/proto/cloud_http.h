#pragma once
// The cloud's HTTP API as GAgent v4.2.6 speaks it (§3.1-3.6; spec S8.2-S8.4, S9): request builders for
// register, provision, unregister, OTA check and firmware download, and the interpreters of their replies.
// Builders write the whole request into a caller buffer and return its size, 0 when it does not fit or a
// value cannot be sent (a DID or host with characters that would change the request). Interpreters take the
// status code and the collected body (HttpSmallResponse) and return views into that body.

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>

#include "gagent/proto/bytes.h"
#include "gagent/proto/cloud_mgmt.h"  // OtaFirmwareType (§3.5 type 1 = WiFi, 2 = MCU)
#include "gagent/proto/http_parser.h"

namespace gagent::proto {

// §3.1: the API server and its port. Regional servers (usapi./euapi.) are passed in as the host.
inline constexpr std::string_view kCloudApiHost = "api.gizwits.com";
inline constexpr std::uint16_t kHttpDefaultPort = 80;
inline constexpr std::size_t kCloudDidLength = 22;   // S8.1
inline constexpr std::size_t kCloudMacSize = 6;      // raw bytes; sent as 12 upper-case hex characters
inline constexpr std::size_t kFirmwareMd5Size = 16;  // §3.5 Firmware-MD5: 32 hex characters

// §3.6 error_code values of the cloud's JSON error bodies. Other values can arrive; they keep their number.
enum class CloudErrorCode : std::int32_t {
  MacAlreadyRegistered = 9001,
  ProductKeyInvalid = 9002,
  DeviceNotFound = 9014,
  FormInvalid = 9015,
  DidOrPasscodeInvalid = 9016,  // S8.4.4: re-register instead of retrying provision
  DeviceNotBound = 9017,
  DeviceDisabled = 9023,
  FirmwareNotFound = 9027,
  OtaServiceIdle = 9032,
  RegisterInProgress = 9046,
  DeviceEncryptDisabled = 9047,
  DeviceEncryptEnabled = 9048,
};
// "did or passcode invalid", ...; "unknown" for other values.
[[nodiscard]] std::string_view cloudErrorCodeName(CloudErrorCode code);

// ---- requests ----

struct RegisterRequest {
  std::string_view host = kCloudApiHost;
  std::string_view passcode;
  Bytes mac;  // exactly kCloudMacSize bytes
  std::string_view productKey;
};
// §3.2: POST /dev/devices, form passcode=..&mac=<12 upper hex>&product_key=..
[[nodiscard]] std::size_t buildRegisterRequest(MutableBytes out, const RegisterRequest& request);

// §3.3: GET /dev/devices/<did>.
[[nodiscard]] std::size_t buildProvisionRequest(MutableBytes out, std::string_view did,
                                                std::string_view host = kCloudApiHost);

struct UnregisterRequest {
  std::string_view host = kCloudApiHost;
  std::string_view did;  // the old DID
  std::string_view passcode;
};
// §3.4: DELETE /dev/devices, form did=..&passcode=..
[[nodiscard]] std::size_t buildUnregisterRequest(MutableBytes out, const UnregisterRequest& request);

struct OtaCheckRequest {
  std::string_view host = kCloudApiHost;
  std::string_view did;
  std::string_view passcode;
  OtaFirmwareType type = OtaFirmwareType::Wifi;  // S9.5
  std::string_view hardVersion;                  // the module's, or the MCU's for type Mcu
  std::string_view softVersion;
  std::string_view productKey;   // S9.3
  std::uint32_t currentFid = 1;  // S9.3; the caller sends 1 when the stored FID is 0 or absent (S9.4)
};
// §3.5 v4.1 check: POST /dev/ota/v4.1/update_and_check/<did>, form
// passcode=..&type=..&hard_version=..&soft_version=..&product_key=..&current_fid=..
[[nodiscard]] std::size_t buildOtaCheckRequest(MutableBytes out, const OtaCheckRequest& request);

// "http://host[:port]/path" (§3.5: only http:// is followed). Views into the URL text.
struct HttpUrl {
  std::string_view host;
  std::uint16_t port = kHttpDefaultPort;
  std::string_view path;  // starts with '/'; "/" when the URL has none; query kept, fragment dropped
};
[[nodiscard]] std::optional<HttpUrl> parseHttpUrl(std::string_view url);

// §3.5 firmware download: GET <path> with Host (":port" added when not 80).
[[nodiscard]] std::size_t buildFirmwareDownloadRequest(MutableBytes out, const HttpUrl& url);

// ---- replies ----

enum class CloudReplyError : std::uint8_t {
  None,
  HttpStatus,    // not the request's success status; errorCode holds the §3.6 code when the body had one
  MissingField,  // success status but a required field is absent
  BadField,      // a field is present but unusable (wrong length, not a number, ...)
};
[[nodiscard]] std::string_view cloudReplyErrorName(CloudReplyError error);

template <typename T>
struct [[nodiscard]] CloudReply {
  CloudReplyError error = CloudReplyError::None;
  std::uint16_t httpStatus = 0;
  std::optional<CloudErrorCode> errorCode;  // only with HttpStatus
  T value{};
  [[nodiscard]] bool ok() const { return error == CloudReplyError::None; }
};

// §3.2: success only on 201; `did=` followed by exactly 22 letters/digits.
CloudReply<std::string_view> parseRegisterResponse(std::uint16_t status, std::string_view body);

struct ProvisionInfo {
  std::string_view host;  // M2M server
  std::uint16_t port = 0;
  std::optional<std::uint64_t> serverTs;       // epoch seconds
  std::optional<std::string_view> thirdCloud;  // S8.4.5 `3rd_cloud`, e.g. "jd"
  std::optional<std::string_view> productUuid;
};
// §3.3: 200 with host=..&port=<n>& (the '&' after port is required, as v4.2.6), server_ts, optional
// 3rd_cloud and product_uuid.
CloudReply<ProvisionInfo> parseProvisionResponse(std::uint16_t status, std::string_view body);

struct OtaCheckInfo {
  std::string_view softVersion;
  std::string_view downloadUrl;      // as sent; parseHttpUrl() it before downloading
  std::optional<std::uint32_t> fid;  // our stand-in cloud sends it so S9.6 can compare; nullopt = no FID
};
// §3.5: 200 with soft_ver=..&download_url=..[&fid=<n>]; anything else is "nothing to do".
CloudReply<OtaCheckInfo> parseOtaCheckResponse(std::uint16_t status, std::string_view body);

// §3.5: the extension of the download's filename decides between Intel HEX and raw binary.
enum class FirmwareImageFormat : std::uint8_t { Unknown, Hex, Bin };

struct FirmwareDownloadInfo {
  std::optional<std::uint64_t> contentLength;
  std::optional<std::array<std::uint8_t, kFirmwareMd5Size>> md5;
  std::optional<std::string_view> softVersion;
  std::optional<std::string_view> filename;  // `filename=` of Content-Disposition (quotes removed)
  FirmwareImageFormat format = FirmwareImageFormat::Unknown;
};
// The download's headers once parser.headersComplete(): success only on 200; a Firmware-MD5 that is not 32
// hex characters is BadField. Views point into the parser.
CloudReply<FirmwareDownloadInfo> parseFirmwareDownloadHeaders(const HttpResponseParser& parser);

}  // namespace gagent::proto
