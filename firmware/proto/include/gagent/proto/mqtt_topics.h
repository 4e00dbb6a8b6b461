#pragma once
// The Gizwits M2M topics (§3.7): builders for the ones the module subscribes and publishes to, a classifier
// for incoming PUBLISH topics, and MQTT topic-name/filter rules with '+'/'#' matching (used by the codec's
// validation and by the rig's broker side).

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "gagent/proto/fixed_string.h"

namespace gagent::proto {

// Longest Gizwits topic: "dev2app/" + 22-char DID + "/" + 23-char client id = 54; "ser2cli_noti/" + 32-char
// product key = 45. 64 leaves slack without letting a bad input grow unbounded.
inline constexpr std::size_t kMqttTopicCapacity = 64;
// §3.7: the client id at the end of app2dev/<did>/<clientid> is at most 23 characters.
inline constexpr std::size_t kMqttAppClientIdMaxLength = 23;

using MqttTopic = FixedString<kMqttTopicCapacity>;

// Builders. A part that is empty or contains '/', '+', '#' or NUL (it would change the topic's levels or make
// it a filter), or a result longer than kMqttTopicCapacity, gives a failed topic (!ok(), empty view).
[[nodiscard]] MqttTopic serToCliNotiTopic(std::string_view productKey);  // ser2cli_noti/<product_key>
[[nodiscard]] MqttTopic serToCliResTopic(std::string_view did);          // ser2cli_res/<did>
[[nodiscard]] MqttTopic appToDevFilter(std::string_view did);            // app2dev/<did>/#
[[nodiscard]] MqttTopic devToAppTopic(std::string_view did);             // dev2app/<did>
[[nodiscard]] MqttTopic devToAppTopic(std::string_view did,
                                      std::string_view clientId);  // dev2app/<did>/<cid>
inline constexpr std::string_view kCliToSerReqTopic = "cli2ser_req";

enum class TopicKind : std::uint8_t {
  AppToDev,      // app2dev/<did>/<clientid>: §2.2-framed control from an app (0x0090 / 0x0093)
  SerToCliRes,   // ser2cli_res/<did>: management framing (cloud_mgmt.h)
  SerToCliNoti,  // ser2cli_noti/<one level>: subscribed, unhandled by v4.2.6
  Other,
};
[[nodiscard]] std::string_view topicKindName(TopicKind kind);

struct TopicClass {
  TopicKind kind = TopicKind::Other;
  std::string_view clientId;  // AppToDev only: a view into the classified topic
};

// Classifies an incoming topic for this module's DID. app2dev needs exactly three levels with a client id of
// 1..23 characters; another DID, a missing or too long client id, or an empty `did` give Other.
// ser2cli_noti is accepted for any single non-empty level (the module only receives what it subscribed to).
[[nodiscard]] TopicClass classifyTopic(std::string_view topic, std::string_view did);

// A PUBLISH topic name: non-empty, no '+' or '#', no NUL, at most 65535 bytes.
[[nodiscard]] bool isValidTopicName(std::string_view topic);
// A SUBSCRIBE topic filter: non-empty, no NUL, '+' alone in its level, '#' alone in the last level.
[[nodiscard]] bool isValidTopicFilter(std::string_view filter);
// MQTT matching: '+' matches exactly one level (possibly empty), '#' the parent level and any number of child
// levels; a filter starting with a wildcard does not match topics starting with '$'. An invalid filter or
// topic name never matches.
[[nodiscard]] bool topicMatches(std::string_view filter, std::string_view topic);

}  // namespace gagent::proto
