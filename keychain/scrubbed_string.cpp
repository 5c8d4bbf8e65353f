#include "keychain/scrubbed_string.h"

#include <sodium.h>

#include <cstring>
#include <utility>

namespace notion_mcp::keychain {

ScrubbedString::ScrubbedString(ScrubbedString&& other) noexcept
    : data_(std::exchange(other.data_, nullptr)),
      size_(std::exchange(other.size_, 0)),
      capacity_(std::exchange(other.capacity_, 0)) {}

ScrubbedString& ScrubbedString::operator=(ScrubbedString&& other) noexcept {
  if (this != &other) {
    release();
    data_ = std::exchange(other.data_, nullptr);
    size_ = std::exchange(other.size_, 0);
    capacity_ = std::exchange(other.capacity_, 0);
  }
  return *this;
}

ScrubbedString::~ScrubbedString() { release(); }

void ScrubbedString::release() {
  if (data_ == nullptr) return;
  sodium_memzero(data_, capacity_);
  delete[] data_;
  data_ = nullptr;
  size_ = 0;
  capacity_ = 0;
}

void ScrubbedString::reserve(size_t capacity) {
  if (capacity <= capacity_) return;
  char* grown = new char[capacity];
  std::memset(grown, 0, capacity);
  if (size_ > 0) std::memcpy(grown, data_, size_);
  size_t size = size_;
  release();
  data_ = grown;
  size_ = size;
  capacity_ = capacity;
}

void ScrubbedString::resize(size_t size) {
  if (size > capacity_) reserve(size);
  if (size > size_) std::memset(data_ + size_, 0, size - size_);
  if (size < size_) sodium_memzero(data_ + size, size_ - size);
  size_ = size;
}

void ScrubbedString::append(std::string_view text) {
  if (text.empty()) return;
  if (size_ + text.size() > capacity_) {
    size_t wanted = capacity_ < 64 ? 64 : capacity_ * 2;
    while (wanted < size_ + text.size()) wanted *= 2;
    reserve(wanted);
  }
  std::memcpy(data_ + size_, text.data(), text.size());
  size_ += text.size();
}

void ScrubbedString::clear() {
  if (data_ != nullptr) sodium_memzero(data_, capacity_);
  size_ = 0;
}

}  // namespace notion_mcp::keychain
