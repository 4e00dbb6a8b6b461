#include "gagent/posix/air_text.h"

namespace gagent::posix::air {

std::vector<std::string_view> splitTokens(std::string_view line) {
  std::vector<std::string_view> tokens;
  if (line.empty()) return tokens;
  std::size_t start = 0;
  for (;;) {
    const std::size_t space = line.find(' ', start);
    if (space == std::string_view::npos) {
      tokens.push_back(line.substr(start));
      return tokens;
    }
    tokens.push_back(line.substr(start, space - start));
    start = space + 1;
  }
}

}  // namespace gagent::posix::air
