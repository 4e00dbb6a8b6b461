#pragma once
// The air line protocol (docs/virtual-lab.md) over an AirModel, without I/O: one request line in, one reply
// line out, plus the EVENT lines other connections must receive. Any connection may send control requests;
// module requests need a HELLO first, which binds the connection to one module.

#include <string>
#include <string_view>
#include <vector>

#include "gagent/air/air_model.h"

namespace gagent::air {

// A connection of the server; a module's ModuleId is its connection's id.
using ConnectionId = ModuleId;

struct OutgoingLine {
  ConnectionId to = 0;
  std::string line;  // without the '\n'
  friend bool operator==(const OutgoingLine&, const OutgoingLine&) = default;
};

class AirProtocol {
 public:
  explicit AirProtocol(AirModel& model) : model_(model) {}

  // `line` without its '\n' (a trailing '\r' is tolerated). Returns the reply line without '\n'; events for
  // modules are appended to `events`. Malformed requests get `ERROR bad-request <why>`.
  std::string handle(ConnectionId from, std::string_view line, std::vector<OutgoingLine>& events);

  // The connection closed: its module is forgotten.
  void disconnected(ConnectionId id) { model_.removeModule(id); }

  [[nodiscard]] static std::string formatEvent(const AirEvent& event);

 private:
  AirModel& model_;
};

}  // namespace gagent::air
