// The broker <-> worker protocol: one small datagram per message over a SOCK_SEQPACKET
// socketpair. A 12-byte header (type, reserved, request id, payload length) and a bounded,
// type-specific payload. The broker decodes every worker message as hostile input: unknown
// types, wrong lengths, trailing bytes, bad characters or unexpected descriptors are rejected.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <variant>

#include "sandbox/unique_fd.h"
#include "util/result.h"
#include "util/secret.h"

namespace notion_mcp::sandbox::ipc {

inline constexpr size_t kHeaderSize = 12;
inline constexpr size_t kMaxHostLength = 253;     // the longest DNS name
inline constexpr size_t kMaxTokenLength = 4096;   // Notion tokens are ~50 characters
inline constexpr size_t kMaxAuditLength = 16384;  // one audit JSON line; the writer truncates
inline constexpr size_t kMaxErrorLength = 512;    // one sentence
inline constexpr size_t kMaxPathLength = 4095;    // PATH_MAX without the terminating NUL
inline constexpr size_t kMaxPayload = kMaxAuditLength;
inline constexpr size_t kMaxMessageSize = kHeaderSize + kMaxPayload;

// Wire values; never reuse a number. 1-63 travel worker -> broker, 64-127 broker -> worker.
enum class Type : uint16_t {
  ready = 1,           // worker: the jail is in place (payload: bitmask of active layers)
  connect = 2,         // worker: a TCP connection to host:port, please
  token = 3,           // worker: the current access token, please
  token_rejected = 4,  // worker: Notion answered 401 to token `generation`
  audit = 5,           // worker: one audit JSON line for the log
  open_upload = 6,     // worker: a read-only descriptor for this file under --upload-root
  connected = 64,      // broker: here is the connected socket (one descriptor attached)
  token_grant = 65,    // broker: the token and its generation
  failure = 66,        // broker: the request failed (code + sentence)
  upload_opened = 67,  // broker: here is the file, opened read-only (one descriptor attached)
};

// Who sent a datagram; decoding checks that the type belongs to that side.
enum class Sender { worker, broker };

// Why the broker refused or could not serve a request.
enum class FailureCode : uint32_t {
  refused = 1,       // the request asked for something outside the policy (another host)
  unreachable = 2,   // resolving or connecting to the allowed endpoint failed
  unauthorized = 3,  // no credentials, or the refresh failed: run `notion-mcp login`
  internal = 4,      // the broker could not do it for another reason
};

struct Ready {
  uint32_t layers = 0;
};
struct Connect {
  std::string host;
  uint16_t port = 0;
};
struct TokenRequest {};
struct TokenRejected {
  uint32_t generation = 0;
};
struct Audit {
  std::string line;
};
struct OpenUpload {
  std::string path;
};
struct Connected {};
struct UploadOpened {};
struct TokenGrant {
  uint32_t generation = 0;
  util::Secret token;
};
struct Failure {
  FailureCode code = FailureCode::internal;
  std::string message;
};

using Body = std::variant<Ready, Connect, TokenRequest, TokenRejected, Audit, OpenUpload, Connected,
                          TokenGrant, Failure, UploadOpened>;

struct Message {
  uint32_t id = 0;  // chosen by the worker; the broker's answer carries the same id
  Body body;
};

Type type_of(const Body& body);
std::string_view type_name(Type type);
Sender sender_of(Type type);
// How many descriptors travel with a message of this type (1 for `connected` and
// `upload_opened`, else 0).
size_t descriptors_for(Type type);

// A datagram ready to send. Zeroes itself on destruction because it may hold a token.
class Encoded {
 public:
  Encoded() = default;
  Encoded(const Encoded&) = delete;
  Encoded& operator=(const Encoded&) = delete;
  ~Encoded();
  std::span<const uint8_t> bytes() const { return {buffer_, size_}; }

 private:
  friend util::Result<void> encode_into(const Message& message, Encoded& out);
  uint8_t buffer_[kMaxMessageSize] = {};
  size_t size_ = 0;
};

// Encodes `message`; fails (without writing a partial datagram) when a field breaks the limits
// that decode() enforces, so a valid sender never produces a message the peer would reject.
util::Result<void> encode_into(const Message& message, Encoded& out);

// Decodes one datagram that arrived from `sender` with `descriptor_count` descriptors attached.
// Pure; validates everything (see the file comment).
util::Result<Message> decode(std::span<const uint8_t> datagram, Sender sender,
                             size_t descriptor_count);

// A received message and the descriptor that came with it (`connected`, `upload_opened`).
struct Received {
  Message message;
  UniqueFd descriptor;
};

// Sends one message, with `descriptor` attached when it is >= 0. Waits up to `timeout_ms` for
// room in the socket buffer (-1: no limit). Error codes: "ipc_closed", "ipc_timeout", "ipc_io",
// "ipc_invalid" (the message breaks the limits).
util::Result<void> send_message(int channel, const Message& message, int descriptor = -1,
                                int timeout_ms = -1);
// Non-blocking send: false when the socket buffer is full (nothing was sent).
util::Result<bool> try_send_message(int channel, const Message& message, int descriptor = -1);

// Receives one message from `sender`, waiting up to `timeout_ms` (-1: no limit). Error codes:
// "ipc_closed" (peer gone), "ipc_timeout", "ipc_io", "ipc_malformed" (the datagram was
// rejected; any descriptors that came with it are already closed).
util::Result<Received> receive_message(int channel, Sender sender, int timeout_ms = -1);
// Non-blocking receive: nullopt when no datagram is waiting.
util::Result<std::optional<Received>> try_receive_message(int channel, Sender sender);

// A SOCK_SEQPACKET socketpair with close-on-exec set: [0] for the broker, [1] for the worker.
util::Result<std::pair<UniqueFd, UniqueFd>> make_channel();

}  // namespace notion_mcp::sandbox::ipc
