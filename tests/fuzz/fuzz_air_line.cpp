// libFuzzer target for the air line protocol (firmware/port/posix/air, docs/virtual-lab.md): request lines
// from up to four connections against one AirModel. Every request gets exactly one reply line, "OK..." or
// "ERROR ...", without a newline; every event line goes to a known connection and starts with "EVENT "; the
// text codec gives back what it encoded.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "gagent/air/air_model.h"
#include "gagent/air/air_protocol.h"
#include "gagent/air/text_codec.h"

using namespace gagent::air;

namespace {

void check(bool condition) {
  if (!condition) __builtin_trap();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  AirModel model;
  AirProtocol protocol(model);
  std::vector<OutgoingLine> events;
  std::size_t start = 0;
  while (start < input.size()) {
    // The first byte of a line picks its connection (1-4; 0 closes connection 1 first).
    const auto selector = static_cast<std::uint8_t>(input[start]);
    const ConnectionId from = static_cast<ConnectionId>(selector % 4 + 1);
    if (selector == 0) protocol.disconnected(1);
    std::size_t end = input.find('\n', start + 1);
    if (end == std::string_view::npos) end = input.size();
    const std::string_view line = input.substr(start + 1, end - start - 1);
    start = end + 1;

    events.clear();
    const std::string reply = protocol.handle(from, line, events);
    check(reply.find('\n') == std::string::npos);
    check(reply.rfind("OK", 0) == 0 || reply.rfind("ERROR ", 0) == 0);
    for (const OutgoingLine& event : events) {
      check(event.line.rfind("EVENT ", 0) == 0 && event.line.find('\n') == std::string::npos);
      check(event.to >= 1 && event.to <= 4);
    }

    const std::string encoded = encodeText(line);
    check(encoded.find_first_of(" \n\r") == std::string::npos && !encoded.empty());
    const auto decoded = decodeText(encoded);
    check(decoded.has_value() && *decoded == line);
    (void)decodeText(line);
  }
  return 0;
}
