// Cooperative cancellation: a CancelSource is cancelled once; every wait and transfer that holds
// its token registers a callback and gives up promptly.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <utility>
#include <vector>

namespace notion_mcp::util {

namespace detail {
struct CancelState {
  bool cancelled = false;
  uint64_t next_id = 1;
  std::vector<std::pair<uint64_t, std::function<void()>>> callbacks;
};
}  // namespace detail

// Deregisters its callback when destroyed, so a finished wait cannot be woken later.
class CancelRegistration {
 public:
  CancelRegistration() = default;
  CancelRegistration(const CancelRegistration&) = delete;
  CancelRegistration& operator=(const CancelRegistration&) = delete;
  CancelRegistration(CancelRegistration&& other) noexcept { *this = std::move(other); }
  CancelRegistration& operator=(CancelRegistration&& other) noexcept {
    if (this != &other) {
      reset();
      state_ = std::move(other.state_);
      id_ = std::exchange(other.id_, 0);
    }
    return *this;
  }
  ~CancelRegistration() { reset(); }

  void reset() {
    if (auto state = state_.lock()) {
      std::erase_if(state->callbacks, [this](const auto& entry) { return entry.first == id_; });
    }
    state_.reset();
    id_ = 0;
  }

 private:
  friend class CancelToken;
  std::weak_ptr<detail::CancelState> state_;
  uint64_t id_ = 0;
};

class CancelToken {
 public:
  // A default token is never cancelled.
  CancelToken() = default;

  bool cancelled() const { return state_ && state_->cancelled; }

  // Runs `callback` once when cancelled (at once if it already is). Keep the registration alive
  // for as long as the callback may run.
  [[nodiscard]] CancelRegistration on_cancel(std::function<void()> callback) const {
    CancelRegistration registration;
    if (!state_) return registration;
    if (state_->cancelled) {
      callback();
      return registration;
    }
    registration.id_ = state_->next_id++;
    registration.state_ = state_;
    state_->callbacks.emplace_back(registration.id_, std::move(callback));
    return registration;
  }

 private:
  friend class CancelSource;
  explicit CancelToken(std::shared_ptr<detail::CancelState> state) : state_(std::move(state)) {}
  std::shared_ptr<detail::CancelState> state_;
};

class CancelSource {
 public:
  CancelSource() : state_(std::make_shared<detail::CancelState>()) {}
  CancelToken token() const { return CancelToken(state_); }
  bool cancelled() const { return state_->cancelled; }

  void cancel() {
    if (state_->cancelled) return;
    state_->cancelled = true;
    // Callbacks may deregister others; take them all out first.
    auto callbacks = std::move(state_->callbacks);
    state_->callbacks.clear();
    for (auto& [id, callback] : callbacks) callback();
  }

 private:
  std::shared_ptr<detail::CancelState> state_;
};

}  // namespace notion_mcp::util
