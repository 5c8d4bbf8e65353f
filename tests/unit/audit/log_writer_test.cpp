#include "audit/log_writer.h"

#include <gtest/gtest.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>

namespace notion_mcp::audit {
namespace {

class AuditLogWriterTest : public ::testing::Test {
 protected:
  AuditLogWriterTest() {
    char pattern[] = "/tmp/audit-log-XXXXXX";
    dir_ = ::mkdtemp(pattern);
  }
  ~AuditLogWriterTest() override { std::filesystem::remove_all(dir_); }

  static std::string read(const std::string& path) {
    std::ifstream in(path);
    std::stringstream text;
    text << in.rdbuf();
    return text.str();
  }
  static mode_t mode_of(const std::string& path) {
    struct stat st {};
    EXPECT_EQ(::stat(path.c_str(), &st), 0) << path;
    return st.st_mode & 07777;
  }

  std::string dir_;
};

TEST_F(AuditLogWriterTest, CreatesAPrivateFileInPrivateDirectories) {
  std::string path = dir_ + "/state/notion-mcp/audit.jsonl";
  auto writer = LogWriter::open(path);
  ASSERT_TRUE(writer.ok()) << writer.error().message;
  EXPECT_EQ(mode_of(path), 0600u);
  EXPECT_EQ(mode_of(dir_ + "/state/notion-mcp"), 0700u);
  EXPECT_EQ(mode_of(dir_ + "/state"), 0700u);
  EXPECT_EQ((*writer)->directory(), dir_ + "/state/notion-mcp");
  ASSERT_TRUE((*writer)->append(R"({"n":1})").ok());
  ASSERT_TRUE((*writer)->append(R"({"n":2})").ok());
  EXPECT_EQ(read(path), "{\"n\":1}\n{\"n\":2}\n");
}

TEST_F(AuditLogWriterTest, AppendsToWhatIsThereAndTightensLoosePermissions) {
  std::string path = dir_ + "/audit.jsonl";
  std::ofstream(path) << "{\"old\":true}\n";
  ::chmod(path.c_str(), 0644);
  auto writer = LogWriter::open(path);
  ASSERT_TRUE(writer.ok());
  EXPECT_EQ(mode_of(path), 0600u);
  ASSERT_TRUE((*writer)->append(R"({"new":true})").ok());
  EXPECT_EQ(read(path), "{\"old\":true}\n{\"new\":true}\n");
  // Two writers (two servers) share the file; O_APPEND keeps whole lines.
  auto second = LogWriter::open(path);
  ASSERT_TRUE(second.ok());
  ASSERT_TRUE((*second)->append(R"({"from":2})").ok());
  ASSERT_TRUE((*writer)->append(R"({"from":1})").ok());
  EXPECT_EQ(read(path), "{\"old\":true}\n{\"new\":true}\n{\"from\":2}\n{\"from\":1}\n");
}

TEST_F(AuditLogWriterTest, RedactsAgainAndKeepsOneRecordPerLine) {
  std::string path = dir_ + "/audit.jsonl";
  auto writer = LogWriter::open(path);
  ASSERT_TRUE(writer.ok());
  const std::string canary = "ntn_writercanary0123456789abcdefghijklmnopqrst";
  ASSERT_TRUE((*writer)->append("{\"a\":\"" + canary + "\"}\n{\"b\":1}").ok());
  std::string text = read(path);
  EXPECT_EQ(text.find(canary), std::string::npos);
  EXPECT_EQ(std::count(text.begin(), text.end(), '\n'), 1);
}

TEST_F(AuditLogWriterTest, RotatesBySize) {
  std::string path = dir_ + "/audit.jsonl";
  auto writer = LogWriter::open(path, 100);
  ASSERT_TRUE(writer.ok());
  std::string line = "{\"x\":\"" + std::string(30, 'a') + "\"}";  // 39 bytes with its newline
  for (int i = 0; i < 3; ++i) ASSERT_TRUE((*writer)->append(line).ok());
  // Two lines fit in 100 bytes; the third started a new file.
  EXPECT_EQ(read(path + ".1"), line + "\n" + line + "\n");
  EXPECT_EQ(read(path), line + "\n");
  EXPECT_EQ(mode_of(path), 0600u);
  // Each file is numbered by its lines' generation: g<N> lines go to the Nth file written.
  auto numbered = [&](int generation) {
    return "{\"g\":" + std::to_string(generation) + ",\"x\":\"" + std::string(24, 'a') + "\"}";
  };
  std::filesystem::remove(path + ".1");
  std::filesystem::remove(path);
  writer = LogWriter::open(path, 100);
  ASSERT_TRUE(writer.ok());
  for (int generation = 1; generation <= 5; ++generation) {
    for (int i = 0; i < 2; ++i) ASSERT_TRUE((*writer)->append(numbered(generation)).ok());
  }
  // The live file holds the 5th generation; .1 to .3 the three before it; the 1st is gone.
  EXPECT_EQ(read(path), numbered(5) + "\n" + numbered(5) + "\n");
  for (int rotated = 1; rotated <= kGenerations; ++rotated) {
    std::string name = path + "." + std::to_string(rotated);
    EXPECT_EQ(read(name), numbered(5 - rotated) + "\n" + numbered(5 - rotated) + "\n") << name;
    EXPECT_EQ(mode_of(name), 0600u) << name;
  }
  EXPECT_FALSE(std::filesystem::exists(path + ".4"));
}

TEST_F(AuditLogWriterTest, AWriterThatFindsTheLogAlreadyRotatedOnlyReopens) {
  std::string path = dir_ + "/audit.jsonl";
  auto first = LogWriter::open(path, 100);
  auto second = LogWriter::open(path, 100);
  ASSERT_TRUE(first.ok() && second.ok());
  std::string line = "{\"x\":\"" + std::string(30, 'b') + "\"}";
  ASSERT_TRUE((*first)->append(line).ok());
  ASSERT_TRUE((*first)->append(line).ok());
  ASSERT_TRUE((*first)->append(line).ok());  // rotates: path.1 holds two lines
  std::string rotated = read(path + ".1");
  // `second` still holds the rotated file: it follows to the new one instead of writing into
  // the old one or rotating the new one away.
  ASSERT_TRUE((*second)->append(R"({"second":1})").ok());
  EXPECT_EQ(read(path + ".1"), rotated);
  EXPECT_EQ(read(path), line + "\n{\"second\":1}\n");
}

TEST_F(AuditLogWriterTest, RefusesSymlinksAndDirectoriesWithTheWayOut) {
  std::string target = dir_ + "/elsewhere";
  std::ofstream(target) << "";
  std::string link = dir_ + "/audit.jsonl";
  ASSERT_EQ(::symlink(target.c_str(), link.c_str()), 0);
  auto linked = LogWriter::open(link);
  ASSERT_FALSE(linked.ok());
  EXPECT_NE(linked.error().hint.find("--audit-log off"), std::string::npos);
  EXPECT_FALSE(LogWriter::open(dir_).ok());
  EXPECT_FALSE(LogWriter::open("").ok());
}

TEST_F(AuditLogWriterTest, PathsFollowXdgStateHomeAndTheDemoStaysOut) {
  const char* saved = std::getenv("XDG_STATE_HOME");
  std::string restore = saved ? saved : "";
  ::setenv("XDG_STATE_HOME", dir_.c_str(), 1);
  EXPECT_EQ(default_log_path(), dir_ + "/notion-mcp/audit.jsonl");
  EXPECT_EQ(*resolve_log_path("", false), dir_ + "/notion-mcp/audit.jsonl");
  EXPECT_EQ(*resolve_log_path("", true), "");  // demo: off unless asked for
  EXPECT_EQ(*resolve_log_path("/x/a.jsonl", true), "/x/a.jsonl");
  EXPECT_EQ(*resolve_log_path("off", false), "");
  if (saved) {
    ::setenv("XDG_STATE_HOME", restore.c_str(), 1);
  } else {
    ::unsetenv("XDG_STATE_HOME");
  }
}

}  // namespace
}  // namespace notion_mcp::audit
