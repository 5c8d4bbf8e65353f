#include "audit/summary.h"

#include <gtest/gtest.h>

#include "audit/printable.h"
#include "audit/record.h"

namespace notion_mcp::audit {
namespace {

using std::chrono::hours;
using Clock = std::chrono::system_clock;

std::string line(Clock::time_point time, std::string tool, std::string kind, std::string outcome,
                 std::string title = "", std::string detail = "") {
  Record record;
  record.time = time;
  record.client = "claude-code";
  record.tool = std::move(tool);
  record.kind = std::move(kind);
  record.arguments = util::Json::object();
  if (!title.empty()) record.targets = {{"page_id", "1f3a5c7e-9b2d-4e6f-8a0c-2d4e6f8a0b1c", title}};
  record.outcome = std::move(outcome);
  record.detail = std::move(detail);
  return format_line(record);
}

TEST(AuditSummary, DurationsAndTimes) {
  EXPECT_EQ(parse_duration("90s")->count(), 90);
  EXPECT_EQ(parse_duration("30m")->count(), 1800);
  EXPECT_EQ(parse_duration("24h")->count(), 86400);
  EXPECT_EQ(parse_duration("7d")->count(), 7 * 86400);
  EXPECT_EQ(parse_duration("2w")->count(), 14 * 86400);
  EXPECT_FALSE(parse_duration("7").ok());
  EXPECT_FALSE(parse_duration("d").ok());
  EXPECT_FALSE(parse_duration("7 days").ok());
  auto bad = parse_duration("soon");
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.error().message.find("24h"), std::string::npos);
  auto t = parse_time("2026-02-20T10:44:01.123Z");
  ASSERT_TRUE(t);
  EXPECT_EQ(format_time(*t), "2026-02-20T10:44:01.000Z");
  EXPECT_FALSE(parse_time("yesterday"));
}

TEST(AuditSummary, SaysWhatWasReadWrittenAndDestroyed) {
  auto now = Clock::now();
  std::vector<std::string> lines = {
      line(now - hours(200), "create_page", "write", "ok", "Old page"),
      line(now - hours(3), "get_page", "read", "ok", "Acme Handbook"),
      line(now - hours(3), "get_page", "read", "ok", "Acme Handbook"),
      line(now - hours(2), "search", "read", "ok"),
      line(now - hours(2), "update_page", "write", "ok", "Onboarding"),
      line(now - hours(1), "trash_page", "destructive", "ok", "Roadmap 2026"),
      line(now - hours(1), "delete_block", "destructive", "declined", "Roadmap 2026", "declined"),
      line(now - hours(1), "move_page", "write", "refused", "Roadmap 2026", "outside_scope"),
      "not json at all",
  };
  std::string all = summarize(lines, {}, "/tmp/audit.jsonl");
  EXPECT_NE(all.find("8 calls"), std::string::npos) << all;
  EXPECT_NE(all.find("1 lines could not be read"), std::string::npos) << all;
  EXPECT_NE(all.find("reads 3 · writes 3 · destructive 2"), std::string::npos) << all;
  EXPECT_NE(all.find("\"Onboarding\""), std::string::npos) << all;
  EXPECT_NE(all.find("(outside_scope)"), std::string::npos) << all;
  EXPECT_NE(all.find("Destroyed (trashed or deleted): trash_page 1"), std::string::npos) << all;
  EXPECT_NE(all.find("get_page 2"), std::string::npos) << all;
  EXPECT_NE(all.find("\"Acme Handbook\" (1f3a5c7e…) 2"), std::string::npos) << all;

  SummaryOptions recent;
  recent.since = now - hours(24);
  recent.writes_only = true;
  std::string writes = summarize(lines, recent, "/tmp/audit.jsonl");
  EXPECT_EQ(writes.find("Old page"), std::string::npos) << writes;  // before --since
  EXPECT_NE(writes.find("7 calls"), std::string::npos) << writes;
  EXPECT_EQ(writes.find("What was read"), std::string::npos) << writes;
  EXPECT_NE(writes.find("trash_page"), std::string::npos);

  std::string empty = summarize({}, {}, "/tmp/audit.jsonl");
  EXPECT_NE(empty.find("Nothing recorded"), std::string::npos);
}

// Titles come from Notion and client names from MCP clients: neither may drive the terminal.
TEST(AuditSummary, ControlCharactersNeverReachTheTerminal) {
  auto now = Clock::now();
  Record record;
  record.time = now;
  record.client =
      "evil\x1b]8;;https://x.example\x07"
      "client\xc2\x9b"
      "2J";
  record.tool = "trash_page";
  record.kind = "destructive";
  record.arguments = util::Json::object();
  record.targets = {{"page_id", "1f3a5c7e-9b2d-4e6f-8a0c-2d4e6f8a0b1c",
                     "\x1b[31mRed\x1b[0m\r\nFake line \xe2\x80\xae"
                     "evil"}};
  record.outcome = "ok";
  std::vector<std::string> lines = {format_line(record)};
  for (bool writes_only : {false, true}) {
    SummaryOptions options;
    options.writes_only = writes_only;
    std::string out = summarize(lines, options, "/tmp/audit.jsonl");
    for (unsigned char c : out) {
      if (c == '\n') continue;
      EXPECT_FALSE(c < 0x20 || c == 0x7f) << "control character " << int(c) << " in " << out;
    }
    EXPECT_EQ(out.find("\xc2\x9b"), std::string::npos) << out;      // C1 CSI
    EXPECT_EQ(out.find("\xe2\x80\xae"), std::string::npos) << out;  // right-to-left override
    // The readable rest stays.
    EXPECT_NE(out.find("[31mRed[0mFake line evil"), std::string::npos) << out;
    EXPECT_NE(out.find("evil]8;;https://x.exampleclient2J"), std::string::npos) << out;
  }
  EXPECT_EQ(printable("caf\xc3\xa9 \xff ok"), "caf\xc3\xa9 ? ok");
}

TEST(AuditSummary, RestoringIsNotDestroying) {
  auto now = Clock::now();
  std::vector<std::string> lines = {
      line(now - hours(2), "trash_page", "destructive", "ok", "Roadmap 2026"),
      line(now - hours(1), "restore_page", "destructive", "ok", "Roadmap 2026"),
      line(now - hours(1), "edit_page_content", "destructive", "ok", "Onboarding"),
  };
  SummaryOptions options;
  options.writes_only = true;
  std::string out = summarize(lines, options, "/tmp/audit.jsonl");
  EXPECT_NE(out.find("Destroyed (trashed or deleted): edit_page_content 1, trash_page 1"),
            std::string::npos)
      << out;
  EXPECT_NE(out.find("Restored from the trash: restore_page 1"), std::string::npos) << out;
}

}  // namespace
}  // namespace notion_mcp::audit
