// The callback request parser and verdicts, with hostile input: oversized heads, control
// bytes, smuggled line breaks, forged or repeated state, and pages that must never reflect
// anything from the request.
#include "auth/callback_request.h"

#include <gtest/gtest.h>
#include <sodium.h>

namespace notion_mcp::auth {
namespace {

constexpr std::string_view kState = "s7aTe-0123456789abcdefghijklmnopqrstuvwxyzA";

HeadParse parse(std::string_view text) { return parse_request_head(text); }

CallbackResult judge(const std::string& target, std::string_view method = "GET") {
  std::string request = std::string(method) + " " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n";
  return classify_callback(parse(request), "/callback", kState);
}

std::string with_state(const std::string& rest) {
  return "/callback?" + rest + (rest.empty() ? "" : "&") + "state=" + std::string(kState);
}

TEST(AuthCallbackRequest, ParsesARequestHead) {
  auto head = parse(
      "GET /callback?code=abc&state=x HTTP/1.1\r\nHost: 127.0.0.1:8787\r\n"
      "User-Agent: test\r\n\r\n");
  ASSERT_EQ(head.status, HeadStatus::complete);
  EXPECT_EQ(head.head.method, "GET");
  EXPECT_EQ(head.head.path, "/callback");
  EXPECT_EQ(head.head.query, "code=abc&state=x");
  // Bare LF line ends are accepted too.
  EXPECT_EQ(parse("GET / HTTP/1.0\nHost: x\n\n").status, HeadStatus::complete);
}

TEST(AuthCallbackRequest, WaitsForTheEndOfTheHead) {
  std::string full = "GET /callback HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n";
  for (size_t n = 0; n < full.size(); ++n) {
    auto result = parse(std::string_view(full).substr(0, n));
    EXPECT_EQ(result.status, HeadStatus::incomplete) << n;
  }
  EXPECT_EQ(parse(full).status, HeadStatus::complete);
}

TEST(AuthCallbackRequest, RefusesMalformedHeads) {
  struct Case {
    std::string text;
    int status;
  } cases[] = {
      {"GET\r\n\r\n", 400},
      {"GET /callback\r\n\r\n", 400},
      {"get /callback HTTP/1.1\r\n\r\n", 400},
      {"GET http://evil/ HTTP/1.1\r\n\r\n", 400},
      {"GET /call back HTTP/1.1\r\n\r\n", 400},
      {"GET /callback HTTP/2.0\r\n\r\n", 505},
      {"GET /callback FTP/1.0\r\n\r\n", 400},
      {"GET /callback HTTP/1.1\r\nNo colon here\r\n\r\n", 400},
      {"GET /callback HTTP/1.1\r\n: empty name\r\n\r\n", 400},
      {"GET /callback HTTP/1.1\r\n folded: header\r\n\r\n", 400},
      {"GET /callback HTTP/1.1\r\nX: a\rb\r\n\r\n", 400},
      {std::string("GET /callback HTTP/1.1\r\nX: a") + '\0' + "b\r\n\r\n", 400},
      {"GET /callback HTTP/1.1\r\nX: \x01\r\n\r\n", 400},
      {"GET /" + std::string(5000, 'a') + " HTTP/1.1\r\n\r\n", 414},
  };
  for (const auto& c : cases) {
    auto result = parse(c.text);
    EXPECT_EQ(result.status, HeadStatus::invalid) << c.text.substr(0, 60);
    EXPECT_EQ(result.error_status, c.status) << c.text.substr(0, 60);
    EXPECT_FALSE(result.why.empty());
  }
}

TEST(AuthCallbackRequest, BoundsTheHeadSize) {
  // A head that never ends is refused once it reaches the limit, not waited for forever.
  std::string endless = "GET /callback HTTP/1.1\r\n";
  while (endless.size() < kMaxRequestHeadBytes) endless += "X-Filler: aaaaaaaaaaaaaaaa\r\n";
  auto result = parse(endless);
  EXPECT_EQ(result.status, HeadStatus::invalid);
  EXPECT_EQ(result.error_status, 431);
  // A request line without an end is refused early.
  EXPECT_EQ(parse("GET /" + std::string(kMaxRequestTargetBytes + 100, 'a')).error_status, 414);
  // Too many header fields.
  std::string many = "GET / HTTP/1.1\r\n";
  for (size_t i = 0; i <= kMaxHeaderFields; ++i) many += "A: b\r\n";
  many += "\r\n";
  EXPECT_EQ(parse(many).error_status, 431);
}

TEST(AuthCallbackRequest, DecodesQueries) {
  auto query = parse_query("a=1&b=x%20y+z&&c&d=%2F%3D%26");
  ASSERT_TRUE(query);
  ASSERT_EQ(query->size(), 4u);
  EXPECT_EQ((*query)[1].second, "x y z");
  EXPECT_EQ((*query)[2].first, "c");
  EXPECT_EQ((*query)[2].second, "");
  EXPECT_EQ((*query)[3].second, "/=&");
  EXPECT_FALSE(parse_query("a=%"));
  EXPECT_FALSE(parse_query("a=%4"));
  EXPECT_FALSE(parse_query("a=%zz"));
  EXPECT_FALSE(parse_query("a=%00"));
  EXPECT_FALSE(parse_query("a=%0a"));
  std::string lots;
  for (size_t i = 0; i <= kMaxQueryParameters; ++i) lots += "p=1&";
  EXPECT_FALSE(parse_query(lots));
}

TEST(AuthCallbackRequest, AcceptsTheRealCallback) {
  auto result = judge(with_state("code=the-code_123"));
  EXPECT_EQ(result.verdict, CallbackVerdict::success);
  EXPECT_EQ(result.code.reveal(), "the-code_123");
  EXPECT_TRUE(ends_login(result.verdict));
  // Order does not matter; an escaped code is decoded.
  result = judge("/callback?state=" + std::string(kState) + "&code=a%2Bb");
  EXPECT_EQ(result.verdict, CallbackVerdict::success);
  EXPECT_EQ(result.code.reveal(), "a+b");
}

TEST(AuthCallbackRequest, OtherPathsAndMethodsKeepTheListenerWaiting) {
  for (const char* target : {"/", "/favicon.ico", "/callback/", "/callbac", "/CALLBACK",
                             "/callback%2F", "/other?state=x&code=y"}) {
    auto result = judge(target);
    EXPECT_EQ(result.verdict, CallbackVerdict::not_found) << target;
    EXPECT_FALSE(ends_login(result.verdict));
  }
  auto post = judge(with_state("code=abc"), "POST");
  EXPECT_EQ(post.verdict, CallbackVerdict::method_not_allowed);
  EXPECT_FALSE(ends_login(post.verdict));
  auto garbage = classify_callback(parse("\x16\x03\x01 TLS hello\r\n\r\n"), "/callback", kState);
  EXPECT_EQ(garbage.verdict, CallbackVerdict::bad_request);
  EXPECT_FALSE(ends_login(garbage.verdict));
}

TEST(AuthCallbackRequest, StateIsCheckedFirst) {
  std::string wrong = std::string(kState);
  wrong[0] = 'X';
  const std::string cases[] = {
      "/callback?code=abc",                                            // missing
      "/callback?code=abc&state=",                                     // empty
      "/callback?code=abc&state=" + wrong,                             // wrong
      "/callback?code=abc&state=" + std::string(kState) + "x",         // longer
      "/callback?code=abc&state=" + std::string(kState).substr(1),     // shorter
      with_state("code=abc") + "&state=" + std::string(kState),        // twice
      "/callback?error=access_denied",                                 // denial without state
      "/callback?error=access_denied&state=" + wrong,                  // denial, wrong state
      "/callback?code=abc&state=" + std::string(kState) + "&bad=%zz",  // undecodable query
  };
  for (const auto& target : cases) {
    auto result = judge(target);
    EXPECT_EQ(result.verdict, CallbackVerdict::bad_state) << target;
    EXPECT_TRUE(result.code.empty());
    EXPECT_TRUE(ends_login(result.verdict));
  }
}

TEST(AuthCallbackRequest, DenialsErrorsAndIncompleteCallbacks) {
  EXPECT_EQ(judge(with_state("error=access_denied")).verdict, CallbackVerdict::denied);
  auto other = judge(with_state("error=server_error"));
  EXPECT_EQ(other.verdict, CallbackVerdict::provider_error);
  EXPECT_EQ(other.error_code, "server_error");
  // An error code that is not a plain word is not repeated anywhere.
  auto odd = judge(with_state("error=%3Cscript%3E"));
  EXPECT_EQ(odd.verdict, CallbackVerdict::provider_error);
  EXPECT_EQ(odd.error_code, "unknown");
  EXPECT_EQ(odd.why.find("script"), std::string::npos);
  EXPECT_EQ(judge(with_state("")).verdict, CallbackVerdict::bad_callback);
  EXPECT_EQ(judge(with_state("code=")).verdict, CallbackVerdict::bad_callback);
  EXPECT_EQ(judge(with_state("code=a&code=b")).verdict, CallbackVerdict::bad_callback);
  EXPECT_EQ(judge(with_state("code=" + std::string(3000, 'c'))).verdict,
            CallbackVerdict::bad_callback);
}

TEST(AuthCallbackRequest, PagesReflectNothingFromTheRequest) {
  const std::string marker = "R3FL3CT3D";
  const std::string targets[] = {
      with_state("code=" + marker),
      with_state("error=" + marker),
      "/callback?state=" + marker + "&code=" + marker,
      "/" + marker,
  };
  for (const auto& target : targets) {
    auto result = judge(target);
    std::string page = callback_response(result.verdict);
    EXPECT_EQ(page.find(marker), std::string::npos) << target;
    EXPECT_EQ(result.why.find(marker), std::string::npos) << target;
  }
}

TEST(AuthCallbackRequest, ResponsesAreCompleteAndLockedDown) {
  for (auto verdict :
       {CallbackVerdict::success, CallbackVerdict::denied, CallbackVerdict::bad_state,
        CallbackVerdict::bad_callback, CallbackVerdict::provider_error, CallbackVerdict::not_found,
        CallbackVerdict::method_not_allowed, CallbackVerdict::bad_request,
        CallbackVerdict::not_completed}) {
    std::string response = callback_response(verdict);
    size_t end = response.find("\r\n\r\n");
    ASSERT_NE(end, std::string::npos);
    std::string head = response.substr(0, end);
    std::string body = response.substr(end + 4);
    EXPECT_NE(head.find("Content-Length: " + std::to_string(body.size())), std::string::npos);
    EXPECT_NE(head.find("Cache-Control: no-store"), std::string::npos);
    EXPECT_NE(head.find("Referrer-Policy: no-referrer"), std::string::npos);
    EXPECT_NE(head.find("Content-Security-Policy: default-src 'none'"), std::string::npos);
    EXPECT_NE(head.find("Connection: close"), std::string::npos);
    EXPECT_EQ(body.find("<script"), std::string::npos);
  }
  EXPECT_EQ(callback_response(CallbackVerdict::success).substr(0, 15), "HTTP/1.1 200 OK");
  EXPECT_EQ(callback_response(CallbackVerdict::not_found).substr(0, 12), "HTTP/1.1 404");
  EXPECT_EQ(callback_response(CallbackVerdict::bad_state).substr(0, 12), "HTTP/1.1 400");
}

TEST(AuthCallbackRequest, ScrubOverwritesValues) {
  auto query = parse_query("code=sensitive&state=s");
  ASSERT_TRUE(query);
  scrub(*query);
  EXPECT_TRUE(query->empty());
}

}  // namespace
}  // namespace notion_mcp::auth
