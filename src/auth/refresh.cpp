#include "auth/refresh.h"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <thread>
#include <utility>

namespace notion_mcp::auth {
namespace {

// Creates `path` and missing parents with mode 0700; an existing directory must be ours and
// closed to others, since whoever can replace the lock file can stall every refresh.
util::Result<void> make_private_directory(const std::string& path) {
  for (size_t slash = path.find('/', 1);; slash = path.find('/', slash + 1)) {
    std::string prefix = path.substr(0, slash);
    if (!prefix.empty() && ::mkdir(prefix.c_str(), 0700) != 0 && errno != EEXIST) {
      return util::make_error("lock_failed", "Could not create the directory " + prefix +
                                                 " for the refresh lock: " + std::strerror(errno) +
                                                 ".");
    }
    if (slash == std::string::npos) break;
  }
  struct stat st {};
  if (::lstat(path.c_str(), &st) != 0 || !S_ISDIR(st.st_mode)) {
    return util::make_error("lock_failed",
                            "The refresh lock directory " + path + " is not a directory.");
  }
  if (st.st_uid != ::geteuid() || (st.st_mode & 022) != 0) {
    return util::make_error("lock_failed",
                            "The refresh lock directory " + path +
                                " belongs to another user or others may write to it.",
                            "Run: chmod 700 " + path);
  }
  return {};
}

bool same_refresh_token(const keychain::Credential& a, const keychain::Credential& b) {
  return a.kind == b.kind && a.refresh_token == b.refresh_token;
}

}  // namespace

std::string lock_directory(std::string_view runtime_dir, std::string_view state_home,
                           std::string_view home) {
  // Relative paths in these variables are invalid by the XDG spec: ignore them.
  if (!runtime_dir.empty() && runtime_dir[0] == '/') {
    return std::string(runtime_dir) + "/notion-mcp";
  }
  if (!state_home.empty() && state_home[0] == '/') return std::string(state_home) + "/notion-mcp";
  if (!home.empty() && home[0] == '/') return std::string(home) + "/.local/state/notion-mcp";
  return "/tmp/notion-mcp-" + std::to_string(::geteuid());
}

util::Result<RefreshLock> RefreshLock::acquire(const std::string& directory,
                                               std::string_view profile,
                                               std::chrono::milliseconds timeout) {
  if (auto made = make_private_directory(directory); !made) return made.error();
  std::string path = directory + "/refresh-" + std::string(profile) + ".lock";
  int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
  if (fd < 0) {
    return util::make_error("lock_failed", "Could not open the refresh lock " + path + ": " +
                                               std::strerror(errno) + ".");
  }
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  for (;;) {  // bounded by `timeout`
    if (::flock(fd, LOCK_EX | LOCK_NB) == 0) return RefreshLock(fd, std::move(path));
    if (errno != EWOULDBLOCK && errno != EINTR) {
      int error = errno;
      ::close(fd);
      return util::make_error("lock_failed",
                              "Could not lock " + path + ": " + std::strerror(error) + ".");
    }
    if (std::chrono::steady_clock::now() >= deadline) {
      ::close(fd);
      auto seconds = std::chrono::duration_cast<std::chrono::seconds>(timeout).count();
      return util::make_error(
          "lock_timeout",
          "Another notion-mcp process has held the refresh lock " + path + " for more than " +
              std::to_string(seconds) + " seconds.",
          "Check for a hung notion-mcp process; the lock is released when it exits.");
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
}

RefreshLock::RefreshLock(RefreshLock&& other) noexcept
    : fd_(std::exchange(other.fd_, -1)), path_(std::move(other.path_)) {}

RefreshLock& RefreshLock::operator=(RefreshLock&& other) noexcept {
  if (this != &other) {
    if (fd_ >= 0) ::close(fd_);
    fd_ = std::exchange(other.fd_, -1);
    path_ = std::move(other.path_);
  }
  return *this;
}

RefreshLock::~RefreshLock() {
  if (fd_ >= 0) ::close(fd_);  // closing the last descriptor releases the flock
}

util::Result<RefreshOutcome> refresh_locked(const RefreshContext& context,
                                            const keychain::Credential* in_memory, bool unsaved,
                                            const util::Secret* stored_when_unsaved) {
  if (context.store == nullptr || !context.call) {
    return util::make_error("internal", "The refresh has no credential store to work with.");
  }
  auto lock = RefreshLock::acquire(context.lock_dir, context.profile, context.lock_timeout);
  if (!lock) return lock.error();

  // Re-read under the lock: another server may have rotated the refresh token meanwhile.
  auto stored = context.store->load(context.profile);
  keychain::Credential current;
  // Whether the store changed since our save failed: a new login, which must not be replaced
  // by our older one.
  const bool replaced_meanwhile = stored && stored->has_value() && stored_when_unsaved != nullptr &&
                                  !((*stored)->kind == keychain::CredentialKind::oauth &&
                                    (*stored)->refresh_token == *stored_when_unsaved);
  // What the store holds now, in case this round's save fails too.
  util::Secret stale_stored = stored && stored->has_value()    ? (*stored)->refresh_token
                              : stored_when_unsaved != nullptr ? *stored_when_unsaved
                                                               : util::Secret();
  if (unsaved && in_memory != nullptr && !replaced_meanwhile) {
    current = *in_memory;  // only this process knows the live refresh token
  } else if (!stored) {
    util::Error error = stored.error();
    error.message = "Could not re-read the saved login before refreshing it: " + error.message;
    return error;
  } else if (!stored->has_value()) {
    return util::make_error(
        "unauthorized",
        "The saved login for profile " + context.profile + " is gone (`notion-mcp logout`?).",
        "Run `notion-mcp login` again.");
  } else {
    current = std::move(**stored);
  }

  RefreshOutcome outcome;
  if (current.kind == keychain::CredentialKind::integration_token) {
    outcome.access_token = current.token;
    outcome.credential = std::move(current);
    return outcome;
  }

  ClientCredentials client{current.client_id, current.client_secret};
  auto tokens = context.call(client, current.refresh_token);
  if (!tokens) return tokens.error();  // nothing is deleted, whatever the reason

  keychain::Credential updated = current;
  bool rotated =
      !tokens->refresh_token.empty() && !(tokens->refresh_token == current.refresh_token);
  if (rotated) updated.refresh_token = tokens->refresh_token;
  if (!tokens->workspace_name.empty()) updated.workspace_name = tokens->workspace_name;
  if (!tokens->workspace_id.empty()) updated.workspace_id = tokens->workspace_id;
  if (!tokens->bot_id.empty()) updated.bot_id = tokens->bot_id;

  if (rotated || (unsaved && !replaced_meanwhile)) {
    // The old refresh token is dead now: store the new one and read it back before the lock
    // goes, so the next process to take the lock refreshes with a token that works.
    std::string why;
    for (int attempt = 0; attempt < 2; ++attempt) {
      auto saved = context.store->save(context.profile, updated);
      if (!saved) {
        why = saved.error().message;
        continue;
      }
      auto check = context.store->load(context.profile);
      if (check && check->has_value() && same_refresh_token(**check, updated)) {
        why.clear();
        break;
      }
      why = check ? "the saved login did not read back the same" : check.error().message;
    }
    if (!why.empty()) {
      outcome.stale_stored = std::move(stale_stored);
      outcome.warning =
          "Notion rotated the refresh token but the new one could not be saved in " +
          context.store->description() + " (" + why +
          "). This server keeps working; after it stops, run `notion-mcp login` again.";
    }
  }
  outcome.access_token = std::move(tokens->access_token);
  outcome.credential = std::move(updated);
  return outcome;
}

}  // namespace notion_mcp::auth
