#pragma once
// `key=value&key=value` texts (application/x-www-form-urlencoded): the bodies GAgent sends to and reads from
// the cloud's HTTP API (§3.2-3.5), the WebConfig page's query/form (S6.3), and the cloud's error bodies
// (§3.6). Nothing allocates: lookups return views into the text, decoding writes into a caller buffer.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>

#include "gagent/proto/bytes.h"

namespace gagent::proto {

// The raw (still percent-encoded) value of the first field named exactly `key`, as a view into `body`.
// A key starts at the beginning of the text or after '&', '\r' or '\n' (the cloud puts fields on several
// lines, §3.3 "...&product_uuid=<uuid>\r\n"), so "did" never matches "xdid=". The value ends at '&', '\r',
// '\n' or the end of the text and may be empty. nullopt when there is no such field or `key` is empty.
[[nodiscard]] std::optional<std::string_view> findFormField(std::string_view body, std::string_view key);

// Decodes %XX (either case) and '+' (space) into `out`. Returns the decoded size; nullopt on a '%' not
// followed by two hex digits, or when `out` is too small. Never writes more than in.size() bytes.
[[nodiscard]] std::optional<std::size_t> urlDecode(std::string_view in, MutableBytes out);
// The size urlDecode would write, without writing it: nullopt on a '%' not followed by two hex digits. Lets
// a caller judge a value's decoded length before decoding it into a buffer sized for the longest it accepts.
[[nodiscard]] std::optional<std::size_t> urlDecodedSize(std::string_view in);

// Size of `text` once percent-encoded by FormWriter.
[[nodiscard]] std::size_t formEncodedSize(std::string_view text);

// A decimal number of digits only (no sign, no spaces), at most `max`; nullopt otherwise (also on overflow).
[[nodiscard]] std::optional<std::uint64_t> parseUnsignedDecimal(std::string_view text,
                                                                std::uint64_t max = UINT64_MAX);

// Appends `value` in decimal ASCII (no sign, no padding).
void appendDecimal(ByteWriter& out, std::uint64_t value);

// Appends `key=value` pairs separated by '&' to a ByteWriter. Keys and values are percent-encoded: letters,
// digits and "-._~" pass unchanged, space becomes '+', every other byte %XX (upper-case hex), so a value
// can never inject a field. Errors are the writer's (sticky): check ok() once at the end.
class FormWriter {
 public:
  explicit FormWriter(ByteWriter& out) : out_(out) {}

  FormWriter& field(std::string_view key, std::string_view value);
  FormWriter& field(std::string_view key, std::uint64_t value);

  [[nodiscard]] bool ok() const { return out_.ok(); }
  [[nodiscard]] std::size_t fieldCount() const { return fields_; }

 private:
  void encoded(std::string_view text);

  ByteWriter& out_;
  std::size_t fields_ = 0;
};

// The cloud's error code of §3.6 in an error body: JSON `"error_code": 9016` (whitespace around ':' allowed,
// the number may be quoted) or the form field `error_code=9016`. nullopt when there is none or it is not an
// integer that fits an int32.
[[nodiscard]] std::optional<std::int32_t> parseJsonErrorCode(std::string_view body);

}  // namespace gagent::proto
