#include "auth/browser.h"

#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <thread>

extern char** environ;

namespace notion_mcp::auth {

util::Result<void> open_in_browser(const std::string& url, const std::string& opener) {
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  // The opener and the browser it starts must not write into our terminal output or read it.
  posix_spawn_file_actions_addopen(&actions, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, "/dev/null", O_WRONLY, 0);
  posix_spawn_file_actions_addopen(&actions, STDERR_FILENO, "/dev/null", O_WRONLY, 0);
  std::string program = opener;
  std::string argument = url;
  char* argv[] = {program.data(), argument.data(), nullptr};
  pid_t pid = -1;
  int error = ::posix_spawnp(&pid, program.c_str(), &actions, nullptr, argv, environ);
  posix_spawn_file_actions_destroy(&actions);
  if (error != 0) {
    return util::make_error("browser_failed",
                            "Could not start " + opener + ": " + std::strerror(error) + ".");
  }
  // xdg-open usually hands the URL over and exits within a second.
  for (int i = 0; i < 30; ++i) {
    int status = 0;
    pid_t done = ::waitpid(pid, &status, WNOHANG);
    if (done == pid) {
      if (WIFEXITED(status) && WEXITSTATUS(status) == 0) return {};
      return util::make_error("browser_failed", opener + " could not open a browser.");
    }
    if (done < 0 && errno != EINTR) return {};
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  return {};  // still running: a browser that stays in the foreground
}

}  // namespace notion_mcp::auth
