#include "notion/curl_transport.h"

#include <poll.h>

#include <cstring>
#include <utility>
#include <vector>

#include "notion/error_mapping.h"
#include "util/redact.h"

namespace notion_mcp::notion {
namespace {

constexpr std::string_view kUserAgent = "notion-mcp/" NOTION_MCP_VERSION;

std::string url_part(const CurlLibrary& curl, CURLU* url, CURLUPart part, unsigned int flags = 0) {
  char* value = nullptr;
  if (curl.url_get(url, part, &value, flags) != CURLUE_OK || value == nullptr) return {};
  std::string out(value);
  curl.free(value);
  return out;
}

// Zeroes header copies (the Authorization value among them) before they are freed.
void free_headers(const CurlLibrary& curl, curl_slist* list) {
  for (curl_slist* item = list; item != nullptr; item = item->next) {
    if (item->data != nullptr) {
      volatile char* p = item->data;
      while (*p != '\0') *p++ = '\0';
    }
  }
  curl.slist_free_all(list);
}

std::string trim(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t' || text.back() == '\r' ||
                           text.back() == '\n')) {
    text.remove_suffix(1);
  }
  return std::string(text);
}

}  // namespace

struct CurlTransport::Transfer {
  CurlTransport* owner = nullptr;
  CURL* easy = nullptr;
  curl_slist* headers = nullptr;
  std::string url;
  std::string method;
  std::string body;
  HttpResponse response;
  bool too_large = false;
  bool already_connected = false;
  std::string connector_error;
  Completion done;
  util::CancelRegistration cancel_registration;
  char error_buffer[CURL_ERROR_SIZE] = {};

  ~Transfer() {
    if (easy != nullptr) owner->curl_.easy_cleanup(easy);
    free_headers(owner->curl_, headers);
    if (!body.empty()) std::memset(body.data(), 0, body.size());
  }

  static size_t on_body(char* data, size_t size, size_t count, void* self) {
    auto* transfer = static_cast<Transfer*>(self);
    size_t bytes = size * count;
    if (transfer->response.body.size() + bytes > transfer->owner->options_.max_response_bytes) {
      transfer->too_large = true;
      return 0;  // aborts the transfer with CURLE_WRITE_ERROR
    }
    transfer->response.body.append(data, bytes);
    return bytes;
  }

  static size_t on_header(char* data, size_t size, size_t count, void* self) {
    auto* transfer = static_cast<Transfer*>(self);
    size_t bytes = size * count;
    std::string_view line(data, bytes);
    if (line.substr(0, 5) == "HTTP/") {
      // A new status line (after 100 Continue, for instance): earlier headers do not count.
      transfer->response.headers.clear();
      return bytes;
    }
    auto colon = line.find(':');
    if (colon == std::string_view::npos || colon == 0) return bytes;
    if (transfer->response.headers.size() < 200) {
      transfer->response.headers.emplace_back(trim(line.substr(0, colon)),
                                              trim(line.substr(colon + 1)));
    }
    return bytes;
  }

  static curl_socket_t on_open_socket(void* self, curlsocktype purpose, curl_sockaddr* address) {
    auto* transfer = static_cast<Transfer*>(self);
    if (purpose != CURLSOCKTYPE_IPCXN || transfer->owner->options_.connector == nullptr) {
      return CURL_SOCKET_BAD;
    }
    SocketRequest request{address->family, address->socktype, address->protocol, &address->addr,
                          address->addrlen};
    auto socket = transfer->owner->options_.connector->open_socket(request);
    if (!socket.ok()) {
      transfer->connector_error = socket.error().message;
      return CURL_SOCKET_BAD;
    }
    transfer->already_connected = socket->already_connected;
    return socket->fd;
  }

  static int on_socket_options(void* self, curl_socket_t, curlsocktype) {
    auto* transfer = static_cast<Transfer*>(self);
    // curl calls this right after on_open_socket for the same socket.
    return transfer->already_connected ? CURL_SOCKOPT_ALREADY_CONNECTED : CURL_SOCKOPT_OK;
  }
};

CurlTransport::CurlTransport(util::EventLoop& loop, CurlTransportOptions options)
    : loop_(loop), options_(std::move(options)), curl_(*options_.library) {}

util::Result<std::unique_ptr<CurlTransport>> CurlTransport::create(util::EventLoop& loop,
                                                                   CurlTransportOptions options) {
  if (options.ca_pem.empty()) {
    return util::make_error("ca_unreadable", "No CA certificates were loaded for Notion's TLS.",
                            "Load the CA bundle at start-up (see load_api_endpoint).");
  }
  if (!options.library) {
    auto library = CurlLibrary::load();
    if (!library.ok()) return std::move(library).error();
    options.library = std::move(library).value();
  }
  std::unique_ptr<CurlTransport> transport(new CurlTransport(loop, std::move(options)));
  const CurlLibrary& curl = transport->curl_;

  auto url_cleanup = [&curl](CURLU* url) { curl.url_cleanup(url); };
  std::unique_ptr<CURLU, decltype(url_cleanup)> url(curl.url(), url_cleanup);
  if (!url || curl.url_set(url.get(), CURLUPART_URL, transport->options_.base_url.c_str(), 0) !=
                  CURLUE_OK) {
    return util::make_error(
        "invalid_api_url",
        "The Notion API URL \"" + transport->options_.base_url + "\" is not a valid URL.");
  }
  std::string host = url_part(curl, url.get(), CURLUPART_HOST);
  std::string port = url_part(curl, url.get(), CURLUPART_PORT, CURLU_DEFAULT_PORT);
  transport->host_port_ = host + ":" + port;
  while (!transport->options_.base_url.empty() && transport->options_.base_url.back() == '/') {
    transport->options_.base_url.pop_back();
  }
  // An IP literal never needs DNS; a name is pinned so that the request path never resolves.
  if (!transport->options_.pinned_address.empty() && !host.empty() && host.front() != '[') {
    std::string address = transport->options_.pinned_address;
    if (address.find(':') != std::string::npos && address.front() != '[') {
      address = "[" + address + "]";
    }
    std::string entry = host + ":" + port + ":" + address;
    transport->resolve_ = curl.slist_append(nullptr, entry.c_str());
  }

  transport->multi_ = curl.multi_init();
  if (transport->multi_ == nullptr) {
    return util::make_error("network_error", "libcurl could not create a transfer group.");
  }
  CURLM* multi = transport->multi_;
  curl.multi_setopt(multi, CURLMOPT_SOCKETFUNCTION, &CurlTransport::on_socket);
  curl.multi_setopt(multi, CURLMOPT_SOCKETDATA, transport.get());
  curl.multi_setopt(multi, CURLMOPT_TIMERFUNCTION, &CurlTransport::on_timer);
  curl.multi_setopt(multi, CURLMOPT_TIMERDATA, transport.get());
  // One host: a few kept-alive connections, multiplexed when the server speaks HTTP/2.
  curl.multi_setopt(multi, CURLMOPT_PIPELINING, static_cast<long>(CURLPIPE_MULTIPLEX));
  curl.multi_setopt(multi, CURLMOPT_MAXCONNECTS, 4L);
  return transport;
}

CurlTransport::~CurlTransport() {
  // Pending callers hear "cancelled" from the loop rather than waiting forever.
  std::vector<Completion> pending;
  for (auto& [easy, transfer] : transfers_) {
    curl_.multi_remove_handle(multi_, easy);
    if (transfer->done) pending.push_back(std::move(transfer->done));
  }
  transfers_.clear();
  for (auto& done : pending) {
    loop_.post([done = std::move(done)] { done(cancelled_error()); });
  }
  if (multi_ != nullptr) curl_.multi_cleanup(multi_);
  if (timer_armed_) loop_.cancel_timer(timer_);
  curl_.slist_free_all(resolve_);
}

void CurlTransport::start(HttpRequest request, const util::CancelToken& cancel, Completion done) {
  if (cancel.cancelled()) {
    loop_.post([done = std::move(done)] { done(cancelled_error()); });
    return;
  }
  auto transfer = std::make_unique<Transfer>();
  transfer->owner = this;
  transfer->method = std::move(request.method);
  transfer->url = options_.base_url + request.path;
  transfer->body = std::move(request.body);
  transfer->done = std::move(done);
  for (auto& [name, value] : request.headers) {
    std::string line = name + ": " + value;
    transfer->headers = curl_.slist_append(transfer->headers, line.c_str());
    std::memset(line.data(), 0, line.size());
    std::memset(value.data(), 0, value.size());
  }
  // No "Expect: 100-continue" round trip before large bodies.
  transfer->headers = curl_.slist_append(transfer->headers, "Expect:");

  CURL* easy = curl_.easy_init();
  if (easy == nullptr) {
    loop_.post([done = std::move(transfer->done)] {
      done(util::make_error("network_error", "libcurl could not create a transfer."));
    });
    return;
  }
  transfer->easy = easy;
  Transfer* t = transfer.get();
  curl_.easy_setopt(easy, CURLOPT_PRIVATE, t);
  curl_.easy_setopt(easy, CURLOPT_URL, t->url.c_str());
  curl_.easy_setopt(easy, CURLOPT_PROTOCOLS_STR, "https");
  curl_.easy_setopt(easy, CURLOPT_FOLLOWLOCATION, 0L);
  curl_.easy_setopt(easy, CURLOPT_HTTPHEADER, t->headers);
  curl_.easy_setopt(easy, CURLOPT_USERAGENT, kUserAgent.data());
  curl_.easy_setopt(easy, CURLOPT_ACCEPT_ENCODING, "");
  curl_.easy_setopt(easy, CURLOPT_HTTP_VERSION, static_cast<long>(CURL_HTTP_VERSION_2TLS));
  curl_.easy_setopt(easy, CURLOPT_NOSIGNAL, 1L);
  curl_.easy_setopt(easy, CURLOPT_TCP_KEEPALIVE, 1L);
  // The only endpoint is Notion (or the loopback test server): never a proxy from the
  // environment, which the sandbox could not reach anyway.
  curl_.easy_setopt(easy, CURLOPT_PROXY, "");
  // TLS: always verified, against the CA bundle held in memory; no CA file or directory is
  // opened after start-up.
  curl_blob ca{options_.ca_pem.data(), options_.ca_pem.size(), CURL_BLOB_NOCOPY};
  curl_.easy_setopt(easy, CURLOPT_CAINFO, nullptr);
  curl_.easy_setopt(easy, CURLOPT_CAPATH, nullptr);
  curl_.easy_setopt(easy, CURLOPT_CAINFO_BLOB, &ca);
  curl_.easy_setopt(easy, CURLOPT_SSL_VERIFYPEER, 1L);
  curl_.easy_setopt(easy, CURLOPT_SSL_VERIFYHOST, 2L);
  curl_.easy_setopt(easy, CURLOPT_CONNECTTIMEOUT_MS,
                    static_cast<long>(options_.connect_timeout.count()));
  curl_.easy_setopt(easy, CURLOPT_LOW_SPEED_LIMIT, options_.low_speed_bytes);
  curl_.easy_setopt(easy, CURLOPT_LOW_SPEED_TIME,
                    static_cast<long>(options_.low_speed_time.count()));
  curl_.easy_setopt(easy, CURLOPT_TIMEOUT_MS, static_cast<long>(options_.total_timeout.count()));
  curl_.easy_setopt(easy, CURLOPT_MAXFILESIZE_LARGE,
                    static_cast<curl_off_t>(options_.max_response_bytes));
  curl_.easy_setopt(easy, CURLOPT_ERRORBUFFER, t->error_buffer);
  curl_.easy_setopt(easy, CURLOPT_WRITEFUNCTION, &Transfer::on_body);
  curl_.easy_setopt(easy, CURLOPT_WRITEDATA, t);
  curl_.easy_setopt(easy, CURLOPT_HEADERFUNCTION, &Transfer::on_header);
  curl_.easy_setopt(easy, CURLOPT_HEADERDATA, t);
  if (resolve_ != nullptr) curl_.easy_setopt(easy, CURLOPT_RESOLVE, resolve_);
  if (options_.connector != nullptr) {
    curl_.easy_setopt(easy, CURLOPT_OPENSOCKETFUNCTION, &Transfer::on_open_socket);
    curl_.easy_setopt(easy, CURLOPT_OPENSOCKETDATA, t);
    curl_.easy_setopt(easy, CURLOPT_SOCKOPTFUNCTION, &Transfer::on_socket_options);
    curl_.easy_setopt(easy, CURLOPT_SOCKOPTDATA, t);
  }

  if (t->method == "GET") {
    curl_.easy_setopt(easy, CURLOPT_HTTPGET, 1L);
  } else {
    if (t->method == "POST" || t->method == "PATCH" || t->method == "PUT" || !t->body.empty()) {
      curl_.easy_setopt(easy, CURLOPT_POSTFIELDS, t->body.data());
      curl_.easy_setopt(easy, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(t->body.size()));
    }
    if (t->method != "POST") curl_.easy_setopt(easy, CURLOPT_CUSTOMREQUEST, t->method.c_str());
  }

  transfers_.emplace(easy, std::move(transfer));
  if (CURLMcode code = curl_.multi_add_handle(multi_, easy); code != CURLM_OK) {
    finish(t, util::make_error("network_error", std::string("libcurl refused the transfer: ") +
                                                    curl_.multi_strerror(code) + "."));
    return;
  }
  t->cancel_registration = cancel.on_cancel([this, easy] {
    auto found = transfers_.find(easy);
    if (found != transfers_.end()) finish(found->second.get(), cancelled_error());
  });
}

int CurlTransport::on_socket(CURL*, curl_socket_t fd, int what, void* self, void*) {
  auto* transport = static_cast<CurlTransport*>(self);
  if (what == CURL_POLL_REMOVE) {
    transport->loop_.unwatch(fd);
    return 0;
  }
  short events = 0;
  if (what == CURL_POLL_IN || what == CURL_POLL_INOUT) events |= POLLIN;
  if (what == CURL_POLL_OUT || what == CURL_POLL_INOUT) events |= POLLOUT;
  transport->loop_.watch(fd, events,
                         [transport, fd](short revents) { transport->socket_ready(fd, revents); });
  return 0;
}

int CurlTransport::on_timer(CURLM*, long timeout_ms, void* self) {
  auto* transport = static_cast<CurlTransport*>(self);
  if (transport->timer_armed_) {
    transport->loop_.cancel_timer(transport->timer_);
    transport->timer_armed_ = false;
  }
  if (timeout_ms >= 0) {
    // Even a zero timeout goes through the loop: curl must not be re-entered from here.
    transport->timer_ = transport->loop_.add_timer(std::chrono::milliseconds(timeout_ms),
                                                   [transport] { transport->timer_fired(); });
    transport->timer_armed_ = true;
  }
  return 0;
}

void CurlTransport::socket_ready(curl_socket_t fd, short revents) {
  int flags = 0;
  if (revents & (POLLIN | POLLHUP)) flags |= CURL_CSELECT_IN;
  if (revents & POLLOUT) flags |= CURL_CSELECT_OUT;
  if (revents & (POLLERR | POLLNVAL)) flags |= CURL_CSELECT_ERR;
  int running = 0;
  curl_.multi_socket_action(multi_, fd, flags, &running);
  collect_finished();
}

void CurlTransport::timer_fired() {
  timer_armed_ = false;
  int running = 0;
  curl_.multi_socket_action(multi_, CURL_SOCKET_TIMEOUT, 0, &running);
  collect_finished();
}

void CurlTransport::collect_finished() {
  std::vector<std::pair<Transfer*, CURLcode>> finished;
  int queued = 0;
  while (CURLMsg* message = curl_.multi_info_read(multi_, &queued)) {
    if (message->msg != CURLMSG_DONE) continue;
    auto found = transfers_.find(message->easy_handle);
    if (found != transfers_.end()) finished.emplace_back(found->second.get(), message->data.result);
  }
  for (auto& [transfer, code] : finished) finish(transfer, outcome(*transfer, code));
}

util::Result<HttpResponse> CurlTransport::outcome(Transfer& transfer, CURLcode code) {
  long status = 0;
  curl_.easy_getinfo(transfer.easy, CURLINFO_RESPONSE_CODE, &status);
  if (code == CURLE_OK) {
    transfer.response.status = static_cast<int>(status);
    return std::move(transfer.response);
  }
  std::string detail =
      transfer.error_buffer[0] != '\0' ? transfer.error_buffer : curl_.easy_strerror(code);
  auto fail = [&](std::string error_code, std::string message) {
    std::string hint = hint_for(error_code);
    util::Error error =
        util::make_error(std::move(error_code), util::redact(message), std::move(hint));
    error.status = static_cast<int>(status);
    return error;
  };
  if (transfer.too_large || code == CURLE_FILESIZE_EXCEEDED) {
    size_t cap = options_.max_response_bytes;
    std::string limit = cap >= 1024 * 1024 ? std::to_string(cap / (1024 * 1024)) + " MiB"
                                           : std::to_string(cap) + " bytes";
    return fail("response_too_large",
                "Notion's answer was larger than " + limit + " and was not read.");
  }
  switch (code) {
    case CURLE_PARTIAL_FILE:
      return invalid_response(static_cast<int>(status), "the answer was cut short");
    case CURLE_PEER_FAILED_VERIFICATION:
    case CURLE_SSL_CACERT_BADFILE:
    case CURLE_SSL_CERTPROBLEM:
    case CURLE_SSL_CONNECT_ERROR:
    case CURLE_SSL_PINNEDPUBKEYNOTMATCH:
      return fail("tls_error", "The TLS connection to " + host_port_ + " failed: " + detail + ".");
    case CURLE_OPERATION_TIMEDOUT:
      return fail("network_error",
                  "Notion (" + host_port_ + ") did not answer in time: " + detail + ".");
    case CURLE_COULDNT_CONNECT:
    case CURLE_COULDNT_RESOLVE_HOST:
      if (!transfer.connector_error.empty()) {
        return fail("network_error",
                    "Could not connect to " + host_port_ + ": " + transfer.connector_error);
      }
      return fail("network_error", "Could not connect to " + host_port_ + ": " + detail + ".");
    default:
      if (!transfer.connector_error.empty()) {
        return fail("network_error",
                    "Could not connect to " + host_port_ + ": " + transfer.connector_error);
      }
      return fail("network_error", "The request to " + host_port_ + " failed: " + detail + ".");
  }
}

void CurlTransport::finish(Transfer* transfer, util::Result<HttpResponse> result) {
  auto found = transfers_.find(transfer->easy);
  if (found == transfers_.end()) return;
  std::unique_ptr<Transfer> owned = std::move(found->second);
  transfers_.erase(found);
  curl_.multi_remove_handle(multi_, owned->easy);
  Completion done = std::move(owned->done);
  owned.reset();  // frees the handle and zeroes the header copies
  loop_.post(
      [done = std::move(done), result = std::move(result)]() mutable { done(std::move(result)); });
}

}  // namespace notion_mcp::notion
