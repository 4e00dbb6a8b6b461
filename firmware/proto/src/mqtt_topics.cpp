#include "gagent/proto/mqtt_topics.h"

namespace gagent::proto {

namespace {

constexpr std::string_view kSerToCliNoti = "ser2cli_noti/";
constexpr std::string_view kSerToCliRes = "ser2cli_res/";
constexpr std::string_view kAppToDev = "app2dev/";
constexpr std::string_view kDevToApp = "dev2app/";
constexpr std::size_t kMaxTopicLength = 0xFFFF;  // an MQTT string

// One topic level from an identifier (DID, product key, client id): anything else would add levels or
// wildcards to the topic.
bool isPlainLevel(std::string_view part) {
  return !part.empty() && part.find_first_of(std::string_view("/+#\0", 4)) == std::string_view::npos;
}

MqttTopic build(std::string_view prefix, std::string_view part, std::string_view suffix = {}) {
  MqttTopic topic;
  if (!isPlainLevel(part)) {
    topic.fail();
    return topic;
  }
  topic.append(prefix).append(part).append(suffix);
  return topic;
}

// Splits off the first level of `rest` ('/'-separated). `more` tells whether a separator followed.
std::string_view takeLevel(std::string_view& rest, bool& more) {
  const std::size_t slash = rest.find('/');
  more = slash != std::string_view::npos;
  const std::string_view level = rest.substr(0, slash);
  rest = more ? rest.substr(slash + 1) : std::string_view();
  return level;
}

}  // namespace

MqttTopic serToCliNotiTopic(std::string_view productKey) {
  return build(kSerToCliNoti, productKey);
}
MqttTopic serToCliResTopic(std::string_view did) {
  return build(kSerToCliRes, did);
}
MqttTopic appToDevFilter(std::string_view did) {
  return build(kAppToDev, did, "/#");
}
MqttTopic devToAppTopic(std::string_view did) {
  return build(kDevToApp, did);
}

MqttTopic devToAppTopic(std::string_view did, std::string_view clientId) {
  MqttTopic topic = build(kDevToApp, did);
  if (!isPlainLevel(clientId)) topic.fail();
  topic.append('/').append(clientId);
  return topic;
}

std::string_view topicKindName(TopicKind kind) {
  switch (kind) {
    case TopicKind::AppToDev:
      return "app2dev";
    case TopicKind::SerToCliRes:
      return "ser2cli_res";
    case TopicKind::SerToCliNoti:
      return "ser2cli_noti";
    case TopicKind::Other:
      return "other";
  }
  return "other";
}

TopicClass classifyTopic(std::string_view topic, std::string_view did) {
  TopicClass result;
  if (topic.starts_with(kSerToCliNoti)) {
    if (isPlainLevel(topic.substr(kSerToCliNoti.size()))) result.kind = TopicKind::SerToCliNoti;
    return result;
  }
  if (!isPlainLevel(did)) return result;
  if (topic.starts_with(kSerToCliRes)) {
    if (topic.substr(kSerToCliRes.size()) == did) result.kind = TopicKind::SerToCliRes;
    return result;
  }
  if (topic.starts_with(kAppToDev)) {
    std::string_view rest = topic.substr(kAppToDev.size());
    if (!rest.starts_with(did) || rest.substr(did.size(), 1) != "/") return result;
    const std::string_view clientId = rest.substr(did.size() + 1);
    if (isPlainLevel(clientId) && clientId.size() <= kMqttAppClientIdMaxLength) {
      result.kind = TopicKind::AppToDev;
      result.clientId = clientId;
    }
  }
  return result;
}

bool isValidTopicName(std::string_view topic) {
  return !topic.empty() && topic.size() <= kMaxTopicLength &&
         topic.find_first_of(std::string_view("+#\0", 3)) == std::string_view::npos;
}

bool isValidTopicFilter(std::string_view filter) {
  if (filter.empty() || filter.size() > kMaxTopicLength || filter.find('\0') != std::string_view::npos)
    return false;
  std::string_view rest = filter;
  bool more = true;
  while (more) {
    const std::string_view level = takeLevel(rest, more);
    if (level.size() > 1 && level.find_first_of("+#") != std::string_view::npos) return false;
    if (level == "#" && more) return false;  // '#' must be the last level
  }
  return true;
}

bool topicMatches(std::string_view filter, std::string_view topic) {
  if (!isValidTopicFilter(filter) || !isValidTopicName(topic)) return false;
  // [MQTT-4.7.2-1]: wildcards at the first level do not match "$SYS"-style topics.
  if ((filter[0] == '+' || filter[0] == '#') && topic[0] == '$') return false;
  bool filterMore = true;
  bool topicMore = true;
  while (true) {
    const std::string_view f = takeLevel(filter, filterMore);
    if (f == "#") return true;  // matches this level, any below, and the parent ("a/#" matches "a")
    const std::string_view t = takeLevel(topic, topicMore);
    if (f != "+" && f != t) return false;
    if (!filterMore || !topicMore) {
      if (filterMore == topicMore) return true;
      // The topic ended first: only a trailing "/#" still matches (its parent-level rule).
      return filterMore && filter == "#";
    }
  }
}

}  // namespace gagent::proto
