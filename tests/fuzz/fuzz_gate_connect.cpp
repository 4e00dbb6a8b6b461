// libFuzzer target for the M2M gate's CONNECT reader (rig/cloud/src/gate_login.h): whatever a module sends
// first. The verdict on the whole input and on its prefixes agree (bytes only ever add to a login): once a
// prefix is a CONNECT or refused, every longer input is too, with the same client id; NeedMore only below the
// size cap; a CONNECT's client id and credentials are views into the input.
#include <cstddef>
#include <cstdint>

#include "gate_login.h"

using namespace gizrig::cloud::detail;
using gagent::proto::Bytes;

namespace {

void check(bool condition) {
  if (!condition) __builtin_trap();
}

bool inside(std::string_view part, Bytes whole) {
  const auto* begin = reinterpret_cast<const char*>(whole.data());
  return part.empty() || (part.data() >= begin && part.data() + part.size() <= begin + whole.size());
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const Bytes input(data, size);
  const GateLogin whole = readGateLogin(input);
  if (whole.status == GateLoginStatus::NeedMore) check(size < kMaxLoginBytes);
  if (whole.status == GateLoginStatus::Connect) {
    check(inside(whole.connect.clientId, input));
    if (whole.connect.username) check(inside(*whole.connect.username, input));
    if (whole.connect.password) check(inside(*whole.connect.password, input));
  }
  // A prefix that decides decides alike for the whole input (a few prefixes: the reader is linear).
  for (const std::size_t n : {std::size_t{1}, size / 4, size / 2, size - size / 4, size > 0 ? size - 1 : 0}) {
    if (n > size) continue;
    const GateLogin prefix = readGateLogin(input.first(n));
    if (prefix.status == GateLoginStatus::NeedMore) continue;
    check(prefix.status == whole.status);
    if (prefix.status == GateLoginStatus::Connect) check(prefix.connect.clientId == whole.connect.clientId);
  }
  return 0;
}
