// libcurl, loaded with dlopen when an HTTP transport is created rather than linked: its
// dependency chain (TLS, HTTP/2, LDAP, Kerberos, SSH, ...) costs ~6 MB of RSS and ~4 ms of
// start-up, which the demo workspace and every process that does not talk to Notion never pay.
// Only <curl/curl.h>'s types and constants are used at compile time; every call goes through
// the function table below, so the binary references no curl symbol.
#pragma once

#include <curl/curl.h>

#include <memory>
#include <string>
#include <string_view>

#include "util/result.h"

namespace notion_mcp::notion {

inline constexpr std::string_view kLibcurlSoname = "libcurl.so.4";
// CURLOPT_PROTOCOLS_STR, the newest option the transport sets, came with 7.85.0.
inline constexpr unsigned int kLibcurlMinimumVersion = 0x075500;

// One loaded libcurl: the functions notion-mcp calls, each typed exactly as <curl/curl.h>
// declares it (curl_easy_setopt and friends stay variadic). Immutable once loaded; share it
// with shared_ptr<const CurlLibrary> and keep it alive as long as any handle made with it.
class CurlLibrary {
 public:
  // dlopen(soname), resolves every function below, checks the version and TLS support, then
  // runs curl_global_init. Call before entering a sandbox: it opens files. Errors (code
  // "libcurl_unavailable") say what to install.
  static util::Result<std::shared_ptr<const CurlLibrary>> load(
      std::string_view soname = kLibcurlSoname);

  // curl_global_cleanup (libcurl counts init/cleanup pairs), then releases the handle.
  ~CurlLibrary();
  CurlLibrary(const CurlLibrary&) = delete;
  CurlLibrary& operator=(const CurlLibrary&) = delete;

  // "7.88.1", for messages.
  const std::string& version() const { return version_; }

  decltype(&::curl_version_info) version_info = nullptr;
  decltype(&::curl_global_init) global_init = nullptr;
  decltype(&::curl_global_cleanup) global_cleanup = nullptr;
  decltype(&::curl_free) free = nullptr;

  decltype(&::curl_slist_append) slist_append = nullptr;
  decltype(&::curl_slist_free_all) slist_free_all = nullptr;

  decltype(&::curl_url) url = nullptr;
  decltype(&::curl_url_set) url_set = nullptr;
  decltype(&::curl_url_get) url_get = nullptr;
  decltype(&::curl_url_cleanup) url_cleanup = nullptr;

  decltype(&::curl_easy_init) easy_init = nullptr;
  decltype(&::curl_easy_setopt) easy_setopt = nullptr;
  decltype(&::curl_easy_getinfo) easy_getinfo = nullptr;
  decltype(&::curl_easy_strerror) easy_strerror = nullptr;
  decltype(&::curl_easy_cleanup) easy_cleanup = nullptr;

  decltype(&::curl_multi_init) multi_init = nullptr;
  decltype(&::curl_multi_setopt) multi_setopt = nullptr;
  decltype(&::curl_multi_add_handle) multi_add_handle = nullptr;
  decltype(&::curl_multi_remove_handle) multi_remove_handle = nullptr;
  decltype(&::curl_multi_socket_action) multi_socket_action = nullptr;
  decltype(&::curl_multi_info_read) multi_info_read = nullptr;
  decltype(&::curl_multi_strerror) multi_strerror = nullptr;
  decltype(&::curl_multi_cleanup) multi_cleanup = nullptr;

 private:
  CurlLibrary() = default;

  void* handle_ = nullptr;
  bool global_initialised_ = false;
  std::string version_;
};

}  // namespace notion_mcp::notion
