// The libcurl loader: the real libcurl.so.4 through dlopen, and the errors a person sees when
// the library is missing or is not a libcurl.
#include "notion/curl_library.h"

#include <dlfcn.h>
#include <gtest/gtest.h>

#include <string>
#include <utility>
#include <vector>

namespace notion_mcp::notion {
namespace {

// The name the dynamic linker gives the function at `address`, or "" when it has none.
std::string symbol_name(void* address) {
  Dl_info info{};
  if (::dladdr(address, &info) == 0 || info.dli_sname == nullptr) return {};
  return info.dli_sname;
}

TEST(NotionCurlLibrary, LoadsTheSystemLibcurl) {
  auto library = CurlLibrary::load();
  ASSERT_TRUE(library.ok()) << library.error().message;
  const CurlLibrary& curl = **library;
  EXPECT_FALSE(curl.version().empty());
  const curl_version_info_data* info = curl.version_info(CURLVERSION_NOW);
  ASSERT_NE(info, nullptr);
  EXPECT_EQ(curl.version(), info->version);
  EXPECT_GE(info->version_num, kLibcurlMinimumVersion);
}

// Each slot holds the function its name promises (a slot filled from the wrong symbol would
// still compile, since dlsym's result is cast).
TEST(NotionCurlLibrary, EverySlotHoldsItsOwnFunction) {
  auto library = CurlLibrary::load();
  ASSERT_TRUE(library.ok()) << library.error().message;
  const CurlLibrary& c = **library;
  std::vector<std::pair<std::string, void*>> slots = {
      {"curl_version_info", reinterpret_cast<void*>(c.version_info)},
      {"curl_global_init", reinterpret_cast<void*>(c.global_init)},
      {"curl_global_cleanup", reinterpret_cast<void*>(c.global_cleanup)},
      {"curl_free", reinterpret_cast<void*>(c.free)},
      {"curl_slist_append", reinterpret_cast<void*>(c.slist_append)},
      {"curl_slist_free_all", reinterpret_cast<void*>(c.slist_free_all)},
      {"curl_url", reinterpret_cast<void*>(c.url)},
      {"curl_url_set", reinterpret_cast<void*>(c.url_set)},
      {"curl_url_get", reinterpret_cast<void*>(c.url_get)},
      {"curl_url_cleanup", reinterpret_cast<void*>(c.url_cleanup)},
      {"curl_easy_init", reinterpret_cast<void*>(c.easy_init)},
      {"curl_easy_setopt", reinterpret_cast<void*>(c.easy_setopt)},
      {"curl_easy_getinfo", reinterpret_cast<void*>(c.easy_getinfo)},
      {"curl_easy_strerror", reinterpret_cast<void*>(c.easy_strerror)},
      {"curl_easy_cleanup", reinterpret_cast<void*>(c.easy_cleanup)},
      {"curl_multi_init", reinterpret_cast<void*>(c.multi_init)},
      {"curl_multi_setopt", reinterpret_cast<void*>(c.multi_setopt)},
      {"curl_multi_add_handle", reinterpret_cast<void*>(c.multi_add_handle)},
      {"curl_multi_remove_handle", reinterpret_cast<void*>(c.multi_remove_handle)},
      {"curl_multi_socket_action", reinterpret_cast<void*>(c.multi_socket_action)},
      {"curl_multi_info_read", reinterpret_cast<void*>(c.multi_info_read)},
      {"curl_multi_strerror", reinterpret_cast<void*>(c.multi_strerror)},
      {"curl_multi_cleanup", reinterpret_cast<void*>(c.multi_cleanup)},
  };
  for (const auto& [name, address] : slots) {
    ASSERT_NE(address, nullptr) << name;
    EXPECT_EQ(symbol_name(address), name);
  }
}

TEST(NotionCurlLibrary, TheTableDrivesLibcurl) {
  auto library = CurlLibrary::load();
  ASSERT_TRUE(library.ok()) << library.error().message;
  const CurlLibrary& curl = **library;

  CURLU* url = curl.url();
  ASSERT_NE(url, nullptr);
  ASSERT_EQ(curl.url_set(url, CURLUPART_URL, "https://127.0.0.1:8443/v1", 0), CURLUE_OK);
  char* host = nullptr;
  ASSERT_EQ(curl.url_get(url, CURLUPART_HOST, &host, 0), CURLUE_OK);
  EXPECT_STREQ(host, "127.0.0.1");
  curl.free(host);
  curl.url_cleanup(url);

  // The variadic setopt/getinfo pass their argument through the table intact.
  CURL* easy = curl.easy_init();
  ASSERT_NE(easy, nullptr);
  int marker = 0;
  EXPECT_EQ(curl.easy_setopt(easy, CURLOPT_PRIVATE, &marker), CURLE_OK);
  EXPECT_EQ(curl.easy_setopt(easy, CURLOPT_PROTOCOLS_STR, "https"), CURLE_OK);
  EXPECT_EQ(curl.easy_setopt(easy, static_cast<CURLoption>(CURLOPTTYPE_LONG + 9999), 1L),
            CURLE_UNKNOWN_OPTION);
  void* back = nullptr;
  EXPECT_EQ(curl.easy_getinfo(easy, CURLINFO_PRIVATE, &back), CURLE_OK);
  EXPECT_EQ(back, &marker);
  curl.easy_cleanup(easy);
  EXPECT_NE(std::string(curl.easy_strerror(CURLE_COULDNT_CONNECT)), "");
}

// libcurl counts global init/cleanup pairs: dropping one library leaves the other usable.
TEST(NotionCurlLibrary, TwoLoadsAreIndependent) {
  auto first = CurlLibrary::load();
  auto second = CurlLibrary::load();
  ASSERT_TRUE(first.ok() && second.ok());
  first = util::make_error("dropped", "the first library is released");
  CURLM* multi = (*second)->multi_init();
  ASSERT_NE(multi, nullptr);
  CURL* easy = (*second)->easy_init();
  ASSERT_NE(easy, nullptr);
  EXPECT_EQ((*second)->multi_add_handle(multi, easy), CURLM_OK);
  EXPECT_EQ((*second)->multi_remove_handle(multi, easy), CURLM_OK);
  (*second)->easy_cleanup(easy);
  EXPECT_EQ((*second)->multi_cleanup(multi), CURLM_OK);
}

TEST(NotionCurlLibrary, MissingLibraryTellsWhatToInstall) {
  auto library = CurlLibrary::load("libnotion-mcp-no-such-curl.so.4");
  ASSERT_FALSE(library.ok());
  EXPECT_EQ(library.error().code, "libcurl_unavailable");
  const std::string& message = library.error().message;
  EXPECT_NE(message.find("libnotion-mcp-no-such-curl.so.4"), std::string::npos) << message;
  EXPECT_NE(message.find("could not be loaded"), std::string::npos) << message;
  // main logs only the message, so the fix must be in it, not only in the hint.
  EXPECT_NE(message.find("apt-get install libcurl4"), std::string::npos) << message;
  EXPECT_NE(message.find("--demo"), std::string::npos) << message;
  EXPECT_NE(library.error().hint.find("apt-get install libcurl4"), std::string::npos);
}

TEST(NotionCurlLibrary, LibraryWithoutCurlNamesTheMissingFunction) {
  // libc is surely present and surely has no curl_* function.
  auto library = CurlLibrary::load("libc.so.6");
  ASSERT_FALSE(library.ok());
  EXPECT_EQ(library.error().code, "libcurl_unavailable");
  const std::string& message = library.error().message;
  EXPECT_NE(message.find("lacks the function curl_version_info"), std::string::npos) << message;
  EXPECT_NE(message.find("libc.so.6"), std::string::npos) << message;
  EXPECT_NE(message.find("apt-get install libcurl4"), std::string::npos) << message;
}

}  // namespace
}  // namespace notion_mcp::notion
