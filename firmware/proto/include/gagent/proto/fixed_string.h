#pragma once
// A string in a fixed-size member array: built without the heap, so firmware code can compose topics and
// other short texts. Appends are all-or-nothing; one that does not fit marks the string failed (sticky, like
// ByteWriter), so a caller checks ok() once after building.

#include <array>
#include <cstddef>
#include <string_view>

namespace gagent::proto {

template <std::size_t Capacity>
class FixedString {
 public:
  FixedString() = default;
  explicit FixedString(std::string_view text) { append(text); }

  FixedString& append(std::string_view text) {
    if (!ok_ || Capacity - size_ < text.size()) {
      ok_ = false;
      return *this;
    }
    for (char c : text) data_[size_++] = c;
    return *this;
  }
  FixedString& append(char c) { return append(std::string_view(&c, 1)); }

  // Marks the string failed (a part that is not acceptable, e.g. a topic level with a '/').
  void fail() { ok_ = false; }
  void clear() {
    size_ = 0;
    ok_ = true;
  }

  [[nodiscard]] bool ok() const { return ok_; }
  // The text built so far; empty when the string failed, so a failed build is never used by mistake.
  [[nodiscard]] std::string_view view() const {
    return ok_ ? std::string_view(data_.data(), size_) : std::string_view();
  }
  [[nodiscard]] std::size_t size() const { return view().size(); }
  [[nodiscard]] bool empty() const { return view().empty(); }
  [[nodiscard]] static constexpr std::size_t capacity() { return Capacity; }

  friend bool operator==(const FixedString& a, std::string_view b) { return a.ok() && a.view() == b; }

 private:
  std::array<char, Capacity> data_{};
  std::size_t size_ = 0;
  bool ok_ = true;
};

}  // namespace gagent::proto
