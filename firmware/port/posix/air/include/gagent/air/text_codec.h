#pragma once
// The text codec of the air protocol (docs/virtual-lab.md): SSIDs and passwords travel as single tokens.
// A byte is written `%XX` (upper-case hex) when it is '%', a space, a control byte or not 7-bit printable, so
// a token never holds a separator; the empty text is written `-`, and the one-byte text "-" is written `%2D`.
// The decoder accepts any byte encoded, in either hex case.

#include <optional>
#include <string>
#include <string_view>

namespace gagent::air {

[[nodiscard]] std::string encodeText(std::string_view text);

// nullopt for a malformed escape (`%` not followed by two hex digits).
[[nodiscard]] std::optional<std::string> decodeText(std::string_view token);

}  // namespace gagent::air
