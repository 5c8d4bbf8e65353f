// The real Transport: libcurl's multi socket API driven by the one event loop. Sockets come
// from a Connector, CA certificates from memory, and certificates are always verified. libcurl
// itself is loaded when the transport is created (see curl_library.h), not at process start.
#pragma once

#include <curl/curl.h>

#include <chrono>
#include <cstddef>
#include <memory>
#include <string>
#include <unordered_map>

#include "notion/connector.h"
#include "notion/curl_library.h"
#include "notion/http.h"
#include "util/event_loop.h"
#include "util/result.h"

namespace notion_mcp::notion {

struct CurlTransportOptions {
  std::string base_url;            // "https://api.notion.com" (from ApiEndpoint)
  std::string ca_pem;              // trusted CA certificates, in memory; required
  Connector* connector = nullptr;  // null: libcurl opens sockets itself
  // When set, "host:port" resolves to this address without DNS (CURLOPT_RESOLVE): used when
  // the connector supplies sockets, so the request path never looks anything up.
  std::string pinned_address;
  std::chrono::milliseconds connect_timeout{10000};
  // A transfer slower than `low_speed_bytes` per second for `low_speed_time` is abandoned.
  long low_speed_bytes = 1;
  std::chrono::seconds low_speed_time{60};
  std::chrono::milliseconds total_timeout{300000};
  size_t max_response_bytes = 32 * 1024 * 1024;
  // The loaded libcurl; null: create() loads libcurl.so.4 itself. Either way the transport
  // keeps it alive.
  std::shared_ptr<const CurlLibrary> library;
};

class CurlTransport : public Transport {
 public:
  // Loads libcurl unless options.library is given, so call it before entering a sandbox.
  static util::Result<std::unique_ptr<CurlTransport>> create(util::EventLoop& loop,
                                                             CurlTransportOptions options);
  ~CurlTransport() override;
  CurlTransport(const CurlTransport&) = delete;
  CurlTransport& operator=(const CurlTransport&) = delete;

  void start(HttpRequest request, const util::CancelToken& cancel, Completion done) override;

  // Transfers in flight (for tests).
  size_t active() const { return transfers_.size(); }

 private:
  struct Transfer;
  CurlTransport(util::EventLoop& loop, CurlTransportOptions options);

  static int on_socket(CURL* easy, curl_socket_t fd, int what, void* self, void* socket_data);
  static int on_timer(CURLM* multi, long timeout_ms, void* self);
  void socket_ready(curl_socket_t fd, short revents);
  void timer_fired();
  void collect_finished();
  // Removes the transfer and delivers `result` from the loop.
  void finish(Transfer* transfer, util::Result<HttpResponse> result);
  util::Result<HttpResponse> outcome(Transfer& transfer, CURLcode code);

  util::EventLoop& loop_;
  CurlTransportOptions options_;
  const CurlLibrary& curl_;  // options_.library, which outlives every handle below
  std::string host_port_;    // for CURLOPT_RESOLVE and messages
  CURLM* multi_ = nullptr;
  curl_slist* resolve_ = nullptr;
  util::EventLoop::TimerId timer_ = 0;
  bool timer_armed_ = false;
  std::unordered_map<CURL*, std::unique_ptr<Transfer>> transfers_;
};

}  // namespace notion_mcp::notion
