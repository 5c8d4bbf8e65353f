// A secret (token, refresh token, client secret): locked in memory, zeroed on destruction, and
// impossible to print by accident. Read it only through reveal(), at the place it is sent.
#pragma once

#include <cstddef>
#include <memory>
#include <string>
#include <string_view>

namespace notion_mcp::util {

class Secret {
 public:
  Secret() = default;
  explicit Secret(std::string_view value);
  Secret(const Secret& other) : Secret(other.reveal()) {}
  Secret& operator=(const Secret& other);
  Secret(Secret&& other) noexcept;
  Secret& operator=(Secret&& other) noexcept;
  ~Secret();

  bool empty() const { return size_ == 0; }
  size_t size() const { return size_; }
  // The raw value. Named so that every use is easy to find in review.
  std::string_view reveal() const { return {data_, size_}; }
  // A form safe for logs: the kind of token and its length, never its characters.
  std::string redacted() const;

  friend bool operator==(const Secret& a, const Secret& b);

 private:
  void clear();
  char* data_ = nullptr;
  size_t size_ = 0;
};

}  // namespace notion_mcp::util
