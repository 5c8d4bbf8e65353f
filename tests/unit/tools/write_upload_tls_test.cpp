// upload_file over real TLS: the multipart/form-data body goes through libcurl to
// tests/fake_notion, which serves the demo workspace; with the fake answering every second
// request with a 503 that says the write was saved, each step is read back, not repeated.
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <memory>

#include "demo/seed.h"
#include "notion/api_endpoint.h"
#include "notion/connector.h"
#include "notion/curl_transport.h"
#include "tests/unit/tools/tool_fixture.h"
#include "tools/upload_files.h"

namespace notion_mcp::tools::testing {
namespace {

#ifdef FAKE_NOTION_PATH
constexpr const char* kToken = "ntn_uploadTlsTest0123456789abcdefghijklmnopqrstu";

// One fake_notion child: started with flags, killed by its pid when the test ends.
class FakeProcess {
 public:
  bool start(const std::string& dir, std::vector<std::string> flags) {
    ca_file = dir + "/ca.pem";
    std::vector<std::string> args = {
        FAKE_NOTION_PATH, "--ca-out", ca_file,          "--port",         "0",
        "--token",        kToken,     "--ignore-stdin", "--max-lifetime", "120"};
    args.insert(args.end(), flags.begin(), flags.end());
    int out[2];
    if (::pipe2(out, O_CLOEXEC) != 0) return false;
    pid_ = ::fork();
    if (pid_ == 0) {
      ::dup2(out[1], STDOUT_FILENO);
      std::vector<char*> argv;
      for (auto& arg : args) argv.push_back(arg.data());
      argv.push_back(nullptr);
      ::execv(argv[0], argv.data());
      ::_exit(127);
    }
    ::close(out[1]);
    std::string line;
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
    while (pid_ > 0 && line.find('\n') == std::string::npos) {
      auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
                      deadline - std::chrono::steady_clock::now())
                      .count();
      pollfd p{out[0], POLLIN, 0};
      if (left <= 0 || ::poll(&p, 1, static_cast<int>(left)) <= 0) break;
      char buffer[128];
      ssize_t n = ::read(out[0], buffer, sizeof buffer);
      if (n <= 0) break;
      line.append(buffer, static_cast<size_t>(n));
    }
    ::close(out[0]);
    int port = 0;
    if (std::sscanf(line.c_str(), "PORT %d", &port) != 1 || port <= 0) return false;
    base_url = "https://127.0.0.1:" + std::to_string(port);
    return true;
  }

  ~FakeProcess() {
    if (pid_ <= 0) return;
    ::kill(pid_, SIGTERM);
    int status = 0;
    for (int i = 0; i < 200 && ::waitpid(pid_, &status, WNOHANG) != pid_; ++i) {
      if (i == 199) {
        ::kill(pid_, SIGKILL);
        ::waitpid(pid_, &status, 0);
      }
      ::usleep(10000);
    }
  }

  std::string ca_file;
  std::string base_url;

 private:
  pid_t pid_ = -1;
};

class ToolsWriteUploadTls : public ::testing::Test {
 protected:
  void SetUp() override {
    char pattern[] = "/tmp/notion-mcp-upload-tls-XXXXXX";
    ASSERT_NE(::mkdtemp(pattern), nullptr);
    dir_ = pattern;
    std::filesystem::create_directories(dir_ + "/root");
    std::ofstream(dir_ + "/root/photo.jpg", std::ios::binary)
        << std::string("\xff\xd8\xff\xe0\0\x10JFIF\r\n--boundary?", 20);
  }
  void TearDown() override {
    client_.reset();
    transport_.reset();
    fake_.reset();
    std::error_code ignored;
    std::filesystem::remove_all(dir_, ignored);
  }

  void connect(std::vector<std::string> flags) {
    fake_ = std::make_unique<FakeProcess>();
    ASSERT_TRUE(fake_->start(dir_, std::move(flags))) << "fake_notion did not start";
    auto endpoint = notion::load_api_endpoint(fake_->base_url, fake_->ca_file);
    ASSERT_TRUE(endpoint.ok()) << endpoint.error().message;
    notion::CurlTransportOptions options;
    options.base_url = endpoint->base_url;
    options.ca_pem = endpoint->ca_pem;
    options.connector = &connector_;
    auto transport = notion::CurlTransport::create(loop_, options);
    ASSERT_TRUE(transport.ok()) << transport.error().message;
    transport_ = std::move(transport).value();
    notion::ClientOptions client_options;
    client_options.rate_limit.enabled = false;
    client_options.backoff_base = std::chrono::milliseconds(10);
    client_options.backoff_ceiling = std::chrono::milliseconds(50);
    client_ = std::make_unique<notion::Client>(
        loop_, *transport_, [] { return util::Result<util::Secret>(util::Secret(kToken)); },
        client_options);
  }

  ToolResult run(const std::string& name, Json args) {
    std::vector<Tool> tools = all_tools();
    const Tool* tool = nullptr;
    for (const Tool& t : tools) {
      if (t.name == name) tool = &t;
    }
    EXPECT_NE(tool, nullptr);
    ToolContext ctx{*client_, loop_, {}, nullptr, false};
    ctx.upload_roots = {dir_ + "/root"};
    ctx.read_upload = [roots = ctx.upload_roots](const std::string& path) {
      return read_upload_file(path, roots);
    };
    ToolResult out = ToolResult::error("(did not finish)");
    EXPECT_TRUE(util::run_to_completion(loop_, drive(*tool, ctx, std::move(args), out),
                                        std::chrono::milliseconds(30000)));
    return out;
  }

  // Image blocks on a page (get_blocks is a GET: retried through the fault).
  size_t images_in(const std::string& page) {
    size_t images = 0;
    std::string cursor;
    for (int i = 0; i < 20; ++i) {
      Json args = {{"block_id", page}, {"page_size", 100}};
      if (!cursor.empty()) args["start_cursor"] = cursor;
      ToolResult listed = run("get_blocks", args);
      EXPECT_FALSE(listed.is_error) << listed.text;
      if (listed.is_error) break;
      for (const Json& block : listed.structured["results"]) images += block["type"] == "image";
      if (!listed.structured.contains("next_cursor")) break;
      cursor = listed.structured["next_cursor"];
    }
    return images;
  }

  // The id of the first page search finds.
  std::string some_page() {
    ToolResult found = run("search", {{"filter", "page"}, {"query", "Security policy"}});
    EXPECT_FALSE(found.is_error) << found.text;
    return found.is_error ? std::string() : found.structured["results"][0]["id"].get<std::string>();
  }

  std::string dir_;
  util::EventLoop loop_;
  notion::DirectConnector connector_;
  std::unique_ptr<FakeProcess> fake_;
  std::unique_ptr<notion::CurlTransport> transport_;
  std::unique_ptr<notion::Client> client_;
};

TEST_F(ToolsWriteUploadTls, SendsTheFileAsMultipartOverTls) {
  connect({});
  std::string page = some_page();
  ToolResult r = run("upload_file", {{"path", "photo.jpg"}, {"page_id", page}});
  ASSERT_FALSE(r.is_error) << r.text;
  EXPECT_EQ(r.structured["bytes"], 20);
  EXPECT_EQ(r.structured["content_type"], "image/jpeg");
  EXPECT_FALSE(r.structured.value("block_id", "").empty());
}

TEST_F(ToolsWriteUploadTls, ReadsBackEveryStepThatNotionSavedBeforeA503) {
  connect({"--server-error-every", "2", "--server-error-status", "503", "--retry-guidance"});
  // Search is a POST, which this fault would answer with "saved" too: use the seeded id.
  std::string page(demo::seed_ids::kSecurityPolicyPage);
  size_t before = images_in(page);
  ToolResult r = run("upload_file", {{"path", "photo.jpg"}, {"page_id", page}});
  ASSERT_FALSE(r.is_error) << r.text;
  EXPECT_NE(r.text.find("read back, not repeated"), std::string::npos) << r.text;
  EXPECT_EQ(r.structured["bytes"], 20);
  EXPECT_EQ(images_in(page), before + 1) << "the attach was repeated or lost";
}
#else
TEST(ToolsWriteUploadTls, NeedsFakeNotion) { GTEST_SKIP() << "tests/fake_notion is not built"; }
#endif

}  // namespace
}  // namespace notion_mcp::tools::testing
