// libcurl as the worker will use it: the socket comes from elsewhere (already connected), no
// name is resolved (CURLOPT_RESOLVE), and the CA is in memory (CURLOPT_CAINFO_BLOB).
#pragma once

#include <curl/curl.h>
#include <unistd.h>

#include <functional>
#include <string>

namespace notion_mcp::sandbox::testing {

struct FetchResult {
  CURLcode code = CURLE_FAILED_INIT;
  long status = 0;
  std::string body;
};

// Fetches https://localhost:<port>/ over the socket `open_socket` returns (-1: none).
inline FetchResult fetch_over(const std::function<int()>& open_socket, uint16_t port,
                              const std::string& ca_pem) {
  struct Context {
    const std::function<int()>* open_socket;
    std::string body;
  } context{&open_socket, {}};
  FetchResult result;
  CURL* easy = curl_easy_init();
  if (easy == nullptr) return result;
  std::string url = "https://localhost:" + std::to_string(port) + "/";
  std::string resolve = "localhost:" + std::to_string(port) + ":127.0.0.1";
  curl_slist* resolve_list = curl_slist_append(nullptr, resolve.c_str());
  curl_blob ca{const_cast<char*>(ca_pem.data()), ca_pem.size(), CURL_BLOB_COPY};
  curl_easy_setopt(easy, CURLOPT_URL, url.c_str());
  curl_easy_setopt(easy, CURLOPT_RESOLVE, resolve_list);
  curl_easy_setopt(easy, CURLOPT_CAINFO_BLOB, &ca);
  curl_easy_setopt(easy, CURLOPT_CAPATH, nullptr);
  curl_easy_setopt(easy, CURLOPT_OPENSOCKETDATA, &context);
  curl_easy_setopt(
      easy, CURLOPT_OPENSOCKETFUNCTION,
      +[](void* clientp, curlsocktype, curl_sockaddr*) -> curl_socket_t {
        int fd = (*static_cast<Context*>(clientp)->open_socket)();
        return fd < 0 ? CURL_SOCKET_BAD : fd;
      });
  curl_easy_setopt(
      easy, CURLOPT_SOCKOPTFUNCTION,
      +[](void*, curl_socket_t, curlsocktype) { return CURL_SOCKOPT_ALREADY_CONNECTED; });
  curl_easy_setopt(easy, CURLOPT_WRITEDATA, &context);
  curl_easy_setopt(
      easy, CURLOPT_WRITEFUNCTION,
      +[](char* data, size_t size, size_t count, void* userp) -> size_t {
        static_cast<Context*>(userp)->body.append(data, size * count);
        return size * count;
      });
  curl_easy_setopt(easy, CURLOPT_TIMEOUT_MS, 10000L);
  result.code = curl_easy_perform(easy);
  curl_easy_getinfo(easy, CURLINFO_RESPONSE_CODE, &result.status);
  result.body = std::move(context.body);
  curl_easy_cleanup(easy);
  curl_slist_free_all(resolve_list);
  return result;
}

}  // namespace notion_mcp::sandbox::testing
