#include "http_parser.h"

#include <gtest/gtest.h>

#include <string>

namespace notion_mcp::fake_notion {
namespace {

// Feeds `wire` one byte at a time (the hardest split) and returns every parse event.
struct Events {
  std::vector<ParsedRequest> requests;
  int continues = 0;
  int error_status = 0;
};

Events feed_bytewise(RequestParser& parser, const std::string& wire) {
  Events events;
  for (char c : wire) {
    parser.append(std::string_view(&c, 1));
    for (int guard = 0; guard < 8; ++guard) {
      ParsedRequest request;
      ParseStatus status = parser.next(request);
      if (status == ParseStatus::kNeedMore) break;
      if (status == ParseStatus::kContinue) {
        ++events.continues;
      } else if (status == ParseStatus::kRequest) {
        events.requests.push_back(std::move(request));
      } else {
        events.error_status = parser.error_status();
        return events;
      }
    }
  }
  return events;
}

Events feed_all(const std::string& wire, ParserLimits limits = {}) {
  RequestParser parser(limits);
  parser.append(wire);
  Events events;
  for (int guard = 0; guard < 16; ++guard) {
    ParsedRequest request;
    ParseStatus status = parser.next(request);
    if (status == ParseStatus::kNeedMore) break;
    if (status == ParseStatus::kContinue) {
      ++events.continues;
    } else if (status == ParseStatus::kRequest) {
      events.requests.push_back(std::move(request));
    } else {
      events.error_status = parser.error_status();
      EXPECT_FALSE(parser.error_message().empty());
      break;
    }
  }
  return events;
}

TEST(HttpParser, ParsesAGetWithHeadersAndQuery) {
  Events events = feed_all(
      "GET /v1/users/me?x=1 HTTP/1.1\r\nHost: 127.0.0.1\r\nNotion-Version:  2026-03-11 \r\n\r\n");
  ASSERT_EQ(events.requests.size(), 1u);
  const ParsedRequest& parsed = events.requests[0];
  EXPECT_EQ(parsed.request.method, "GET");
  EXPECT_EQ(parsed.request.path, "/v1/users/me?x=1");
  EXPECT_EQ(notion::find_header(parsed.request.headers, "notion-version"), "2026-03-11");
  EXPECT_TRUE(parsed.keep_alive);
  EXPECT_TRUE(parsed.request.body.empty());
}

TEST(HttpParser, KeepAliveFollowsVersionAndConnection) {
  EXPECT_FALSE(feed_all("GET / HTTP/1.0\r\n\r\n").requests.at(0).keep_alive);
  EXPECT_TRUE(
      feed_all("GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n").requests.at(0).keep_alive);
  EXPECT_FALSE(
      feed_all("GET / HTTP/1.1\r\nConnection: foo, close\r\n\r\n").requests.at(0).keep_alive);
}

TEST(HttpParser, ContentLengthBodyArrivesByteByByte) {
  RequestParser parser;
  Events events =
      feed_bytewise(parser, "POST /v1/search HTTP/1.1\r\nContent-Length: 11\r\n\r\n{\"query\":1}");
  ASSERT_EQ(events.requests.size(), 1u);
  EXPECT_EQ(events.requests[0].request.body, "{\"query\":1}");
  EXPECT_FALSE(parser.mid_request());
}

TEST(HttpParser, ChunkedBodyWithExtensionsAndTrailers) {
  RequestParser parser;
  Events events =
      feed_bytewise(parser,
                    "PATCH /v1/pages/x HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n"
                    "5;name=value\r\nhello\r\n6\r\n world\r\n0\r\nX-Trailer: 1\r\n\r\n");
  ASSERT_EQ(events.error_status, 0);
  ASSERT_EQ(events.requests.size(), 1u);
  EXPECT_EQ(events.requests[0].request.body, "hello world");
}

TEST(HttpParser, EverySplitPointGivesTheSameRequests) {
  const std::string wire =
      "POST /v1/pages HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n"
      "PATCH /v1/blocks/b HTTP/1.1\r\nContent-Length: 4\r\nConnection: close\r\n\r\nwxyz";
  for (size_t split = 0; split <= wire.size(); ++split) {
    RequestParser parser;
    std::vector<ParsedRequest> requests;
    for (std::string_view part :
         {std::string_view(wire).substr(0, split), std::string_view(wire).substr(split)}) {
      parser.append(part);
      ParsedRequest request;
      for (int guard = 0; guard < 4 && parser.next(request) == ParseStatus::kRequest; ++guard) {
        requests.push_back(std::move(request));
      }
    }
    ASSERT_EQ(requests.size(), 2u) << "split at " << split;
    EXPECT_EQ(requests[0].request.body, "abc") << "split at " << split;
    EXPECT_EQ(requests[1].request.body, "wxyz") << "split at " << split;
    EXPECT_FALSE(requests[1].keep_alive);
  }
}

TEST(HttpParser, PipelinedRequestsComeOutInOrder) {
  Events events = feed_all(
      "POST /a HTTP/1.1\r\nContent-Length: 2\r\n\r\nhiGET /b HTTP/1.1\r\n\r\nGET /c "
      "HTTP/1.1\r\n\r\n");
  ASSERT_EQ(events.requests.size(), 3u);
  EXPECT_EQ(events.requests[0].request.body, "hi");
  EXPECT_EQ(events.requests[1].request.path, "/b");
  EXPECT_EQ(events.requests[2].request.path, "/c");
}

TEST(HttpParser, ExpectContinueIsReportedBeforeTheBody) {
  RequestParser parser;
  Events events = feed_bytewise(
      parser, "POST /v1/pages HTTP/1.1\r\nExpect: 100-continue\r\nContent-Length: 2\r\n\r\n{}");
  EXPECT_EQ(events.continues, 1);
  ASSERT_EQ(events.requests.size(), 1u);
  EXPECT_EQ(events.requests[0].request.body, "{}");
}

TEST(HttpParser, OversizedBodiesGet413BeforeTheBodyIsRead) {
  ParserLimits limits;
  limits.max_body_bytes = 10;
  EXPECT_EQ(feed_all("POST / HTTP/1.1\r\nContent-Length: 11\r\n\r\n", limits).error_status, 413);
  EXPECT_EQ(feed_all("POST / HTTP/1.1\r\nContent-Length: 99999999999999999999\r\n\r\n", limits)
                .error_status,
            413);
  EXPECT_EQ(feed_all("POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n8\r\n12345678\r\n"
                     "3\r\n",
                     limits)
                .error_status,
            413);
  EXPECT_EQ(
      feed_all("POST / HTTP/1.1\r\nContent-Length: 10\r\n\r\n0123456789", limits).requests.size(),
      1u);
}

TEST(HttpParser, OversizedHeadersGet431AndLongRequestLines414) {
  ParserLimits limits;
  limits.max_header_bytes = 256;
  EXPECT_EQ(feed_all("GET /" + std::string(300, 'a'), limits).error_status, 414);
  EXPECT_EQ(feed_all("GET / HTTP/1.1\r\nX: " + std::string(300, 'a'), limits).error_status, 431);
  limits = {};
  limits.max_headers = 3;
  EXPECT_EQ(feed_all("GET / HTTP/1.1\r\nA: 1\r\nB: 1\r\nC: 1\r\nD: 1\r\n\r\n", limits).error_status,
            431);
}

TEST(HttpParser, MalformedRequestsAreRefusedWithTheRightStatus) {
  EXPECT_EQ(feed_all("GET /\r\n\r\n").error_status, 400);
  EXPECT_EQ(feed_all("GET  / HTTP/1.1\r\n\r\n").error_status, 400);
  EXPECT_EQ(feed_all("GET http://x/ HTTP/1.1\r\n\r\n").error_status, 400);
  EXPECT_EQ(feed_all("GET / HTTP/2.0\r\n\r\n").error_status, 505);
  EXPECT_EQ(feed_all("GET / HTTP/1.1\r\nNoColon\r\n\r\n").error_status, 400);
  EXPECT_EQ(feed_all("GET / HTTP/1.1\r\nA: 1\r\n folded\r\n\r\n").error_status, 400);
  EXPECT_EQ(feed_all("GET / HTTP/1.1\r\nBad Name: 1\r\n\r\n").error_status, 400);
  EXPECT_EQ(
      feed_all("POST / HTTP/1.1\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n").error_status,
      400);
  EXPECT_EQ(feed_all("POST / HTTP/1.1\r\nContent-Length: -1\r\n\r\n").error_status, 400);
  EXPECT_EQ(feed_all("POST / HTTP/1.1\r\nContent-Length: 1\r\nTransfer-Encoding: chunked\r\n\r\n")
                .error_status,
            400);
  EXPECT_EQ(feed_all("POST / HTTP/1.1\r\nTransfer-Encoding: gzip\r\n\r\n").error_status, 501);
  EXPECT_EQ(feed_all("POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n").error_status,
            400);
  EXPECT_EQ(
      feed_all("POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nabc\r\n").error_status,
      400);
  EXPECT_EQ(feed_all("POST / HTTP/1.1\r\nExpect: magic\r\n\r\n").error_status, 417);
}

TEST(HttpParser, AfterAnErrorItStaysFailed) {
  RequestParser parser;
  parser.append("BAD\r\n\r\nGET / HTTP/1.1\r\n\r\n");
  ParsedRequest request;
  EXPECT_EQ(parser.next(request), ParseStatus::kError);
  EXPECT_EQ(parser.next(request), ParseStatus::kError);
}

TEST(HttpParser, IdleBetweenRequestsIsNotMidRequest) {
  RequestParser parser;
  ParsedRequest request;
  EXPECT_FALSE(parser.mid_request());
  parser.append("GET / HT");
  EXPECT_EQ(parser.next(request), ParseStatus::kNeedMore);
  EXPECT_TRUE(parser.mid_request());
  parser.append("TP/1.1\r\n\r\n");
  EXPECT_EQ(parser.next(request), ParseStatus::kRequest);
  EXPECT_FALSE(parser.mid_request());
}

}  // namespace
}  // namespace notion_mcp::fake_notion
