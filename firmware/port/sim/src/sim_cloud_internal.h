#pragma once
// SimCloud's per-connection state, shared by its source files (not part of the public header).

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "gagent/proto/http_parser.h"
#include "gagent/proto/mqtt.h"
#include "gagent/sim/sim_cloud.h"

namespace gagent::sim {

struct SimCloud::HttpConnection {
  PeerTcpConnection* peer = nullptr;
  proto::HttpRequestParser parser;
  bool finished = false;  // answered, closed or waiting for a delayed answer: no more reading
};

struct SimCloud::DelayedAnswer {
  hal::Millis due = 0;
  PeerTcpConnection* peer = nullptr;
  std::vector<std::uint8_t> bytes;
};

// An HTTP answer before it becomes bytes.
struct SimCloud::Answer {
  bool respond = true;  // false: close without answering
  std::uint16_t status = 200;
  std::vector<std::pair<std::string, std::string>> headers;
  std::vector<std::uint8_t> body;
  hal::Millis delay = 0;
};

struct SimCloud::Session {
  PeerTcpConnection* peer = nullptr;
  proto::MqttStreamDecoder decoder;
  bool connected = false;  // CONNACK 0x00 sent
  bool hung = false;       // saw silent mode: swallows everything for good
  bool closed = false;     // the cloud closed it
  std::string did;
  std::string productKey;
  std::vector<std::string> subscriptions;
};

}  // namespace gagent::sim
