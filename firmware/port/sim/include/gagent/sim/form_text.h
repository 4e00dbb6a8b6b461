#pragma once
// Host-side reading of the module's form bodies (§3.2-3.5) for the stand-in clouds (SimCloud here, the rig's
// CloudApiServer): decoded values as std::string, on top of proto/form.h (which the firmware uses without a
// heap).

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace gagent::sim {

// The decoded value of the first form field `key`; nullopt when absent or not decodable.
[[nodiscard]] std::optional<std::string> formValue(std::string_view body, std::string_view key);

// Every field of a form body in order (pieces split at '&' or a line end; empty keys skipped), decoded where
// possible and raw otherwise, for the request logs.
[[nodiscard]] std::vector<std::pair<std::string, std::string>> formFields(std::string_view body);

}  // namespace gagent::sim
