#include "gagent/proto/mqtt_topics.h"

#include <gtest/gtest.h>

#include <string>
#include <string_view>

#include "gagent/proto/fixed_string.h"

using namespace gagent::proto;

namespace {
constexpr std::string_view kDid = "XGKyqeDz5ogKZhAVF8nA3k";  // 22 characters (S8.1)
constexpr std::string_view kProductKey = "6f3074fe43894547a4f1314bd7e3ae0b";
}  // namespace

TEST(FixedString, AppendsAllOrNothingAndFailsStickily) {
  FixedString<5> s;
  EXPECT_TRUE(s.empty());
  s.append("ab").append('c');
  EXPECT_TRUE(s.ok());
  EXPECT_EQ(s.view(), "abc");
  EXPECT_EQ(s.size(), 3u);
  s.append("def");  // would need 6
  EXPECT_FALSE(s.ok());
  EXPECT_EQ(s.view(), "");
  s.append("d");
  EXPECT_FALSE(s.ok());
  s.clear();
  EXPECT_TRUE(s.ok());
  s.append("abcde");
  EXPECT_TRUE(s == "abcde");
  EXPECT_EQ(FixedString<5>::capacity(), 5u);
}

TEST(MqttTopics, S8_6_SubscriptionTopics) {
  EXPECT_EQ(serToCliNotiTopic(kProductKey).view(), "ser2cli_noti/6f3074fe43894547a4f1314bd7e3ae0b");
  EXPECT_EQ(serToCliResTopic(kDid).view(), "ser2cli_res/XGKyqeDz5ogKZhAVF8nA3k");
  EXPECT_EQ(appToDevFilter(kDid).view(), "app2dev/XGKyqeDz5ogKZhAVF8nA3k/#");
}

TEST(MqttTopics, Proto3_7_PublishTopics) {
  EXPECT_EQ(devToAppTopic(kDid).view(), "dev2app/XGKyqeDz5ogKZhAVF8nA3k");
  // The longest Gizwits topic (23-char client id) fits the fixed capacity.
  const MqttTopic longest = devToAppTopic(kDid, "abcdefghijklmnopqrstuvw");
  ASSERT_TRUE(longest.ok());
  EXPECT_EQ(longest.view(), "dev2app/XGKyqeDz5ogKZhAVF8nA3k/abcdefghijklmnopqrstuvw");
  EXPECT_EQ(longest.size(), 54u);
  EXPECT_EQ(devToAppTopic(kDid, "phoneClient01").view(), "dev2app/XGKyqeDz5ogKZhAVF8nA3k/phoneClient01");
  EXPECT_EQ(kCliToSerReqTopic, "cli2ser_req");
}

TEST(MqttTopics, BuildersRefusePartsThatChangeTheLevels) {
  EXPECT_FALSE(devToAppTopic("").ok());
  EXPECT_FALSE(devToAppTopic("a/b").ok());
  EXPECT_FALSE(devToAppTopic("a+").ok());
  EXPECT_FALSE(appToDevFilter("#").ok());
  EXPECT_FALSE(serToCliResTopic(std::string_view("a\0b", 3)).ok());
  EXPECT_FALSE(devToAppTopic(kDid, "").ok());
  EXPECT_FALSE(devToAppTopic(kDid, "x/y").ok());
  EXPECT_FALSE(devToAppTopic("", "client").ok());
  EXPECT_EQ(devToAppTopic(kDid, "x/y").view(), "");
  // Too long for kMqttTopicCapacity.
  EXPECT_FALSE(serToCliNotiTopic(std::string(kMqttTopicCapacity, 'k')).ok());
}

TEST(MqttTopics, Proto3_7_ClassifiesIncomingTopics) {
  const TopicClass app = classifyTopic("app2dev/XGKyqeDz5ogKZhAVF8nA3k/phoneClient01", kDid);
  EXPECT_EQ(app.kind, TopicKind::AppToDev);
  EXPECT_EQ(app.clientId, "phoneClient01");
  const TopicClass max = classifyTopic("app2dev/XGKyqeDz5ogKZhAVF8nA3k/abcdefghijklmnopqrstuvw", kDid);
  EXPECT_EQ(max.kind, TopicKind::AppToDev);
  EXPECT_EQ(max.clientId, "abcdefghijklmnopqrstuvw");

  EXPECT_EQ(classifyTopic("ser2cli_res/XGKyqeDz5ogKZhAVF8nA3k", kDid).kind, TopicKind::SerToCliRes);
  EXPECT_EQ(classifyTopic("ser2cli_noti/6f3074fe43894547a4f1314bd7e3ae0b", kDid).kind,
            TopicKind::SerToCliNoti);
  EXPECT_EQ(classifyTopic("ser2cli_res/XGKyqeDz5ogKZhAVF8nA3k", kDid).clientId, "");
  EXPECT_EQ(topicKindName(TopicKind::AppToDev), "app2dev");
  EXPECT_EQ(topicKindName(TopicKind::Other), "other");
}

TEST(MqttTopics, Proto3_7_RejectsWrongDidAndBadClientIds) {
  auto kind = [](std::string_view topic) { return classifyTopic(topic, kDid).kind; };
  // Another device's DID (one character different, a prefix, an extension).
  EXPECT_EQ(kind("app2dev/XGKyqeDz5ogKZhAVF8nA3K/phone"), TopicKind::Other);
  EXPECT_EQ(kind("app2dev/XGKyqeDz5ogKZhAVF8nA3/phone"), TopicKind::Other);
  EXPECT_EQ(kind("app2dev/XGKyqeDz5ogKZhAVF8nA3kk/phone"), TopicKind::Other);
  EXPECT_EQ(kind("ser2cli_res/XGKyqeDz5ogKZhAVF8nA3K"), TopicKind::Other);
  EXPECT_EQ(kind("ser2cli_res/XGKyqeDz5ogKZhAVF8nA3k/x"), TopicKind::Other);
  // Client id: 24 characters, empty, missing, with a further level, with a wildcard.
  EXPECT_EQ(kind("app2dev/XGKyqeDz5ogKZhAVF8nA3k/abcdefghijklmnopqrstuvwx"), TopicKind::Other);
  EXPECT_EQ(kind("app2dev/XGKyqeDz5ogKZhAVF8nA3k/"), TopicKind::Other);
  EXPECT_EQ(kind("app2dev/XGKyqeDz5ogKZhAVF8nA3k"), TopicKind::Other);
  EXPECT_EQ(kind("app2dev/XGKyqeDz5ogKZhAVF8nA3k/phone/extra"), TopicKind::Other);
  EXPECT_EQ(kind("app2dev/XGKyqeDz5ogKZhAVF8nA3k/#"), TopicKind::Other);
  // Other prefixes and the noti rules.
  EXPECT_EQ(kind("dev2app/XGKyqeDz5ogKZhAVF8nA3k"), TopicKind::Other);
  EXPECT_EQ(kind("App2dev/XGKyqeDz5ogKZhAVF8nA3k/phone"), TopicKind::Other);
  EXPECT_EQ(kind("ser2cli_noti/"), TopicKind::Other);
  EXPECT_EQ(kind("ser2cli_noti/pk/x"), TopicKind::Other);
  EXPECT_EQ(kind(""), TopicKind::Other);
  // With no DID nothing of ours can match.
  EXPECT_EQ(classifyTopic("app2dev//phone", "").kind, TopicKind::Other);
  EXPECT_EQ(classifyTopic("ser2cli_res/", "").kind, TopicKind::Other);
}

TEST(MqttTopics, TopicNameAndFilterValidity) {
  EXPECT_TRUE(isValidTopicName("a"));
  EXPECT_TRUE(isValidTopicName("/"));
  EXPECT_TRUE(isValidTopicName("$SYS/x"));
  EXPECT_FALSE(isValidTopicName(""));
  EXPECT_FALSE(isValidTopicName("a/+"));
  EXPECT_FALSE(isValidTopicName("a#"));
  EXPECT_FALSE(isValidTopicName(std::string_view("a\0", 2)));

  for (std::string_view ok : {"#", "+", "a/#", "+/+", "a/+/b", "/", "a//b", "+/#", "/#"}) {
    EXPECT_TRUE(isValidTopicFilter(ok)) << ok;
  }
  const std::string_view bads[] = {
      "", "a#", "a/#/b", "#/a", "a+", "+a/b", "a/b+", "##", std::string_view("a\0", 2)};
  for (std::string_view bad : bads) {
    EXPECT_FALSE(isValidTopicFilter(bad)) << bad;
  }
}

TEST(MqttTopics, WildcardMatchingTable) {
  struct Row {
    std::string_view filter;
    std::string_view topic;
    bool matches;
  };
  const Row rows[] = {
      {"app2dev/D/#", "app2dev/D/phone", true},
      {"app2dev/D/#", "app2dev/D", true},  // '#' also matches the parent level
      {"app2dev/D/#", "app2dev/D/a/b/c", true},
      {"app2dev/D/#", "app2dev/E/phone", false},
      {"app2dev/D/#", "app2dev/DD/phone", false},
      {"app2dev/+/phone", "app2dev/D/phone", true},
      {"app2dev/+/phone", "app2dev/D/other", false},
      {"app2dev/+", "app2dev/D/phone", false},
      {"app2dev/+", "app2dev/D", true},
      {"app2dev/+", "app2dev/", true},  // '+' matches an empty level
      {"app2dev/+", "app2dev", false},
      {"+/+", "/", true},
      {"+", "/", false},
      {"/+", "/x", true},
      {"#", "a/b/c", true},
      {"#", "/", true},
      {"+/#", "a", true},
      {"a/b", "a/b", true},
      {"a/b", "a/b/", false},
      {"a/b/", "a/b", false},
      {"a/b", "A/b", false},
      {"a/+/c", "a/b/c/d", false},
      {"ser2cli_res/D", "ser2cli_res/D", true},
      // '$' topics are not matched by a leading wildcard, only literally.
      {"#", "$SYS/broker", false},
      {"+/broker", "$SYS/broker", false},
      {"$SYS/#", "$SYS/broker", true},
      // Invalid filters or topic names never match.
      {"a/#/b", "a/x/b", false},
      {"a+", "a+", false},
      {"a/#", "a/#", false},
      {"", "", false},
  };
  for (const Row& row : rows) {
    EXPECT_EQ(topicMatches(row.filter, row.topic), row.matches) << row.filter << " vs " << row.topic;
  }
}
