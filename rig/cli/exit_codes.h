#pragma once
// gizrig's exit codes (architecture practice 11): scripts and the line controller rely on them.
namespace gizrig::cli {
inline constexpr int kAllPassed = 0;
inline constexpr int kDutFailed = 1;
inline constexpr int kRigOrUsageError = 2;
}  // namespace gizrig::cli
