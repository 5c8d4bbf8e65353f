#include "sandbox/ipc.h"

#include <poll.h>
#include <sodium.h>
#include <sys/socket.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <vector>

#include "sandbox/status.h"

namespace notion_mcp::sandbox::ipc {
namespace {

// Enough room to see (and close) a few descriptors more than any message may carry.
constexpr size_t kMaxReceivedDescriptors = 4;
// Ready's bitmask has room for 16 layers; higher bits are reserved and must be zero.
constexpr uint32_t kReadyLayerMask = 0xffff;

util::Error malformed(std::string why) {
  return util::make_error("ipc_malformed",
                          "The sandbox channel received a malformed message: " + why + ".");
}

util::Error invalid(std::string why) {
  return util::make_error("ipc_invalid", "Refusing to send a sandbox message: " + why + ".");
}

void put16(uint8_t* out, uint16_t v) {
  out[0] = static_cast<uint8_t>(v);
  out[1] = static_cast<uint8_t>(v >> 8);
}
void put32(uint8_t* out, uint32_t v) {
  for (int i = 0; i < 4; ++i) out[i] = static_cast<uint8_t>(v >> (8 * i));
}
uint16_t get16(const uint8_t* in) { return static_cast<uint16_t>(in[0] | (in[1] << 8)); }
uint32_t get32(const uint8_t* in) {
  return static_cast<uint32_t>(in[0]) | (static_cast<uint32_t>(in[1]) << 8) |
         (static_cast<uint32_t>(in[2]) << 16) | (static_cast<uint32_t>(in[3]) << 24);
}

bool valid_host(std::string_view host) {
  if (host.empty() || host.size() > kMaxHostLength) return false;
  for (char c : host) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '.' || c == '-' || c == ':';
    if (!ok) return false;
  }
  return true;
}

// Tokens travel in an HTTP header: visible ASCII only, so no CR/LF can be smuggled in.
bool valid_token(std::string_view token) {
  if (token.empty() || token.size() > kMaxTokenLength) return false;
  for (char c : token) {
    if (c < 0x21 || c > 0x7e) return false;
  }
  return true;
}

// Well-formed UTF-8 (no overlong forms, no surrogates) without control characters, so a line
// written to a log can never split into two lines or carry terminal escapes.
bool valid_text(std::string_view text) {
  const auto* p = reinterpret_cast<const unsigned char*>(text.data());
  const auto* end = p + text.size();
  while (p < end) {
    unsigned char c = *p;
    if (c < 0x80) {
      if (c < 0x20 || c == 0x7f) return false;
      ++p;
      continue;
    }
    int extra;
    uint32_t cp;
    if (c >= 0xc2 && c <= 0xdf) {
      extra = 1;
      cp = c & 0x1f;
    } else if (c >= 0xe0 && c <= 0xef) {
      extra = 2;
      cp = c & 0x0f;
    } else if (c >= 0xf0 && c <= 0xf4) {
      extra = 3;
      cp = c & 0x07;
    } else {
      return false;
    }
    if (end - p <= extra) return false;
    for (int i = 1; i <= extra; ++i) {
      if ((p[i] & 0xc0) != 0x80) return false;
      cp = (cp << 6) | (p[i] & 0x3f);
    }
    if ((extra == 2 && cp < 0x800) || (extra == 3 && (cp < 0x10000 || cp > 0x10ffff))) {
      return false;
    }
    if (cp >= 0xd800 && cp <= 0xdfff) return false;
    p += extra + 1;
  }
  return true;
}

bool valid_audit(std::string_view line) {
  return line.size() >= 2 && line.size() <= kMaxAuditLength && line.front() == '{' &&
         line.back() == '}' && valid_text(line);
}

// An upload path: printable UTF-8 (valid_text excludes NUL and control characters).
bool valid_path(std::string_view path) {
  return !path.empty() && path.size() <= kMaxPathLength && valid_text(path);
}

bool valid_failure_code(uint32_t code) {
  return code >= static_cast<uint32_t>(FailureCode::refused) &&
         code <= static_cast<uint32_t>(FailureCode::internal);
}

std::optional<Type> known_type(uint16_t value) {
  switch (static_cast<Type>(value)) {
    case Type::ready:
    case Type::connect:
    case Type::token:
    case Type::token_rejected:
    case Type::audit:
    case Type::open_upload:
    case Type::connected:
    case Type::token_grant:
    case Type::failure:
    case Type::upload_opened:
      return static_cast<Type>(value);
  }
  return std::nullopt;
}

util::Result<Body> decode_body(Type type, const uint8_t* p, size_t n) {
  auto need = [&](size_t exact) -> bool { return n == exact; };
  switch (type) {
    case Type::ready: {
      if (!need(4)) return malformed("a ready message carries exactly 4 bytes");
      uint32_t layers = get32(p);
      if (layers & ~kReadyLayerMask) return malformed("a ready message sets reserved bits");
      return Body{Ready{layers}};
    }
    case Type::connect: {
      if (n < 3) return malformed("a connect message needs a port and a host");
      uint16_t port = get16(p);
      std::string host(reinterpret_cast<const char*>(p + 2), n - 2);
      if (port == 0) return malformed("a connect message names port 0");
      if (!valid_host(host)) return malformed("a connect message names an invalid host");
      return Body{Connect{std::move(host), port}};
    }
    case Type::token:
      if (!need(0)) return malformed("a token request carries no payload");
      return Body{TokenRequest{}};
    case Type::token_rejected:
      if (!need(4)) return malformed("a token_rejected message carries exactly 4 bytes");
      return Body{TokenRejected{get32(p)}};
    case Type::audit: {
      std::string_view line(reinterpret_cast<const char*>(p), n);
      if (!valid_audit(line)) {
        return malformed("an audit message must be one JSON object line of printable UTF-8");
      }
      return Body{Audit{std::string(line)}};
    }
    case Type::open_upload: {
      std::string_view path(reinterpret_cast<const char*>(p), n);
      if (!valid_path(path)) {
        return malformed("an open_upload message must name a path of printable UTF-8");
      }
      return Body{OpenUpload{std::string(path)}};
    }
    case Type::connected:
      if (!need(0)) return malformed("a connected message carries no payload");
      return Body{Connected{}};
    case Type::upload_opened:
      if (!need(0)) return malformed("an upload_opened message carries no payload");
      return Body{UploadOpened{}};
    case Type::token_grant: {
      if (n < 5) return malformed("a token grant needs a generation and a token");
      std::string_view token(reinterpret_cast<const char*>(p + 4), n - 4);
      if (!valid_token(token)) return malformed("a token grant carries an invalid token");
      return Body{TokenGrant{get32(p), util::Secret(token)}};
    }
    case Type::failure: {
      if (n < 4) return malformed("a failure message needs a code");
      uint32_t code = get32(p);
      std::string_view text(reinterpret_cast<const char*>(p + 4), n - 4);
      if (!valid_failure_code(code)) return malformed("a failure message has an unknown code");
      if (text.size() > kMaxErrorLength || !valid_text(text)) {
        return malformed("a failure message has an invalid sentence");
      }
      return Body{Failure{static_cast<FailureCode>(code), std::string(text)}};
    }
  }
  return malformed("unknown message type");
}

int remaining_ms(std::chrono::steady_clock::time_point deadline, bool unlimited) {
  if (unlimited) return -1;
  auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
      deadline - std::chrono::steady_clock::now());
  return left.count() < 0 ? 0 : static_cast<int>(left.count());
}

// Waits for `events` on `channel`; false on timeout.
util::Result<bool> wait_for(int channel, short events, int timeout_ms) {
  bool unlimited = timeout_ms < 0;
  auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
  for (;;) {
    pollfd pfd{channel, events, 0};
    int ready = ::poll(&pfd, 1, remaining_ms(deadline, unlimited));
    if (ready > 0) return true;
    if (ready == 0) return false;
    if (errno != EINTR) {
      return util::make_error("ipc_io", errno_reason("poll on the sandbox channel", errno));
    }
  }
}

}  // namespace

Type type_of(const Body& body) {
  struct Visitor {
    Type operator()(const Ready&) const { return Type::ready; }
    Type operator()(const Connect&) const { return Type::connect; }
    Type operator()(const TokenRequest&) const { return Type::token; }
    Type operator()(const TokenRejected&) const { return Type::token_rejected; }
    Type operator()(const Audit&) const { return Type::audit; }
    Type operator()(const OpenUpload&) const { return Type::open_upload; }
    Type operator()(const Connected&) const { return Type::connected; }
    Type operator()(const UploadOpened&) const { return Type::upload_opened; }
    Type operator()(const TokenGrant&) const { return Type::token_grant; }
    Type operator()(const Failure&) const { return Type::failure; }
  };
  return std::visit(Visitor{}, body);
}

std::string_view type_name(Type type) {
  switch (type) {
    case Type::ready:
      return "ready";
    case Type::connect:
      return "connect";
    case Type::token:
      return "token";
    case Type::token_rejected:
      return "token_rejected";
    case Type::audit:
      return "audit";
    case Type::open_upload:
      return "open_upload";
    case Type::connected:
      return "connected";
    case Type::upload_opened:
      return "upload_opened";
    case Type::token_grant:
      return "token_grant";
    case Type::failure:
      return "failure";
  }
  return "unknown";
}

Sender sender_of(Type type) {
  return static_cast<uint16_t>(type) < 64 ? Sender::worker : Sender::broker;
}

size_t descriptors_for(Type type) {
  return type == Type::connected || type == Type::upload_opened ? 1 : 0;
}

Encoded::~Encoded() { sodium_memzero(buffer_, sizeof buffer_); }

util::Result<void> encode_into(const Message& message, Encoded& out) {
  uint8_t* payload = out.buffer_ + kHeaderSize;
  size_t length = 0;
  const Body& body = message.body;
  if (const auto* ready = std::get_if<Ready>(&body)) {
    if (ready->layers & ~kReadyLayerMask) return invalid("the layer bitmask uses reserved bits");
    put32(payload, ready->layers);
    length = 4;
  } else if (const auto* connect = std::get_if<Connect>(&body)) {
    if (!valid_host(connect->host) || connect->port == 0) {
      return invalid("the host or port is not valid");
    }
    put16(payload, connect->port);
    std::memcpy(payload + 2, connect->host.data(), connect->host.size());
    length = 2 + connect->host.size();
  } else if (const auto* rejected = std::get_if<TokenRejected>(&body)) {
    put32(payload, rejected->generation);
    length = 4;
  } else if (const auto* audit = std::get_if<Audit>(&body)) {
    if (!valid_audit(audit->line)) {
      return invalid("an audit line must be one JSON object of printable UTF-8, at most " +
                     std::to_string(kMaxAuditLength) + " bytes");
    }
    std::memcpy(payload, audit->line.data(), audit->line.size());
    length = audit->line.size();
  } else if (const auto* upload = std::get_if<OpenUpload>(&body)) {
    if (!valid_path(upload->path)) {
      return invalid("an upload path must be 1 to " + std::to_string(kMaxPathLength) +
                     " bytes of printable UTF-8");
    }
    std::memcpy(payload, upload->path.data(), upload->path.size());
    length = upload->path.size();
  } else if (const auto* grant = std::get_if<TokenGrant>(&body)) {
    std::string_view token = grant->token.reveal();
    if (!valid_token(token)) return invalid("the token is empty, too long or not visible ASCII");
    put32(payload, grant->generation);
    std::memcpy(payload + 4, token.data(), token.size());
    length = 4 + token.size();
  } else if (const auto* failure = std::get_if<Failure>(&body)) {
    if (!valid_failure_code(static_cast<uint32_t>(failure->code)) ||
        failure->message.size() > kMaxErrorLength || !valid_text(failure->message)) {
      return invalid("the failure code or sentence is not valid");
    }
    put32(payload, static_cast<uint32_t>(failure->code));
    std::memcpy(payload + 4, failure->message.data(), failure->message.size());
    length = 4 + failure->message.size();
  }
  put16(out.buffer_, static_cast<uint16_t>(type_of(body)));
  put16(out.buffer_ + 2, 0);
  put32(out.buffer_ + 4, message.id);
  put32(out.buffer_ + 8, static_cast<uint32_t>(length));
  out.size_ = kHeaderSize + length;
  return {};
}

util::Result<Message> decode(std::span<const uint8_t> datagram, Sender sender,
                             size_t descriptor_count) {
  if (datagram.size() < kHeaderSize) return malformed("it is shorter than the header");
  if (datagram.size() > kMaxMessageSize) return malformed("it is longer than the limit");
  const uint8_t* p = datagram.data();
  auto type = known_type(get16(p));
  if (!type) return malformed("its type " + std::to_string(get16(p)) + " is unknown");
  if (sender_of(*type) != sender) {
    return malformed("a " + std::string(type_name(*type)) + " message came from the wrong side");
  }
  if (get16(p + 2) != 0) return malformed("its reserved header bits are set");
  uint32_t length = get32(p + 8);
  if (length != datagram.size() - kHeaderSize) {
    return malformed("its length field does not match its size");
  }
  if (descriptor_count != descriptors_for(*type)) {
    return malformed("a " + std::string(type_name(*type)) + " message came with " +
                     std::to_string(descriptor_count) + " descriptors");
  }
  auto body = decode_body(*type, p + kHeaderSize, length);
  if (!body.ok()) return std::move(body).error();
  return Message{get32(p + 4), std::move(body).value()};
}

util::Result<bool> try_send_message(int channel, const Message& message, int descriptor) {
  Encoded encoded;
  if (auto r = encode_into(message, encoded); !r.ok()) return r.error();
  if ((descriptor >= 0) != (descriptors_for(type_of(message.body)) == 1)) {
    return invalid("connected and upload_opened carry exactly one descriptor, others none");
  }
  auto bytes = encoded.bytes();
  iovec iov{const_cast<uint8_t*>(bytes.data()), bytes.size()};
  msghdr msg{};
  msg.msg_iov = &iov;
  msg.msg_iovlen = 1;
  alignas(cmsghdr) char control[CMSG_SPACE(sizeof(int))] = {};
  if (descriptor >= 0) {
    msg.msg_control = control;
    msg.msg_controllen = sizeof control;
    cmsghdr* cmsg = CMSG_FIRSTHDR(&msg);
    cmsg->cmsg_level = SOL_SOCKET;
    cmsg->cmsg_type = SCM_RIGHTS;
    cmsg->cmsg_len = CMSG_LEN(sizeof(int));
    std::memcpy(CMSG_DATA(cmsg), &descriptor, sizeof(int));
  }
  for (;;) {
    ssize_t sent = ::sendmsg(channel, &msg, MSG_NOSIGNAL | MSG_DONTWAIT);
    if (sent == static_cast<ssize_t>(bytes.size())) return true;
    if (sent >= 0) return util::make_error("ipc_io", "The sandbox channel sent a partial message.");
    if (errno == EINTR) continue;
    if (errno == EAGAIN || errno == EWOULDBLOCK) return false;
    if (errno == EPIPE || errno == ECONNRESET || errno == ENOTCONN) {
      return util::make_error("ipc_closed", "The other side of the sandbox channel has gone.");
    }
    return util::make_error("ipc_io", errno_reason("sendmsg on the sandbox channel", errno));
  }
}

util::Result<void> send_message(int channel, const Message& message, int descriptor,
                                int timeout_ms) {
  bool unlimited = timeout_ms < 0;
  auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
  for (;;) {
    auto sent = try_send_message(channel, message, descriptor);
    if (!sent.ok()) return sent.error();
    if (*sent) return {};
    auto ready = wait_for(channel, POLLOUT, remaining_ms(deadline, unlimited));
    if (!ready.ok()) return ready.error();
    if (!*ready) {
      return util::make_error("ipc_timeout", "The sandbox channel stayed full; the peer is stuck.");
    }
  }
}

util::Result<std::optional<Received>> try_receive_message(int channel, Sender sender) {
  uint8_t buffer[kMaxMessageSize + 1];
  alignas(cmsghdr) char control[CMSG_SPACE(sizeof(int) * kMaxReceivedDescriptors)];
  iovec iov{buffer, sizeof buffer};
  msghdr msg{};
  msg.msg_iov = &iov;
  msg.msg_iovlen = 1;
  msg.msg_control = control;
  msg.msg_controllen = sizeof control;
  ssize_t n;
  do {
    n = ::recvmsg(channel, &msg, MSG_DONTWAIT | MSG_CMSG_CLOEXEC);
  } while (n < 0 && errno == EINTR);
  if (n < 0) {
    if (errno == EAGAIN || errno == EWOULDBLOCK) return std::optional<Received>();
    if (errno == ECONNRESET) {
      return util::make_error("ipc_closed", "The other side of the sandbox channel has gone.");
    }
    return util::make_error("ipc_io", errno_reason("recvmsg on the sandbox channel", errno));
  }
  // Take ownership of every descriptor first, so that each rejection below closes them.
  std::vector<UniqueFd> descriptors;
  bool foreign_control = false;
  for (cmsghdr* c = CMSG_FIRSTHDR(&msg); c != nullptr; c = CMSG_NXTHDR(&msg, c)) {
    if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_RIGHTS) {
      size_t count = (c->cmsg_len - CMSG_LEN(0)) / sizeof(int);
      for (size_t i = 0; i < count; ++i) {
        int fd;
        std::memcpy(&fd, CMSG_DATA(c) + i * sizeof(int), sizeof fd);
        descriptors.emplace_back(fd);
      }
    } else {
      foreign_control = true;
    }
  }
  struct Wipe {
    uint8_t* p;
    size_t n;
    ~Wipe() { sodium_memzero(p, n); }
  } wipe{buffer, static_cast<size_t>(n)};
  if (n == 0) {
    return util::make_error("ipc_closed", "The other side of the sandbox channel has gone.");
  }
  if (msg.msg_flags & MSG_TRUNC) return malformed("it is longer than the limit");
  if (msg.msg_flags & MSG_CTRUNC) return malformed("it carried too many descriptors");
  if (foreign_control) return malformed("it carried control data other than descriptors");
  auto decoded =
      decode(std::span<const uint8_t>(buffer, static_cast<size_t>(n)), sender, descriptors.size());
  if (!decoded.ok()) return std::move(decoded).error();
  Received received{std::move(decoded).value(), {}};
  if (!descriptors.empty()) received.descriptor = std::move(descriptors.front());
  return std::optional<Received>(std::move(received));
}

util::Result<Received> receive_message(int channel, Sender sender, int timeout_ms) {
  bool unlimited = timeout_ms < 0;
  auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
  for (;;) {
    auto received = try_receive_message(channel, sender);
    if (!received.ok()) return std::move(received).error();
    if (received->has_value()) return std::move(**received);
    auto ready = wait_for(channel, POLLIN, remaining_ms(deadline, unlimited));
    if (!ready.ok()) return ready.error();
    if (!*ready) {
      return util::make_error("ipc_timeout", "No message arrived on the sandbox channel in time.");
    }
  }
}

util::Result<std::pair<UniqueFd, UniqueFd>> make_channel() {
  int fds[2];
  if (::socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, fds) != 0) {
    return util::make_error("ipc_io", errno_reason("socketpair(AF_UNIX, SOCK_SEQPACKET)", errno));
  }
  return std::pair<UniqueFd, UniqueFd>(UniqueFd(fds[0]), UniqueFd(fds[1]));
}

}  // namespace notion_mcp::sandbox::ipc
