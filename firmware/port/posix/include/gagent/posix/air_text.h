#pragma once
// The text conventions of the air protocol (docs/virtual-lab.md): one space between tokens, SSIDs and
// passwords percent-encoded, an empty text written "-".

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "gagent/air/text_codec.h"

namespace gagent::posix::air {

// The token codec is the air's own (one implementation for the air, the module and the rig).
using gagent::air::decodeText;
using gagent::air::encodeText;
// Splits a line (without its '\n') at single spaces; empty tokens are kept, so a doubled space is visible.
std::vector<std::string_view> splitTokens(std::string_view line);

}  // namespace gagent::posix::air
