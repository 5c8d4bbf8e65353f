// A growable byte buffer for serialised credentials: every allocation it ever owned is zeroed
// before it is freed (std::string would free its old buffers unzeroed when it grows).
#pragma once

#include <cstddef>
#include <string_view>

namespace notion_mcp::keychain {

class ScrubbedString {
 public:
  ScrubbedString() = default;
  explicit ScrubbedString(size_t capacity) { reserve(capacity); }
  ScrubbedString(const ScrubbedString&) = delete;
  ScrubbedString& operator=(const ScrubbedString&) = delete;
  ScrubbedString(ScrubbedString&& other) noexcept;
  ScrubbedString& operator=(ScrubbedString&& other) noexcept;
  ~ScrubbedString();

  void reserve(size_t capacity);
  // Sets the size to `size` (growing if needed); new bytes are zero.
  void resize(size_t size);
  void append(std::string_view text);
  void push_back(char c) { append(std::string_view(&c, 1)); }
  void clear();  // zeroes the content, keeps the capacity

  char* data() { return data_; }
  const char* data() const { return data_; }
  size_t size() const { return size_; }
  bool empty() const { return size_ == 0; }
  std::string_view view() const { return {data_, size_}; }

 private:
  void release();
  char* data_ = nullptr;
  size_t size_ = 0;
  size_t capacity_ = 0;
};

}  // namespace notion_mcp::keychain
