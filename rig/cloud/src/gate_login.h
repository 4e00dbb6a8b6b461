#pragma once
// The M2M gate's reading of a module's first packet, Qt-free so it can be fuzzed
// (tests/fuzz/fuzz_gate_connect): everything the module sent so far in, one verdict out. A CONNECT starts
// with 0x10, so anything else is refused before waiting for a body whose length came from garbage; a CONNECT
// is small, so one longer than kMaxLoginBytes is refused (once that much arrived, if it is still incomplete)
// instead of being buffered up to MQTT's 256 MB.

#include <cstddef>

#include "gagent/proto/mqtt.h"

namespace gizrig::cloud::detail {

inline constexpr std::size_t kMaxLoginBytes = 4096;

enum class GateLoginStatus { NeedMore, Connect, UnsupportedProtocol, Malformed };

struct GateLogin {
  GateLoginStatus status = GateLoginStatus::NeedMore;
  gagent::proto::MqttConnect connect;  // for Connect: views into the bytes given
};

[[nodiscard]] GateLogin readGateLogin(gagent::proto::Bytes received);

}  // namespace gizrig::cloud::detail
