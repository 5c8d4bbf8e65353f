#include "sandbox/jail.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/prctl.h>
#include <unistd.h>

#include "sandbox/spawn.h"
#include "unit/sandbox/child.h"

namespace notion_mcp::sandbox {
namespace {

using testing::exited_with;
using testing::run_in_child;

JailReport report_with(std::initializer_list<std::string_view> active) {
  JailReport report;
  for (auto name : {layer::kUserNamespace, layer::kMountNamespace, layer::kNetworkNamespace,
                    layer::kLandlock, layer::kSeccomp}) {
    bool on = std::find(active.begin(), active.end(), name) != active.end();
    report.add(on ? layer_active(std::string(name), "on")
                  : layer_unavailable(std::string(name), "refused"));
  }
  return report;
}

TEST(SandboxJail, RequireNeedsSeccompAndLandlockOrNamespaces) {
  EXPECT_TRUE(report_with({layer::kSeccomp, layer::kLandlock}).meets_requirement());
  EXPECT_TRUE(report_with({layer::kSeccomp, layer::kMountNamespace, layer::kNetworkNamespace})
                  .meets_requirement());
  EXPECT_FALSE(report_with({layer::kSeccomp, layer::kMountNamespace}).meets_requirement());
  EXPECT_FALSE(report_with({layer::kSeccomp}).meets_requirement());
  EXPECT_FALSE(report_with({layer::kLandlock, layer::kMountNamespace, layer::kNetworkNamespace})
                   .meets_requirement());
  JailReport weak = report_with({layer::kLandlock});
  EXPECT_NE(weak.requirement_gap().find("seccomp"), std::string::npos);
  auto refused = check_sandbox_mode(weak, SandboxMode::require);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().code, "sandbox_required");
  EXPECT_NE(refused.error().hint.find("sandbox-check"), std::string::npos);
  EXPECT_TRUE(check_sandbox_mode(weak, SandboxMode::best_effort).ok());
  EXPECT_TRUE(check_sandbox_mode(weak, SandboxMode::off).ok());
}

TEST(SandboxJail, ParsesModesAndRoundTripsLayerBits) {
  EXPECT_EQ(parse_sandbox_mode("require"), SandboxMode::require);
  EXPECT_EQ(parse_sandbox_mode("best-effort"), SandboxMode::best_effort);
  EXPECT_EQ(parse_sandbox_mode("off"), SandboxMode::off);
  EXPECT_FALSE(parse_sandbox_mode("on").has_value());
  JailReport report = report_with({layer::kSeccomp, layer::kLandlock});
  auto names = layer_names_from_bits(active_layer_bits(report));
  EXPECT_EQ(names, (std::vector<std::string_view>{layer::kLandlock, layer::kSeccomp}));
  EXPECT_NE(report.summary().find("landlock, seccomp"), std::string::npos);
  EXPECT_NE(report.summary().find("user-namespace unavailable: refused"), std::string::npos);
}

TEST(SandboxJail, LogsRefusedLayersAndOffLoudly) {
  std::vector<std::string> lines;
  util::Logger logger(util::LogLevel::emergency);  // nothing on stderr during the test
  logger.set_client_sink([&](util::LogLevel, const std::string& m) { lines.push_back(m); },
                         util::LogLevel::debug);
  log_jail_report(report_with({layer::kSeccomp, layer::kLandlock}), SandboxMode::require, logger);
  ASSERT_EQ(lines.size(), 4u);  // three refused layers and the summary
  EXPECT_NE(lines[0].find("user-namespace unavailable: refused"), std::string::npos);
  EXPECT_NE(lines[3].find("sandbox layers active: landlock, seccomp"), std::string::npos);
  lines.clear();
  log_jail_report(JailReport{}, SandboxMode::off, logger);
  ASSERT_EQ(lines.size(), 1u);
  EXPECT_NE(lines[0].find("OFF"), std::string::npos);
}

TEST(SandboxJail, AppliesEveryLayerInOrder) {
  int status = run_in_child([] {
    int channel = ::open("/dev/null", O_RDONLY);
    int stray = ::open("/dev/null", O_RDONLY);
    JailOptions options;
    options.channel = channel;
    JailReport report = enter_worker_jail(options, {});
    std::vector<std::string> order;
    for (const auto& s : report.layers) order.push_back(s.layer);
    CHILD_CHECK(
        (order == std::vector<std::string>{"no-new-privs", "landlock", "not-dumpable",
                                           "capabilities", "rlimits", "descriptors", "seccomp"}));
    for (const auto& s : report.layers) CHILD_CHECK(s.state == LayerState::active);
    CHILD_CHECK(::fcntl(channel, F_GETFD) >= 0);
    CHILD_CHECK(::fcntl(stray, F_GETFD) < 0);
    CHILD_CHECK(::open("/etc/passwd", O_RDONLY) < 0 && errno == EACCES);
    return 0;
  });
  EXPECT_TRUE(exited_with(status, 0)) << describe_wait_status(status);
}

// Each switch turns off its layer alone; the others stay in force.
TEST(SandboxJail, EachOptionalLayerCanBeSwitchedOff) {
  struct Case {
    const char* name;
    void (*tweak)(JailOptions&);
    std::vector<std::string_view> disabled;
  };
  std::vector<Case> cases = {
      {"landlock", [](JailOptions& o) { o.landlock = false; }, {layer::kLandlock}},
      {"seccomp", [](JailOptions& o) { o.seccomp = false; }, {layer::kSeccomp}},
      {"descriptors", [](JailOptions& o) { o.close_descriptors = false; }, {layer::kDescriptors}},
      {"limits",
       [](JailOptions& o) { o.process_limits = false; },
       {layer::kNoNewPrivs, layer::kNotDumpable, layer::kCapabilities, layer::kRlimits}},
  };
  for (const auto& c : cases) {
    int status = run_in_child([&] {
      JailOptions options;
      c.tweak(options);
      JailReport report = enter_worker_jail(options, {});
      for (const auto& s : report.layers) {
        bool off = std::find(c.disabled.begin(), c.disabled.end(), s.layer) != c.disabled.end();
        CHILD_CHECK(s.state == (off ? LayerState::disabled : LayerState::active));
      }
      // Files stay out of reach as long as Landlock or seccomp is on.
      CHILD_CHECK(::open("/etc/passwd", O_RDONLY) < 0 && errno == EACCES);
      return 0;
    });
    EXPECT_TRUE(exited_with(status, 0)) << c.name << ": " << describe_wait_status(status);
  }
  int status = run_in_child([] {
    JailReport report = enter_worker_jail(JailOptions::off(-1), {});
    for (const auto& s : report.layers) CHILD_CHECK(s.state == LayerState::disabled);
    CHILD_CHECK(!report.meets_requirement());
    CHILD_CHECK(::open("/etc/passwd", O_RDONLY) >= 0);
    return 0;
  });
  EXPECT_TRUE(exited_with(status, 0)) << describe_wait_status(status);
}

}  // namespace
}  // namespace notion_mcp::sandbox
