// SimCloud: construction, the service loop and the settings shared by the HTTP API and the broker.
#include "gagent/sim/sim_cloud.h"

#include <algorithm>

#include "sim_cloud_internal.h"

namespace gagent::sim {

std::optional<std::string> HttpRequestRecord::field(std::string_view key) const {
  for (const auto& [name, value] : form) {
    if (name == key) return value;
  }
  return std::nullopt;
}

SimCloud::SimCloud(SimNet& net, SimDns& dns, SimCloudOptions options)
    : net_(net),
      options_(std::move(options)),
      apiListener_(net.listenPeer({options_.apiAddress, options_.apiPort})),
      m2mListener_(net.listenPeer({options_.m2mAddress, options_.m2mPort})) {
  dns.setHost(options_.apiHost, options_.apiAddress);
  dns.setHost(options_.m2mHost, options_.m2mAddress);
}

SimCloud::~SimCloud() {
  apiListener_.close();
  m2mListener_.close();
  for (auto& connection : httpConnections_) connection->peer->close();
  for (auto& session : sessions_) session->peer->close();
}

bool SimCloud::service(hal::Millis now) {
  const bool http = serviceHttp(now);
  const bool m2m = serviceM2m(now);
  return http || m2m;
}

hal::Millis SimCloud::nextDeadline() const {
  hal::Millis earliest = hal::kNever;
  for (const DelayedAnswer& answer : delayed_) earliest = std::min(earliest, answer.due);
  return earliest;
}

void SimCloud::setThirdCloud(std::string name, std::string productUuid) {
  thirdCloud_ = std::move(name);
  productUuid_ = std::move(productUuid);
}

std::string SimCloud::downloadUrl(const SimCloudFirmware& firmware) const {
  std::string url = "http://" + options_.apiHost;
  if (options_.apiPort != 80) url += ":" + std::to_string(options_.apiPort);
  return url + "/fw/" + firmware.name;
}

void SimCloud::setApiDown(bool down) {
  apiListener_.setRefusing(down);
}

void SimCloud::setM2mDown(bool down) {
  m2mListener_.setRefusing(down);
}

}  // namespace gagent::sim
