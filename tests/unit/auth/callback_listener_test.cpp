// The loopback listener over real sockets: it ignores strays (other paths, junk, slow or silent
// connections) while it waits, ends on exactly one callback with the right page, refuses a
// forged state, times out with a clear error, and only listens on 127.0.0.1.
#include "auth/callback_listener.h"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <cstdio>
#include <fstream>
#include <future>
#include <sstream>
#include <thread>

namespace notion_mcp::auth {
namespace {

using std::chrono::milliseconds;

constexpr std::string_view kState = "listenerState0123456789abcdefghijklmnopqrs";

int connect_to(uint16_t port) {
  int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(port);
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0) {
    ::close(fd);
    return -1;
  }
  timeval timeout{5, 0};
  ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
  return fd;
}

// Sends `request` and reads the answer until the server closes (bounded by the 5 s timeout).
std::string round_trip(uint16_t port, const std::string& request) {
  int fd = connect_to(port);
  if (fd < 0) return "(connect failed)";
  (void)!::send(fd, request.data(), request.size(), MSG_NOSIGNAL);
  std::string answer;
  char buffer[4096];
  for (int i = 0; i < 100; ++i) {
    ssize_t n = ::recv(fd, buffer, sizeof buffer, 0);
    if (n <= 0) break;
    answer.append(buffer, static_cast<size_t>(n));
  }
  ::close(fd);
  return answer;
}

std::string get(const std::string& target) {
  return "GET " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n";
}

std::string callback(const std::string& query) {
  return get("/callback?" + query + "&state=" + std::string(kState));
}

ListenOptions quick(milliseconds timeout = milliseconds(10000)) {
  ListenOptions options;
  options.timeout = timeout;
  options.request_timeout = milliseconds(500);
  return options;
}

TEST(AuthCallbackListener, StraysAreAnsweredThenTheCallbackEndsIt) {
  auto listener = CallbackListener::bind(0);
  ASSERT_TRUE(listener) << listener.error().message;
  uint16_t port = listener->port();
  ASSERT_NE(port, 0);
  std::vector<CallbackVerdict> seen;
  ListenOptions options = quick();
  options.on_request = [&](const CallbackResult& r) { seen.push_back(r.verdict); };

  std::promise<std::vector<std::string>> answers;
  std::thread client([&] {
    std::vector<std::string> out;
    int silent = connect_to(port);  // connects and says nothing: dropped after its timeout
    out.push_back(round_trip(port, get("/favicon.ico")));
    out.push_back(round_trip(port, "BREW /pot HTCPCP/1.0\r\n\r\n"));
    out.push_back(round_trip(port, "POST /callback HTTP/1.1\r\nContent-Length: 5\r\n\r\nhello"));
    out.push_back(round_trip(port, callback("code=the-code")));
    if (silent >= 0) ::close(silent);
    answers.set_value(out);
  });
  auto result = listener->wait("/callback", kState, options);
  client.join();
  ASSERT_TRUE(result) << result.error().message;
  EXPECT_EQ(result->verdict, CallbackVerdict::success);
  EXPECT_EQ(result->code.reveal(), "the-code");

  auto out = answers.get_future().get();
  ASSERT_EQ(out.size(), 4u);
  EXPECT_EQ(out[0].substr(0, 12), "HTTP/1.1 404");
  EXPECT_EQ(out[1].substr(0, 12), "HTTP/1.1 400");
  EXPECT_EQ(out[2].substr(0, 12), "HTTP/1.1 405");
  EXPECT_EQ(out[3].substr(0, 15), "HTTP/1.1 200 OK");
  EXPECT_NE(out[3].find("logged in"), std::string::npos);
  EXPECT_EQ(out[3].find("the-code"), std::string::npos);  // nothing reflected
  EXPECT_EQ(seen.size(), 4u);

  // Closed after the one callback: nobody listens on the port any more.
  EXPECT_EQ(connect_to(port), -1);
}

// The browser waits while the code is exchanged and saved, and then learns how it went: a
// failed exchange must not show "logged in".
TEST(AuthCallbackListener, ThePageWaitsForTheExchangeAndTellsItsOutcome) {
  for (bool works : {true, false}) {
    auto listener = CallbackListener::bind(0);
    ASSERT_TRUE(listener);
    uint16_t port = listener->port();
    std::atomic<bool> completed{false};
    std::atomic<bool> completed_before_page{false};
    std::string page;
    std::thread client([&] {
      page = round_trip(port, callback("code=exchange-me"));
      completed_before_page = completed.load();
    });
    ListenOptions options = quick();
    options.complete = [&](CallbackResult& result) {
      EXPECT_EQ(result.code.reveal(), "exchange-me");
      std::this_thread::sleep_for(milliseconds(200));  // a slow token endpoint
      completed = true;
      return works;
    };
    auto result = listener->wait("/callback", kState, options);
    client.join();
    ASSERT_TRUE(result);
    EXPECT_TRUE(completed_before_page) << "the page was sent before the exchange ended";
    if (works) {
      EXPECT_EQ(result->verdict, CallbackVerdict::success);
      EXPECT_EQ(page.substr(0, 15), "HTTP/1.1 200 OK");
      EXPECT_NE(page.find("logged in"), std::string::npos);
    } else {
      EXPECT_EQ(result->verdict, CallbackVerdict::not_completed);
      EXPECT_EQ(page.substr(0, 12), "HTTP/1.1 500");
      EXPECT_NE(page.find("the login failed"), std::string::npos);
      EXPECT_EQ(page.find("logged in"), std::string::npos);
    }
    EXPECT_EQ(page.find("exchange-me"), std::string::npos);  // nothing reflected
  }
}

TEST(AuthCallbackListener, ARequestArrivingInPiecesIsAssembled) {
  auto listener = CallbackListener::bind(0);
  ASSERT_TRUE(listener);
  uint16_t port = listener->port();
  std::thread client([&] {
    int fd = connect_to(port);
    std::string request = callback("code=slow");
    for (char c : request) {
      (void)!::send(fd, &c, 1, MSG_NOSIGNAL);
      if (c == '\n') std::this_thread::sleep_for(milliseconds(20));
    }
    char buffer[2048];
    (void)!::recv(fd, buffer, sizeof buffer, 0);
    ::close(fd);
  });
  ListenOptions options = quick();
  options.request_timeout = milliseconds(3000);
  auto result = listener->wait("/callback", kState, options);
  client.join();
  ASSERT_TRUE(result);
  EXPECT_EQ(result->verdict, CallbackVerdict::success);
  EXPECT_EQ(result->code.reveal(), "slow");
}

TEST(AuthCallbackListener, AForgedStateEndsTheLoginWithAnErrorPage) {
  auto listener = CallbackListener::bind(0);
  ASSERT_TRUE(listener);
  uint16_t port = listener->port();
  std::string page;
  std::thread client([&] { page = round_trip(port, get("/callback?code=stolen&state=forged")); });
  auto result = listener->wait("/callback", kState, quick());
  client.join();
  ASSERT_TRUE(result);
  EXPECT_EQ(result->verdict, CallbackVerdict::bad_state);
  EXPECT_TRUE(result->code.empty());
  EXPECT_EQ(page.substr(0, 12), "HTTP/1.1 400");
  EXPECT_NE(page.find("not valid"), std::string::npos);
}

TEST(AuthCallbackListener, ADenialEndsTheLogin) {
  auto listener = CallbackListener::bind(0);
  ASSERT_TRUE(listener);
  uint16_t port = listener->port();
  std::string page;
  std::thread client([&] { page = round_trip(port, callback("error=access_denied")); });
  auto result = listener->wait("/callback", kState, quick());
  client.join();
  ASSERT_TRUE(result);
  EXPECT_EQ(result->verdict, CallbackVerdict::denied);
  EXPECT_NE(page.find("declined"), std::string::npos);
}

TEST(AuthCallbackListener, TimesOutWithAClearMessage) {
  auto listener = CallbackListener::bind(0);
  ASSERT_TRUE(listener);
  auto started = std::chrono::steady_clock::now();
  auto result = listener->wait("/callback", kState, quick(milliseconds(300)));
  auto took = std::chrono::steady_clock::now() - started;
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error().code, "login_timeout");
  EXPECT_NE(result.error().message.find("nothing was stored"), std::string::npos);
  EXPECT_LT(took, std::chrono::seconds(3));
}

TEST(AuthCallbackListener, ManySilentConnectionsDoNotBlockTheCallback) {
  auto listener = CallbackListener::bind(0);
  ASSERT_TRUE(listener);
  uint16_t port = listener->port();
  std::string page;
  std::thread client([&] {
    std::vector<int> idle;
    for (int i = 0; i < 20; ++i) idle.push_back(connect_to(port));
    page = round_trip(port, callback("code=after-the-crowd"));
    for (int fd : idle) ::close(fd);
  });
  auto result = listener->wait("/callback", kState, quick());
  client.join();
  ASSERT_TRUE(result);
  EXPECT_EQ(result->verdict, CallbackVerdict::success);
  EXPECT_EQ(page.substr(0, 15), "HTTP/1.1 200 OK");
}

TEST(AuthCallbackListener, ListensOnLoopbackOnlyAndReportsABusyPort) {
  auto first = CallbackListener::bind(0);
  ASSERT_TRUE(first);
  auto second = CallbackListener::bind(first->port());
  ASSERT_FALSE(second);
  EXPECT_EQ(second.error().code, "port_in_use");
  EXPECT_NE(second.error().hint.find("--redirect-uri"), std::string::npos);
  // The listening socket is bound to 127.0.0.1 itself, not to every interface: see the
  // kernel's table of TCP sockets (state 0A = LISTEN).
  char wanted[16];
  std::snprintf(wanted, sizeof wanted, ":%04X", first->port());
  std::ifstream table("/proc/net/tcp");
  std::string line, local_address;
  while (std::getline(table, line)) {
    std::istringstream fields(line);
    std::string slot, local, remote, state;
    fields >> slot >> local >> remote >> state;
    if (state == "0A" && local.size() > 5 && local.substr(local.size() - 5) == wanted) {
      local_address = local.substr(0, local.size() - 5);
    }
  }
  EXPECT_EQ(local_address, "0100007F");
}

TEST(AuthCallbackListener, RedirectUris) {
  auto ok = parse_redirect_uri("http://127.0.0.1:8787/callback");
  ASSERT_TRUE(ok);
  EXPECT_EQ(ok->port, 8787);
  EXPECT_EQ(ok->path, "/callback");
  EXPECT_EQ(ok->host, "127.0.0.1");
  auto local = parse_redirect_uri("http://localhost:9000/oauth/done");
  ASSERT_TRUE(local);
  EXPECT_EQ(local->path, "/oauth/done");
  EXPECT_TRUE(parse_redirect_uri(kDefaultRedirectUri));
  for (const char* bad :
       {"https://127.0.0.1:8787/callback", "http://127.0.0.1/callback", "http://127.0.0.1:8787",
        "http://example.com:8787/callback", "http://0.0.0.0:8787/callback",
        "http://[::1]:8787/callback", "http://user@127.0.0.1:8787/callback",
        "http://127.0.0.1:0/callback", "http://127.0.0.1:70000/callback",
        "http://127.0.0.1:87a7/callback", "http://127.0.0.1:8787/callback?x=1",
        "http://127.0.0.1:8787/call back", "http://127.0.0.1:8787/callback#frag", ""}) {
    auto refused = parse_redirect_uri(bad);
    EXPECT_FALSE(refused) << bad;
    if (!refused) {
      EXPECT_FALSE(refused.error().hint.empty());
    }
  }
}

}  // namespace
}  // namespace notion_mcp::auth
