#include "audit/channel_sink.h"

#include <gtest/gtest.h>

#include "sandbox/ipc.h"

namespace notion_mcp::audit {
namespace {

TEST(AuditChannelSink, LinesReachTheBrokerAsAuditMessages) {
  auto channel = sandbox::ipc::make_channel();
  ASSERT_TRUE(channel.ok());
  util::Logger logger(util::LogLevel::emergency);
  Sink sink = channel_sink(channel->second.get(), logger);
  sink(R"({"tool":"get_page","outcome":"ok"})");
  auto received =
      sandbox::ipc::receive_message(channel->first.get(), sandbox::ipc::Sender::worker, 1000);
  ASSERT_TRUE(received.ok()) << received.error().message;
  const auto* audit = std::get_if<sandbox::ipc::Audit>(&received->message.body);
  ASSERT_NE(audit, nullptr);
  EXPECT_EQ(audit->line, R"({"tool":"get_page","outcome":"ok"})");
}

TEST(AuditChannelSink, AFullChannelDropsInsteadOfBlockingForLong) {
  auto channel = sandbox::ipc::make_channel();
  ASSERT_TRUE(channel.ok());
  util::Logger logger(util::LogLevel::emergency);
  Sink sink = channel_sink(channel->second.get(), logger);
  std::string line = "{\"x\":\"" + std::string(16000, 'a') + "\"}";
  // Nobody reads: fill the socket buffer (bounded), then one more line must give up quickly.
  sandbox::ipc::Message message{0, sandbox::ipc::Audit{line}};
  int sent = 0;
  for (; sent < 10000; ++sent) {
    auto more = sandbox::ipc::try_send_message(channel->second.get(), message);
    ASSERT_TRUE(more.ok());
    if (!*more) break;
  }
  ASSERT_LT(sent, 10000);
  auto started = std::chrono::steady_clock::now();
  sink(line);
  auto elapsed = std::chrono::steady_clock::now() - started;
  EXPECT_LT(elapsed, std::chrono::seconds(2));
  EXPECT_GE(elapsed, std::chrono::milliseconds(100));  // it did wait a little for room
}

}  // namespace
}  // namespace notion_mcp::audit
