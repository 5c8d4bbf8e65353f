// Errors travel as values: Result<T> holds either a T or an Error a person can act on.
#pragma once

#include <string>
#include <utility>
#include <variant>

namespace notion_mcp::util {

// An error with a stable machine code, a sentence for people and a hint on how to fix it.
// `status` and `request_id` are filled when the error came from an HTTP answer.
struct Error {
  std::string code;
  std::string message;
  std::string hint;
  int status = 0;
  std::string request_id;
};

inline Error make_error(std::string code, std::string message, std::string hint = {}) {
  return Error{std::move(code), std::move(message), std::move(hint), 0, {}};
}

template <class T>
class [[nodiscard]] Result {
 public:
  Result(T value) : v_(std::in_place_index<0>, std::move(value)) {}  // NOLINT: implicit by design
  Result(Error error) : v_(std::in_place_index<1>, std::move(error)) {}  // NOLINT

  bool ok() const { return v_.index() == 0; }
  explicit operator bool() const { return ok(); }

  T& value() & { return std::get<0>(v_); }
  const T& value() const& { return std::get<0>(v_); }
  T&& value() && { return std::get<0>(std::move(v_)); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }

  const Error& error() const& { return std::get<1>(v_); }
  Error&& error() && { return std::get<1>(std::move(v_)); }

 private:
  std::variant<T, Error> v_;
};

// Result<void>: success carries nothing.
template <>
class [[nodiscard]] Result<void> {
 public:
  Result() = default;
  Result(Error error) : error_(std::move(error)), ok_(false) {}  // NOLINT
  bool ok() const { return ok_; }
  explicit operator bool() const { return ok_; }
  const Error& error() const { return error_; }

 private:
  Error error_;
  bool ok_ = true;
};

}  // namespace notion_mcp::util
