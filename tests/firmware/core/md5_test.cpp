#include "gagent/core/md5.h"

#include <gtest/gtest.h>

#include <string>

using gagent::core::Md5;

namespace {
std::string md5Hex(const std::string& text, std::size_t pieceSize) {
  Md5 md5;
  for (std::size_t i = 0; i < text.size(); i += pieceSize) {
    const std::string piece = text.substr(i, pieceSize);
    md5.update({reinterpret_cast<const std::uint8_t*>(piece.data()), piece.size()});
  }
  const auto hex = Md5::toHex(md5.finish());
  return {hex.begin(), hex.end()};
}
}  // namespace

// RFC 1321 appendix A.5 test suite.
TEST(Md5, S9_6_Rfc1321VectorsInAnyPieceSize) {
  const struct {
    std::string input, digest;
  } vectors[] = {
      {"", "d41d8cd98f00b204e9800998ecf8427e"},
      {"a", "0cc175b9c0f1b6a831c399e269772661"},
      {"abc", "900150983cd24fb0d6963f7d28e17f72"},
      {"message digest", "f96b697d7cb7938d525a2f31aaf161d0"},
      {"abcdefghijklmnopqrstuvwxyz", "c3fcd3d76192e4007dfb496cca67e13b"},
      {"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789", "d174ab98d277d9f5a5611c2c9f419d9f"},
      {"12345678901234567890123456789012345678901234567890123456789012345678901234567890",
       "57edf4a22be3c955ac49da2e2107b67a"},
  };
  for (const auto& v : vectors) {
    for (std::size_t piece : {1u, 7u, 64u, 1000u}) EXPECT_EQ(md5Hex(v.input, piece), v.digest) << v.input;
  }
}

TEST(Md5, S9_6_MatchesHexIgnoringCaseAndRejectsOthers) {
  Md5 md5;
  const auto digest = md5.finish();
  EXPECT_TRUE(Md5::matchesHex(digest, "D41D8CD98F00B204E9800998ECF8427E"));
  EXPECT_FALSE(Md5::matchesHex(digest, "d41d8cd98f00b204e9800998ecf8427f"));
  EXPECT_FALSE(Md5::matchesHex(digest, "d41d8cd9"));
  EXPECT_FALSE(Md5::matchesHex(digest, "g41d8cd98f00b204e9800998ecf8427e"));
}
