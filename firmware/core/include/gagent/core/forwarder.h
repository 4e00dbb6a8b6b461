#pragma once
// Transparent forwarding between the apps (LAN clients, cloud clients) and the MCU: S7.4.1-S7.4.5, S8.7.
//
// An app's 0090 / 0093 becomes a 0x03 to the MCU, tagged so the MCU's 0x04 goes back to that requester only
// (0091, or 0094 with the app's sn). An MCU 0x05 report (already ACKed by McuLink) goes to every logged-in
// LAN client and to the cloud as 0091. The forwarder never looks inside the P0.

#include <array>
#include <cstdint>
#include <string_view>

#include "gagent/core/log.h"
#include "gagent/core/mcu_link.h"
#include "gagent/proto/bytes.h"
#include "gagent/proto/fixed_string.h"
#include "gagent/proto/lan_commands.h"

namespace gagent::core {

inline constexpr std::size_t kMaxCloudClientId = 23;  // protocol §3.7: the last topic level, <= 23 chars
using CloudClientId = proto::FixedString<kMaxCloudClientId>;

// Where the forwarder's output goes: the agent wires these to McuLink, LanServer and MqttSession.
class ForwarderOutputs {
 public:
  virtual ~ForwarderOutputs() = default;
  virtual bool sendToMcu(proto::Bytes p0, RequestTag tag, Millis now) = 0;
  virtual void answerLanClient(std::size_t slot, proto::LanCmd cmd, std::uint32_t sn, proto::Bytes p0) = 0;
  virtual void answerCloudClient(std::string_view clientId, proto::LanCmd cmd, std::uint32_t sn,
                                 proto::Bytes p0) = 0;
  // 0091 to every logged-in LAN client and to dev2app/<did>.
  virtual void reportToEveryone(proto::Bytes p0) = 0;
};

class Forwarder {
 public:
  static constexpr std::size_t kMaxPending = 8;  // more than McuLink queues, so a tag is never reused early

  Forwarder(ForwarderOutputs& outputs, LogHub& logs);

  // S7.4.1: an app command from a LAN client (0090, or 0093 with its sn).
  void fromLanClient(std::size_t slot, proto::LanCmd cmd, std::uint32_t sn, proto::Bytes p0, Millis now);
  // S7.4.2: the same from the cloud (app2dev/<did>/<clientId>).
  void fromCloudClient(std::string_view clientId, proto::LanCmd cmd, std::uint32_t sn, proto::Bytes p0,
                       Millis now);
  // S7.4.4-5: the MCU's 0x04 to the request tagged `tag`.
  void onMcuAnswer(RequestTag tag, proto::Bytes p0);
  // The MCU never answered: the request is forgotten (the app's own timeout tells the user).
  void onMcuFailed(RequestTag tag);
  // S7.4.3 (and S8.7): the MCU's 0x05 report.
  void onMcuReport(proto::Bytes p0);
  // A LAN client left: answers still on their way to it are dropped.
  void onLanClientGone(std::size_t slot);

  [[nodiscard]] std::size_t pendingCount() const;

 private:
  enum class Source : std::uint8_t { None, Lan, Cloud };
  struct Pending {
    Source source = Source::None;
    RequestTag tag = 0;
    std::size_t slot = 0;
    CloudClientId clientId;
    proto::LanCmd cmd = proto::LanCmd::P0ToDevice;
    std::uint32_t sn = 0;
  };

  void forward(Pending request, proto::Bytes p0, Millis now);
  Pending* find(RequestTag tag);

  ForwarderOutputs& outputs_;
  Logger log_;
  std::array<Pending, kMaxPending> pending_{};
  RequestTag nextTag_ = 1;
};

}  // namespace gagent::core
