// hal/types.h: the dotted-quad text every log line, the 0x22 module info and the ports' text protocols use.
#include "gagent/hal/types.h"

#include <gtest/gtest.h>

namespace gagent::hal {
namespace {

TEST(Ipv4Text, DottedQuadWithoutLeadingZerosAtEveryWidth) {
  EXPECT_EQ(toText(Ipv4{}).view(), "0.0.0.0");
  EXPECT_EQ(toText(ipv4(255, 255, 255, 255)).view(), "255.255.255.255");  // the longest: 15 characters
  EXPECT_EQ(toText(ipv4(10, 0, 0, 50)).view(), "10.0.0.50");
  EXPECT_EQ(toText(ipv4(127, 0, 0, 1)).view(), "127.0.0.1");
  EXPECT_EQ(toText(ipv4(192, 168, 100, 9)).view(), "192.168.100.9");
  static_assert(toText(ipv4(1, 2, 3, 4)).chars[7] == '\0');  // NUL-terminated, usable in constant expressions
  EXPECT_STREQ(toText(ipv4(10, 10, 100, 254)).c_str(), "10.10.100.254");
}

}  // namespace
}  // namespace gagent::hal
