#include "sandbox/sandbox_check.h"

#include <arpa/inet.h>
#include <dirent.h>
#include <fcntl.h>
#include <linux/keyctl.h>
#include <linux/perf_event.h>
#include <netinet/in.h>
#include <pwd.h>
#include <sched.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/personality.h>
#include <sys/ptrace.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstddef>
#include <cstring>
#include <fstream>
#include <tuple>
#include <utility>

#include "sandbox/broker.h"
#include "sandbox/ipc.h"

namespace notion_mcp::sandbox {
namespace {

// How an attempt ends inside the worker (its exit status).
constexpr int kAttemptSucceeded = 0;
constexpr int kAttemptRefusedByBroker = 2;
constexpr int kAttemptSetupFailed = 3;
constexpr int kDeniedBase = 64;  // + errno

int denied(int error) { return kDeniedBase + std::clamp(error, 0, 190); }
int outcome_of(long rc) { return rc >= 0 ? kAttemptSucceeded : denied(errno); }

sockaddr_in ipv4(const std::string& host, uint16_t port) {
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(port);
  ::inet_pton(AF_INET, host.c_str(), &address.sin_addr);
  return address;
}

// A TCP connection attempt; a SYN on its way (EINPROGRESS) counts as success.
int tcp_attempt(const std::string& host, uint16_t port) {
  int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (fd < 0) return denied(errno);
  sockaddr_in address = ipv4(host, port);
  if (::connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0) {
    return errno == EINPROGRESS ? kAttemptSucceeded : denied(errno);
  }
  // A connect() that "succeeded" without a peer was swallowed by the seccomp rule.
  sockaddr_in peer{};
  socklen_t length = sizeof peer;
  return ::getpeername(fd, reinterpret_cast<sockaddr*>(&peer), &length) == 0 ? kAttemptSucceeded
                                                                             : denied(errno);
}

int udp_attempt(const std::string& host, uint16_t port, const void* data, size_t size) {
  int fd = ::socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return denied(errno);
  sockaddr_in address = ipv4(host, port);
  return outcome_of(
      ::sendto(fd, data, size, 0, reinterpret_cast<sockaddr*>(&address), sizeof address));
}

int unix_attempt(const std::string& name, bool abstract) {
  int fd = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return denied(errno);
  sockaddr_un address{};
  address.sun_family = AF_UNIX;
  size_t offset = abstract ? 1 : 0;
  size_t size = std::min(name.size(), sizeof address.sun_path - 1 - offset);
  std::memcpy(address.sun_path + offset, name.data(), size);
  auto length =
      static_cast<socklen_t>(offsetof(sockaddr_un, sun_path) + offset + size + (abstract ? 0 : 1));
  return outcome_of(::connect(fd, reinterpret_cast<sockaddr*>(&address), length));
}

int open_attempt(const std::string& path, int flags) {
  return outcome_of(::open(path.c_str(), flags | O_CLOEXEC | O_NOCTTY, 0600));
}

int tcp_loopback(const EscapeTargets& t, int) { return tcp_attempt("127.0.0.1", t.tcp_port); }
int tcp_remote(const EscapeTargets& t, int) { return tcp_attempt(t.remote_host, t.remote_port); }
int udp(const EscapeTargets& t, int) { return udp_attempt("127.0.0.1", t.udp_port, "x", 1); }
int dns(const EscapeTargets& t, int) {
  // A query for example.com, type A: what a resolver inside the worker would send.
  static const unsigned char query[] = {0x12, 0x34, 0x01, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00,
                                        0x00, 0x00, 7,    'e',  'x',  'a',  'm',  'p',  'l',  'e',
                                        3,    'c',  'o',  'm',  0,    0x00, 0x01, 0x00, 0x01};
  return udp_attempt(t.dns_server, 53, query, sizeof query);
}
int unix_socket(const EscapeTargets& t, int) { return unix_attempt(t.unix_socket_path, false); }
int dbus_session_bus(const EscapeTargets& t, int) {
  return unix_attempt(t.dbus_socket, t.dbus_abstract);
}
int abstract_socket(const EscapeTargets& t, int) { return unix_attempt(t.abstract_name, true); }
int read_passwd(const EscapeTargets& t, int) { return open_attempt(t.passwd_path, O_RDONLY); }
int read_ssh(const EscapeTargets& t, int) {
  return open_attempt(t.ssh_dir, O_RDONLY | O_DIRECTORY);
}
int read_keyring(const EscapeTargets& t, int) {
  return open_attempt(t.keyring_dir, O_RDONLY | O_DIRECTORY);
}
int read_environ(const EscapeTargets& t, int) { return open_attempt(t.broker_environ, O_RDONLY); }
int write_file(const EscapeTargets& t, int) {
  std::string path = t.writable_dir + "/escape-" + std::to_string(::getpid());
  int result = open_attempt(path, O_WRONLY | O_CREAT | O_EXCL);
  if (result == kAttemptSucceeded) ::unlink(path.c_str());
  return result;
}
int exec_shell(const EscapeTargets&, int) {
  ::execl("/bin/sh", "sh", "-c", "exit 0", static_cast<char*>(nullptr));
  return denied(errno);
}
int ptrace_broker(const EscapeTargets& t, int) {
  // PTRACE_SEIZE attaches without stopping the broker; the attachment ends when we exit.
  return outcome_of(::ptrace(PTRACE_SEIZE, t.broker_pid, nullptr, nullptr));
}
int kill_broker(const EscapeTargets& t, int) { return outcome_of(::kill(t.broker_pid, 0)); }
int io_uring(const EscapeTargets&, int) {
  unsigned char params[120] = {};  // struct io_uring_params
  return outcome_of(::syscall(SYS_io_uring_setup, 1, params));
}
int bpf(const EscapeTargets&, int) {
  // BPF_MAP_CREATE of a one-entry array map: the smallest thing bpf() can be asked for.
  uint32_t attr[16] = {2 /* BPF_MAP_TYPE_ARRAY */, 4, 4, 1};
  return outcome_of(::syscall(SYS_bpf, 0 /* BPF_MAP_CREATE */, attr, sizeof attr));
}
int keyctl(const EscapeTargets&, int) {
  return outcome_of(::syscall(SYS_keyctl, KEYCTL_GET_KEYRING_ID, KEY_SPEC_USER_KEYRING, 0));
}
int mount_tmpfs(const EscapeTargets& t, int) {
  if (::mount("none", t.writable_dir.c_str(), "tmpfs", 0, nullptr) != 0) return denied(errno);
  // It worked (no jail): take it away again, it may be the host's mount namespace.
  ::umount2(t.writable_dir.c_str(), MNT_DETACH);
  return kAttemptSucceeded;
}
int unshare_user(const EscapeTargets&, int) { return outcome_of(::unshare(CLONE_NEWUSER)); }
int setns_broker(const EscapeTargets& t, int) {
  return outcome_of(::setns(t.namespace_fd, CLONE_NEWNET));
}
int personality_exec(const EscapeTargets&, int) {
  return outcome_of(::syscall(SYS_personality, READ_IMPLIES_EXEC));
}
int userfaultfd(const EscapeTargets&, int) {
  constexpr int kUserModeOnly = 1;  // UFFD_USER_MODE_ONLY: what unprivileged callers may ask
  return outcome_of(::syscall(SYS_userfaultfd, O_CLOEXEC | kUserModeOnly));
}
int perf_event(const EscapeTargets&, int) {
  perf_event_attr attr{};
  attr.type = PERF_TYPE_SOFTWARE;
  attr.size = sizeof attr;
  attr.config = PERF_COUNT_SW_TASK_CLOCK;
  attr.exclude_kernel = 1;
  attr.exclude_hv = 1;
  return outcome_of(::syscall(SYS_perf_event_open, &attr, 0, -1, -1, 0));
}
int new_process(const EscapeTargets&, int) {
  pid_t pid = ::fork();
  if (pid == 0) ::_exit(0);
  if (pid < 0) return denied(errno);
  ::waitpid(pid, nullptr, 0);
  return kAttemptSucceeded;
}
int exec_memory(const EscapeTargets&, int) {
  void* p =
      ::mmap(nullptr, 4096, PROT_READ | PROT_WRITE | PROT_EXEC, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  return p == MAP_FAILED ? denied(errno) : kAttemptSucceeded;
}
int connect_other_host(const EscapeTargets&, int channel) {
  auto answer = call_broker(channel, ipc::Message{1, ipc::Connect{"example.com", 443}}, 5000);
  if (!answer.ok()) return kAttemptSetupFailed;
  if (std::holds_alternative<ipc::Connected>(answer->message.body)) return kAttemptSucceeded;
  const auto* failure = std::get_if<ipc::Failure>(&answer->message.body);
  return failure != nullptr && failure->code == ipc::FailureCode::refused ? kAttemptRefusedByBroker
                                                                          : kAttemptSetupFailed;
}

// Why the target of attempt `name` is missing outside the jail ("" when it is there). An
// attempt against a missing target would fail for the wrong reason, so it is not made.
std::string missing_target(std::string_view name, const EscapeTargets& t) {
  auto path_missing = [](const std::string& path) -> std::string {
    if (path.empty()) return "no target";
    return ::access(path.c_str(), F_OK) == 0 ? "" : path + " does not exist here";
  };
  if (name == "read-passwd") return path_missing(t.passwd_path);
  if (name == "read-ssh") return path_missing(t.ssh_dir);
  if (name == "read-keyring") return path_missing(t.keyring_dir);
  if (name == "read-broker-environ") return path_missing(t.broker_environ);
  if (name == "write-file" || name == "mount") return path_missing(t.writable_dir);
  if (name == "unix-socket") return path_missing(t.unix_socket_path);
  if (name == "dbus-session-bus") {
    return t.dbus_abstract ? (t.dbus_socket.empty() ? "no target" : "")
                           : path_missing(t.dbus_socket);
  }
  if (name == "abstract-socket" && t.abstract_name.empty()) return "no listener";
  if (name == "tcp-loopback" && t.tcp_port == 0) return "no listener";
  if (name == "udp" && t.udp_port == 0) return "no listener";
  if (name == "setns" && t.namespace_fd < 0) return "no namespace descriptor";
  return {};
}

std::string errno_name(int error) {
  const char* name = ::strerrorname_np(error);
  return name != nullptr ? name : "errno " + std::to_string(error);
}

AttemptOutcome classify(std::string_view name, int status) {
  AttemptOutcome outcome;
  outcome.name = std::string(name);
  using Verdict = AttemptOutcome::Verdict;
  if (WIFEXITED(status)) {
    int code = WEXITSTATUS(status);
    if (code == kAttemptSucceeded) {
      outcome.verdict = Verdict::allowed;
      outcome.how = "it succeeded";
    } else if (code == kAttemptRefusedByBroker) {
      outcome.verdict = Verdict::denied;
      outcome.how = "refused by the broker";
      outcome.refused_by_broker = true;
    } else if (code >= kDeniedBase) {
      outcome.verdict = Verdict::denied;
      outcome.error = code - kDeniedBase;
      outcome.how = errno_name(outcome.error) + ": " + std::strerror(outcome.error);
    } else {
      outcome.verdict = Verdict::error;
      outcome.how = "the attempt could not be set up (status " + std::to_string(code) + ")";
    }
  } else if (WIFSIGNALED(status) && WTERMSIG(status) == SIGSYS) {
    outcome.verdict = Verdict::denied;
    outcome.signal = SIGSYS;
    outcome.how = "killed by seccomp (SIGSYS)";
  } else {
    outcome.verdict = Verdict::error;
    outcome.how = "the worker " + describe_wait_status(status);
  }
  return outcome;
}

std::string verdict_name(AttemptOutcome::Verdict verdict) {
  switch (verdict) {
    case AttemptOutcome::Verdict::denied:
      return "denied";
    case AttemptOutcome::Verdict::allowed:
      return "ALLOWED";
    case AttemptOutcome::Verdict::not_tested:
      return "not tested";
    case AttemptOutcome::Verdict::error:
      return "ERROR";
  }
  return "?";
}

std::string pad(std::string text, size_t width) {
  text.resize(std::max(text.size() + 1, width), ' ');
  return text;
}

std::string first_nameserver() {
  std::ifstream resolv("/etc/resolv.conf");
  std::string line;
  while (std::getline(resolv, line)) {
    if (line.rfind("nameserver ", 0) != 0) continue;
    std::string address = line.substr(11);
    address.erase(0, address.find_first_not_of(" \t"));
    address.erase(address.find_last_not_of(" \t\r") + 1);
    in_addr parsed{};
    if (::inet_pton(AF_INET, address.c_str(), &parsed) == 1) return address;
  }
  return "127.0.0.53";
}

std::string home_directory() {
  if (const char* home = std::getenv("HOME"); home != nullptr && *home != '\0') return home;
  if (passwd* pw = ::getpwuid(::getuid()); pw != nullptr) return pw->pw_dir;
  return "/";
}

// The report travels from the jailed worker as "layer\tstate\tdetail\n" lines.
std::string serialize(const JailReport& report) {
  std::string out;
  for (const auto& s : report.layers) {
    out += s.layer + "\t" + std::string(state_name(s.state)) + "\t" + s.detail + "\n";
  }
  return out;
}

JailReport deserialize(const std::string& text) {
  JailReport report;
  size_t start = 0;
  while (start < text.size()) {
    size_t end = text.find('\n', start);
    if (end == std::string::npos) end = text.size();
    std::string line = text.substr(start, end - start);
    start = end + 1;
    size_t a = line.find('\t');
    size_t b = a == std::string::npos ? a : line.find('\t', a + 1);
    if (b == std::string::npos) continue;
    std::string state = line.substr(a + 1, b - a - 1);
    LayerState parsed = state == "active"     ? LayerState::active
                        : state == "disabled" ? LayerState::disabled
                                              : LayerState::unavailable;
    report.add(LayerStatus{line.substr(0, a), parsed, line.substr(b + 1)});
  }
  return report;
}

// What /proc tells about the worker from outside.
std::vector<std::string> inspect_from_outside(pid_t pid) {
  std::vector<std::string> lines;
  std::string base = "/proc/" + std::to_string(pid);
  std::ifstream status(base + "/status");
  std::string line;
  while (std::getline(status, line)) {
    for (const char* key : {"Uid:", "Seccomp:", "NoNewPrivs:", "CapEff:", "NSpid:"}) {
      if (line.rfind(key, 0) == 0) lines.push_back(line);
    }
  }
  char own[64] = {}, theirs[64] = {};
  if (::readlink("/proc/self/ns/net", own, sizeof own - 1) > 0 &&
      ::readlink((base + "/ns/net").c_str(), theirs, sizeof theirs - 1) > 0) {
    lines.push_back(std::string("network namespace: ") +
                    (std::strcmp(own, theirs) == 0 ? "the host's" : "its own"));
  } else {
    lines.push_back("network namespace: not visible from here (the worker is not dumpable)");
  }
  DIR* fds = ::opendir((base + "/fd").c_str());
  if (fds == nullptr) {
    lines.push_back("descriptors: not visible from here (the worker is not dumpable)");
    return lines;
  }
  std::string list;
  bool file = false;
  while (dirent* entry = ::readdir(fds)) {
    if (entry->d_name[0] == '.') continue;
    char target[256] = {};
    ::readlink((base + "/fd/" + entry->d_name).c_str(), target, sizeof target - 1);
    list += std::string(list.empty() ? "" : ", ") + entry->d_name + " -> " + target;
    struct stat st {};
    // 0-2 are whatever the client gave us (regular files when redirected); only a file the
    // worker opened itself would be a leak.
    bool inherited_stdio = std::string_view(entry->d_name).size() == 1 && entry->d_name[0] <= '2';
    if (!inherited_stdio && ::stat((base + "/fd/" + entry->d_name).c_str(), &st) == 0 &&
        S_ISREG(st.st_mode)) {
      file = true;
    }
  }
  ::closedir(fds);
  lines.push_back("descriptors: " + list +
                  (file ? " (includes a regular file beyond stdio!)" : ""));
  return lines;
}

}  // namespace

const std::vector<EscapeAttempt>& escape_attempts() {
  static const std::vector<EscapeAttempt> attempts = {
      {"tcp-loopback", "TCP to 127.0.0.1 on another port", tcp_loopback},
      {"tcp-remote", "TCP to a non-Notion address", tcp_remote},
      {"udp", "a UDP datagram to 127.0.0.1", udp},
      {"dns", "a DNS query to the resolver", dns},
      {"unix-socket", "a pathname Unix socket", unix_socket},
      {"dbus-session-bus", "the D-Bus session bus", dbus_session_bus},
      {"abstract-socket", "an abstract Unix socket", abstract_socket},
      {"read-passwd", "reading /etc/passwd", read_passwd},
      {"read-ssh", "reading ~/.ssh", read_ssh},
      {"read-keyring", "reading the keyring files", read_keyring},
      {"read-broker-environ", "reading /proc/<broker>/environ", read_environ},
      {"write-file", "creating a file", write_file},
      {"exec-shell", "execve of /bin/sh", exec_shell},
      {"ptrace-broker", "ptrace of the broker", ptrace_broker},
      {"kill-broker", "a signal to the broker", kill_broker},
      {"io_uring", "io_uring_setup", io_uring},
      {"bpf", "bpf (map creation)", bpf},
      {"keyctl", "keyctl on the user keyring", keyctl},
      {"mount", "mounting a tmpfs", mount_tmpfs},
      {"unshare", "unshare of a user namespace", unshare_user},
      {"setns", "setns into the broker's network namespace", setns_broker},
      {"personality", "personality(READ_IMPLIES_EXEC)", personality_exec},
      {"userfaultfd", "userfaultfd", userfaultfd},
      {"perf_event_open", "perf_event_open", perf_event},
      {"fork", "a new process", new_process},
      {"exec-memory", "executable memory", exec_memory},
      {"connect-other-host", "a CONNECT request to the broker for another host",
       connect_other_host},
  };
  return attempts;
}

AttemptOutcome run_escape_attempt(const EscapeAttempt& attempt, const EscapeTargets& targets,
                                  const WorkerJail& jail) {
  if (std::string missing = missing_target(attempt.name, targets); !missing.empty()) {
    AttemptOutcome outcome;
    outcome.name = std::string(attempt.name);
    outcome.verdict = AttemptOutcome::Verdict::not_tested;
    outcome.how = missing;
    return outcome;
  }
  auto worker = spawn_worker(jail.spawn, [&](int channel, std::vector<LayerStatus> namespaces) {
    JailOptions options = jail.jail;
    options.channel = channel;
    if (targets.namespace_fd >= 0) options.extra_fds.push_back(targets.namespace_fd);
    (void)enter_worker_jail(options, std::move(namespaces));
    return attempt.run(targets, channel);
  });
  if (!worker.ok()) {
    return {std::string(attempt.name), AttemptOutcome::Verdict::error, worker.error().message};
  }
  BrokerOptions options;
  options.endpoint = {targets.notion_host, targets.notion_port};
  options.max_runtime_ms = 5000;
  BrokerOutcome outcome = run_broker(*worker, options, BrokerHandlers{});
  return classify(attempt.name, outcome.wait_status);
}

UnixSocketAddress parse_dbus_address(std::string_view address) {
  // Several addresses may be listed, separated by ';'; values escape bytes as %XX.
  auto unescape = [](std::string_view text) {
    std::string out;
    for (size_t i = 0; i < text.size(); ++i) {
      if (text[i] == '%' && i + 2 < text.size() &&
          std::isxdigit(static_cast<unsigned char>(text[i + 1])) &&
          std::isxdigit(static_cast<unsigned char>(text[i + 2]))) {
        out += static_cast<char>(std::stoi(std::string(text.substr(i + 1, 2)), nullptr, 16));
        i += 2;
      } else {
        out += text[i];
      }
    }
    return out;
  };
  while (!address.empty()) {
    std::string_view entry = address.substr(0, address.find(';'));
    address.remove_prefix(std::min(address.size(), entry.size() + 1));
    if (entry.rfind("unix:", 0) != 0) continue;
    entry.remove_prefix(5);
    while (!entry.empty()) {
      std::string_view pair = entry.substr(0, entry.find(','));
      entry.remove_prefix(std::min(entry.size(), pair.size() + 1));
      for (auto [key, abstract] : {std::pair{std::string_view("path="), false},
                                   std::pair{std::string_view("abstract="), true}}) {
        if (pair.rfind(key, 0) == 0 && pair.size() > key.size()) {
          return {unescape(pair.substr(key.size())), abstract};
        }
      }
    }
  }
  return {};
}

std::string CheckTargets::make_decoy(const std::string& relative_dir, const std::string& file) {
  if (temp_dir_.empty()) return {};
  std::string path = temp_dir_;
  size_t start = 0;
  while (start < relative_dir.size()) {  // one mkdir per path component
    size_t end = relative_dir.find('/', start);
    if (end == std::string::npos) end = relative_dir.size();
    path.push_back('/');
    path.append(relative_dir, start, end - start);
    start = end + 1;
    if (std::find(created_.begin(), created_.end(), path) != created_.end()) continue;
    if (::mkdir(path.c_str(), 0755) != 0) return {};
    created_.push_back(path);
  }
  std::ofstream(path + "/" + file) << "a decoy for notion-mcp sandbox-check, not a secret\n";
  created_.push_back(path + "/" + file);
  return path;
}

CheckTargets::CheckTargets() {
  auto& t = targets_;
  t.broker_pid = ::getpid();
  t.broker_environ = "/proc/" + std::to_string(t.broker_pid) + "/environ";
  t.dns_server = first_nameserver();
  std::string home = home_directory();
  t.ssh_dir = home + "/.ssh";
  t.keyring_dir = home + "/.local/share/keyrings";
  char dir[] = "/tmp/notion-mcp-check-XXXXXX";
  if (::mkdtemp(dir) != nullptr) {
    temp_dir_ = dir;
    // World-writable like /tmp, so only the jail (not the worker's uid) stands in the way.
    ::chmod(dir, 01777);
    t.writable_dir = temp_dir_;
  }
  // A missing target would make the attempt fail for the wrong reason: aim at a decoy instead.
  for (auto [target, relative, file] :
       {std::tuple{&t.ssh_dir, "home/.ssh", "id_ed25519"},
        std::tuple{&t.keyring_dir, "home/.local/share/keyrings", "login.keyring"}}) {
    if (::access(target->c_str(), F_OK) == 0) continue;
    std::string decoy = make_decoy(relative, file);
    if (decoy.empty()) continue;  // the attempt then reports "not tested"
    notes_.push_back(*target + " does not exist here: a decoy at " + decoy + " stands in");
    *target = decoy;
  }
  UniqueFd tcp(::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0));
  sockaddr_in address = ipv4("127.0.0.1", 0);
  socklen_t length = sizeof address;
  if (tcp && ::bind(tcp.get(), reinterpret_cast<sockaddr*>(&address), length) == 0 &&
      ::listen(tcp.get(), 8) == 0 &&
      ::getsockname(tcp.get(), reinterpret_cast<sockaddr*>(&address), &length) == 0) {
    t.tcp_port = ntohs(address.sin_port);
    fds_.push_back(std::move(tcp));
  }
  UniqueFd udp(::socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0));
  address = ipv4("127.0.0.1", 0);
  length = sizeof address;
  if (udp && ::bind(udp.get(), reinterpret_cast<sockaddr*>(&address), length) == 0 &&
      ::getsockname(udp.get(), reinterpret_cast<sockaddr*>(&address), &length) == 0) {
    t.udp_port = ntohs(address.sin_port);
    fds_.push_back(std::move(udp));
  }
  auto listen_unix = [&](const std::string& name, bool abstract) {
    UniqueFd fd(::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0));
    sockaddr_un un{};
    un.sun_family = AF_UNIX;
    size_t offset = abstract ? 1 : 0;
    std::memcpy(un.sun_path + offset, name.data(),
                std::min(name.size(), sizeof un.sun_path - 1 - offset));
    auto size = static_cast<socklen_t>(offsetof(sockaddr_un, sun_path) + offset + name.size() +
                                       (abstract ? 0 : 1));
    if (fd && ::bind(fd.get(), reinterpret_cast<sockaddr*>(&un), size) == 0 &&
        ::listen(fd.get(), 8) == 0) {
      if (!abstract) ::chmod(name.c_str(), 0666);
      fds_.push_back(std::move(fd));
      return true;
    }
    return false;
  };
  if (!temp_dir_.empty() && listen_unix(temp_dir_ + "/bus", false)) {
    t.unix_socket_path = temp_dir_ + "/bus";
  }
  const char* bus = std::getenv("DBUS_SESSION_BUS_ADDRESS");
  UnixSocketAddress session = parse_dbus_address(bus != nullptr ? bus : "");
  if (!session.name.empty() && (session.abstract || ::access(session.name.c_str(), F_OK) == 0)) {
    t.dbus_socket = session.name;
    t.dbus_abstract = session.abstract;
    t.dbus_source = "the session bus at " + std::string(session.abstract ? "@" : "") + session.name;
  } else if (!temp_dir_.empty() && listen_unix(temp_dir_ + "/session-bus", false)) {
    t.dbus_socket = temp_dir_ + "/session-bus";
    t.dbus_source = "a stand-in listener (" +
                    std::string(bus == nullptr ? "$DBUS_SESSION_BUS_ADDRESS is not set"
                                               : "$DBUS_SESSION_BUS_ADDRESS names no Unix socket "
                                                 "that exists here") +
                    ")";
    created_.push_back(t.dbus_socket);
  }
  if (!t.dbus_source.empty()) notes_.push_back("dbus-session-bus aims at " + t.dbus_source);
  std::string abstract = "notion-mcp-check-" + std::to_string(t.broker_pid);
  if (listen_unix(abstract, true)) t.abstract_name = abstract;
  UniqueFd ns(::open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC));
  t.namespace_fd = ns.get();
  if (ns) fds_.push_back(std::move(ns));
}

CheckTargets::~CheckTargets() {
  fds_.clear();
  if (temp_dir_.empty()) return;
  ::unlink((temp_dir_ + "/bus").c_str());
  for (auto it = created_.rbegin(); it != created_.rend(); ++it) {
    if (::unlink(it->c_str()) != 0) ::rmdir(it->c_str());
  }
  ::rmdir(temp_dir_.c_str());
}

JailProbe probe_jail(const WorkerJail& jail) {
  JailProbe probe;
  int pipe_fds[2];
  if (::pipe2(pipe_fds, O_CLOEXEC) != 0) {
    probe.error = errno_reason("pipe2", errno);
    return probe;
  }
  UniqueFd read_end(pipe_fds[0]);
  UniqueFd write_end(pipe_fds[1]);
  auto worker = spawn_worker(jail.spawn, [&](int channel, std::vector<LayerStatus> namespaces) {
    JailOptions options = jail.jail;
    options.channel = channel;
    options.extra_fds.push_back(write_end.get());
    JailReport report = enter_worker_jail(options, std::move(namespaces));
    std::string text = serialize(report);
    if (::write(write_end.get(), text.data(), text.size()) != static_cast<ssize_t>(text.size())) {
      return kAttemptSetupFailed;
    }
    ::close(write_end.get());
    // Stays alive until the broker has looked at it from outside (then the channel closes).
    auto ready = ipc::send_message(channel, ipc::Message{0, ipc::Ready{active_layer_bits(report)}});
    char c;
    while (ready.ok() && ::read(channel, &c, 1) > 0) {
    }
    return 0;
  });
  write_end.reset();
  if (!worker.ok()) {
    probe.error = worker.error().message;
    return probe;
  }
  auto ready = ipc::receive_message(worker->channel.get(), ipc::Sender::worker, 5000);
  if (ready.ok()) probe.outside = inspect_from_outside(worker->pid);
  std::string text;
  char buffer[4096];
  ssize_t n;
  while ((n = ::read(read_end.get(), buffer, sizeof buffer)) > 0) text.append(buffer, n);
  worker->channel.reset();
  int status = 0;
  while (::waitpid(worker->pid, &status, 0) < 0 && errno == EINTR) {
  }
  probe.report = deserialize(text);
  if (!ready.ok()) {
    probe.error = "the jailed worker did not report (" + describe_wait_status(status) + ")";
  }
  return probe;
}

int run_sandbox_check(std::ostream& out, const WorkerJail& jail) {
  out << "notion-mcp sandbox-check: the worker's jail on this host\n\n";
  JailProbe probe = probe_jail(jail);
  if (!probe.error.empty()) out << "  could not build the jail: " << probe.error << "\n";
  out << probe.report.table();
  if (!probe.outside.empty()) {
    out << "\nThe worker seen from outside (/proc):\n";
    for (const auto& line : probe.outside) out << "  " << line << "\n";
  }
  out << "\nEscape attempts from inside a jailed worker:\n";
  CheckTargets targets;
  for (const auto& note : targets.notes()) out << "  (" << note << ")\n";
  int not_denied = 0, not_made = 0;
  for (const auto& attempt : escape_attempts()) {
    AttemptOutcome outcome = run_escape_attempt(attempt, targets.targets(), jail);
    if (outcome.verdict == AttemptOutcome::Verdict::not_tested) ++not_made;
    if (outcome.verdict == AttemptOutcome::Verdict::allowed ||
        outcome.verdict == AttemptOutcome::Verdict::error) {
      ++not_denied;
    }
    out << "  " << pad(outcome.name, 22) << pad(verdict_name(outcome.verdict), 12)
        << attempt.description << ": " << outcome.how << "\n";
  }
  bool holds = probe.error.empty() && probe.report.meets_requirement();
  out << "\n";
  if (holds && not_denied == 0 && not_made == 0) {
    out << "Result: the required layers hold and every attempt was denied.\n";
    return 0;
  }
  if (!holds) {
    std::string gap = probe.report.requirement_gap();
    out << "Result: --sandbox=require would refuse to start: " << (gap.empty() ? probe.error : gap)
        << ".\n";
  }
  if (not_denied > 0) out << "Result: at least one escape attempt was not denied (see above).\n";
  if (not_made > 0) {
    out << "Result: " << not_made
        << " attempt(s) could not be made (see above), so the check proves less than it "
           "should.\n";
  }
  return 1;
}

}  // namespace notion_mcp::sandbox
