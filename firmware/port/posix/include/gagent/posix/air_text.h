#pragma once
// The text conventions of the air protocol (docs/virtual-lab.md): one space between tokens, SSIDs and
// passwords percent-encoded, an empty text written "-".

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace gagent::posix::air {

// Percent-encodes every byte that could break a token (space, control bytes, '%', bytes >= 0x7F); the empty
// text becomes "-" and a text that is exactly "-" becomes "%2D".
std::string encodeText(std::string_view text);
// The inverse; nullopt for a malformed escape.
std::optional<std::string> decodeText(std::string_view token);
// Splits a line (without its '\n') at single spaces; empty tokens are kept, so a doubled space is visible.
std::vector<std::string_view> splitTokens(std::string_view line);

}  // namespace gagent::posix::air
