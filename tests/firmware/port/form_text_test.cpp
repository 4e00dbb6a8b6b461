// The stand-in clouds' form reader (SimCloud and the rig's API server share it): §3.2 register bodies.
#include "gagent/sim/form_text.h"

#include <gtest/gtest.h>

namespace gagent::sim {
namespace {

using Fields = std::vector<std::pair<std::string, std::string>>;

TEST(FormText, S8_2_TheRegisterBodyIsReadFieldByFieldAndDecoded) {
  const std::string_view body = "passcode=PHHL%2BA&mac=02477f00000b&product_key=6f30\r\n";
  EXPECT_EQ(formValue(body, "passcode"), "PHHL+A");
  EXPECT_EQ(formValue(body, "product_key"), "6f30");
  EXPECT_EQ(formValue(body, "did"), std::nullopt);
  EXPECT_EQ(formFields(body),
            (Fields{{"passcode", "PHHL+A"}, {"mac", "02477f00000b"}, {"product_key", "6f30"}}));
}

TEST(FormText, BadPiecesAreKeptRawOrSkippedNeverLost) {
  // An undecodable value stays raw; a key without '=' has an empty value; empty keys and pieces are skipped.
  EXPECT_EQ(formFields("a=%zz&flag&&=x&b=1"), (Fields{{"a", "%zz"}, {"flag", ""}, {"b", "1"}}));
  EXPECT_EQ(formValue("a=%zz", "a"), std::nullopt);
  EXPECT_TRUE(formFields("").empty());
}

}  // namespace
}  // namespace gagent::sim
