// Landlock at the best ABI the kernel offers, through raw system calls and our own copies of the
// constants (Debian 12's 6.1 headers stop at ABI 2). The worker handles every right its ABI
// knows and grants none: no filesystem access, no TCP bind or connect, and (ABI 6) no abstract
// Unix sockets or signals outside its own domain. The broker keeps only the paths it is given.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "sandbox/status.h"

namespace notion_mcp::sandbox {

namespace landlock {
// Filesystem rights (ABI 1 unless noted).
inline constexpr uint64_t kExecute = 1ULL << 0;
inline constexpr uint64_t kWriteFile = 1ULL << 1;
inline constexpr uint64_t kReadFile = 1ULL << 2;
inline constexpr uint64_t kReadDir = 1ULL << 3;
inline constexpr uint64_t kRemoveDir = 1ULL << 4;
inline constexpr uint64_t kRemoveFile = 1ULL << 5;
inline constexpr uint64_t kMakeChar = 1ULL << 6;
inline constexpr uint64_t kMakeDir = 1ULL << 7;
inline constexpr uint64_t kMakeReg = 1ULL << 8;
inline constexpr uint64_t kMakeSock = 1ULL << 9;
inline constexpr uint64_t kMakeFifo = 1ULL << 10;
inline constexpr uint64_t kMakeBlock = 1ULL << 11;
inline constexpr uint64_t kMakeSym = 1ULL << 12;
inline constexpr uint64_t kRefer = 1ULL << 13;     // ABI 2
inline constexpr uint64_t kTruncate = 1ULL << 14;  // ABI 3
inline constexpr uint64_t kIoctlDev = 1ULL << 15;  // ABI 5
// Network rights (ABI 4).
inline constexpr uint64_t kBindTcp = 1ULL << 0;
inline constexpr uint64_t kConnectTcp = 1ULL << 1;
// Scopes (ABI 6).
inline constexpr uint64_t kScopeAbstractUnixSocket = 1ULL << 0;
inline constexpr uint64_t kScopeSignal = 1ULL << 1;

// The rights and scopes a given ABI version understands.
uint64_t fs_rights(int abi);
uint64_t net_rights(int abi);
uint64_t scopes(int abi);
}  // namespace landlock

// The kernel's Landlock ABI version; 0 with the reason when Landlock is missing or disabled.
struct LandlockSupport {
  int abi = 0;
  std::string why_unavailable;
};
LandlockSupport landlock_support();

// The worker's ruleset (see the file comment). Sets no_new_privs itself when it is not set yet,
// because landlock_restrict_self() requires it of unprivileged callers.
LayerStatus apply_worker_landlock();

struct LandlockPath {
  std::string path;
  bool writable = false;  // read-only paths may be read and executed (shared libraries)
};

struct BrokerLandlockOptions {
  std::vector<LandlockPath> paths;
  // TCP ports the broker may connect to (443 for Notion, 53 for DNS over TCP, a test port).
  // Empty: TCP is not restricted. Binding is always refused.
  std::vector<uint16_t> connect_ports;
};

// What a broker needs besides its own directories: name resolution (resolv.conf, hosts, NSS
// modules), TLS trust (the CA store, OpenSSL's configuration), time zones, shared libraries,
// /dev/null and /dev/urandom; `own_dirs` (config, state, runtime) are writable. TCP connect
// is limited to 443, 53 (DNS over TCP) and `extra_port` (a loopback test server; 0: none).
BrokerLandlockOptions broker_landlock_defaults(const std::vector<std::string>& own_dirs,
                                               uint16_t extra_port = 0);

// The broker's ruleset: only `paths`, only `connect_ports`. A path that does not exist is
// skipped (and named in the status) rather than failing the layer.
LayerStatus apply_broker_landlock(const BrokerLandlockOptions& options);

}  // namespace notion_mcp::sandbox
