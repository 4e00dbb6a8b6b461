#include "gagent/core/device_config.h"

#include "gagent/proto/bytes.h"

namespace gagent::core {
namespace {

using proto::ByteReader;
using proto::ByteWriter;

template <std::size_t N>
void putText(ByteWriter& out, const StoredText<N>& text) {
  out.u8(static_cast<std::uint8_t>(text.size()));
  out.text(text.view());
}

template <std::size_t N>
bool getText(ByteReader& in, StoredText<N>& text) {
  const std::uint8_t length = in.u8();
  const std::string_view value = in.text(length);
  return in.ok() && text.assign(value);
}

enum Flags : std::uint8_t { kStartInSoftAp = 0x01 };

}  // namespace

void DeviceConfig::clearForReset() {
  did.clear();
  passcode.clear();
  ssid.clear();
  password.clear();
  thirdPartyCloud.clear();
  thirdPartyProduct.clear();
}

void DeviceConfig::clearForProductKeyChange() {
  did.clear();
  passcode.clear();
  fid = 0;
  firmwareVersion.assign(kDefaultFirmwareVersion);
  thirdPartyCloud.clear();
  thirdPartyProduct.clear();
}

std::size_t encodeDeviceConfig(const DeviceConfig& config, std::span<std::uint8_t> out) {
  ByteWriter w(out);
  w.u16(DeviceConfig::kLayoutVersion);
  putText(w, config.ssid);
  putText(w, config.password);
  putText(w, config.did);
  putText(w, config.passcode);
  putText(w, config.productKey);
  w.u32(config.fid);
  putText(w, config.firmwareVersion);
  putText(w, config.oldDid);
  putText(w, config.oldPasscode);
  putText(w, config.thirdPartyCloud);
  putText(w, config.thirdPartyProduct);
  w.u8(static_cast<std::uint8_t>(config.pendingConfigSuccess));
  w.u8(config.startInSoftAp ? kStartInSoftAp : 0);
  return w.ok() ? w.size() : 0;
}

bool decodeDeviceConfig(std::span<const std::uint8_t> in, DeviceConfig& config) {
  ByteReader r(in);
  DeviceConfig loaded;
  if (r.u16() != DeviceConfig::kLayoutVersion) return false;
  const bool textsOk = getText(r, loaded.ssid) && getText(r, loaded.password) && getText(r, loaded.did) &&
                       getText(r, loaded.passcode) && getText(r, loaded.productKey);
  if (!textsOk) return false;
  loaded.fid = r.u32();
  if (!(getText(r, loaded.firmwareVersion) && getText(r, loaded.oldDid) && getText(r, loaded.oldPasscode) &&
        getText(r, loaded.thirdPartyCloud) && getText(r, loaded.thirdPartyProduct))) {
    return false;
  }
  const std::uint8_t source = r.u8();
  const std::uint8_t flags = r.u8();
  if (!r.atEnd() || source > static_cast<std::uint8_t>(ConfigSource::Production)) return false;
  loaded.pendingConfigSuccess = static_cast<ConfigSource>(source);
  loaded.startInSoftAp = (flags & kStartInSoftAp) != 0;
  config = loaded;
  return true;
}

}  // namespace gagent::core
