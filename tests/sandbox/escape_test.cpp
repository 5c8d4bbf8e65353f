// The escape suite: every attempt of sandbox_check.cpp, made from inside a real jailed worker,
// with the full jail, with each layer switched off in turn, and with single layers alone. A
// baseline without any jail shows that the attempts would have worked. Each attempt must end
// exactly as the first active layer that stands in its way decides (the errno, SIGSYS, or the
// broker's refusal), so a layer's denial is never mistaken for another's, and a missing target
// never passes for a denial. Everything runs in a private network namespace where a
// "non-Notion" address (192.0.2.1) really answers, so a TCP or DNS escape would succeed if the
// jail let it out.
#include <arpa/inet.h>
#include <fcntl.h>
#include <gtest/gtest.h>
#include <net/if.h>
#include <netinet/in.h>
#include <sched.h>
#include <signal.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <map>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "sandbox/landlock.h"
#include "sandbox/sandbox_check.h"

namespace notion_mcp::sandbox {
namespace {

using Verdict = AttemptOutcome::Verdict;

constexpr const char* kRemoteAddress = "192.0.2.1";  // TEST-NET-1, on lo in our namespace

// Parts of Landlock that depend on its ABI, as pseudo-layers for the table below.
constexpr std::string_view kLandlockTcp = "landlock-tcp";        // ABI 4
constexpr std::string_view kLandlockScopes = "landlock-scopes";  // ABI 6

// How an attempt ends: an errno, a signal, or the broker's refusal; all zero: it succeeded.
struct Ending {
  int error = 0;
  int signal = 0;
  bool broker = false;
  bool operator==(const Ending&) const = default;
};
constexpr Ending kSucceeded{};
constexpr Ending kSigsys{0, SIGSYS, false};
constexpr Ending kRefusedByBroker{0, 0, true};
constexpr Ending fails(int error) { return Ending{error, 0, false}; }

std::string describe(const Ending& e) {
  if (e.broker) return "refused by the broker";
  if (e.signal != 0) return "killed by SIG" + std::string(::sigabbrev_np(e.signal));
  if (e.error != 0) return ::strerrorname_np(e.error);
  return "succeeded";
}

// A layer that stops an attempt, and how the attempt then ends.
struct Stop {
  std::string_view layer;
  Ending ending;
};

// For each attempt, the layers that stop it in the order the kernel meets them: seccomp at
// system-call entry; then path lookup (the empty root of the mount namespace) or the network
// namespace; then Landlock's hooks; then capabilities and rlimits. The first active one
// decides. An attempt no active layer stops succeeds, unless the host refuses it by itself
// (see kHostMayRefuse).
const std::map<std::string_view, std::vector<Stop>>& stops() {
  using namespace layer;
  static const std::map<std::string_view, std::vector<Stop>> table = {
      // Landlock's connect hook runs before routing finds no interface in the empty network.
      {"tcp-loopback",
       {{kSeccomp, kSigsys},
        {kLandlockTcp, fails(EACCES)},
        {kNetworkNamespace, fails(ENETUNREACH)}}},
      {"tcp-remote",
       {{kSeccomp, kSigsys},
        {kLandlockTcp, fails(EACCES)},
        {kNetworkNamespace, fails(ENETUNREACH)}}},
      // Landlock covers TCP only.
      {"udp", {{kSeccomp, kSigsys}, {kNetworkNamespace, fails(ENETUNREACH)}}},
      {"dns", {{kSeccomp, kSigsys}, {kNetworkNamespace, fails(ENETUNREACH)}}},
      // Landlock does not cover connecting to a pathname socket (not before ABI 9).
      {"unix-socket", {{kSeccomp, kSigsys}, {kMountNamespace, fails(ENOENT)}}},
      {"dbus-session-bus", {{kSeccomp, kSigsys}, {kMountNamespace, fails(ENOENT)}}},
      // Abstract names live in the network namespace; the scope hook runs after the lookup.
      {"abstract-socket",
       {{kSeccomp, kSigsys},
        {kNetworkNamespace, fails(ECONNREFUSED)},
        {kLandlockScopes, fails(EPERM)}}},
      {"read-passwd",
       {{kSeccomp, fails(EACCES)}, {kMountNamespace, fails(ENOENT)}, {kLandlock, fails(EACCES)}}},
      {"read-ssh",
       {{kSeccomp, fails(EACCES)}, {kMountNamespace, fails(ENOENT)}, {kLandlock, fails(EACCES)}}},
      {"read-keyring",
       {{kSeccomp, fails(EACCES)}, {kMountNamespace, fails(ENOENT)}, {kLandlock, fails(EACCES)}}},
      {"read-broker-environ",
       {{kSeccomp, fails(EACCES)}, {kMountNamespace, fails(ENOENT)}, {kLandlock, fails(EACCES)}}},
      {"write-file",
       {{kSeccomp, fails(EACCES)}, {kMountNamespace, fails(ENOENT)}, {kLandlock, fails(EACCES)}}},
      {"exec-shell",
       {{kSeccomp, kSigsys}, {kMountNamespace, fails(ENOENT)}, {kLandlock, fails(EACCES)}}},
      // The broker is outside the worker's PID namespace; Landlock forbids tracing and
      // signalling outside its domain.
      {"ptrace-broker",
       {{kSeccomp, kSigsys}, {kPidNamespace, fails(ESRCH)}, {kLandlock, fails(EPERM)}}},
      {"kill-broker",
       {{kSeccomp, kSigsys}, {kPidNamespace, fails(ESRCH)}, {kLandlockScopes, fails(EPERM)}}},
      // Kernel interfaces only seccomp closes.
      {"io_uring", {{kSeccomp, kSigsys}}},
      {"bpf", {{kSeccomp, kSigsys}}},
      {"keyctl", {{kSeccomp, kSigsys}}},
      {"personality", {{kSeccomp, kSigsys}}},
      {"userfaultfd", {{kSeccomp, kSigsys}}},
      {"perf_event_open", {{kSeccomp, kSigsys}}},
      {"exec-memory", {{kSeccomp, fails(EPERM)}}},
      // The mount point is looked up before the capability check.
      {"mount",
       {{kSeccomp, kSigsys}, {kMountNamespace, fails(ENOENT)}, {kCapabilities, fails(EPERM)}}},
      // A chrooted process may not create a user namespace.
      {"unshare", {{kSeccomp, kSigsys}, {kMountNamespace, fails(EPERM)}}},
      {"setns", {{kSeccomp, kSigsys}, {kCapabilities, fails(EPERM)}}},
      {"fork", {{kSeccomp, fails(EPERM)}, {kRlimits, fails(EAGAIN)}}},
      // Not a jail layer: the broker refuses other hosts whatever the jail.
      {"connect-other-host", {{"broker", kRefusedByBroker}}},
  };
  return table;
}

// Kernel interfaces a host may close by itself (sysctls, capabilities): with no jail layer in
// the way, these may succeed or fail, and the suite reports which.
const std::set<std::string_view> kHostMayRefuse = {"bpf",      "userfaultfd", "perf_event_open",
                                                   "mount",    "setns",       "ptrace-broker",
                                                   "io_uring", "keyctl",      "unshare"};

bool write_file(const std::string& path, const std::string& text) {
  std::ofstream out(path);
  out << text;
  return static_cast<bool>(out);
}

// A private network namespace with lo up and 192.0.2.1 on it (a user namespace first when not
// root). Returns false when the host refuses; the suite then runs in the host's namespace.
bool enter_test_network() {
  if (::geteuid() != 0) {
    uid_t uid = ::geteuid();
    gid_t gid = ::getegid();
    if (::unshare(CLONE_NEWUSER) != 0) return false;
    write_file("/proc/self/setgroups", "deny");
    if (!write_file("/proc/self/uid_map", std::to_string(uid) + " " + std::to_string(uid) + " 1") ||
        !write_file("/proc/self/gid_map", std::to_string(gid) + " " + std::to_string(gid) + " 1")) {
      return false;
    }
  }
  if (::unshare(CLONE_NEWNET) != 0) return false;
  int fd = ::socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  ifreq request{};
  std::strcpy(request.ifr_name, "lo");
  if (fd < 0 || ::ioctl(fd, SIOCGIFFLAGS, &request) != 0) return false;
  request.ifr_flags |= IFF_UP;
  if (::ioctl(fd, SIOCSIFFLAGS, &request) != 0) return false;
  ifreq alias{};
  std::strcpy(alias.ifr_name, "lo:1");
  auto* address = reinterpret_cast<sockaddr_in*>(&alias.ifr_addr);
  address->sin_family = AF_INET;
  ::inet_pton(AF_INET, kRemoteAddress, &address->sin_addr);
  bool ok = ::ioctl(fd, SIOCSIFADDR, &alias) == 0;
  ::close(fd);
  return ok;
}

int listen_on(int type, const char* host, uint16_t port) {
  int fd = ::socket(AF_INET, type | SOCK_CLOEXEC, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(port);
  ::inet_pton(AF_INET, host, &address.sin_addr);
  int one = 1;
  ::setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  if (::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0) return -1;
  if (type == SOCK_STREAM && ::listen(fd, 8) != 0) return -1;
  return fd;
}

struct Result {
  Verdict verdict = Verdict::error;
  Ending ending;
  std::string how;
};

struct SuiteRun {
  bool network = false;          // the test network namespace could be set up
  std::set<std::string> active;  // the worker's active layers, plus the Landlock pseudo-layers
  std::map<std::string, Result> results;
};

// Runs every attempt under `jail` in a forked child (inside the test network) and reports
// how each ended and which layers the jail had.
SuiteRun run_suite(const WorkerJail& jail) {
  int pipe_fds[2];
  EXPECT_EQ(::pipe(pipe_fds), 0);
  pid_t pid = ::fork();
  if (pid == 0) {
    ::close(pipe_fds[0]);
    {
      bool in_test_network = enter_test_network();
      // A session bus named the way D-Bus names it, so the attempt goes through
      // $DBUS_SESSION_BUS_ADDRESS as on a desktop.
      char bus_dir[] = "/tmp/notion-mcp-escape-bus-XXXXXX";
      std::string bus_path;
      int bus = -1;
      if (::mkdtemp(bus_dir) != nullptr) {
        ::chmod(bus_dir, 0755);
        bus_path = std::string(bus_dir) + "/bus";
        bus = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
        sockaddr_un address{};
        address.sun_family = AF_UNIX;
        std::strncpy(address.sun_path, bus_path.c_str(), sizeof address.sun_path - 1);
        if (::bind(bus, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0 &&
            ::listen(bus, 8) == 0) {
          ::chmod(bus_path.c_str(), 0666);
          ::setenv("DBUS_SESSION_BUS_ADDRESS",
                   ("unix:path=" + bus_path + ",guid=00000000000000000000000000000000").c_str(), 1);
        }
      }
      CheckTargets check;
      EscapeTargets& targets = check.targets();
      // Listeners for the "remote" host and its resolver, reachable without a jail.
      int remote = -1, resolver = -1;
      if (in_test_network) {
        remote = listen_on(SOCK_STREAM, kRemoteAddress, 443);
        resolver = listen_on(SOCK_DGRAM, kRemoteAddress, 53);
        targets.remote_host = kRemoteAddress;
        targets.dns_server = kRemoteAddress;
      }
      // A home with secrets in it, readable by whoever runs the worker when there is no jail.
      std::string home = targets.writable_dir + "/home-with-secrets";
      ::mkdir(home.c_str(), 0755);
      ::mkdir((home + "/.ssh").c_str(), 0755);
      write_file(home + "/.ssh/id_ed25519", "not a real key\n");
      ::mkdir((home + "/.local").c_str(), 0755);
      ::mkdir((home + "/.local/share").c_str(), 0755);
      ::mkdir((home + "/.local/share/keyrings").c_str(), 0755);
      write_file(home + "/.local/share/keyrings/login.keyring", "not a real keyring\n");
      targets.ssh_dir = home + "/.ssh";
      targets.keyring_dir = home + "/.local/share/keyrings";
      JailReport report = probe_jail(jail).report;
      std::string out = std::string(in_test_network ? "1" : "0") + "\n";
      for (const auto& status : report.layers) {
        if (status.state == LayerState::active) out += status.layer + " ";
      }
      out += "\n";
      for (const auto& attempt : escape_attempts()) {
        AttemptOutcome o = run_escape_attempt(attempt, targets, jail);
        out += o.name + "\t" + std::to_string(static_cast<int>(o.verdict)) + "\t" +
               std::to_string(o.error) + "\t" + std::to_string(o.signal) + "\t" +
               (o.refused_by_broker ? "1" : "0") + "\t" + o.how + "\n";
      }
      (void)!::write(pipe_fds[1], out.data(), out.size());
      ::unlink((home + "/.ssh/id_ed25519").c_str());
      ::unlink((home + "/.local/share/keyrings/login.keyring").c_str());
      for (const char* dir : {"/.local/share/keyrings", "/.local/share", "/.local", "/.ssh", ""}) {
        ::rmdir((home + dir).c_str());
      }
      if (remote >= 0) ::close(remote);
      if (resolver >= 0) ::close(resolver);
      if (bus >= 0) ::close(bus);
      if (!bus_path.empty()) ::unlink(bus_path.c_str());
      ::rmdir(bus_dir);
    }
    ::_exit(0);
  }
  ::close(pipe_fds[1]);
  std::string text;
  char buffer[4096];
  ssize_t n;
  while ((n = ::read(pipe_fds[0], buffer, sizeof buffer)) > 0) text.append(buffer, n);
  ::close(pipe_fds[0]);
  int status = 0;
  ::waitpid(pid, &status, 0);
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);

  SuiteRun run;
  std::vector<std::string> lines;
  for (size_t start = 0; start < text.size();) {
    size_t end = text.find('\n', start);
    if (end == std::string::npos) end = text.size();
    lines.push_back(text.substr(start, end - start));
    start = end + 1;
  }
  if (lines.size() < 2) return run;
  run.network = lines[0] == "1";
  for (size_t start = 0; start < lines[1].size();) {
    size_t end = lines[1].find(' ', start);
    if (end == std::string::npos) end = lines[1].size();
    if (end > start) run.active.insert(lines[1].substr(start, end - start));
    start = end + 1;
  }
  if (run.active.count(std::string(layer::kLandlock)) != 0) {
    int abi = landlock_support().abi;  // the same kernel as the worker's
    if (abi >= 4) run.active.insert(std::string(kLandlockTcp));
    if (abi >= 6) run.active.insert(std::string(kLandlockScopes));
  }
  for (size_t i = 2; i < lines.size(); ++i) {
    std::vector<std::string> fields;
    for (size_t start = 0, k = 0; k < 6; ++k) {
      size_t end = k == 5 ? std::string::npos : lines[i].find('\t', start);
      fields.push_back(lines[i].substr(start, end - start));
      if (end == std::string::npos) break;
      start = end + 1;
    }
    if (fields.size() != 6) continue;
    Result& r = run.results[fields[0]];
    r.verdict = static_cast<Verdict>(std::stoi(fields[1]));
    r.ending = Ending{std::stoi(fields[2]), std::stoi(fields[3]), fields[4] == "1"};
    r.how = fields[5];
  }
  return run;
}

struct Config {
  const char* name;
  WorkerJail jail;
};

// Test names and failure messages show the configuration by name, not as bytes.
void PrintTo(const Config& c, std::ostream* os) { *os << c.name; }

Config config(const char* name, void (*tweak)(WorkerJail&)) {
  Config c{name, {}};
  tweak(c.jail);
  return c;
}

void without_namespaces(WorkerJail& j) {
  j.spawn.namespaces = NamespaceOptions::none();
  j.spawn.namespaces.drop_root = true;
}

class SandboxEscape : public ::testing::TestWithParam<Config> {};

TEST_P(SandboxEscape, EachAttemptEndsAsTheFirstActiveLayerDecides) {
  const Config& c = GetParam();
  SuiteRun run = run_suite(c.jail);
  ASSERT_EQ(run.results.size(), escape_attempts().size());
  std::string layers;
  for (const auto& name : run.active) layers += name + " ";
  std::cerr << "  " << c.name << ": active layers " << layers << "\n";
  bool seccomp = run.active.count(std::string(layer::kSeccomp)) != 0;
  for (const auto& [name, result] : run.results) {
    std::cerr << "  " << c.name << " " << name << ": " << result.how << "\n";
    // Every attempt was really made: a missing target is a failure, not a denial.
    ASSERT_NE(result.verdict, Verdict::not_tested) << name << ": " << result.how;
    ASSERT_NE(result.verdict, Verdict::error) << name << ": " << result.how;
    auto entry = stops().find(name);
    ASSERT_NE(entry, stops().end()) << name << " has no row in the table of stops";
    const Stop* decider = nullptr;
    for (const Stop& stop : entry->second) {
      if (stop.layer == "broker" || run.active.count(std::string(stop.layer)) != 0) {
        decider = &stop;
        break;
      }
    }
    if (decider != nullptr) {
      EXPECT_EQ(result.ending, decider->ending)
          << name << " under " << c.name << " should be stopped by " << decider->layer << " ("
          << describe(decider->ending) << "), but: " << result.how;
    } else if (kHostMayRefuse.count(name) != 0 && result.verdict == Verdict::denied) {
      std::cerr << "    (no jail layer here stops " << name << "; the host refuses it itself)\n";
    } else {
      EXPECT_EQ(result.ending, kSucceeded)
          << name << " under " << c.name << ": no active layer stops it, yet " << result.how;
    }
    // Wherever seccomp holds, nothing gets out, whatever else the host lacks.
    if (seccomp) {
      EXPECT_EQ(result.verdict, Verdict::denied) << name << ": " << result.how;
    }
  }
}

INSTANTIATE_TEST_SUITE_P(
    Layers, SandboxEscape,
    ::testing::Values(config("full", [](WorkerJail&) {}),
                      config("without-namespaces", without_namespaces),
                      config("without-landlock", [](WorkerJail& j) { j.jail.landlock = false; }),
                      config("without-process-limits",
                             [](WorkerJail& j) { j.jail.process_limits = false; }),
                      config("without-closing-descriptors",
                             [](WorkerJail& j) { j.jail.close_descriptors = false; }),
                      config("without-seccomp", [](WorkerJail& j) { j.jail.seccomp = false; }),
                      config("seccomp-alone",
                             [](WorkerJail& j) {
                               without_namespaces(j);
                               j.jail.landlock = false;
                             }),
                      config("landlock-alone",
                             [](WorkerJail& j) {
                               without_namespaces(j);
                               j.jail.seccomp = false;
                             }),
                      config("namespaces-alone",
                             [](WorkerJail& j) {
                               j.jail.landlock = false;
                               j.jail.seccomp = false;
                             })),
    [](const ::testing::TestParamInfo<Config>& info) {
      std::string name = info.param.name;
      for (char& ch : name) {
        if (ch == '-') ch = '_';
      }
      return name;
    });

// The single-layer configurations prove something only where the host has that layer: this
// host must have at least one of them, or the suite above proves seccomp alone.
TEST(SandboxEscapeHost, LandlockOrConfiningNamespacesAreAvailable) {
  WorkerJail landlock_alone;
  without_namespaces(landlock_alone);
  landlock_alone.jail.seccomp = false;
  WorkerJail namespaces_alone;
  namespaces_alone.jail.landlock = false;
  namespaces_alone.jail.seccomp = false;
  bool landlock = probe_jail(landlock_alone).report.is_active(layer::kLandlock);
  bool namespaces = probe_jail(namespaces_alone).report.namespaces_confine();
  std::cerr << "  Landlock: " << (landlock ? "active" : "unavailable")
            << ", confining namespaces: " << (namespaces ? "active" : "unavailable") << "\n";
  EXPECT_TRUE(landlock || namespaces);
}

// Without any jail the same attempts succeed, so the denials above are the jail's doing, and
// every target really exists. A few kernel interfaces may be closed by the host itself
// (unprivileged BPF, ptrace scope, ...); those are listed, not failed.
TEST(SandboxEscapeBaseline, WithoutAJailTheAttemptsSucceed) {
  WorkerJail none;
  none.spawn.namespaces = NamespaceOptions::none();
  none.jail = JailOptions::off(-1);
  SuiteRun run = run_suite(none);
  ASSERT_EQ(run.results.size(), escape_attempts().size());
  for (const auto& [name, result] : run.results) {
    std::cerr << "  no jail " << name << ": " << result.how << "\n";
    if (name == "connect-other-host") {
      EXPECT_EQ(result.ending, kRefusedByBroker) << result.how;
      continue;
    }
    if ((name == "tcp-remote" || name == "dns") && !run.network) continue;
    if (kHostMayRefuse.count(name) != 0 && result.verdict == Verdict::denied) {
      std::cerr << "    (this host refuses " << name << " even without a jail)\n";
      continue;
    }
    EXPECT_EQ(result.verdict, Verdict::allowed) << name << ": " << result.how;
  }
  if (!run.network) std::cerr << "  (no test network namespace here: remote TCP and DNS skipped)\n";
}

}  // namespace
}  // namespace notion_mcp::sandbox
