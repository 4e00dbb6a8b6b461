// libFuzzer target for the ESP ROM loader's response side (slip.h, esp_loader.h): what the rig's flasher
// parses from the wire. The input is a raw serial stream:
//   - SLIP-decoded byte by byte into a small buffer; every frame re-encodes to a wire form that decodes back
//     to the same frame;
//   - every frame that parses as a response (or request) re-encodes to exactly the frame; its status, for 2
//     and 4 status bytes, lies inside the data; a *_DATA payload's block lies inside it and its size field
//     agrees;
//   - the word reader never reads past the data.
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <vector>

#include "gagent/proto/esp_loader.h"
#include "gagent/proto/slip.h"

using namespace gagent::proto;

namespace {

void check(bool condition) {
  if (!condition) __builtin_trap();
}

bool same(Bytes a, Bytes b) {
  return a.size() == b.size() && (a.empty() || std::memcmp(a.data(), b.data(), a.size()) == 0);
}

void checkFrame(Bytes frame) {
  std::vector<std::uint8_t> wire(slipEncodedSize(frame));
  check(slipEncode(frame, wire) == wire.size());
  std::vector<std::uint8_t> storage(frame.size() + 1);
  SlipDecoder decoder(storage);
  int frames = 0;
  for (const std::uint8_t b : wire) {
    if (decoder.feed(b) == SlipDecoder::Event::Frame) {
      ++frames;
      check(same(decoder.frame(), frame));
    }
  }
  check(frames == (frame.empty() ? 0 : 1));

  if (const auto response = esp::parseResponse(frame)) {
    std::vector<std::uint8_t> again(frame.size());
    check(esp::encodeResponse(response->command, response->value, response->data, again) == frame.size());
    check(same(again, frame));
    for (const std::size_t size : {std::size_t{2}, std::size_t{4}}) {
      if (const auto status = esp::parseStatus(response->data, size)) {
        check(status->body.size() + size == response->data.size());
        check(status->ok == (response->data[status->body.size()] == 0));
      }
    }
  }
  if (const auto request = esp::parseRequest(frame)) {
    std::vector<std::uint8_t> again(frame.size());
    check(esp::encodeRequest(request->command, request->data, request->checksum, again) == frame.size());
    check(same(again, frame));
    if (const auto block = esp::parseDataBlock(request->data)) {
      check(block->data.size() + esp::kDataHeaderSize == request->data.size());
      check(*esp::word(request->data, 0) == block->data.size());
    }
    for (std::size_t i = 0; i < 20; ++i)
      check(esp::word(request->data, i).has_value() == (4 * i + 4 <= request->data.size()));
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::vector<std::uint8_t> storage(256);
  SlipDecoder decoder(storage);
  for (std::size_t i = 0; i < size; ++i) {
    const SlipDecoder::Event event = decoder.feed(data[i]);
    if (event == SlipDecoder::Event::Frame) {
      check(!decoder.frame().empty() && decoder.frame().size() <= storage.size());
      const std::vector<std::uint8_t> frame(decoder.frame().begin(), decoder.frame().end());
      checkFrame(frame);
    }
  }
  checkFrame(Bytes(data, size));  // the input as one frame's content
  return 0;
}
