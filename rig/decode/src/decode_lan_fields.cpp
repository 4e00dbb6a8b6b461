#include "decode_lan_fields.h"

#include <cstdio>

#include "gagent/proto/lan_commands.h"
#include "gizrig/decode/decode.h"

namespace gizrig::core {

namespace proto = gagent::proto;

namespace {

std::string text(std::string_view view) {
  return std::string(view);
}

enum class Described : std::uint8_t { Yes, Malformed, NoDecoder };

// Yes: the payload parsed and its fields were appended.
Described describeKnown(proto::LanCmd cmd, proto::Bytes payload, DecodedFields& f) {
  using proto::LanCmd;
  switch (cmd) {
    case LanCmd::OnboardingRequest: {
      const auto p = proto::parseLanOnboardingRequest(payload);
      if (!p.ok()) return Described::Malformed;
      f.emplace_back("ssid", text(p.value.ssid));
      f.emplace_back("password", text(p.value.password));
      return Described::Yes;
    }
    case LanCmd::DiscoveryReply:
    case LanCmd::StartupAnnounce: {
      const auto p = proto::parseLanDeviceAnnounce(payload);
      if (!p.ok()) return Described::Malformed;
      f.emplace_back("did", text(p.value.did));
      f.emplace_back("mac", toHex(p.value.mac));
      f.emplace_back("product_key", text(p.value.productKey));
      f.emplace_back("fw", text(p.value.firmwareVersion));
      if (p.value.apiServer) f.emplace_back("api", text(*p.value.apiServer));
      if (p.value.gagentVersion) f.emplace_back("gagent", text(*p.value.gagentVersion));
      return Described::Yes;
    }
    case LanCmd::PasscodeReply:
    case LanCmd::Login: {
      const auto p =
          cmd == LanCmd::Login ? proto::parseLanLogin(payload) : proto::parseLanPasscodeReply(payload);
      if (!p.ok()) return Described::Malformed;
      f.emplace_back("passcode", text(p.value));
      return Described::Yes;
    }
    case LanCmd::LoginResult: {
      const auto p = proto::parseLanLoginResult(payload);
      if (!p.ok()) return Described::Malformed;
      f.emplace_back("result", p.value == proto::LanLoginResult::Ok ? "ok" : "fail");
      return Described::Yes;
    }
    case LanCmd::ConfigSuccess: {
      const auto p = proto::parseLanConfigSuccess(payload);
      if (!p.ok()) return Described::Malformed;
      f.emplace_back("mac", toHex(p.value.mac));
      f.emplace_back("product_key", text(p.value.productKey));
      f.emplace_back("did", text(p.value.did));
      return Described::Yes;
    }
    case LanCmd::DeviceInfoReply: {
      const auto p = proto::parseLanDeviceInfo(payload);
      if (!p.ok()) return Described::Malformed;
      // The fixed fields are 8 raw bytes, zero padded: show them as hex, they are not always text.
      const auto raw = [](std::string_view v) {
        return toHex({reinterpret_cast<const std::uint8_t*>(v.data()), v.size()});
      };
      f.emplace_back("wifi_hard", raw(p.value.wifiHardVer));
      f.emplace_back("wifi_soft", raw(p.value.wifiSoftVer));
      f.emplace_back("mcu_hard", raw(p.value.mcuHardVer));
      f.emplace_back("mcu_soft", raw(p.value.mcuSoftVer));
      f.emplace_back("p0_ver", raw(p.value.p0Ver));
      f.emplace_back("product_key", text(p.value.productKey));
      return Described::Yes;
    }
    case LanCmd::P0ToDeviceSn:
    case LanCmd::P0FromDeviceSn: {
      const auto p = proto::parseLanSequencedP0(payload);
      if (!p.ok()) return Described::Malformed;
      f.emplace_back("sn", std::to_string(p.value.sn));
      f.emplace_back("p0", toHex(p.value.p0));
      return Described::Yes;
    }
    case LanCmd::P0ToDevice:
    case LanCmd::P0FromDevice:
      f.emplace_back("p0", toHex(payload));
      return Described::Yes;
    case LanCmd::ApList: {
      const auto p = proto::parseLanApList(payload);
      if (!p.ok()) return Described::Malformed;
      std::string aps;
      proto::forEachLanAp(p.value, [&](const proto::LanApEntry& e) {
        aps += (aps.empty() ? "" : ",") + text(e.ssid) + "(" + std::to_string(e.power) + ")";
      });
      f.emplace_back("aps", aps);
      return Described::Yes;
    }
    default:
      return Described::NoDecoder;
  }
}

}  // namespace

void describeLanPayload(std::uint16_t cmd, proto::Bytes payload, DecodedFields& fields) {
  const Described described = describeKnown(static_cast<proto::LanCmd>(cmd), payload, fields);
  if (described == Described::Yes) return;
  if (described == Described::Malformed) fields.emplace_back("body", "malformed");
  if (!payload.empty()) fields.emplace_back("payload", toHex(payload));
}

}  // namespace gizrig::core
