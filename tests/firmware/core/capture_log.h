#pragma once
// A log sink for the core's tests: keeps every line as "module: message".

#include <algorithm>
#include <string>
#include <string_view>
#include <vector>

#include "gagent/core/log.h"

namespace gagent::core {

struct CaptureLog : LogSink {
  std::vector<std::string> lines;
  void write(LogLevel, std::string_view module, std::string_view message) override {
    lines.push_back(std::string(module) + ": " + std::string(message));
  }
  [[nodiscard]] bool contains(std::string_view text) const { return count(text) > 0; }
  [[nodiscard]] std::size_t count(std::string_view text) const {
    return static_cast<std::size_t>(std::count_if(lines.begin(), lines.end(), [&](const std::string& line) {
      return line.find(text) != std::string::npos;
    }));
  }
};

}  // namespace gagent::core
