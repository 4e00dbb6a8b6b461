// libFuzzer target for http_parser.h, form.h and cloud_http.h. The first input byte picks what the rest
// feeds:
//   0: HttpResponseParser. The same bytes fed whole, split at a fuzzer-chosen point, and one byte at a time
//      must give the same status, error, headers and body; body bytes delivered never exceed the input and
//      every piece is a view into the bytes of that call. A complete response rebuilt with buildHttpResponse
//      parses back to the same status, headers and body. The interpreters run on the collected body.
//   1: HttpRequestParser: whole vs split gives the same request; the body matches Content-Length. The
//      request routes (classifyCloudRequest) to a segment inside its path, or to no endpoint.
//   2: form helpers: found values are whole fields, urlDecode never grows, FormWriter -> findFormField ->
//      urlDecode gives the value back.
//   3: reply interpreters and parseHttpUrl on hostile text: views stay inside the input, fields meet their
//      rules, a parsed URL re-serialises and builds a download request the request parser reads back.
//   4: request builders with hostile field values: what they build parses back as the same request and
//      routes to its endpoint (and DID).
#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "gagent/proto/cloud_http.h"
#include "gagent/proto/cloud_routes.h"
#include "gagent/proto/form.h"
#include "gagent/proto/http_parser.h"

using namespace gagent::proto;

namespace {

void check(bool condition) {
  if (!condition) __builtin_trap();
}

bool inside(std::string_view part, std::string_view whole) {
  return part.empty() ||
         (part.data() >= whole.data() && part.data() + part.size() <= whole.data() + whole.size());
}

bool inside(Bytes part, Bytes whole) {
  return part.empty() ||
         (part.data() >= whole.data() && part.data() + part.size() <= whole.data() + whole.size());
}

class Input {
 public:
  explicit Input(Bytes data) : data_(data) {}
  std::uint8_t byte() {
    if (data_.empty()) return 0;
    const std::uint8_t b = data_[0];
    data_ = data_.subspan(1);
    return b;
  }
  // A length-prefixed string (length byte modulo maxLength + 1, then up to that many bytes).
  std::string_view text(std::size_t maxLength = 255) {
    const std::size_t n = std::min<std::size_t>(byte() % (maxLength + 1), data_.size());
    const std::string_view out = asText(data_.first(n));
    data_ = data_.subspan(n);
    return out;
  }
  Bytes rest() const { return data_; }

 private:
  Bytes data_;
};

struct ResponseRun {
  ParseStatus status = ParseStatus::NeedMore;
  ParseStatus closeStatus = ParseStatus::NeedMore;
  HttpError error = HttpError::None;
  std::string body;
};

// Feeds the pieces in order, checking every feed() result, then closes.
template <typename Pieces>
void runResponse(HttpResponseParser& parser, const Pieces& pieces, ResponseRun& run) {
  std::size_t total = 0;
  for (Bytes piece : pieces) {
    total += piece.size();
    Bytes in = piece;
    while (true) {
      const HttpResponseFeed step = parser.feed(in);
      check(step.consumed <= in.size());
      check(inside(step.body, in));
      check(step.body.size() <= step.consumed);
      run.body.append(asText(step.body));
      in = in.subspan(step.consumed);
      run.status = step.status;
      if (step.status == ParseStatus::Malformed || in.empty()) break;
      check(step.consumed > 0 || step.status == ParseStatus::Ok);  // progress, or the message ended
    }
    check(run.body.size() <= total);
    check(parser.bodyBytes() == run.body.size());
  }
  run.error = parser.error();
  if (run.status == ParseStatus::Ok) {
    check(parser.done() && parser.headersComplete());
    check(parser.statusCode() >= 100 && parser.statusCode() <= 599);
    if (const auto length = parser.contentLength()) check(parser.bodyBytes() == *length);
  }
  run.closeStatus = parser.finishOnClose();
  check((run.closeStatus == ParseStatus::Malformed) == parser.failed());
}

std::vector<std::pair<std::string, std::string>> headerList(const HttpResponseParser& parser) {
  std::vector<std::pair<std::string, std::string>> list;
  HttpHeaderCursor cursor = parser.headers();
  HttpHeader header;
  while (cursor.next(header)) list.emplace_back(header.name, header.value);
  return list;
}

void interpret(std::uint16_t status, std::string_view body) {
  const auto reg = parseRegisterResponse(status, body);
  if (reg.ok()) {
    check(status == 201 && reg.value.size() == kCloudDidLength && inside(reg.value, body));
  } else {
    check(reg.errorCode.has_value() <= (reg.error == CloudReplyError::HttpStatus));
  }
  const auto prov = parseProvisionResponse(status, body);
  if (prov.ok()) {
    check(status == 200 && !prov.value.host.empty() && inside(prov.value.host, body) && prov.value.port != 0);
    if (prov.value.thirdCloud) check(inside(*prov.value.thirdCloud, body));
    if (prov.value.productUuid) check(inside(*prov.value.productUuid, body));
  }
  const auto ota = parseOtaCheckResponse(status, body);
  if (ota.ok()) {
    check(status == 200 && !ota.value.softVersion.empty() && !ota.value.downloadUrl.empty());
    check(inside(ota.value.softVersion, body) && inside(ota.value.downloadUrl, body));
  }
  if (const auto code = parseJsonErrorCode(body)) {
    check(body.find("error_code") != std::string_view::npos);
  }
}

void fuzzResponse(Input input) {
  const std::size_t splitSeed = input.byte();
  const Bytes data = input.rest();
  const std::size_t split = data.empty() ? 0 : (splitSeed * data.size()) / 255;

  HttpResponseParser whole;
  ResponseRun wholeRun;
  runResponse(whole, std::array<Bytes, 1>{data}, wholeRun);

  HttpResponseParser halves;
  ResponseRun splitRun;
  runResponse(halves, std::array<Bytes, 2>{data.first(split), data.subspan(split)}, splitRun);

  std::vector<Bytes> bytes;
  for (std::size_t i = 0; i < data.size(); ++i) bytes.push_back(data.subspan(i, 1));
  HttpResponseParser single;
  ResponseRun singleRun;
  runResponse(single, bytes, singleRun);

  for (const ResponseRun* other : {&splitRun, &singleRun}) {
    check(other->status == wholeRun.status && other->error == wholeRun.error && other->body == wholeRun.body);
    check(other->closeStatus == wholeRun.closeStatus);
  }
  check(headerList(halves) == headerList(whole) && headerList(single) == headerList(whole));
  if (!whole.headersComplete()) return;
  check(halves.statusCode() == whole.statusCode() && halves.reason() == whole.reason());

  // Every listed header is found by a case-insensitive lookup.
  for (const auto& [name, value] : headerList(whole)) check(whole.header(name).has_value());

  interpret(whole.statusCode(), wholeRun.body);
  (void)parseFirmwareDownloadHeaders(whole);

  if (!whole.done()) return;
  // The collecting helper sees the same body.
  HttpSmallResponse<256> small;
  (void)small.feed(data);
  (void)small.finishOnClose();
  if (wholeRun.body.size() <= 256) check(small.done() && small.body() == wholeRun.body);

  // Rebuild: the same status, the headers minus the framing ones, the same body.
  const auto original = headerList(whole);  // `kept` views these strings
  std::vector<HttpHeader> kept;
  std::vector<std::pair<std::string, std::string>> expected;
  for (const auto& [name, value] : original) {
    if (asciiEqualsIgnoreCase(name, "Content-Length") || asciiEqualsIgnoreCase(name, "Transfer-Encoding"))
      continue;
    kept.push_back({name, value});
    expected.emplace_back(name, value);
  }
  const std::uint16_t status = whole.statusCode();
  if (status < 200 || status == 204 || status == 304) return;  // no body allowed
  // A rebuilt header line is at most 5/3 of the shortest original ("a:\n" -> "a: \r\n").
  std::vector<std::uint8_t> out(2 * kHttpMaxHeaderBytes + wholeRun.body.size() + 64);
  const std::size_t size = buildHttpResponse(out, status, kept, asBytes(wholeRun.body));
  check(size > 0);
  HttpResponseParser again;
  ResponseRun againRun;
  runResponse(again, std::array<Bytes, 1>{Bytes(out).first(size)}, againRun);
  // The rebuilt head can exceed the limit (reason phrase and Content-Length differ); otherwise identical.
  if (againRun.error == HttpError::HeaderTooLarge) return;
  check(againRun.status == ParseStatus::Ok && again.statusCode() == status && againRun.body == wholeRun.body);
  expected.emplace_back("Content-Length", std::to_string(wholeRun.body.size()));
  check(headerList(again) == expected);
}

// A route's segment is a non-empty view at the end of the path with no '/' or '?'; register and unregister
// have none, and only their exact path routes there.
void checkRoute(std::string_view method, std::string_view path) {
  const CloudRoute route = classifyCloudRequest(method, path);
  if (!route.endpoint) {
    check(route.segment.empty());
    return;
  }
  check(cloudEndpointName(*route.endpoint) != "unknown");
  switch (*route.endpoint) {
    case CloudEndpoint::Register:
    case CloudEndpoint::Unregister:
      check(path == kCloudDevicesPath && route.segment.empty());
      return;
    case CloudEndpoint::Provision:
    case CloudEndpoint::OtaCheck:
    case CloudEndpoint::Download:
      check(!route.segment.empty() && inside(route.segment, path));
      check(route.segment.data() + route.segment.size() == path.data() + path.size());
      check(route.segment.find_first_of("/?") == std::string_view::npos);
      return;
  }
  check(false);
}

void fuzzRequest(Input input) {
  const std::size_t splitSeed = input.byte();
  const Bytes data = input.rest();
  const std::size_t split = data.empty() ? 0 : (splitSeed * data.size()) / 255;

  HttpRequestParser whole;
  const HttpRequestFeed all = whole.feed(data);
  check(all.consumed <= data.size());
  check(all.status == ParseStatus::NeedMore ? all.consumed == data.size() : true);

  HttpRequestParser halves;
  const HttpRequestFeed first = halves.feed(data.first(split));
  HttpRequestFeed second = first;
  if (first.status == ParseStatus::NeedMore) {
    check(first.consumed == split);
    second = halves.feed(data.subspan(split));
    second.consumed += split;
  }
  check(second.status == all.status && second.consumed == all.consumed && halves.error() == whole.error());
  if (all.status != ParseStatus::Ok) return;
  check(halves.method() == whole.method() && halves.target() == whole.target());
  check(halves.path() == whole.path() && halves.query() == whole.query() && halves.body() == whole.body());
  check(!whole.path().empty() && whole.path().front() == '/');
  check(inside(whole.path(), whole.target()) && inside(whole.query(), whole.target()));
  const auto length = whole.header("Content-Length");
  check(whole.body().size() == (length ? *parseUnsignedDecimal(*length) : 0));
  check(whole.body().size() <= kHttpMaxRequestBodyBytes);
  checkRoute(whole.method(), whole.path());
}

void fuzzForm(Input input) {
  const std::string_view key = input.text();
  const std::string_view body = asText(input.rest());
  if (const auto value = findFormField(body, key)) {
    check(inside(*value, body));
    const std::size_t start = static_cast<std::size_t>(value->data() - body.data());
    check(start >= key.size() + 1 && body[start - 1] == '=');
    const std::size_t keyStart = start - 1 - key.size();
    check(body.substr(keyStart, key.size()) == key);
    check(keyStart == 0 || body[keyStart - 1] == '&' || body[keyStart - 1] == '\r' ||
          body[keyStart - 1] == '\n');
    check(value->find_first_of("&\r\n") == std::string_view::npos);
    const std::size_t end = start + value->size();
    check(end == body.size() || body[end] == '&' || body[end] == '\r' || body[end] == '\n');
  }

  std::vector<std::uint8_t> decoded(body.size());
  if (const auto size = urlDecode(body, decoded)) check(*size <= body.size());

  // key=value written by FormWriter comes back unchanged.
  std::vector<std::uint8_t> encoded(3 * (key.size() + body.size()) + 16);
  ByteWriter writer(encoded);
  FormWriter form(writer);
  form.field("x", "1").field(key, body);
  check(form.ok());
  std::array<std::uint8_t, 1024> keyBuffer{};
  ByteWriter keyWriter(keyBuffer);
  FormWriter(keyWriter).field(key, "");
  check(keyWriter.ok());
  const std::string_view encodedKey =
      asText(keyWriter.written()).substr(0, keyWriter.size() - 1);  // drop '='
  if (!encodedKey.empty() && encodedKey != "x") {
    const auto raw = findFormField(asText(writer.written()), encodedKey);
    check(raw.has_value() && raw->size() == formEncodedSize(body));
    std::vector<std::uint8_t> back(body.size());
    const auto size = urlDecode(*raw, back);
    check(size.has_value() && asText(Bytes(back).first(*size)) == body);
  }

  if (const auto number = parseUnsignedDecimal(body, 65535)) check(*number <= 65535);
}

void fuzzInterpreters(Input input) {
  const std::uint16_t status = static_cast<std::uint16_t>(input.byte() % 4 == 0 ? 201 : 200 + input.byte());
  const std::string_view body = asText(input.rest());
  interpret(status, body);
  interpret(200, body);
  interpret(201, body);

  const auto url = parseHttpUrl(body);
  if (!url) return;
  check(!url->host.empty() && !url->path.empty() && url->path.front() == '/' && url->port != 0);
  const std::string text =
      "http://" + std::string(url->host) + ":" + std::to_string(url->port) + std::string(url->path);
  const auto again = parseHttpUrl(text);
  check(again && again->host == url->host && again->port == url->port && again->path == url->path);

  std::vector<std::uint8_t> out(url->host.size() + url->path.size() + 64);
  const std::size_t size = buildFirmwareDownloadRequest(out, *url);
  check(size > 0);
  HttpRequestParser parser;
  const HttpRequestFeed feed = parser.feed(Bytes(out).first(size));
  check(feed.status == ParseStatus::Ok && feed.consumed == size);
  check(parser.method() == "GET" && parser.target() == url->path);
  const auto host = parser.header("Host");
  check(host && host->starts_with(url->host));
}

std::string decodedField(std::string_view form, std::string_view key) {
  const auto raw = findFormField(form, key);
  check(raw.has_value());
  std::vector<std::uint8_t> out(raw->size());
  const auto size = urlDecode(*raw, out);
  check(size.has_value());
  return std::string(asText(Bytes(out).first(*size)));
}

// Parses a built request and checks its line and framing.
void parseBuilt(Bytes request, HttpRequestParser& parser, std::string_view method) {
  const HttpRequestFeed feed = parser.feed(request);
  check(feed.status == ParseStatus::Ok && feed.consumed == request.size());
  check(parser.method() == method);
}

void fuzzBuilders(Input input) {
  // 64 bytes per field keep every form body (<= 3x when encoded) within kHttpMaxRequestBodyBytes.
  constexpr std::size_t kField = 64;
  const std::string_view host = input.text(kField);
  const std::string_view did = input.text(kField);
  const std::string_view passcode = input.text(kField);
  const std::string_view productKey = input.text(kField);
  const std::string_view hardVersion = input.text(kField);
  const std::string_view softVersion = input.text(kField);
  std::array<std::uint8_t, kCloudMacSize> mac{};
  for (auto& b : mac) b = input.byte();
  const std::uint32_t fid = static_cast<std::uint32_t>(input.byte()) << 24 | input.byte();
  std::array<std::uint8_t, 4096> out{};

  const std::size_t reg =
      buildRegisterRequest(out, {.host = host, .passcode = passcode, .mac = mac, .productKey = productKey});
  if (reg > 0) {
    HttpRequestParser parser;
    parseBuilt(Bytes(out).first(reg), parser, "POST");
    check(parser.path() == "/dev/devices" && parser.header("Host") == host);
    check(classifyCloudRequest(parser.method(), parser.path()).endpoint == CloudEndpoint::Register);
    check(decodedField(parser.body(), "passcode") == passcode);
    check(decodedField(parser.body(), "product_key") == productKey);
    check(decodedField(parser.body(), "mac").size() == 2 * kCloudMacSize);
  }

  const std::size_t prov = buildProvisionRequest(out, did, host);
  if (prov > 0) {
    HttpRequestParser parser;
    parseBuilt(Bytes(out).first(prov), parser, "GET");
    check(parser.path() == "/dev/devices/" + std::string(did) && parser.body().empty());
    const CloudRoute route = classifyCloudRequest(parser.method(), parser.path());
    check(route.endpoint == CloudEndpoint::Provision && route.segment == did);
  }

  const std::size_t unreg = buildUnregisterRequest(out, {.host = host, .did = did, .passcode = passcode});
  if (unreg > 0) {
    HttpRequestParser parser;
    parseBuilt(Bytes(out).first(unreg), parser, "DELETE");
    check(decodedField(parser.body(), "did") == did && decodedField(parser.body(), "passcode") == passcode);
    check(classifyCloudRequest(parser.method(), parser.path()).endpoint == CloudEndpoint::Unregister);
  }

  const std::size_t ota =
      buildOtaCheckRequest(out, {.host = host,
                                 .did = did,
                                 .passcode = passcode,
                                 .type = (fid & 1) ? OtaFirmwareType::Mcu : OtaFirmwareType::Wifi,
                                 .hardVersion = hardVersion,
                                 .softVersion = softVersion,
                                 .productKey = productKey,
                                 .currentFid = fid});
  if (ota > 0) {
    HttpRequestParser parser;
    parseBuilt(Bytes(out).first(ota), parser, "POST");
    check(parser.path() == "/dev/ota/v4.1/update_and_check/" + std::string(did));
    const CloudRoute route = classifyCloudRequest(parser.method(), parser.path());
    check(route.endpoint == CloudEndpoint::OtaCheck && route.segment == did);
    check(decodedField(parser.body(), "hard_version") == hardVersion);
    check(decodedField(parser.body(), "soft_version") == softVersion);
    check(decodedField(parser.body(), "current_fid") == std::to_string(fid));
    check(decodedField(parser.body(), "type") == ((fid & 1) ? "2" : "1"));
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  Input input(Bytes(data, size));
  switch (input.byte() % 5) {
    case 0:
      fuzzResponse(input);
      break;
    case 1:
      fuzzRequest(input);
      break;
    case 2:
      fuzzForm(input);
      break;
    case 3:
      fuzzInterpreters(input);
      break;
    default:
      fuzzBuilders(input);
      break;
  }
  return 0;
}
