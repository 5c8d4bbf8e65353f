#include "cli/broker_launch.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
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
  const std::string version = std::string("--version=") + NOTION_MCP_VERSION;
  expect_refused({"--channel=" + std::to_string(pipe_fds[0]), "--pidfd=-1",
                  "--worker-pid=" + std::to_string(child_), version},
                 "is not the channel");
  ::close(pipe_fds[0]);
  ::close(pipe_fds[1]);
  // Not our child: pid 1 (or whatever init this test runs under).
  expect_refused(
      {"--channel=" + std::to_string(channel_[0]), "--pidfd=-1", "--worker-pid=1", version},
      "is not its worker");
  // Everything right but the version: nothing says which notion-mcp started it.
  expect_refused({"--channel=" + std::to_string(channel_[0]), "--pidfd=-1",
                  "--worker-pid=" + std::to_string(child_)},
                 "no worker was handed over");
  expect_refused({"--channel=x", "--pidfd=-1", "--worker-pid=1"}, "no worker was handed over");
  expect_refused({"--channel=3", "--pidfd=-1", "--worker-pid=2", "--secret=abc"},
                 "unknown argument --secret=abc");
}

TEST_F(HandedOverWorker, ChecksTheVersionAndThePidfd) {
  BrokerPlan plan;
  auto arguments = arguments_for(plan, ::dup(channel_[0]), child_);
  auto with = [&](const std::string& prefix, const std::string& replacement) {
    auto changed = arguments;
    for (auto& argument : changed) {
      if (argument.rfind(prefix, 0) == 0) argument = replacement;
    }
    return changed;
  };
  auto other_version = parse_broker_arguments(with("--version=", "--version=0.0.0-other"));
  ASSERT_FALSE(other_version.ok());
  EXPECT_EQ(other_version.error().code, "broker_version");
  EXPECT_NE(other_version.error().message.find("started by notion-mcp 0.0.0-other"),
            std::string::npos);

  // A real pidfd of the worker is taken; one of another process, or no pidfd at all, is not.
  int worker_pidfd = static_cast<int>(::syscall(SYS_pidfd_open, child_, 0));
  ASSERT_GE(worker_pidfd, 0);
  int own_pidfd = static_cast<int>(::syscall(SYS_pidfd_open, ::getpid(), 0));
  ASSERT_GE(own_pidfd, 0);
  auto wrong = parse_broker_arguments(with("--pidfd=", "--pidfd=" + std::to_string(own_pidfd)));
  ASSERT_FALSE(wrong.ok());
  EXPECT_NE(wrong.error().message.find("is not the worker's pidfd"), std::string::npos);
  auto not_a_pidfd = parse_broker_arguments(with("--pidfd=", "--pidfd=0"));
  ASSERT_FALSE(not_a_pidfd.ok());
  // The refusals above left the descriptors alone: with the right pidfd, the same channel
  // descriptor is taken.
  auto right = parse_broker_arguments(with("--pidfd=", "--pidfd=" + std::to_string(worker_pidfd)));
  ASSERT_TRUE(right.ok()) << right.error().message;
  EXPECT_EQ(right->worker.pidfd.get(), worker_pidfd);  // owned (and closed) by the invocation
  ::close(own_pidfd);
}

// A directory tree for open_broker_executable_beside, under a fresh temporary directory.
class BrokerProgramTree : public testing::Test {
 protected:
  void SetUp() override {
    char pattern[] = "/tmp/notion-mcp-broker-test.XXXXXX";
    ASSERT_NE(::mkdtemp(pattern), nullptr);
    root_ = pattern;
  }
  void TearDown() override { std::filesystem::remove_all(root_); }

  std::string make_program(const std::string& relative, mode_t mode = 0755) {
    std::filesystem::path file = std::filesystem::path(root_) / relative;
    std::filesystem::create_directories(file.parent_path());
    int fd = ::open(file.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0700);
    EXPECT_GE(fd, 0);
    ::close(fd);
    ::chmod(file.c_str(), mode);
    return file.string();
  }

  std::string root_;
};

TEST_F(BrokerProgramTree, FindsTheProgramBesideTheBinaryOrInLibexec) {
  make_program("build/notion-mcp-broker");
  EXPECT_TRUE(open_broker_executable_beside(root_ + "/build").ok());
  make_program("prefix/libexec/notion-mcp/notion-mcp-broker");
  std::filesystem::create_directories(root_ + "/prefix/bin");
  auto installed = open_broker_executable_beside(root_ + "/prefix/bin");
  ASSERT_TRUE(installed.ok()) << installed.error().message;
  auto missing = open_broker_executable_beside(root_ + "/elsewhere");
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().code, "broker_missing");
}

TEST_F(BrokerProgramTree, RefusesAProgramOthersCouldReplace) {
  // The program itself writable by others.
  std::string program = make_program("a/notion-mcp-broker", 0777);
  auto writable = open_broker_executable_beside(root_ + "/a");
  ASSERT_FALSE(writable.ok());
  EXPECT_EQ(writable.error().code, "broker_untrusted");
  EXPECT_NE(writable.error().message.find(program + " is writable by other users"),
            std::string::npos)
      << writable.error().message;
  // A directory above it writable by others (not sticky), e.g. a shared ../libexec.
  make_program("b/libexec/notion-mcp/notion-mcp-broker");
  std::filesystem::create_directories(root_ + "/b/bin");
  ::chmod((root_ + "/b/libexec").c_str(), 0777);
  auto shared_dir = open_broker_executable_beside(root_ + "/b/bin");
  ASSERT_FALSE(shared_dir.ok());
  EXPECT_NE(shared_dir.error().message.find(root_ + "/b/libexec is writable by other users"),
            std::string::npos)
      << shared_dir.error().message;
  // The same directory with the sticky bit: others cannot replace what is in it.
  ::chmod((root_ + "/b/libexec").c_str(), 01777);
  EXPECT_TRUE(open_broker_executable_beside(root_ + "/b/bin").ok());
  // Not executable.
  make_program("c/notion-mcp-broker", 0644);
  EXPECT_FALSE(open_broker_executable_beside(root_ + "/c").ok());
  // Another user's program (only root can hand a file to someone else).
  if (::geteuid() == 0) {
    std::string theirs = make_program("d/notion-mcp-broker");
    ASSERT_EQ(::chown(theirs.c_str(), 65534, 65534), 0);
    auto foreign = open_broker_executable_beside(root_ + "/d");
    ASSERT_FALSE(foreign.ok());
    EXPECT_NE(foreign.error().message.find("belongs to another user"), std::string::npos);
  }
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
