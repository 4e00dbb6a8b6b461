#pragma once
// The named fields of one LAN packet's payload (protocol §2.3), for decode.cpp. Internal to rig/core.

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "gagent/proto/bytes.h"

namespace gizrig::core {

using DecodedFields = std::vector<std::pair<std::string, std::string>>;

// Appends the payload's fields when the command is one the proto codecs parse; otherwise, or when the payload
// does not parse, the payload as hex (plus "body=malformed" in the second case), so nothing is hidden.
void describeLanPayload(std::uint16_t cmd, gagent::proto::Bytes payload, DecodedFields& fields);

}  // namespace gizrig::core
