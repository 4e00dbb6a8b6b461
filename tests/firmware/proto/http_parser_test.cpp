#include "gagent/proto/http_parser.h"

#include <gtest/gtest.h>

#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "gagent/proto/form.h"

using namespace gagent::proto;

namespace {

// Feeds `text` and appends every body piece to `body`.
ParseStatus feedText(HttpResponseParser& parser, std::string_view text, std::string& body) {
  return parser.feedAll(asBytes(text), [&](Bytes piece) { body.append(asText(piece)); });
}

HttpError errorOf(std::string_view response) {
  HttpResponseParser parser;
  std::string body;
  if (feedText(parser, response, body) != ParseStatus::Malformed) return HttpError::None;
  return parser.error();
}

HttpError requestErrorOf(std::string_view request) {
  HttpRequestParser parser;
  if (parser.feed(asBytes(request)).status != ParseStatus::Malformed) return HttpError::None;
  return parser.error();
}

std::string decodedField(std::string_view form, std::string_view key) {
  const auto raw = findFormField(form, key);
  if (!raw) return "<absent>";
  std::array<std::uint8_t, 128> buffer{};
  const auto size = urlDecode(*raw, buffer);
  if (!size) return "<bad>";
  return std::string(asText(Bytes(buffer).first(*size)));
}

constexpr std::string_view kRegisterReply =
    "HTTP/1.1 201 Created\r\n"
    "Content-Type: application/x-www-form-urlencoded\r\n"
    "Content-Length: 27\r\n"
    "\r\n"
    "did=WKgkQa4wHqaXyTnqDn2uDM&";

constexpr std::string_view kChunkedReply =
    "HTTP/1.1 200 OK\r\n"
    "Transfer-Encoding: chunked\r\n"
    "\r\n"
    "5;name=value\r\n"
    "hello\r\n"
    "7 ; ext=\"q\"\r\n"
    ", world\r\n"
    "B\r\n"
    "!0123456789"
    "\r\n"
    "0;last\r\n"
    "X-Trailer: 1\r\n"
    "\r\n";

}  // namespace

TEST(HttpResponseParser, Proto3_2_ContentLengthBodySplitAtEveryByte) {
  for (std::size_t split = 0; split <= kRegisterReply.size(); ++split) {
    SCOPED_TRACE(split);
    HttpResponseParser parser;
    std::string body;
    const ParseStatus first = feedText(parser, kRegisterReply.substr(0, split), body);
    EXPECT_EQ(first, split == kRegisterReply.size() ? ParseStatus::Ok : ParseStatus::NeedMore);
    EXPECT_EQ(feedText(parser, kRegisterReply.substr(split), body), ParseStatus::Ok);
    EXPECT_TRUE(parser.done());
    EXPECT_EQ(parser.statusCode(), 201);
    EXPECT_EQ(parser.reason(), "Created");
    EXPECT_EQ(parser.framing(), HttpBodyFraming::ContentLength);
    EXPECT_EQ(parser.contentLength(), 27u);
    EXPECT_EQ(parser.bodyBytes(), 27u);
    EXPECT_EQ(body, "did=WKgkQa4wHqaXyTnqDn2uDM&");
  }
}

TEST(HttpResponseParser, Proto3_1_OneByteAtATime) {
  HttpResponseParser parser;
  std::string body;
  for (std::size_t i = 0; i < kRegisterReply.size(); ++i) {
    const ParseStatus status = feedText(parser, kRegisterReply.substr(i, 1), body);
    EXPECT_EQ(status, i + 1 == kRegisterReply.size() ? ParseStatus::Ok : ParseStatus::NeedMore) << i;
  }
  EXPECT_EQ(body, "did=WKgkQa4wHqaXyTnqDn2uDM&");
}

TEST(HttpResponseParser, ChunkedWithExtensionsAndTrailersSplitAtEveryByte) {
  for (std::size_t split = 0; split <= kChunkedReply.size(); ++split) {
    SCOPED_TRACE(split);
    HttpResponseParser parser;
    std::string body;
    const ParseStatus first = feedText(parser, kChunkedReply.substr(0, split), body);
    EXPECT_EQ(first, split == kChunkedReply.size() ? ParseStatus::Ok : ParseStatus::NeedMore);
    EXPECT_EQ(feedText(parser, kChunkedReply.substr(split), body), ParseStatus::Ok);
    EXPECT_EQ(parser.framing(), HttpBodyFraming::Chunked);
    EXPECT_EQ(parser.contentLength(), std::nullopt);
    EXPECT_EQ(body, "hello, world!0123456789");
    EXPECT_EQ(parser.bodyBytes(), 23u);
  }
}

TEST(HttpResponseParser, ChunkedSplitIntoThreePiecesEverywhere) {
  for (std::size_t a = 0; a <= kChunkedReply.size(); ++a) {
    for (std::size_t b = a; b <= kChunkedReply.size(); ++b) {
      HttpResponseParser parser;
      std::string body;
      (void)feedText(parser, kChunkedReply.substr(0, a), body);
      (void)feedText(parser, kChunkedReply.substr(a, b - a), body);
      ASSERT_EQ(feedText(parser, kChunkedReply.substr(b), body), ParseStatus::Ok) << a << "," << b;
      ASSERT_EQ(body, "hello, world!0123456789") << a << "," << b;
    }
  }
}

TEST(HttpResponseParser, ChunkedFeedReturnsOnePiecePerCall) {
  HttpResponseParser parser;
  Bytes in = asBytes(kChunkedReply);
  std::vector<std::string> pieces;
  HttpResponseFeed step;
  do {
    step = parser.feed(in);
    if (!step.body.empty()) pieces.emplace_back(asText(step.body));
    in = in.subspan(step.consumed);
  } while (step.status == ParseStatus::NeedMore && !in.empty());
  EXPECT_EQ(step.status, ParseStatus::Ok);
  EXPECT_TRUE(in.empty());
  EXPECT_EQ(pieces, (std::vector<std::string>{"hello", ", world", "!0123456789"}));
}

TEST(HttpResponseParser, CloseDelimitedBodyEndsOnClose) {
  constexpr std::string_view kReply =
      "HTTP/1.0 200 OK\r\nServer: fake\r\n\r\nsoft_ver=04020007&download_url=x";
  for (std::size_t split = 0; split <= kReply.size(); ++split) {
    HttpResponseParser parser;
    std::string body;
    EXPECT_EQ(feedText(parser, kReply.substr(0, split), body), ParseStatus::NeedMore);
    EXPECT_EQ(feedText(parser, kReply.substr(split), body), ParseStatus::NeedMore);
    EXPECT_FALSE(parser.done());
    EXPECT_EQ(parser.finishOnClose(), ParseStatus::Ok);
    EXPECT_TRUE(parser.done());
    EXPECT_EQ(parser.framing(), HttpBodyFraming::UntilClose);
    EXPECT_EQ(body, "soft_ver=04020007&download_url=x");
  }
}

TEST(HttpResponseParser, CloseBeforeTheEndIsTruncated) {
  const std::string_view cases[] = {
      "",
      "HTTP/1.1 200 OK\r\nContent-Len",
      "HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabcde",
      "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhel",
      "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n",
  };
  for (std::string_view text : cases) {
    HttpResponseParser parser;
    std::string body;
    EXPECT_EQ(feedText(parser, text, body), ParseStatus::NeedMore) << text;
    EXPECT_EQ(parser.finishOnClose(), ParseStatus::Malformed) << text;
    EXPECT_EQ(parser.error(), HttpError::Truncated) << text;
  }
}

TEST(HttpResponseParser, Proto3_5_NotFoundWithJsonErrorCode) {
  HttpSmallResponse<> reply;
  EXPECT_EQ(reply.feed(asBytes("HTTP/1.1 404 Not Found\r\nContent-Type: application/json\r\n"
                               "Content-Length: 19\r\n\r\n{\"error_code\":9027}")),
            ParseStatus::Ok);
  EXPECT_TRUE(reply.done());
  EXPECT_EQ(reply.statusCode(), 404);
  EXPECT_EQ(reply.parser().reason(), "Not Found");
  EXPECT_EQ(reply.body(), "{\"error_code\":9027}");
  EXPECT_EQ(parseJsonErrorCode(reply.body()), 9027);
}

TEST(HttpResponseParser, Proto3_6_BadRequestWith9016) {
  constexpr std::string_view kBody = R"({"error_message": "did or passcode invalid", "error_code": 9016})";
  const std::string text = "HTTP/1.1 400 BAD REQUEST\r\nContent-Length: " + std::to_string(kBody.size()) +
                           "\r\n\r\n" + std::string(kBody);
  HttpSmallResponse<64> reply;
  EXPECT_EQ(reply.feed(asBytes(text)), ParseStatus::Ok);
  EXPECT_EQ(reply.statusCode(), 400);
  EXPECT_EQ(reply.parser().reason(), "BAD REQUEST");
  EXPECT_EQ(reply.body(), kBody);
  EXPECT_EQ(parseJsonErrorCode(reply.body()), 9016);
}

TEST(HttpSmallResponse, BodyLargerThanCapacityIsBodyTooLarge) {
  HttpSmallResponse<4> reply;
  EXPECT_EQ(reply.feed(asBytes("HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nabcd")), ParseStatus::NeedMore);
  EXPECT_EQ(reply.body(), "abcd");
  EXPECT_EQ(reply.feed(asBytes("e")), ParseStatus::Malformed);
  EXPECT_EQ(reply.error(), HttpError::BodyTooLarge);
  EXPECT_TRUE(reply.failed());
  EXPECT_FALSE(reply.done());
}

TEST(HttpResponseParser, BodyLongerThanContentLengthIsAnError) {
  HttpResponseParser parser;
  std::string body;
  EXPECT_EQ(feedText(parser, "HTTP/1.1 200 OK\r\nContent-Length: 3\r\n\r\nabcd", body),
            ParseStatus::Malformed);
  EXPECT_EQ(parser.error(), HttpError::BodyTooLong);
  EXPECT_EQ(body, "abc");

  HttpResponseParser split;
  std::string splitBody;
  EXPECT_EQ(feedText(split, "HTTP/1.1 200 OK\r\nContent-Length: 3\r\n\r\nabc", splitBody), ParseStatus::Ok);
  EXPECT_EQ(feedText(split, "", splitBody), ParseStatus::Ok);
  EXPECT_EQ(feedText(split, "d", splitBody), ParseStatus::Malformed);
  EXPECT_EQ(split.error(), HttpError::BodyTooLong);
  EXPECT_EQ(split.finishOnClose(), ParseStatus::Malformed);

  EXPECT_EQ(errorOf("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\nx"),
            HttpError::BodyTooLong);
  EXPECT_EQ(errorOf("HTTP/1.1 204 No Content\r\n\r\nx"), HttpError::BodyTooLong);
}

TEST(HttpResponseParser, MalformedStatusLines) {
  const std::string_view cases[] = {
      "HTTP/2 200 OK\r\n",    "HTTP/1.2 200 OK\r\n", "HTTP/1.1 20 OK\r\n",      "HTTP/1.1 200OK\r\n",
      "ICY 200 OK\r\n",       "HTTP/1.1 099 X\r\n",  "HTTP/1.1 600 X\r\n",      "http/1.1 200 OK\r\n",
      "HTTP/1.1  200 OK\r\n", "HTTP/1.1 2x0 OK\r\n", "HTTP/1.1 200 O\x01K\r\n", "\r\n",
  };
  for (std::string_view text : cases) EXPECT_EQ(errorOf(text), HttpError::BadStatusLine) << text;
}

TEST(HttpResponseParser, StatusLineWithoutReasonAndBareLineFeeds) {
  HttpResponseParser parser;
  std::string body;
  EXPECT_EQ(feedText(parser, "HTTP/1.1 200\nContent-Length: 2\n\nok", body), ParseStatus::Ok);
  EXPECT_EQ(parser.statusCode(), 200);
  EXPECT_EQ(parser.reason(), "");
  EXPECT_EQ(body, "ok");
}

TEST(HttpResponseParser, HeaderLookupIsCaseInsensitiveAndTrimmed) {
  HttpResponseParser parser;
  std::string body;
  EXPECT_EQ(feedText(parser,
                     "HTTP/1.1 200 OK\r\ncontent-length:  3 \r\nFirmware-MD5:\t0123\t\r\nX-Empty:\r\n\r\nabc",
                     body),
            ParseStatus::Ok);
  EXPECT_EQ(parser.header("Content-Length"), "3");
  EXPECT_EQ(parser.header("FIRMWARE-md5"), "0123");
  EXPECT_EQ(parser.header("x-empty"), "");
  EXPECT_EQ(parser.header("Soft-Version"), std::nullopt);
  HttpHeaderCursor cursor = parser.headers();
  HttpHeader header;
  std::vector<std::string> names;
  while (cursor.next(header)) names.emplace_back(header.name);
  EXPECT_EQ(names, (std::vector<std::string>{"content-length", "Firmware-MD5", "X-Empty"}));
}

TEST(HttpResponseParser, HeadOfExactlyTheLimitIsAcceptedOneMoreIsTooLarge) {
  const std::string start = "HTTP/1.1 200 OK\r\nContent-Length: 0\r\nX: ";
  const std::string end = "\r\n\r\n";
  const std::string fits = start + std::string(kHttpMaxHeaderBytes - start.size() - end.size(), 'a') + end;
  ASSERT_EQ(fits.size(), kHttpMaxHeaderBytes);
  HttpResponseParser parser;
  std::string body;
  EXPECT_EQ(feedText(parser, fits, body), ParseStatus::Ok);
  EXPECT_EQ(parser.header("X")->size(), kHttpMaxHeaderBytes - start.size() - end.size());

  const std::string tooLarge =
      start + std::string(kHttpMaxHeaderBytes + 1 - start.size() - end.size(), 'a') + end;
  EXPECT_EQ(errorOf(tooLarge), HttpError::HeaderTooLarge);
  EXPECT_EQ(errorOf("HTTP/1.1 200 OK\r\n" + std::string(5000, 'a')), HttpError::HeaderTooLarge);
}

TEST(HttpResponseParser, BadHeaderLines) {
  const std::string_view cases[] = {
      "HTTP/1.1 200 OK\r\nNo colon here\r\n",   "HTTP/1.1 200 OK\r\nBad Name: x\r\n",
      "HTTP/1.1 200 OK\r\nName : x\r\n",        "HTTP/1.1 200 OK\r\n: empty-name\r\n",
      "HTTP/1.1 200 OK\r\nA: b\r\n folded\r\n", "HTTP/1.1 200 OK\r\nA: b\x01\r\n",
      "HTTP/1.1 200 OK\r\nA: b\rc\r\n",
  };
  for (std::string_view text : cases) EXPECT_EQ(errorOf(text), HttpError::BadHeader) << text;
}

TEST(HttpResponseParser, ContentLengthMustBeOneNumber) {
  EXPECT_EQ(errorOf("HTTP/1.1 200 OK\r\nContent-Length: abc\r\n\r\n"), HttpError::BadContentLength);
  EXPECT_EQ(errorOf("HTTP/1.1 200 OK\r\nContent-Length: -1\r\n\r\n"), HttpError::BadContentLength);
  EXPECT_EQ(errorOf("HTTP/1.1 200 OK\r\nContent-Length: 1, 1\r\n\r\n"), HttpError::BadContentLength);
  EXPECT_EQ(errorOf("HTTP/1.1 200 OK\r\nContent-Length: 99999999999999999999\r\n\r\n"),
            HttpError::BadContentLength);
  EXPECT_EQ(errorOf("HTTP/1.1 200 OK\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n"),
            HttpError::BadContentLength);
  HttpResponseParser parser;
  std::string body;
  EXPECT_EQ(feedText(parser, "HTTP/1.1 200 OK\r\nContent-Length: 1\r\ncontent-length: 1\r\n\r\nz", body),
            ParseStatus::Ok);
  EXPECT_EQ(body, "z");
}

TEST(HttpResponseParser, TransferEncodingOtherThanChunkedIsRefused) {
  EXPECT_EQ(errorOf("HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip\r\n\r\n"),
            HttpError::UnsupportedTransferEncoding);
  EXPECT_EQ(errorOf("HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip, chunked\r\n\r\n"),
            HttpError::UnsupportedTransferEncoding);
  EXPECT_EQ(errorOf("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n\r\n"),
            HttpError::UnsupportedTransferEncoding);
  // Chunked overrides Content-Length (RFC 9112 §6.3).
  HttpResponseParser parser;
  std::string body;
  EXPECT_EQ(
      feedText(
          parser,
          "HTTP/1.1 200 OK\r\nContent-Length: 100\r\nTransfer-Encoding: Chunked\r\n\r\n2\r\nhi\r\n0\r\n\r\n",
          body),
      ParseStatus::Ok);
  EXPECT_EQ(body, "hi");
}

TEST(HttpResponseParser, BadChunkSizes) {
  const std::string head = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n";
  const std::string_view cases[] = {
      "zz\r\n", "\r\n", ";ext\r\n", " 5\r\n", "5 x\r\n", "5\rx", "-1\r\n", "10000000000000000\r\n",
  };
  for (std::string_view chunk : cases)
    EXPECT_EQ(errorOf(head + std::string(chunk)), HttpError::BadChunkSize) << chunk;
  EXPECT_EQ(errorOf(head + "5;" + std::string(kHttpMaxChunkLineBytes, 'e') + "\r\n"),
            HttpError::BadChunkSize);
  // The largest chunk size that fits 64 bits is accepted (and then waits for its data).
  HttpResponseParser parser;
  std::string body;
  EXPECT_EQ(feedText(parser, head + "FFFFFFFFFFFFFFFF\r\nab", body), ParseStatus::NeedMore);
  EXPECT_EQ(body, "ab");
}

TEST(HttpResponseParser, ChunkDataMustEndWithCrLf) {
  const std::string head = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n";
  EXPECT_EQ(errorOf(head + "5\r\nhelloX"), HttpError::BadChunkTerminator);
  EXPECT_EQ(errorOf(head + "5\r\nhello\rX"), HttpError::BadChunkTerminator);
  EXPECT_EQ(errorOf(head + std::string(2000, 'a')), HttpError::BadChunkSize);
}

TEST(HttpResponseParser, TrailerIsBounded) {
  const std::string head = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n";
  EXPECT_EQ(errorOf(head + "X: " + std::string(kHttpMaxHeaderBytes, 'a')), HttpError::HeaderTooLarge);
}

TEST(HttpResponseParser, NoBodyStatusesAndInterimResponses) {
  HttpResponseParser parser;
  std::string body;
  EXPECT_EQ(feedText(parser, "HTTP/1.1 204 No Content\r\nContent-Length: 5\r\n\r\n", body), ParseStatus::Ok);
  EXPECT_EQ(parser.framing(), HttpBodyFraming::None);

  HttpResponseParser interim;
  EXPECT_EQ(
      feedText(interim, "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok", body),
      ParseStatus::Ok);
  EXPECT_EQ(interim.statusCode(), 200);
  EXPECT_EQ(interim.header("Content-Length"), "2");
  EXPECT_EQ(body, "ok");
}

TEST(HttpResponseParser, Proto3_5_OneMebibyteStreamsThroughASmallBuffer) {
  constexpr std::size_t kImage = 1024 * 1024;
  // The parser itself stays small: the download never sits in memory.
  static_assert(sizeof(HttpResponseParser) < 4096);
  HttpResponseParser parser;
  std::string head = "HTTP/1.1 200 OK\r\nContent-Length: " + std::to_string(kImage) + "\r\n\r\n";
  std::string body;
  ASSERT_EQ(feedText(parser, head, body), ParseStatus::NeedMore);
  ASSERT_TRUE(body.empty());

  std::array<std::uint8_t, 500> chunk{};  // the "recv buffer", refilled for each read
  std::uint64_t delivered = 0;
  std::uint32_t checksum = 0;
  ParseStatus status = ParseStatus::NeedMore;
  for (std::size_t sent = 0; sent < kImage;) {
    const std::size_t n = std::min(chunk.size(), kImage - sent);
    for (std::size_t i = 0; i < n; ++i) chunk[i] = static_cast<std::uint8_t>((sent + i) * 7);
    status = parser.feedAll(Bytes(chunk).first(n), [&](Bytes piece) {
      // Every piece is a view into the caller's buffer, not a copy.
      EXPECT_GE(piece.data(), chunk.data());
      EXPECT_LE(piece.data() + piece.size(), chunk.data() + n);
      for (std::uint8_t b : piece) checksum = checksum * 31 + b;
      delivered += piece.size();
    });
    sent += n;
  }
  std::uint32_t expected = 0;
  for (std::size_t i = 0; i < kImage; ++i) expected = expected * 31 + static_cast<std::uint8_t>(i * 7);
  EXPECT_EQ(status, ParseStatus::Ok);
  EXPECT_EQ(delivered, kImage);
  EXPECT_EQ(parser.bodyBytes(), kImage);
  EXPECT_EQ(checksum, expected);
}

TEST(HttpResponseParser, OneMebibyteChunkedStream) {
  constexpr std::size_t kChunks = 1024;
  constexpr std::size_t kChunkSize = 1024;
  HttpResponseParser parser;
  std::string ignored;
  ASSERT_EQ(feedText(parser, "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n", ignored),
            ParseStatus::NeedMore);
  std::uint64_t delivered = 0;
  const std::string chunk = "400\r\n" + std::string(kChunkSize, 'x') + "\r\n";
  for (std::size_t i = 0; i < kChunks; ++i) {
    ASSERT_EQ(parser.feedAll(asBytes(chunk), [&](Bytes piece) { delivered += piece.size(); }),
              ParseStatus::NeedMore);
  }
  EXPECT_EQ(feedText(parser, "0\r\n\r\n", ignored), ParseStatus::Ok);
  EXPECT_EQ(delivered, kChunks * kChunkSize);
  EXPECT_EQ(parser.bodyBytes(), kChunks * kChunkSize);
}

TEST(HttpResponseParser, FailedParserStaysFailedUntilReset) {
  HttpResponseParser parser;
  std::string body;
  EXPECT_EQ(feedText(parser, "garbage\r\n", body), ParseStatus::Malformed);
  EXPECT_TRUE(parser.failed());
  EXPECT_EQ(feedText(parser, kRegisterReply, body), ParseStatus::Malformed);
  parser.reset();
  EXPECT_FALSE(parser.failed());
  EXPECT_EQ(parser.error(), HttpError::None);
  EXPECT_EQ(feedText(parser, kRegisterReply, body), ParseStatus::Ok);
  EXPECT_EQ(body, "did=WKgkQa4wHqaXyTnqDn2uDM&");
}

// ---- requests ----

TEST(HttpRequestParser, S6_3_WebConfigQuerySplitAtEveryByte) {
  constexpr std::string_view kRequest =
      "GET /web_config.cgi?ssid=My+Net&pass=a%26b HTTP/1.1\r\nHost: 10.10.100.254\r\nAccept: */*\r\n\r\n";
  for (std::size_t split = 0; split <= kRequest.size(); ++split) {
    SCOPED_TRACE(split);
    HttpRequestParser parser;
    const HttpRequestFeed first = parser.feed(asBytes(kRequest.substr(0, split)));
    EXPECT_EQ(first.consumed, split);
    EXPECT_EQ(first.status, split == kRequest.size() ? ParseStatus::Ok : ParseStatus::NeedMore);
    const HttpRequestFeed second = parser.feed(asBytes(kRequest.substr(split)));
    EXPECT_EQ(second.status, ParseStatus::Ok);
    EXPECT_EQ(second.consumed, split == kRequest.size() ? 0u : kRequest.size() - split);
    EXPECT_EQ(parser.method(), "GET");
    EXPECT_EQ(parser.target(), "/web_config.cgi?ssid=My+Net&pass=a%26b");
    EXPECT_EQ(parser.path(), "/web_config.cgi");
    EXPECT_EQ(parser.query(), "ssid=My+Net&pass=a%26b");
    EXPECT_EQ(parser.header("host"), "10.10.100.254");
    EXPECT_EQ(parser.body(), "");
    EXPECT_EQ(decodedField(parser.query(), "ssid"), "My Net");
    EXPECT_EQ(decodedField(parser.query(), "pass"), "a&b");
  }
}

TEST(HttpRequestParser, S6_3_PostFormSplitAtEveryByte) {
  constexpr std::string_view kRequest =
      "POST /web_config.cgi HTTP/1.1\r\nHost: 10.10.100.254\r\n"
      "Content-Type: application/x-www-form-urlencoded\r\nContent-Length: 25\r\n\r\n"
      "ssid=Home_AP&pass=secret1";
  for (std::size_t split = 0; split <= kRequest.size(); ++split) {
    SCOPED_TRACE(split);
    HttpRequestParser parser;
    (void)parser.feed(asBytes(kRequest.substr(0, split)));
    const HttpRequestFeed second = parser.feed(asBytes(kRequest.substr(split)));
    EXPECT_EQ(second.status, ParseStatus::Ok);
    EXPECT_TRUE(parser.done());
    EXPECT_EQ(parser.method(), "POST");
    EXPECT_EQ(parser.path(), "/web_config.cgi");
    EXPECT_EQ(parser.query(), "");
    EXPECT_EQ(parser.body(), "ssid=Home_AP&pass=secret1");
    EXPECT_EQ(decodedField(parser.body(), "ssid"), "Home_AP");
    EXPECT_EQ(decodedField(parser.body(), "pass"), "secret1");
  }
}

TEST(HttpRequestParser, BytesAfterTheRequestAreLeftToTheCaller) {
  constexpr std::string_view kTwo =
      "DELETE /dev/devices HTTP/1.1\r\nContent-Length: 3\r\n\r\nabcGET / HTTP/1.1\r\n\r\n";
  HttpRequestParser parser;
  const HttpRequestFeed first = parser.feed(asBytes(kTwo));
  EXPECT_EQ(first.status, ParseStatus::Ok);
  EXPECT_EQ(kTwo.substr(first.consumed), "GET / HTTP/1.1\r\n\r\n");
  EXPECT_EQ(parser.body(), "abc");
  parser.reset();
  const HttpRequestFeed second = parser.feed(asBytes(kTwo.substr(first.consumed)));
  EXPECT_EQ(second.status, ParseStatus::Ok);
  EXPECT_EQ(parser.method(), "GET");
  EXPECT_EQ(parser.path(), "/");
}

TEST(HttpRequestParser, FragmentIsNotPartOfTheQuery) {
  HttpRequestParser parser;
  EXPECT_EQ(parser.feed(asBytes("GET /a?b=1#frag HTTP/1.0\r\n\r\n")).status, ParseStatus::Ok);
  EXPECT_EQ(parser.path(), "/a");
  EXPECT_EQ(parser.query(), "b=1");
  parser.reset();
  EXPECT_EQ(parser.feed(asBytes("GET /a#x?y HTTP/1.1\r\n\r\n")).status, ParseStatus::Ok);
  EXPECT_EQ(parser.path(), "/a");
  EXPECT_EQ(parser.query(), "");
}

TEST(HttpRequestParser, BadRequestLines) {
  const std::string_view cases[] = {
      "GET\r\n",
      "GET /\r\n",
      "GET / HTTP/2.0\r\n",
      "GET  / HTTP/1.1\r\n",
      "GET / HTTP/1.1 \r\n",
      "GET http://host/ HTTP/1.1\r\n",
      "GET * HTTP/1.1\r\n",
      "G(T / HTTP/1.1\r\n",
      "GET /a\x7F HTTP/1.1\r\n",
      "\r\n",
  };
  for (std::string_view text : cases) EXPECT_EQ(requestErrorOf(text), HttpError::BadRequestLine) << text;
}

TEST(HttpRequestParser, BodyLimitsAndFraming) {
  const std::string tooBig =
      "POST / HTTP/1.1\r\nContent-Length: " + std::to_string(kHttpMaxRequestBodyBytes + 1) + "\r\n\r\n";
  EXPECT_EQ(requestErrorOf(tooBig), HttpError::BodyTooLarge);
  EXPECT_EQ(requestErrorOf("POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n"),
            HttpError::UnsupportedTransferEncoding);
  EXPECT_EQ(requestErrorOf("POST / HTTP/1.1\r\nContent-Length: x\r\n\r\n"), HttpError::BadContentLength);
  EXPECT_EQ(requestErrorOf("GET / HTTP/1.1\r\nBad Header\r\n"), HttpError::BadHeader);
  EXPECT_EQ(requestErrorOf("GET / HTTP/1.1\r\nX: " + std::string(kHttpMaxHeaderBytes, 'a')),
            HttpError::HeaderTooLarge);

  const std::string fits = "POST / HTTP/1.1\r\nContent-Length: " + std::to_string(kHttpMaxRequestBodyBytes) +
                           "\r\n\r\n" + std::string(kHttpMaxRequestBodyBytes, 'b');
  HttpRequestParser parser;
  EXPECT_EQ(parser.feed(asBytes(fits)).status, ParseStatus::Ok);
  EXPECT_EQ(parser.body().size(), kHttpMaxRequestBodyBytes);
}

TEST(HttpRequestParser, DoneAndFailedAreSticky) {
  HttpRequestParser parser;
  EXPECT_EQ(parser.feed(asBytes("GET / HTTP/1.1\r\n\r\n")).status, ParseStatus::Ok);
  const HttpRequestFeed again = parser.feed(asBytes("more"));
  EXPECT_EQ(again.status, ParseStatus::Ok);
  EXPECT_EQ(again.consumed, 0u);
  parser.reset();
  EXPECT_EQ(parser.feed(asBytes("nonsense\r\n")).status, ParseStatus::Malformed);
  EXPECT_EQ(parser.feed(asBytes("GET / HTTP/1.1\r\n\r\n")).status, ParseStatus::Malformed);
}

// ---- response building ----

TEST(HttpResponseBuilder, S6_3_WholeResponseBytes) {
  std::array<std::uint8_t, 256> out{};
  const HttpHeader headers[] = {{"Content-Type", "text/html"}, {"Connection", "close"}};
  const std::size_t size = buildHttpResponse(out, 200, headers, asBytes("<p>ok</p>"));
  EXPECT_EQ(asText(Bytes(out).first(size)),
            "HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nConnection: close\r\nContent-Length: "
            "9\r\n\r\n<p>ok</p>");
}

TEST(HttpResponseBuilder, Proto3_2_StandInCloudReplyParsesBack) {
  std::array<std::uint8_t, 256> out{};
  const HttpHeader headers[] = {{"Content-Type", "application/x-www-form-urlencoded"}};
  const std::size_t size = buildHttpResponse(out, 201, headers, asBytes("did=WKgkQa4wHqaXyTnqDn2uDM&"));
  ASSERT_GT(size, 0u);
  HttpSmallResponse<> reply;
  EXPECT_EQ(reply.feed(Bytes(out).first(size)), ParseStatus::Ok);
  EXPECT_EQ(reply.statusCode(), 201);
  EXPECT_EQ(reply.parser().reason(), "Created");
  EXPECT_EQ(reply.parser().header("content-type"), "application/x-www-form-urlencoded");
  EXPECT_EQ(reply.body(), "did=WKgkQa4wHqaXyTnqDn2uDM&");
}

TEST(HttpResponseBuilder, Proto3_5_HeadForAStreamedDownload) {
  std::array<std::uint8_t, 256> out{};
  const HttpHeader headers[] = {{"Firmware-MD5", "0123456789abcdef0123456789abcdef"},
                                {"Soft-Version", "04020007"}};
  const std::size_t size = buildHttpResponseHead(out, 200, headers, 1048576);
  EXPECT_EQ(asText(Bytes(out).first(size)),
            "HTTP/1.1 200 OK\r\nFirmware-MD5: 0123456789abcdef0123456789abcdef\r\nSoft-Version: 04020007\r\n"
            "Content-Length: 1048576\r\n\r\n");
  const std::size_t noLength = buildHttpResponseHead(out, 404, {}, std::nullopt);
  EXPECT_EQ(asText(Bytes(out).first(noLength)), "HTTP/1.1 404 Not Found\r\n\r\n");
}

TEST(HttpResponseBuilder, RefusesWhatWouldBreakTheMessage) {
  std::array<std::uint8_t, 256> out{};
  const HttpHeader injected[] = {{"X", "a\r\nSet-Cookie: y"}};
  EXPECT_EQ(buildHttpResponse(out, 200, injected, {}), 0u);
  const HttpHeader badName[] = {{"X Y", "a"}};
  EXPECT_EQ(buildHttpResponse(out, 200, badName, {}), 0u);
  const HttpHeader emptyName[] = {{"", "a"}};
  EXPECT_EQ(buildHttpResponse(out, 200, emptyName, {}), 0u);
  const HttpHeader framing[] = {{"content-length", "5"}};
  EXPECT_EQ(buildHttpResponse(out, 200, framing, {}), 0u);
  const HttpHeader chunked[] = {{"Transfer-Encoding", "chunked"}};
  EXPECT_EQ(buildHttpResponse(out, 200, chunked, {}), 0u);
  EXPECT_EQ(buildHttpResponse(out, 99, {}, {}), 0u);
  EXPECT_EQ(buildHttpResponse(out, 600, {}, {}), 0u);
  // "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok" is 40 bytes.
  EXPECT_EQ(buildHttpResponse(MutableBytes(out).first(39), 200, {}, asBytes("ok")), 0u);
  EXPECT_EQ(buildHttpResponse(MutableBytes(out).first(40), 200, {}, asBytes("ok")), 40u);
}

TEST(HttpReasonPhrase, KnownAndUnknown) {
  EXPECT_EQ(httpReasonPhrase(201), "Created");
  EXPECT_EQ(httpReasonPhrase(400), "Bad Request");
  EXPECT_EQ(httpReasonPhrase(404), "Not Found");
  EXPECT_EQ(httpReasonPhrase(299), "Unknown");
}

TEST(HttpErrorName, EveryErrorHasAName) {
  EXPECT_EQ(httpErrorName(HttpError::BadChunkSize), "bad chunk size");
  EXPECT_EQ(httpErrorName(HttpError::HeaderTooLarge), "header too large");
  EXPECT_EQ(httpErrorName(HttpError::Truncated), "connection closed before the end of the message");
}
