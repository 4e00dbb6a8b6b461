#pragma once
// The core's log on a stdio stream (gagent-sim --log-file, default stderr), one line per message with the
// seconds since start: "   12.345 INFO  agent: joining 'HomeNet'".

#include <chrono>
#include <cstdio>

#include "gagent/core/log.h"

namespace gagent::posix {

class StreamLogSink : public core::LogSink {
 public:
  explicit StreamLogSink(std::FILE* stream) : stream_(stream), start_(std::chrono::steady_clock::now()) {}

  void write(core::LogLevel level, std::string_view module, std::string_view message) override;

 private:
  std::FILE* stream_;
  std::chrono::steady_clock::time_point start_;
};

}  // namespace gagent::posix
