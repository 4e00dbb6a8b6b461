#include "gagent/proto/cloud_http.h"

#include <gtest/gtest.h>

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

#include "gagent/proto/form.h"

using namespace gagent::proto;

namespace {

constexpr std::string_view kDid = "WKgkQa4wHqaXyTnqDn2uDM";  // 22 characters
constexpr std::string_view kPasscode = "PHHLXAKMEI";
constexpr std::string_view kProductKey = "6f3074fe43894547a4f1314bd7e3ae0b";
constexpr std::array<std::uint8_t, 6> kZeroMac{};

template <typename Build>
std::string built(Build&& build, std::size_t capacity = 512) {
  std::array<std::uint8_t, 512> buffer{};
  const std::size_t size = build(MutableBytes(buffer).first(capacity));
  return std::string(asText(Bytes(buffer).first(size)));
}

// A builder writes exactly its request when the buffer fits it to the byte, and nothing when one byte short.
template <typename Build>
void expectExactFit(Build&& build) {
  const std::string whole = built(build);
  ASSERT_FALSE(whole.empty());
  EXPECT_EQ(built(build, whole.size()), whole);
  EXPECT_EQ(built(build, whole.size() - 1), "");
}

}  // namespace

// ---- requests ----

TEST(CloudHttpRequest, Proto3_2_RegisterBytes) {
  const RegisterRequest request{.passcode = kPasscode, .mac = kZeroMac, .productKey = kProductKey};
  const auto build = [&](MutableBytes out) { return buildRegisterRequest(out, request); };
  EXPECT_EQ(built(build),
            "POST /dev/devices HTTP/1.1\r\n"
            "Host: api.gizwits.com\r\n"
            "Content-Length: 81\r\n"
            "Content-Type: application/x-www-form-urlencoded\r\n"
            "\r\n"
            "passcode=PHHLXAKMEI&mac=000000000000&product_key=6f3074fe43894547a4f1314bd7e3ae0b");
  expectExactFit(build);
}

TEST(CloudHttpRequest, Proto3_2_MacIsTwelveUpperHex) {
  const std::array<std::uint8_t, 6> mac{0xA0, 0x1b, 0x2C, 0x3d, 0x4E, 0xff};
  const RegisterRequest request{
      .host = "usapi.gizwits.com", .passcode = "a&b", .mac = mac, .productKey = "pk"};
  EXPECT_EQ(built([&](MutableBytes out) { return buildRegisterRequest(out, request); }),
            "POST /dev/devices HTTP/1.1\r\n"
            "Host: usapi.gizwits.com\r\n"
            "Content-Length: 46\r\n"
            "Content-Type: application/x-www-form-urlencoded\r\n"
            "\r\n"
            "passcode=a%26b&mac=A01B2C3D4EFF&product_key=pk");
}

TEST(CloudHttpRequest, Proto3_2_RegisterRefusesBadInput) {
  const std::array<std::uint8_t, 5> shortMac{};
  RegisterRequest request{.passcode = kPasscode, .mac = shortMac, .productKey = kProductKey};
  EXPECT_EQ(built([&](MutableBytes out) { return buildRegisterRequest(out, request); }), "");
  request.mac = kZeroMac;
  request.host = "api.gizwits.com\r\nX: y";
  EXPECT_EQ(built([&](MutableBytes out) { return buildRegisterRequest(out, request); }), "");
  request.host = "";
  EXPECT_EQ(built([&](MutableBytes out) { return buildRegisterRequest(out, request); }), "");
}

TEST(CloudHttpRequest, Proto3_3_ProvisionBytes) {
  const auto build = [](MutableBytes out) { return buildProvisionRequest(out, kDid); };
  EXPECT_EQ(built(build),
            "GET /dev/devices/WKgkQa4wHqaXyTnqDn2uDM HTTP/1.1\r\n"
            "Host: api.gizwits.com\r\n"
            "Cache-Control: no-cache\r\n"
            "Content-Type: application/x-www-form-urlencoded\r\n"
            "\r\n");
  expectExactFit(build);
  EXPECT_EQ(built([](MutableBytes out) { return buildProvisionRequest(out, "a/b"); }), "");
  EXPECT_EQ(built([](MutableBytes out) { return buildProvisionRequest(out, "a b"); }), "");
  EXPECT_EQ(built([](MutableBytes out) { return buildProvisionRequest(out, ""); }), "");
  EXPECT_EQ(built([](MutableBytes out) { return buildProvisionRequest(out, kDid, "h/x"); }), "");
}

TEST(CloudHttpRequest, Proto3_4_UnregisterBytes) {
  const UnregisterRequest request{.did = kDid, .passcode = kPasscode};
  const auto build = [&](MutableBytes out) { return buildUnregisterRequest(out, request); };
  EXPECT_EQ(built(build),
            "DELETE /dev/devices HTTP/1.1\r\n"
            "Host: api.gizwits.com\r\n"
            "Content-Length: 46\r\n"
            "Content-Type: application/x-www-form-urlencoded\r\n"
            "\r\n"
            "did=WKgkQa4wHqaXyTnqDn2uDM&passcode=PHHLXAKMEI");
  expectExactFit(build);
}

TEST(CloudHttpRequest, Proto3_5_S9_3_OtaCheckBytes) {
  const OtaCheckRequest request{.did = kDid,
                                .passcode = kPasscode,
                                .type = OtaFirmwareType::Wifi,
                                .hardVersion = "000LINUX",
                                .softVersion = "04020006",
                                .productKey = kProductKey,
                                .currentFid = 1};
  const auto build = [&](MutableBytes out) { return buildOtaCheckRequest(out, request); };
  const std::string text = built(build);
  const std::string_view v41Form = "passcode=PHHLXAKMEI&type=1&hard_version=000LINUX&soft_version=04020006";
  ASSERT_EQ(v41Form.size(), 70u);  // §3.5 "Content-Length:70" for the v4.1 fields alone
  EXPECT_EQ(text,
            "POST /dev/ota/v4.1/update_and_check/WKgkQa4wHqaXyTnqDn2uDM HTTP/1.1\r\n"
            "Host: api.gizwits.com\r\n"
            "Content-Length: 129\r\n"
            "Content-Type: application/x-www-form-urlencoded\r\n"
            "\r\n" +
                std::string(v41Form) + "&product_key=6f3074fe43894547a4f1314bd7e3ae0b&current_fid=1");
  // The body starts with the §3.5 v4.1 form unchanged.
  EXPECT_EQ(text.substr(text.find("\r\n\r\n") + 4, 70), v41Form);
  expectExactFit(build);
}

TEST(CloudHttpRequest, S9_5_McuCheckCarriesTypeTwoAndTheFid) {
  const OtaCheckRequest request{.did = kDid,
                                .passcode = kPasscode,
                                .type = OtaFirmwareType::Mcu,
                                .hardVersion = "00000001",
                                .softVersion = "00000002",
                                .productKey = kProductKey,
                                .currentFid = 4294967295u};
  const std::string text = built([&](MutableBytes out) { return buildOtaCheckRequest(out, request); });
  const std::string_view body = std::string_view(text).substr(text.find("\r\n\r\n") + 4);
  EXPECT_EQ(findFormField(body, "type"), "2");
  EXPECT_EQ(findFormField(body, "hard_version"), "00000001");
  EXPECT_EQ(findFormField(body, "current_fid"), "4294967295");
  EXPECT_NE(text.find("Content-Length: " + std::to_string(body.size()) + "\r\n"), std::string::npos);
}

TEST(CloudHttpRequest, Proto3_5_FirmwareDownloadBytes) {
  const HttpUrl url{.host = "ota.gizwits.com", .path = "/fw/gagent_04020007.bin?x=1"};
  EXPECT_EQ(built([&](MutableBytes out) { return buildFirmwareDownloadRequest(out, url); }),
            "GET /fw/gagent_04020007.bin?x=1 HTTP/1.1\r\nHost: ota.gizwits.com\r\n\r\n");
  const HttpUrl withPort{.host = "192.168.1.10", .port = 8080, .path = "/a.hex"};
  const auto build = [&](MutableBytes out) { return buildFirmwareDownloadRequest(out, withPort); };
  EXPECT_EQ(built(build), "GET /a.hex HTTP/1.1\r\nHost: 192.168.1.10:8080\r\n\r\n");
  expectExactFit(build);
  const HttpUrl badPath{.host = "h", .path = "/a b"};
  EXPECT_EQ(built([&](MutableBytes out) { return buildFirmwareDownloadRequest(out, badPath); }), "");
  const HttpUrl relative{.host = "h", .path = "a"};
  EXPECT_EQ(built([&](MutableBytes out) { return buildFirmwareDownloadRequest(out, relative); }), "");
}

TEST(ParseHttpUrl, Proto3_5_HostPortPath) {
  auto url = parseHttpUrl("http://ota.gizwits.com/fw/a.bin");
  ASSERT_TRUE(url);
  EXPECT_EQ(url->host, "ota.gizwits.com");
  EXPECT_EQ(url->port, 80);
  EXPECT_EQ(url->path, "/fw/a.bin");

  url = parseHttpUrl("HTTP://10.0.0.2:8080/x?y=1#frag");
  ASSERT_TRUE(url);
  EXPECT_EQ(url->host, "10.0.0.2");
  EXPECT_EQ(url->port, 8080);
  EXPECT_EQ(url->path, "/x?y=1");

  url = parseHttpUrl("http://host");
  ASSERT_TRUE(url);
  EXPECT_EQ(url->path, "/");
  url = parseHttpUrl("http://host:65535/");
  ASSERT_TRUE(url);
  EXPECT_EQ(url->port, 65535);
}

TEST(ParseHttpUrl, Proto3_5_OnlyHttpIsAccepted) {
  const std::string_view cases[] = {
      "https://ota.gizwits.com/a.bin",
      "ftp://h/a",
      "ota.gizwits.com/a.bin",
      "http://",
      "http:///a",
      "http://h:/a",
      "http://h:0/a",
      "http://h:65536/a",
      "http://h:8o/a",
      "http://user@h/a",
      "http://[::1]/a",
      "http://h/a b",
      "http://h?x=1",
      "http://h/a\r\n",
  };
  for (std::string_view text : cases) EXPECT_EQ(parseHttpUrl(text), std::nullopt) << text;
}

// ---- replies ----

TEST(CloudHttpReply, Proto3_2_RegisterSuccessOnlyOn201) {
  const auto reply = parseRegisterResponse(201, "did=WKgkQa4wHqaXyTnqDn2uDM&passcode=x");
  ASSERT_TRUE(reply.ok());
  EXPECT_EQ(reply.httpStatus, 201);
  EXPECT_EQ(reply.value, kDid);
  EXPECT_EQ(parseRegisterResponse(201, "a=1\r\ndid=WKgkQa4wHqaXyTnqDn2uDM\r\n").value, kDid);

  const auto ok200 = parseRegisterResponse(200, "did=WKgkQa4wHqaXyTnqDn2uDM");
  EXPECT_EQ(ok200.error, CloudReplyError::HttpStatus);
  EXPECT_EQ(ok200.errorCode, std::nullopt);
}

TEST(CloudHttpReply, Proto3_2_RegisterDidMustBe22Characters) {
  EXPECT_EQ(parseRegisterResponse(201, "").error, CloudReplyError::MissingField);
  EXPECT_EQ(parseRegisterResponse(201, "xdid=WKgkQa4wHqaXyTnqDn2uDM").error, CloudReplyError::MissingField);
  EXPECT_EQ(parseRegisterResponse(201, "did=WKgkQa4wHqaXyTnqDn2uD").error, CloudReplyError::BadField);
  EXPECT_EQ(parseRegisterResponse(201, "did=WKgkQa4wHqaXyTnqDn2uDMx").error, CloudReplyError::BadField);
  EXPECT_EQ(parseRegisterResponse(201, "did=WKgkQa4wHqaXyTnqDn2u-M").error, CloudReplyError::BadField);
}

TEST(CloudHttpReply, Proto3_6_RegisterErrorCodes) {
  const auto reply =
      parseRegisterResponse(400, R"({"error_code":9001,"error_message":"mac already registered"})");
  EXPECT_EQ(reply.error, CloudReplyError::HttpStatus);
  EXPECT_EQ(reply.httpStatus, 400);
  EXPECT_EQ(reply.errorCode, CloudErrorCode::MacAlreadyRegistered);
  EXPECT_EQ(parseRegisterResponse(400, R"({"error_code":9002})").errorCode,
            CloudErrorCode::ProductKeyInvalid);
  EXPECT_EQ(parseRegisterResponse(400, "error_code=9046").errorCode, CloudErrorCode::RegisterInProgress);
  EXPECT_EQ(parseRegisterResponse(500, "oops").errorCode, std::nullopt);
  // An unlisted code keeps its number.
  EXPECT_EQ(parseRegisterResponse(400, R"({"error_code":1234})").errorCode,
            static_cast<CloudErrorCode>(1234));
}

TEST(CloudHttpReply, Proto3_3_S8_4_5_ProvisionFields) {
  const std::string_view body =
      "host=m2m.gizwits.com&port=1883&port_s=8883&server_ts=1700000000&log_host=x&\r\n"
      "3rd_cloud=jd&product_uuid=5c1d4f\r\n";
  const auto reply = parseProvisionResponse(200, body);
  ASSERT_TRUE(reply.ok());
  EXPECT_EQ(reply.value.host, "m2m.gizwits.com");
  EXPECT_EQ(reply.value.port, 1883);
  EXPECT_EQ(reply.value.serverTs, 1700000000u);
  EXPECT_EQ(reply.value.thirdCloud, "jd");
  EXPECT_EQ(reply.value.productUuid, "5c1d4f");

  const auto minimal = parseProvisionResponse(200, "host=10.0.0.2&port=1883&");
  ASSERT_TRUE(minimal.ok());
  EXPECT_EQ(minimal.value.serverTs, std::nullopt);
  EXPECT_EQ(minimal.value.thirdCloud, std::nullopt);
  EXPECT_EQ(minimal.value.productUuid, std::nullopt);
}

TEST(CloudHttpReply, Proto3_3_AmpersandAfterPortIsRequired) {
  EXPECT_EQ(parseProvisionResponse(200, "host=h&port=1883").error, CloudReplyError::BadField);
  EXPECT_EQ(parseProvisionResponse(200, "host=h&port=1883\r\n").error, CloudReplyError::BadField);
  EXPECT_TRUE(parseProvisionResponse(200, "port=1883&host=h").ok());
}

TEST(CloudHttpReply, Proto3_3_ProvisionBadFields) {
  EXPECT_EQ(parseProvisionResponse(200, "port=1883&").error, CloudReplyError::MissingField);
  EXPECT_EQ(parseProvisionResponse(200, "host=h&").error, CloudReplyError::MissingField);
  EXPECT_EQ(parseProvisionResponse(200, "xhost=h&port=1883&").error, CloudReplyError::MissingField);
  EXPECT_EQ(parseProvisionResponse(200, "host=&port=1883&").error, CloudReplyError::BadField);
  EXPECT_EQ(parseProvisionResponse(200, "host=a b&port=1883&").error, CloudReplyError::BadField);
  EXPECT_EQ(parseProvisionResponse(200, "host=h&port=0&").error, CloudReplyError::BadField);
  EXPECT_EQ(parseProvisionResponse(200, "host=h&port=65536&").error, CloudReplyError::BadField);
  EXPECT_EQ(parseProvisionResponse(200, "host=h&port=&").error, CloudReplyError::BadField);
  EXPECT_EQ(parseProvisionResponse(200, "host=h&port=18x3&").error, CloudReplyError::BadField);
  EXPECT_EQ(parseProvisionResponse(200, "host=h&port=1&server_ts=soon").error, CloudReplyError::BadField);
}

TEST(CloudHttpReply, S8_4_4_ProvisionErrorCodes) {
  const auto reply =
      parseProvisionResponse(400, R"({"error_code": 9016, "error_message": "did or passcode invalid"})");
  EXPECT_EQ(reply.error, CloudReplyError::HttpStatus);
  EXPECT_EQ(reply.errorCode, CloudErrorCode::DidOrPasscodeInvalid);
  EXPECT_EQ(parseProvisionResponse(404, R"({"error_code":9014})").errorCode, CloudErrorCode::DeviceNotFound);
  EXPECT_EQ(parseProvisionResponse(400, R"({"error_code":9023})").errorCode, CloudErrorCode::DeviceDisabled);
  EXPECT_EQ(parseProvisionResponse(201, "host=h&port=1&").error, CloudReplyError::HttpStatus);
}

TEST(CloudHttpReply, Proto3_5_OtaCheckWithoutFid) {
  const auto reply =
      parseOtaCheckResponse(200, "soft_ver=04020007&download_url=http://ota.gizwits.com/fw/a.bin\r\n");
  ASSERT_TRUE(reply.ok());
  EXPECT_EQ(reply.value.softVersion, "04020007");
  EXPECT_EQ(reply.value.downloadUrl, "http://ota.gizwits.com/fw/a.bin");
  EXPECT_EQ(reply.value.fid, std::nullopt);
}

TEST(CloudHttpReply, S9_6_OtaCheckWithFid) {
  const auto reply = parseOtaCheckResponse(200, "soft_ver=04020007&download_url=http://h/a.bin&fid=42");
  ASSERT_TRUE(reply.ok());
  EXPECT_EQ(reply.value.fid, 42u);
  EXPECT_EQ(reply.value.downloadUrl, "http://h/a.bin");
  EXPECT_EQ(parseOtaCheckResponse(200, "soft_ver=1&download_url=u&fid=4294967295").value.fid, 4294967295u);
  EXPECT_EQ(parseOtaCheckResponse(200, "soft_ver=1&download_url=u&fid=4294967296").error,
            CloudReplyError::BadField);
  EXPECT_EQ(parseOtaCheckResponse(200, "soft_ver=1&download_url=u&fid=").error, CloudReplyError::BadField);
  EXPECT_EQ(parseOtaCheckResponse(200, "soft_ver=1&download_url=u&fid=x").error, CloudReplyError::BadField);
}

TEST(CloudHttpReply, Proto3_5_OtaCheckFailures) {
  const auto notFound = parseOtaCheckResponse(404, R"({"error_code":9027})");
  EXPECT_EQ(notFound.error, CloudReplyError::HttpStatus);
  EXPECT_EQ(notFound.httpStatus, 404);
  EXPECT_EQ(notFound.errorCode, CloudErrorCode::FirmwareNotFound);
  EXPECT_EQ(parseOtaCheckResponse(400, R"({"error_code":9032})").errorCode, CloudErrorCode::OtaServiceIdle);
  EXPECT_EQ(parseOtaCheckResponse(200, "download_url=u").error, CloudReplyError::MissingField);
  EXPECT_EQ(parseOtaCheckResponse(200, "soft_ver=1").error, CloudReplyError::MissingField);
  EXPECT_EQ(parseOtaCheckResponse(200, "soft_ver=&download_url=u").error, CloudReplyError::BadField);
  EXPECT_EQ(parseOtaCheckResponse(200, "soft_ver=1&download_url=").error, CloudReplyError::BadField);
}

TEST(CloudHttpReply, Proto3_5_FirmwareDownloadHeaders) {
  HttpResponseParser parser;
  const auto step =
      parser.feed(asBytes("HTTP/1.1 200 OK\r\nContent-Length: 4\r\n"
                          "Firmware-MD5: 0123456789abcdefFEDCBA9876543210\r\n"
                          "Soft-Version: 04020007\r\n"
                          "Content-Disposition: attachment; filename=\"gagent_04020007.bin\"\r\n\r\n"));
  ASSERT_EQ(step.status, ParseStatus::NeedMore);
  const auto reply = parseFirmwareDownloadHeaders(parser);
  ASSERT_TRUE(reply.ok());
  EXPECT_EQ(reply.value.contentLength, 4u);
  const std::array<std::uint8_t, 16> md5{0x01, 0x23, 0x45, 0x67, 0x89, 0xAB, 0xCD, 0xEF,
                                         0xFE, 0xDC, 0xBA, 0x98, 0x76, 0x54, 0x32, 0x10};
  EXPECT_EQ(reply.value.md5, md5);
  EXPECT_EQ(reply.value.softVersion, "04020007");
  EXPECT_EQ(reply.value.filename, "gagent_04020007.bin");
  EXPECT_EQ(reply.value.format, FirmwareImageFormat::Bin);
}

TEST(CloudHttpReply, Proto3_5_FilenameOutsideContentDisposition) {
  HttpResponseParser parser;
  (void)parser.feed(
      asBytes("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nX-File: filename=mcu_v2.HEX; x=1\r\n\r\n"));
  const auto reply = parseFirmwareDownloadHeaders(parser);
  ASSERT_TRUE(reply.ok());
  EXPECT_EQ(reply.value.contentLength, std::nullopt);
  EXPECT_EQ(reply.value.md5, std::nullopt);
  EXPECT_EQ(reply.value.softVersion, std::nullopt);
  EXPECT_EQ(reply.value.filename, "mcu_v2.HEX");
  EXPECT_EQ(reply.value.format, FirmwareImageFormat::Hex);
}

TEST(CloudHttpReply, Proto3_5_FirmwareDownloadRejects) {
  const auto headersOf = [](std::string_view head) {
    HttpResponseParser parser;
    (void)parser.feed(asBytes(head));
    return parseFirmwareDownloadHeaders(parser);
  };
  EXPECT_EQ(headersOf("HTTP/1.1 200 OK\r\nFirmware-MD5: 0123\r\n\r\n").error, CloudReplyError::BadField);
  EXPECT_EQ(headersOf("HTTP/1.1 200 OK\r\nFirmware-MD5: 0123456789abcdef0123456789abcdeg\r\n\r\n").error,
            CloudReplyError::BadField);
  EXPECT_EQ(headersOf("HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n").error,
            CloudReplyError::HttpStatus);
  EXPECT_EQ(headersOf("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n").error,
            CloudReplyError::HttpStatus);  // incomplete
  const auto noName =
      headersOf("HTTP/1.1 200 OK\r\nContent-Disposition: attachment; xfilename=a.bin\r\n\r\n");
  ASSERT_TRUE(noName.ok());
  EXPECT_EQ(noName.value.filename, std::nullopt);
  EXPECT_EQ(noName.value.format, FirmwareImageFormat::Unknown);
  EXPECT_EQ(headersOf("HTTP/1.1 200 OK\r\nContent-Disposition: attachment; filename=image.zip\r\n\r\n")
                .value.format,
            FirmwareImageFormat::Unknown);
}

TEST(CloudErrorCode, Proto3_6_ValuesAndNames) {
  EXPECT_EQ(static_cast<std::int32_t>(CloudErrorCode::MacAlreadyRegistered), 9001);
  EXPECT_EQ(static_cast<std::int32_t>(CloudErrorCode::ProductKeyInvalid), 9002);
  EXPECT_EQ(static_cast<std::int32_t>(CloudErrorCode::DeviceNotFound), 9014);
  EXPECT_EQ(static_cast<std::int32_t>(CloudErrorCode::FormInvalid), 9015);
  EXPECT_EQ(static_cast<std::int32_t>(CloudErrorCode::DidOrPasscodeInvalid), 9016);
  EXPECT_EQ(static_cast<std::int32_t>(CloudErrorCode::DeviceNotBound), 9017);
  EXPECT_EQ(static_cast<std::int32_t>(CloudErrorCode::DeviceDisabled), 9023);
  EXPECT_EQ(static_cast<std::int32_t>(CloudErrorCode::FirmwareNotFound), 9027);
  EXPECT_EQ(static_cast<std::int32_t>(CloudErrorCode::OtaServiceIdle), 9032);
  EXPECT_EQ(static_cast<std::int32_t>(CloudErrorCode::RegisterInProgress), 9046);
  EXPECT_EQ(static_cast<std::int32_t>(CloudErrorCode::DeviceEncryptDisabled), 9047);
  EXPECT_EQ(static_cast<std::int32_t>(CloudErrorCode::DeviceEncryptEnabled), 9048);
  EXPECT_EQ(cloudErrorCodeName(CloudErrorCode::DidOrPasscodeInvalid), "did or passcode invalid");
  EXPECT_EQ(cloudErrorCodeName(CloudErrorCode::FirmwareNotFound), "firmware not found");
  EXPECT_EQ(cloudErrorCodeName(static_cast<CloudErrorCode>(1)), "unknown");
  EXPECT_EQ(cloudReplyErrorName(CloudReplyError::BadField), "bad field");
}
