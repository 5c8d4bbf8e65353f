#include "keychain/secret_library.h"

#include <dlfcn.h>

#include <string>

namespace notion_mcp::keychain {
namespace {

constexpr std::string_view kInstallHint =
    "Install libsecret (Debian/Ubuntu: apt-get install libsecret-1-0; Fedora: dnf install "
    "libsecret), or on a headless machine use NOTION_TOKEN or an encrypted credentials file, see "
    "`notion-mcp credentials export`.";

util::Error unavailable(std::string message) {
  return util::make_error("libsecret_unavailable",
                          std::move(message) + " " + std::string(kInstallHint));
}

// Fills `slot` with the address of `name` (searched in libsecret and the libraries it loaded:
// GLib, GObject, GIO); false when there is no such function.
template <class Function>
bool resolve(void* handle, const char* name, Function& slot) {
  // POSIX guarantees that dlsym's object pointer converts to a function pointer.
  slot = reinterpret_cast<Function>(::dlsym(handle, name));
  return slot != nullptr;
}

}  // namespace

util::Result<std::shared_ptr<const SecretLibrary>> SecretLibrary::load(std::string_view soname) {
  std::string name(soname);
  // RTLD_LOCAL: GLib's symbols stay out of the global namespace. RTLD_NODELETE: GLib registers
  // types and threads that must never be unmapped.
  void* handle = ::dlopen(name.c_str(), RTLD_NOW | RTLD_LOCAL | RTLD_NODELETE);
  if (handle == nullptr) {
    const char* why = ::dlerror();
    return unavailable("libsecret (" + name +
                       "), which notion-mcp needs to use the desktop keyring, could not be "
                       "loaded: " +
                       (why != nullptr ? why : "unknown error") + ".");
  }
  std::shared_ptr<SecretLibrary> library(new SecretLibrary());

#define NOTION_MCP_RESOLVE(member)                                                   \
  if (!resolve(handle, #member, library->member)) {                                  \
    return unavailable("The libsecret in " + name + " lacks the function " #member + \
                       ", so it is not a usable libsecret.");                        \
  }
  NOTION_MCP_RESOLVE(g_free)
  NOTION_MCP_RESOLVE(g_strdup)
  NOTION_MCP_RESOLVE(g_str_hash)
  NOTION_MCP_RESOLVE(g_str_equal)
  NOTION_MCP_RESOLVE(g_error_copy)
  NOTION_MCP_RESOLVE(g_error_free)
  NOTION_MCP_RESOLVE(g_hash_table_new_full)
  NOTION_MCP_RESOLVE(g_hash_table_insert)
  NOTION_MCP_RESOLVE(g_hash_table_unref)
  NOTION_MCP_RESOLVE(g_list_free_full)
  NOTION_MCP_RESOLVE(g_variant_new)
  NOTION_MCP_RESOLVE(g_variant_get)
  NOTION_MCP_RESOLVE(g_variant_unref)
  NOTION_MCP_RESOLVE(g_variant_iter_next)
  NOTION_MCP_RESOLVE(g_variant_iter_free)
  NOTION_MCP_RESOLVE(g_object_unref)
  NOTION_MCP_RESOLVE(g_io_error_quark)
  NOTION_MCP_RESOLVE(g_dbus_error_quark)
  NOTION_MCP_RESOLVE(g_dbus_error_strip_remote_error)
  NOTION_MCP_RESOLVE(g_cancellable_new)
  NOTION_MCP_RESOLVE(g_cancellable_cancel)
  NOTION_MCP_RESOLVE(g_cancellable_is_cancelled)
  NOTION_MCP_RESOLVE(g_bus_get_sync)
  NOTION_MCP_RESOLVE(g_dbus_connection_set_exit_on_close)
  NOTION_MCP_RESOLVE(g_dbus_connection_call_sync)
  NOTION_MCP_RESOLVE(g_dbus_proxy_get_object_path)
  NOTION_MCP_RESOLVE(secret_error_get_quark)
  NOTION_MCP_RESOLVE(secret_service_get_type)
  NOTION_MCP_RESOLVE(secret_service_open_sync)
  NOTION_MCP_RESOLVE(secret_service_search_sync)
  NOTION_MCP_RESOLVE(secret_service_unlock_sync)
  NOTION_MCP_RESOLVE(secret_service_store_sync)
  NOTION_MCP_RESOLVE(secret_collection_for_alias_sync)
  NOTION_MCP_RESOLVE(secret_collection_get_locked)
  NOTION_MCP_RESOLVE(secret_item_get_locked)
  NOTION_MCP_RESOLVE(secret_item_get_modified)
  NOTION_MCP_RESOLVE(secret_item_get_secret)
  NOTION_MCP_RESOLVE(secret_item_load_secret_sync)
  NOTION_MCP_RESOLVE(secret_item_delete_sync)
  NOTION_MCP_RESOLVE(secret_value_new)
  NOTION_MCP_RESOLVE(secret_value_get)
  NOTION_MCP_RESOLVE(secret_value_unref)
#undef NOTION_MCP_RESOLVE
  return std::shared_ptr<const SecretLibrary>(std::move(library));
}

}  // namespace notion_mcp::keychain
