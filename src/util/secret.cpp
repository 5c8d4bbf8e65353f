#include "util/secret.h"

#include <sodium.h>

#include <cstring>
#include <new>

namespace notion_mcp::util {

Secret::Secret(std::string_view value) {
  if (value.empty()) return;
  data_ = new char[value.size()];
  size_ = value.size();
  std::memcpy(data_, value.data(), size_);
  // Best effort: locking can fail under a low RLIMIT_MEMLOCK; the value is still zeroed on exit.
  (void)sodium_mlock(data_, size_);
}

Secret& Secret::operator=(const Secret& other) {
  if (this != &other) *this = Secret(other.reveal());
  return *this;
}

Secret::Secret(Secret&& other) noexcept : data_(other.data_), size_(other.size_) {
  other.data_ = nullptr;
  other.size_ = 0;
}

Secret& Secret::operator=(Secret&& other) noexcept {
  if (this != &other) {
    clear();
    data_ = other.data_;
    size_ = other.size_;
    other.data_ = nullptr;
    other.size_ = 0;
  }
  return *this;
}

Secret::~Secret() { clear(); }

void Secret::clear() {
  if (data_ == nullptr) return;
  sodium_munlock(data_, size_);  // zeroes the memory, then unlocks it
  sodium_memzero(data_, size_);  // in case munlock was not possible
  delete[] data_;
  data_ = nullptr;
  size_ = 0;
}

std::string Secret::redacted() const {
  if (empty()) return "(none)";
  std::string_view value = reveal();
  std::string kind = "secret";
  for (std::string_view prefix : {"ntn_", "secret_", "nrt_"}) {
    if (value.substr(0, prefix.size()) == prefix) kind = std::string(prefix) + "…";
  }
  return kind + " (" + std::to_string(size_) + " characters, redacted)";
}

bool operator==(const Secret& a, const Secret& b) {
  return a.size_ == b.size_ && (a.size_ == 0 || sodium_memcmp(a.data_, b.data_, a.size_) == 0);
}

}  // namespace notion_mcp::util
