#include "cli/broker_launch.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <string>
#include <vector>

namespace notion_mcp::cli {
namespace {

// A real child process (the broker only serves its own child) and a real SEQPACKET channel.
class HandedOverWorker : public testing::Test {
 protected:
  void SetUp() override {
    ASSERT_EQ(::socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, channel_), 0);
    child_ = ::fork();
    ASSERT_GE(child_, 0);
    if (child_ == 0) {
      ::pause();
      ::_exit(0);
    }
  }
  void TearDown() override {
    if (child_ > 0) {
      ::kill(child_, SIGKILL);
      ::waitpid(child_, nullptr, 0);
    }
    for (int fd : channel_) {
      if (fd >= 0) ::close(fd);
    }
  }

  // The arguments exec_broker would pass, without the program name.
  std::vector<std::string> arguments_for(const BrokerPlan& plan, int channel, pid_t pid) {
    sandbox::WorkerProcess worker;
    worker.pid = pid;
    worker.channel.reset(::dup(channel));
    std::vector<std::string> arguments = broker_arguments(plan, worker);
    EXPECT_EQ(arguments.front(), "notion-mcp-broker");
    arguments.erase(arguments.begin());
    // The descriptor number was that of the dup: point the argument at `channel` itself.
    for (auto& argument : arguments) {
      if (argument.rfind("--channel=", 0) == 0) argument = "--channel=" + std::to_string(channel);
    }
    return arguments;
  }

  int channel_[2] = {-1, -1};
  pid_t child_ = -1;
};

TEST_F(HandedOverWorker, ThePlanSurvivesTheCommandLine) {
  BrokerPlan plan;
  plan.demo = false;
  plan.log_level = "debug";
  plan.audit_log = "/tmp/state dir/notion-mcp/audit.jsonl";
  plan.upload_roots = {"/home/a/Up loads", "/srv/x=y"};
  plan.credentials.profile = "work";
  plan.credentials.credentials_file = "/etc/notion-mcp/ci.cred";
  plan.credentials.key_file = "/run/credentials/notion-mcp.key";
  int channel = ::dup(channel_[0]);
  auto parsed = parse_broker_arguments(arguments_for(plan, channel, child_));
  ASSERT_TRUE(parsed.ok()) << parsed.error().message;
  EXPECT_EQ(parsed->worker.pid, child_);
  EXPECT_EQ(parsed->worker.channel.get(), channel);  // owned now: closed with the invocation
  EXPECT_FALSE(parsed->worker.pidfd.valid());
  EXPECT_EQ(::fcntl(channel, F_GETFD) & FD_CLOEXEC, FD_CLOEXEC);
  EXPECT_FALSE(parsed->plan.demo);
  EXPECT_EQ(parsed->plan.log_level, "debug");
  EXPECT_EQ(parsed->plan.audit_log, plan.audit_log);
  EXPECT_EQ(parsed->plan.upload_roots, plan.upload_roots);
  EXPECT_EQ(parsed->plan.credentials.profile, "work");
  EXPECT_EQ(parsed->plan.credentials.credentials_file, plan.credentials.credentials_file);
  EXPECT_EQ(parsed->plan.credentials.key_file, plan.credentials.key_file);
}

TEST_F(HandedOverWorker, TheDemoNeedsNoAuditLogOrCredentials) {
  BrokerPlan plan;
  plan.demo = true;
  auto arguments = arguments_for(plan, ::dup(channel_[0]), child_);
  for (const auto& argument : arguments) {
    EXPECT_EQ(argument.find("--audit-log"), std::string::npos);
    EXPECT_EQ(argument.find("--credentials-file"), std::string::npos);
  }
  auto parsed = parse_broker_arguments(arguments);
  ASSERT_TRUE(parsed.ok()) << parsed.error().message;
  EXPECT_TRUE(parsed->plan.demo);
  EXPECT_TRUE(parsed->plan.audit_log.empty());
  EXPECT_EQ(parsed->plan.credentials.profile, "default");
}

TEST_F(HandedOverWorker, RefusesWhatServeWouldNotHandOver) {
  BrokerPlan plan;
  auto expect_refused = [](const std::vector<std::string>& arguments, const std::string& why) {
    auto parsed = parse_broker_arguments(arguments);
    ASSERT_FALSE(parsed.ok()) << why;
    EXPECT_NE(parsed.error().message.find("not meant to be run by hand"), std::string::npos);
    EXPECT_NE(parsed.error().message.find(why), std::string::npos) << parsed.error().message;
  };
  expect_refused({}, "no worker was handed over");
  int pipe_fds[2];
  ASSERT_EQ(::pipe(pipe_fds), 0);
  expect_refused({"--channel=" + std::to_string(pipe_fds[0]), "--pidfd=-1",
                  "--worker-pid=" + std::to_string(child_)},
                 "is not the channel");
  ::close(pipe_fds[0]);
  ::close(pipe_fds[1]);
  // Not our child: pid 1 (or whatever init this test runs under).
  expect_refused({"--channel=" + std::to_string(channel_[0]), "--pidfd=-1", "--worker-pid=1"},
                 "is not its worker");
  expect_refused({"--channel=x", "--pidfd=-1", "--worker-pid=1"}, "no worker was handed over");
  expect_refused({"--channel=3", "--pidfd=-1", "--worker-pid=2", "--secret=abc"},
                 "unknown argument --secret=abc");
}

TEST(BrokerLaunch, SaysWhereItLookedWhenTheProgramIsMissing) {
  // The test binary's directory holds no notion-mcp-broker.
  auto found = open_broker_executable();
  ASSERT_FALSE(found.ok());
  EXPECT_EQ(found.error().code, "broker_missing");
  EXPECT_NE(found.error().message.find("/notion-mcp-broker and "), std::string::npos);
  EXPECT_NE(found.error().message.find("/libexec/notion-mcp/notion-mcp-broker"), std::string::npos)
      << found.error().message;
  EXPECT_EQ(found.error().hint, "Reinstall notion-mcp.");
}

}  // namespace
}  // namespace notion_mcp::cli
