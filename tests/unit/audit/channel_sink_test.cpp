#include "audit/channel_sink.h"

#include <gtest/gtest.h>

#include "audit/summary.h"
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

TEST(AuditChannelSink, DropsAreCountedWarnedAndNotedInTheLog) {
  auto channel = sandbox::ipc::make_channel();
  ASSERT_TRUE(channel.ok());
  util::Logger logger(util::LogLevel::emergency);
  std::vector<std::string> warnings;
  logger.set_client_sink(
      [&warnings](util::LogLevel, const std::string& text) { warnings.push_back(text); },
      util::LogLevel::warning);
  Sink sink = channel_sink(channel->second.get(), logger);
  std::string filler = "{\"x\":\"" + std::string(16000, 'a') + "\"}";
  sandbox::ipc::Message message{0, sandbox::ipc::Audit{filler}};
  for (int sent = 0; sent < 10000; ++sent) {
    auto more = sandbox::ipc::try_send_message(channel->second.get(), message);
    ASSERT_TRUE(more.ok());
    if (!*more) break;
  }
  sink(R"({"tool":"first"})");
  sink(R"({"tool":"second"})");
  ASSERT_EQ(warnings.size(), 2u);
  EXPECT_NE(warnings[1].find("2 since"), std::string::npos) << warnings[1];
  EXPECT_NE(warnings[1].find("incomplete"), std::string::npos) << warnings[1];

  // The broker catches up: the next line is preceded by the note of the gap.
  std::vector<std::string> lines;
  for (int i = 0; i < 10000; ++i) {
    auto got =
        sandbox::ipc::try_receive_message(channel->first.get(), sandbox::ipc::Sender::worker);
    ASSERT_TRUE(got.ok());
    if (!*got) break;
  }
  sink(R"({"tool":"third"})");
  for (int i = 0; i < 2; ++i) {
    auto got =
        sandbox::ipc::receive_message(channel->first.get(), sandbox::ipc::Sender::worker, 1000);
    ASSERT_TRUE(got.ok()) << got.error().message;
    lines.push_back(std::get<sandbox::ipc::Audit>(got->message.body).line);
  }
  auto gap = util::parse_json(lines[0]);
  ASSERT_TRUE(gap.ok()) << lines[0];
  EXPECT_EQ((*gap)["lost_lines"], 2);
  EXPECT_EQ(lines[1], R"({"tool":"third"})");
  EXPECT_EQ(warnings.size(), 2u);
  // And the summary says so.
  std::string summary = summarize(lines, {}, "audit.jsonl");
  EXPECT_NE(summary.find("2 lines are missing"), std::string::npos) << summary;
}

}  // namespace
}  // namespace notion_mcp::audit
