// Shared by the auth unit tests: the TLS fake Notion as a child process (its OAuth provider
// included), a small libcurl client for the fake's control endpoints and for playing the
// browser (following the authorize redirect by hand), and a temporary directory.
#pragma once

#include <curl/curl.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "notion/api_endpoint.h"
#include "util/json.h"

namespace notion_mcp::auth::testing {

// Canaries: compared through util::Secret, never printed.
inline constexpr std::string_view kClientSecret = "secret_authC4n4ryClientSecret0123456789abcd";
inline constexpr std::string_view kClientId = "auth-test-client";

class TempDir {
 public:
  TempDir() {
    char pattern[] = "/tmp/notion-auth-test-XXXXXX";
    if (::mkdtemp(pattern) != nullptr) path_ = pattern;
  }
  ~TempDir() {
    std::error_code ignored;
    if (!path_.empty()) std::filesystem::remove_all(path_, ignored);
  }
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

struct HttpAnswer {
  long status = 0;
  std::string body;
  std::string location;  // the Location header of a redirect
};

// One request with libcurl, trusting `ca_file`; never follows redirects.
inline HttpAnswer http_call(const std::string& method, const std::string& url,
                            const std::string& ca_file, const std::string& body = {},
                            const std::vector<std::string>& headers = {}) {
  HttpAnswer answer;
  CURL* curl = curl_easy_init();
  if (curl == nullptr) return answer;
  curl_slist* list = nullptr;
  for (const auto& h : headers) list = curl_slist_append(list, h.c_str());
  if (!body.empty()) list = curl_slist_append(list, "Content-Type: application/json");
  curl_easy_setopt(curl, CURLOPT_URL, url.c_str());
  curl_easy_setopt(curl, CURLOPT_CUSTOMREQUEST, method.c_str());
  if (!ca_file.empty()) curl_easy_setopt(curl, CURLOPT_CAINFO, ca_file.c_str());
  curl_easy_setopt(curl, CURLOPT_TIMEOUT, 20L);
  curl_easy_setopt(curl, CURLOPT_HTTPHEADER, list);
  if (!body.empty()) curl_easy_setopt(curl, CURLOPT_POSTFIELDS, body.c_str());
  curl_easy_setopt(
      curl, CURLOPT_WRITEFUNCTION, +[](char* data, size_t size, size_t count, void* out) {
        static_cast<std::string*>(out)->append(data, size * count);
        return size * count;
      });
  curl_easy_setopt(curl, CURLOPT_WRITEDATA, &answer.body);
  if (curl_easy_perform(curl) == CURLE_OK) {
    curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &answer.status);
    char* location = nullptr;
    curl_easy_getinfo(curl, CURLINFO_REDIRECT_URL, &location);
    if (location != nullptr) answer.location = location;
  }
  curl_slist_free_all(list);
  curl_easy_cleanup(curl);
  return answer;
}

// One fake_notion process, stopped (stdin EOF, then SIGTERM, then SIGKILL) when destroyed.
class FakeNotion {
 public:
  static std::unique_ptr<FakeNotion> start(std::string* error,
                                           const std::vector<std::string>& flags = {}) {
#ifndef FAKE_NOTION_PATH
    (void)flags;
    *error = "fake_notion is not built";
    return nullptr;
#else
    auto fake = std::unique_ptr<FakeNotion>(new FakeNotion());
    fake->ca_file = fake->dir_.path() + "/ca.pem";
    std::vector<std::string> args = {FAKE_NOTION_PATH, "--ca-out", fake->ca_file, "--port", "0"};
    args.insert(args.end(), flags.begin(), flags.end());
    int in[2], out[2];
    if (::pipe2(in, O_CLOEXEC) != 0 || ::pipe2(out, O_CLOEXEC) != 0) {
      *error = "pipe failed";
      return nullptr;
    }
    pid_t pid = ::fork();
    if (pid == 0) {
      ::dup2(in[0], STDIN_FILENO);
      ::dup2(out[1], STDOUT_FILENO);
      std::vector<char*> argv;
      for (auto& arg : args) argv.push_back(arg.data());
      argv.push_back(nullptr);
      ::execv(argv[0], argv.data());
      ::_exit(127);
    }
    ::close(in[0]);
    ::close(out[1]);
    fake->pid_ = pid;
    fake->stdin_ = in[1];
    fake->stdout_ = out[0];
    std::string line;
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
    while (line.find('\n') == std::string::npos) {
      auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
                      deadline - std::chrono::steady_clock::now())
                      .count();
      pollfd p{fake->stdout_, POLLIN, 0};
      if (left <= 0 || ::poll(&p, 1, static_cast<int>(left)) <= 0) {
        *error = "fake_notion did not print its port in time";
        return nullptr;
      }
      char buffer[256];
      ssize_t n = ::read(fake->stdout_, buffer, sizeof buffer);
      if (n <= 0) {
        *error = "fake_notion exited before printing its port";
        return nullptr;
      }
      line.append(buffer, static_cast<size_t>(n));
    }
    if (std::sscanf(line.c_str(), "PORT %d", &fake->port) != 1 || fake->port <= 0) {
      *error = "unexpected first line from fake_notion";
      return nullptr;
    }
    fake->base_url = "https://127.0.0.1:" + std::to_string(fake->port);
    return fake;
#endif
  }

  ~FakeNotion() {
    if (stdin_ >= 0) ::close(stdin_);
    if (pid_ > 0) {
      int status = 0;
      bool reaped = false;
      for (int i = 0; i < 200 && !reaped; ++i) {  // up to 2 s
        reaped = ::waitpid(pid_, &status, WNOHANG) == pid_;
        if (!reaped) ::usleep(10000);
        if (i == 100) ::kill(pid_, SIGTERM);
      }
      if (!reaped) {
        ::kill(pid_, SIGKILL);
        ::waitpid(pid_, &status, 0);
      }
    }
    if (stdout_ >= 0) ::close(stdout_);
  }

  // The endpoint the code under test uses, with the fake's CA in memory.
  notion::ApiEndpoint endpoint() const {
    auto loaded = notion::load_api_endpoint(base_url, ca_file);
    return loaded ? *loaded : notion::ApiEndpoint{};
  }

  // POST /__fake/oauth with `settings`; the answer's JSON (null when it failed).
  util::Json oauth(const util::Json& settings) const {
    auto answer = http_call("POST", base_url + "/__fake/oauth", ca_file, util::dump_json(settings));
    auto parsed = util::parse_json(answer.body);
    return answer.status == 200 && parsed ? *parsed : util::Json();
  }
  util::Json oauth_counters() const {
    auto answer = http_call("GET", base_url + "/__fake/oauth", ca_file);
    auto parsed = util::parse_json(answer.body);
    return parsed ? *parsed : util::Json();
  }

  // Plays the browser's first step: GET the authorize URL, return the redirect target.
  std::string authorize(const std::string& url) const {
    return http_call("GET", url, ca_file).location;
  }

  std::string ca_file;
  std::string base_url;
  int port = 0;

 private:
  FakeNotion() = default;
  TempDir dir_;
  pid_t pid_ = -1;
  int stdin_ = -1;
  int stdout_ = -1;
};

}  // namespace notion_mcp::auth::testing
