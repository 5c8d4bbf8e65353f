#include "sandbox/ipc.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstring>
#include <vector>

namespace notion_mcp::sandbox::ipc {
namespace {

std::vector<uint8_t> encode(const Message& message) {
  Encoded encoded;
  auto r = encode_into(message, encoded);
  EXPECT_TRUE(r.ok()) << r.error().message;
  auto bytes = encoded.bytes();
  return {bytes.begin(), bytes.end()};
}

std::vector<uint8_t> raw(uint16_t type, uint32_t id, const std::vector<uint8_t>& payload,
                         int32_t length_delta = 0) {
  std::vector<uint8_t> out;
  out.reserve(kHeaderSize + payload.size());
  uint32_t length = static_cast<uint32_t>(payload.size() + length_delta);
  out.push_back(type & 0xff);
  out.push_back(type >> 8);
  out.push_back(0);
  out.push_back(0);
  for (int i = 0; i < 4; ++i) out.push_back(static_cast<uint8_t>(id >> (8 * i)));
  for (int i = 0; i < 4; ++i) out.push_back(static_cast<uint8_t>(length >> (8 * i)));
  for (uint8_t b : payload) out.push_back(b);
  return out;
}

std::vector<uint8_t> bytes_of(std::string_view s) { return {s.begin(), s.end()}; }

TEST(SandboxIpc, RoundTripsEveryMessageType) {
  std::vector<Message> messages;
  messages.push_back({1, Ready{0x3f}});
  messages.push_back({2, Connect{"api.notion.com", 443}});
  messages.push_back({3, TokenRequest{}});
  messages.push_back({4, TokenRejected{7}});
  messages.push_back({5, Audit{R"({"tool":"search","outcome":"ok","note":"é ✓"})"}});
  messages.push_back({6, Connected{}});
  messages.push_back({7, TokenGrant{9, util::Secret("ntn_abcdefghijklmnop")}});
  messages.push_back({8, Failure{FailureCode::refused, "Only api.notion.com:443 is allowed."}});
  messages.push_back({9, OpenUpload{"/home/ada/Uploads/diagram é.png"}});
  messages.push_back({10, UploadOpened{}});
  for (const auto& message : messages) {
    auto bytes = encode(message);
    Type type = type_of(message.body);
    auto decoded = decode(bytes, sender_of(type), descriptors_for(type));
    ASSERT_TRUE(decoded.ok()) << type_name(type) << ": " << decoded.error().message;
    EXPECT_EQ(decoded->id, message.id);
    EXPECT_EQ(type_of(decoded->body), type);
    // Re-encoding what was decoded gives the same bytes: nothing is lost or invented.
    EXPECT_EQ(encode(*decoded), bytes) << type_name(type);
  }
  auto grant = decode(encode(messages[6]), Sender::broker, 0);
  ASSERT_TRUE(grant.ok());
  EXPECT_EQ(std::get<TokenGrant>(grant->body).token.reveal(), "ntn_abcdefghijklmnop");
  auto connect = decode(encode(messages[1]), Sender::worker, 0);
  ASSERT_TRUE(connect.ok());
  EXPECT_EQ(std::get<Connect>(connect->body).host, "api.notion.com");
  EXPECT_EQ(std::get<Connect>(connect->body).port, 443);
}

TEST(SandboxIpc, RejectsMalformedHeaders) {
  auto check_rejected = [](const std::vector<uint8_t>& bytes, Sender sender, size_t fds,
                           const char* what) {
    auto decoded = decode(bytes, sender, fds);
    EXPECT_FALSE(decoded.ok()) << what;
    if (!decoded.ok()) {
      EXPECT_EQ(decoded.error().code, "ipc_malformed") << what;
    }
  };
  check_rejected({}, Sender::worker, 0, "empty");
  check_rejected({1, 0, 0, 0, 0, 0, 0}, Sender::worker, 0, "short header");
  check_rejected(raw(99, 1, {}), Sender::worker, 0, "unknown type");
  check_rejected(raw(0, 1, {}), Sender::worker, 0, "type zero");
  check_rejected(raw(3, 1, {}, 1), Sender::worker, 0, "length larger than the datagram");
  check_rejected(raw(3, 1, {0}, -1), Sender::worker, 0, "trailing byte after the payload");
  auto reserved = raw(3, 1, {});
  reserved[2] = 1;
  check_rejected(reserved, Sender::worker, 0, "reserved bits");
  // A worker cannot speak for the broker (and the other way round).
  check_rejected(raw(64, 1, {}), Sender::worker, 1, "worker sends connected");
  check_rejected(raw(3, 1, {}), Sender::broker, 0, "broker sends a token request");
  // Descriptors only with `connected`, and exactly one.
  check_rejected(raw(3, 1, {}), Sender::worker, 1, "descriptor with a token request");
  check_rejected(raw(64, 1, {}), Sender::broker, 0, "connected without descriptor");
  check_rejected(raw(64, 1, {}), Sender::broker, 2, "connected with two descriptors");
  check_rejected(raw(67, 1, {}), Sender::broker, 0, "upload_opened without descriptor");
  check_rejected(raw(6, 1, bytes_of("a.png")), Sender::worker, 1, "open_upload with descriptor");
  check_rejected(raw(67, 1, {}), Sender::worker, 1, "worker sends upload_opened");
  std::vector<uint8_t> huge(kMaxMessageSize + 1, 0);
  check_rejected(huge, Sender::worker, 0, "longer than the limit");
}

TEST(SandboxIpc, RejectsMalformedPayloads) {
  auto rejected = [](const std::vector<uint8_t>& bytes, Sender sender = Sender::worker) {
    return !decode(bytes, sender, 0).ok();
  };
  EXPECT_TRUE(rejected(raw(1, 1, {1, 2, 3})));            // ready: 3 bytes
  EXPECT_TRUE(rejected(raw(1, 1, {0, 0, 1, 0})));         // ready: reserved bit 16
  EXPECT_TRUE(rejected(raw(2, 1, {0xbb, 0x01})));         // connect: no host
  EXPECT_TRUE(rejected(raw(2, 1, bytes_of("\0\0a.b"))));  // connect: port 0
  auto with_port = [](std::string_view host) {
    std::vector<uint8_t> payload{0xbb, 0x01};
    for (char c : host) payload.push_back(static_cast<uint8_t>(c));
    return payload;
  };
  EXPECT_FALSE(rejected(raw(2, 1, with_port("api.notion.com"))));
  EXPECT_FALSE(rejected(raw(2, 1, with_port("::1"))));
  EXPECT_TRUE(rejected(raw(2, 1, with_port("api.notion.com/evil"))));
  EXPECT_TRUE(rejected(raw(2, 1, with_port(std::string("a\0b", 3)))));
  EXPECT_TRUE(rejected(raw(2, 1, with_port(std::string(254, 'a')))));
  EXPECT_TRUE(rejected(raw(3, 1, {0})));                   // token request with payload
  EXPECT_TRUE(rejected(raw(4, 1, {1, 2})));                // token_rejected: 2 bytes
  EXPECT_TRUE(rejected(raw(5, 1, {})));                    // audit: empty
  EXPECT_TRUE(rejected(raw(5, 1, bytes_of("not json"))));  // audit: not an object
  EXPECT_TRUE(rejected(raw(5, 1, bytes_of("{\"a\":1}\n{\"forged\":1}"))));  // second line
  EXPECT_TRUE(rejected(raw(5, 1, bytes_of("{\"a\":\"\x1b[31m\"}"))));       // terminal escape
  EXPECT_TRUE(rejected(raw(5, 1, bytes_of("{\"a\":\"\xc0\xaf\"}"))));       // overlong UTF-8
  EXPECT_TRUE(rejected(raw(5, 1, bytes_of("{\"a\":\"\xed\xa0\x80\"}"))));   // surrogate
  EXPECT_TRUE(rejected(raw(5, 1, bytes_of("{\"a\":\"\xe2\x9c\"}"))));       // cut sequence
  std::string long_line = "{\"a\":\"" + std::string(kMaxAuditLength, 'x') + "\"}";
  EXPECT_TRUE(rejected(raw(5, 1, bytes_of(long_line))));
  EXPECT_FALSE(rejected(raw(6, 1, bytes_of("notes/a.png"))));
  EXPECT_TRUE(rejected(raw(6, 1, {})));  // open_upload: no path
  EXPECT_TRUE(rejected(raw(6, 1, bytes_of(std::string("a\0/etc/passwd", 13)))));  // NUL
  EXPECT_TRUE(rejected(raw(6, 1, bytes_of("a\nb.png"))));  // control character
  EXPECT_TRUE(rejected(raw(6, 1, bytes_of(std::string(kMaxPathLength + 1, 'a')))));
  // Broker-side payloads, checked by the worker.
  EXPECT_TRUE(rejected(raw(67, 1, {0}), Sender::broker));           // upload_opened with a payload
  EXPECT_TRUE(rejected(raw(65, 1, {1, 0, 0, 0}), Sender::broker));  // grant: no token
  EXPECT_TRUE(rejected(raw(65, 1, bytes_of("\1\0\0\0ntn_a\r\nX: y")), Sender::broker));
  EXPECT_TRUE(rejected(raw(66, 1, {9, 0, 0, 0}), Sender::broker));   // unknown failure code
  EXPECT_FALSE(rejected(raw(66, 1, {1, 0, 0, 0}), Sender::broker));  // known code, no text
}

TEST(SandboxIpc, EncodeRefusesWhatDecodeWouldReject) {
  Encoded out;
  EXPECT_FALSE(encode_into({1, Connect{"", 443}}, out).ok());
  EXPECT_FALSE(encode_into({1, Connect{"api.notion.com", 0}}, out).ok());
  EXPECT_FALSE(encode_into({1, Audit{"{\"a\":\"line\nbreak\"}"}}, out).ok());
  EXPECT_FALSE(encode_into({1, Audit{std::string(kMaxAuditLength + 1, '{')}}, out).ok());
  EXPECT_FALSE(encode_into({1, TokenGrant{1, util::Secret("")}}, out).ok());
  EXPECT_FALSE(encode_into({1, Failure{static_cast<FailureCode>(42), "x"}}, out).ok());
  EXPECT_FALSE(encode_into({1, Ready{0x10000}}, out).ok());
  EXPECT_FALSE(encode_into({1, OpenUpload{""}}, out).ok());
  EXPECT_FALSE(encode_into({1, OpenUpload{"a\tb"}}, out).ok());
}

class SandboxIpcChannel : public ::testing::Test {
 protected:
  void SetUp() override {
    auto channel = make_channel();
    ASSERT_TRUE(channel.ok()) << channel.error().message;
    broker_ = std::move(channel->first);
    worker_ = std::move(channel->second);
  }
  UniqueFd broker_;
  UniqueFd worker_;
};

TEST_F(SandboxIpcChannel, PassesADescriptorWithConnected) {
  int pipe_fds[2];
  ASSERT_EQ(::pipe(pipe_fds), 0);
  UniqueFd read_end(pipe_fds[0]);
  UniqueFd write_end(pipe_fds[1]);
  ASSERT_TRUE(send_message(broker_.get(), {42, Connected{}}, write_end.get()).ok());
  write_end.reset();  // the only remaining write end is the one in flight
  auto received = receive_message(worker_.get(), Sender::broker, 2000);
  ASSERT_TRUE(received.ok()) << received.error().message;
  EXPECT_EQ(received->message.id, 42u);
  ASSERT_TRUE(received->descriptor.valid());
  EXPECT_EQ(::fcntl(received->descriptor.get(), F_GETFD) & FD_CLOEXEC, FD_CLOEXEC);
  ASSERT_EQ(::write(received->descriptor.get(), "ok", 2), 2);
  char buffer[2];
  ASSERT_EQ(::read(read_end.get(), buffer, 2), 2);
  EXPECT_EQ(std::string(buffer, 2), "ok");
}

TEST_F(SandboxIpcChannel, BrokerRejectsAndClosesDescriptorsFromTheWorker) {
  // A hostile worker attaches a descriptor to a token request: the broker must refuse the
  // message and must not keep the descriptor.
  int pipe_fds[2];
  ASSERT_EQ(::pipe(pipe_fds), 0);
  UniqueFd read_end(pipe_fds[0]);
  Encoded encoded;
  ASSERT_TRUE(encode_into({1, TokenRequest{}}, encoded).ok());
  iovec iov{const_cast<uint8_t*>(encoded.bytes().data()), encoded.bytes().size()};
  alignas(cmsghdr) char control[CMSG_SPACE(sizeof(int))] = {};
  msghdr msg{};
  msg.msg_iov = &iov;
  msg.msg_iovlen = 1;
  msg.msg_control = control;
  msg.msg_controllen = sizeof control;
  cmsghdr* cmsg = CMSG_FIRSTHDR(&msg);
  cmsg->cmsg_level = SOL_SOCKET;
  cmsg->cmsg_type = SCM_RIGHTS;
  cmsg->cmsg_len = CMSG_LEN(sizeof(int));
  std::memcpy(CMSG_DATA(cmsg), &pipe_fds[1], sizeof(int));
  ASSERT_GT(::sendmsg(worker_.get(), &msg, 0), 0);
  ::close(pipe_fds[1]);
  auto received = receive_message(broker_.get(), Sender::worker, 2000);
  ASSERT_FALSE(received.ok());
  EXPECT_EQ(received.error().code, "ipc_malformed");
  // The write end was closed by the broker, so the pipe reports end of file.
  char c;
  EXPECT_EQ(::read(read_end.get(), &c, 1), 0);
}

TEST_F(SandboxIpcChannel, RejectsOversizedDatagrams) {
  std::vector<uint8_t> big(kMaxMessageSize + 100, '{');
  ASSERT_EQ(::send(worker_.get(), big.data(), big.size(), 0), static_cast<ssize_t>(big.size()));
  auto received = receive_message(broker_.get(), Sender::worker, 2000);
  ASSERT_FALSE(received.ok());
  EXPECT_EQ(received.error().code, "ipc_malformed");
}

TEST_F(SandboxIpcChannel, NonBlockingReceiveAndClosedPeer) {
  auto nothing = try_receive_message(broker_.get(), Sender::worker);
  ASSERT_TRUE(nothing.ok());
  EXPECT_FALSE(nothing->has_value());
  auto timeout = receive_message(broker_.get(), Sender::worker, 20);
  ASSERT_FALSE(timeout.ok());
  EXPECT_EQ(timeout.error().code, "ipc_timeout");
  ASSERT_TRUE(send_message(worker_.get(), {5, TokenRequest{}}).ok());
  auto one = try_receive_message(broker_.get(), Sender::worker);
  ASSERT_TRUE(one.ok());
  ASSERT_TRUE(one->has_value());
  EXPECT_EQ((*one)->message.id, 5u);
  worker_.reset();
  auto closed = receive_message(broker_.get(), Sender::worker, 2000);
  ASSERT_FALSE(closed.ok());
  EXPECT_EQ(closed.error().code, "ipc_closed");
  auto send_closed = send_message(broker_.get(), {5, Connected{}}, 0);
  ASSERT_FALSE(send_closed.ok());
  EXPECT_EQ(send_closed.error().code, "ipc_closed");
}

TEST_F(SandboxIpcChannel, NonBlockingSendReportsAFullBuffer) {
  Message audit{1, Audit{"{\"x\":\"" + std::string(8000, 'y') + "\"}"}};
  bool saw_full = false;
  for (int i = 0; i < 10000 && !saw_full; ++i) {
    auto sent = try_send_message(worker_.get(), audit);
    ASSERT_TRUE(sent.ok()) << sent.error().message;
    saw_full = !*sent;
  }
  EXPECT_TRUE(saw_full);
  auto blocked = send_message(worker_.get(), audit, -1, 20);
  ASSERT_FALSE(blocked.ok());
  EXPECT_EQ(blocked.error().code, "ipc_timeout");
}

}  // namespace
}  // namespace notion_mcp::sandbox::ipc
