#include "notion/curl_library.h"

#include <dlfcn.h>

#include <cstdio>

namespace notion_mcp::notion {
namespace {

constexpr std::string_view kInstallHint =
    "Install libcurl 7.85 or newer (Debian/Ubuntu: apt-get install libcurl4; Fedora: dnf "
    "install libcurl), or run `notion-mcp serve --demo`, which needs no network.";

util::Error unavailable(std::string message) {
  return util::make_error("libcurl_unavailable",
                          std::move(message) + " " + std::string(kInstallHint),
                          std::string(kInstallHint));
}

std::string version_text(unsigned int number) {
  char text[32];
  std::snprintf(text, sizeof text, "%u.%u.%u", (number >> 16) & 0xff, (number >> 8) & 0xff,
                number & 0xff);
  return text;
}

// Fills `slot` with the address of `name`; false when the library lacks it.
template <class Function>
bool resolve(void* handle, const char* name, Function& slot) {
  // POSIX guarantees that dlsym's object pointer converts to a function pointer.
  slot = reinterpret_cast<Function>(::dlsym(handle, name));
  return slot != nullptr;
}

}  // namespace

util::Result<std::shared_ptr<const CurlLibrary>> CurlLibrary::load(std::string_view soname) {
  std::string name(soname);
  std::shared_ptr<CurlLibrary> library(new CurlLibrary());
  // RTLD_LOCAL: curl's symbols stay out of the global namespace. RTLD_NODELETE: libcurl and its
  // TLS stack register exit handlers and thread-locals, so they stay mapped after dlclose.
  library->handle_ = ::dlopen(name.c_str(), RTLD_NOW | RTLD_LOCAL | RTLD_NODELETE);
  if (library->handle_ == nullptr) {
    const char* why = ::dlerror();
    return unavailable("libcurl (" + name +
                       "), which notion-mcp needs to reach Notion, could not be loaded: " +
                       (why != nullptr ? why : "unknown error") + ".");
  }

#define NOTION_MCP_RESOLVE(member)                                                      \
  if (!resolve(library->handle_, "curl_" #member, library->member)) {                   \
    return unavailable("The libcurl in " + name + " lacks the function curl_" #member + \
                       ", so it is not a usable libcurl or is older than 7.85.");       \
  }
  NOTION_MCP_RESOLVE(version_info)
  NOTION_MCP_RESOLVE(global_init)
  NOTION_MCP_RESOLVE(global_cleanup)
  NOTION_MCP_RESOLVE(free)
  NOTION_MCP_RESOLVE(slist_append)
  NOTION_MCP_RESOLVE(slist_free_all)
  NOTION_MCP_RESOLVE(url)
  NOTION_MCP_RESOLVE(url_set)
  NOTION_MCP_RESOLVE(url_get)
  NOTION_MCP_RESOLVE(url_cleanup)
  NOTION_MCP_RESOLVE(easy_init)
  NOTION_MCP_RESOLVE(easy_setopt)
  NOTION_MCP_RESOLVE(easy_getinfo)
  NOTION_MCP_RESOLVE(easy_strerror)
  NOTION_MCP_RESOLVE(easy_cleanup)
  NOTION_MCP_RESOLVE(multi_init)
  NOTION_MCP_RESOLVE(multi_setopt)
  NOTION_MCP_RESOLVE(multi_add_handle)
  NOTION_MCP_RESOLVE(multi_remove_handle)
  NOTION_MCP_RESOLVE(multi_socket_action)
  NOTION_MCP_RESOLVE(multi_info_read)
  NOTION_MCP_RESOLVE(multi_strerror)
  NOTION_MCP_RESOLVE(multi_cleanup)
#undef NOTION_MCP_RESOLVE

  const curl_version_info_data* info = library->version_info(CURLVERSION_NOW);
  if (info == nullptr) return unavailable("The libcurl in " + name + " did not report a version.");
  library->version_ = info->version != nullptr ? info->version : version_text(info->version_num);
  if (info->version_num < kLibcurlMinimumVersion) {
    return unavailable("The libcurl in " + name + " is version " + library->version_ +
                       "; notion-mcp needs " + version_text(kLibcurlMinimumVersion) + " or newer.");
  }
  if ((info->features & CURL_VERSION_SSL) == 0) {
    return unavailable("The libcurl in " + name + " (" + library->version_ +
                       ") was built without TLS, which Notion's API requires.");
  }
  if (CURLcode code = library->global_init(CURL_GLOBAL_DEFAULT); code != CURLE_OK) {
    return unavailable("libcurl " + library->version_ +
                       " could not be initialised: " + library->easy_strerror(code) + ".");
  }
  library->global_initialised_ = true;
  return std::shared_ptr<const CurlLibrary>(std::move(library));
}

CurlLibrary::~CurlLibrary() {
  if (global_initialised_) global_cleanup();
  if (handle_ != nullptr) ::dlclose(handle_);
}

}  // namespace notion_mcp::notion
