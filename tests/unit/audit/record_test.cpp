#include "audit/record.h"

#include <gtest/gtest.h>

namespace notion_mcp::audit {
namespace {

const std::string kCanary = "ntn_auditcanary0123456789abcdefghijklmnopqrstuvw";

Record sample() {
  Record record;
  record.time = std::chrono::system_clock::time_point(std::chrono::milliseconds(1771584241123));
  record.client = "claude-code";
  record.tool = "create_page";
  record.kind = "write";
  record.arguments = {{"parent", {{"page_id", "1f3a5c7e-9b2d-4e6f-8a0c-2d4e6f8a0b1c"}}},
                      {"title", "Weekly sync"}};
  record.targets = {{"parent.page_id", "1f3a5c7e-9b2d-4e6f-8a0c-2d4e6f8a0b1c", "Acme Handbook"}};
  record.result_id = "5b7d9f1a-3c5e-4a7b-9d1f-3e5a7c9b1d2e";
  record.request_ids = {"req-1", "req-2"};
  record.outcome = "ok";
  record.detail = "confirmed";
  record.duration = std::chrono::milliseconds(42);
  return record;
}

TEST(AuditRecord, OneJsonObjectWithEveryField) {
  std::string line = format_line(sample());
  EXPECT_EQ(line.find('\n'), std::string::npos);
  util::Json json = util::Json::parse(line);
  EXPECT_EQ(json["time"], "2026-02-20T10:44:01.123Z");
  EXPECT_EQ(json["client"], "claude-code");
  EXPECT_EQ(json["tool"], "create_page");
  EXPECT_EQ(json["kind"], "write");
  EXPECT_EQ(json["arguments"]["title"], "Weekly sync");
  EXPECT_EQ(json["targets"][0]["title"], "Acme Handbook");
  EXPECT_EQ(json["targets"][0]["arg"], "parent.page_id");
  EXPECT_EQ(json["result_id"], "5b7d9f1a-3c5e-4a7b-9d1f-3e5a7c9b1d2e");
  EXPECT_EQ(json["request_ids"], util::Json::array({"req-1", "req-2"}));
  EXPECT_EQ(json["outcome"], "ok");
  EXPECT_EQ(json["detail"], "confirmed");
  EXPECT_EQ(json["duration_ms"], 42);
  EXPECT_FALSE(json.contains("demo"));
}

TEST(AuditRecord, SecretsAreRedactedWhereverTheyHide) {
  Record record = sample();
  record.arguments = {{"markdown", "paste: " + kCanary + " done"},
                      {"nested", {{"list", {"a", "Bearer " + kCanary}}}},
                      {"api_token", "short-but-named-secret"},
                      {"Authorization", "x"}};
  record.detail = "failed with " + kCanary;
  record.client = kCanary;
  std::string line = format_line(record);
  EXPECT_EQ(line.find(kCanary), std::string::npos) << line;
  EXPECT_EQ(line.find("short-but-named-secret"), std::string::npos) << line;
  util::Json json = util::Json::parse(line);
  EXPECT_EQ(json["arguments"]["api_token"], "[REDACTED]");
  EXPECT_EQ(json["arguments"]["Authorization"], "[REDACTED]");
  EXPECT_NE(json["arguments"]["markdown"].get<std::string>().find("[REDACTED]"), std::string::npos);
}

TEST(AuditRecord, LongContentIsShortenedAndTheLineAlwaysFits) {
  Record record = sample();
  record.arguments = {{"markdown", std::string(5000, 'x')},
                      {"blocks", util::Json::array()},
                      {"deep", {{"a", {{"b", {{"c", {{"d", {{"e", 1}}}}}}}}}}}};
  for (int i = 0; i < 30; ++i) record.arguments["blocks"].push_back(i);
  util::Json json = util::Json::parse(format_line(record));
  std::string markdown = json["arguments"]["markdown"];
  EXPECT_LT(markdown.size(), 260u);
  EXPECT_NE(markdown.find("[5000 chars]"), std::string::npos);
  EXPECT_EQ(json["arguments"]["blocks"].size(), 11u);                 // ten and a note
  EXPECT_TRUE(json["arguments"]["deep"]["a"]["b"]["c"].is_string());  // nesting summarised

  // Many big arguments: shrunk until the line fits the broker's limit.
  Record huge = sample();
  for (int i = 0; i < 400; ++i) {
    std::string key(1, 'k');
    key += std::to_string(i);
    huge.arguments[key] = std::string(300, 'y');
  }
  std::string line = format_line(huge);
  EXPECT_LE(line.size(), kMaxLineBytes);
  EXPECT_NO_THROW(util::Json::parse(line));
}

TEST(AuditRecord, ControlCharactersNeverReachTheLine) {
  Record record = sample();
  record.arguments = {{"title", std::string("bell\x07 del\x7f newline\n end")}};
  std::string line = format_line(record);
  for (unsigned char c : line) {
    EXPECT_TRUE(c >= 0x20 && c != 0x7f) << "control byte " << static_cast<int>(c);
  }
  EXPECT_EQ(util::Json::parse(line)["arguments"]["title"], "bell\x07 del\x7f newline\n end");
}

}  // namespace
}  // namespace notion_mcp::audit
