// libsecret, and GLib/GIO under it, loaded with dlopen the first time the Secret Service is
// used rather than linked: loading GLib costs ~3 MB of RSS and ~0.5 ms in every process, and
// most runs (--demo, NOTION_TOKEN, the credentials file) never touch the keyring. Only the
// headers are used at compile time; every call goes through the table below, so the binary
// references no GLib or libsecret symbol (tests/keychain checks it).
#pragma once

#include <libsecret/secret.h>

#include <memory>
#include <string_view>

#include "util/result.h"

namespace notion_mcp::keychain {

inline constexpr std::string_view kLibsecretSoname = "libsecret-1.so.0";

// The functions secret_service.cpp calls, each typed exactly as the headers declare it.
// Immutable once loaded; GLib cannot be unloaded, so the library stays mapped (RTLD_NODELETE).
class SecretLibrary {
 public:
  // dlopen(soname) and every function below. Errors (code "libsecret_unavailable") say what to
  // install, or to use NOTION_TOKEN / the credentials file instead.
  static util::Result<std::shared_ptr<const SecretLibrary>> load(
      std::string_view soname = kLibsecretSoname);

  SecretLibrary(const SecretLibrary&) = delete;
  SecretLibrary& operator=(const SecretLibrary&) = delete;

  // GLib, GObject
  decltype(&::g_free) g_free = nullptr;
  decltype(&::g_strdup) g_strdup = nullptr;
  decltype(&::g_str_hash) g_str_hash = nullptr;
  decltype(&::g_str_equal) g_str_equal = nullptr;
  decltype(&::g_error_copy) g_error_copy = nullptr;
  decltype(&::g_error_free) g_error_free = nullptr;
  decltype(&::g_hash_table_new_full) g_hash_table_new_full = nullptr;
  decltype(&::g_hash_table_insert) g_hash_table_insert = nullptr;
  decltype(&::g_hash_table_unref) g_hash_table_unref = nullptr;
  decltype(&::g_list_free_full) g_list_free_full = nullptr;
  decltype(&::g_variant_new) g_variant_new = nullptr;
  decltype(&::g_variant_get) g_variant_get = nullptr;
  decltype(&::g_variant_unref) g_variant_unref = nullptr;
  decltype(&::g_variant_iter_next) g_variant_iter_next = nullptr;
  decltype(&::g_variant_iter_free) g_variant_iter_free = nullptr;
  decltype(&::g_object_unref) g_object_unref = nullptr;

  // GIO
  decltype(&::g_io_error_quark) g_io_error_quark = nullptr;
  decltype(&::g_dbus_error_quark) g_dbus_error_quark = nullptr;
  decltype(&::g_dbus_error_strip_remote_error) g_dbus_error_strip_remote_error = nullptr;
  decltype(&::g_cancellable_new) g_cancellable_new = nullptr;
  decltype(&::g_cancellable_cancel) g_cancellable_cancel = nullptr;
  decltype(&::g_cancellable_is_cancelled) g_cancellable_is_cancelled = nullptr;
  decltype(&::g_bus_get_sync) g_bus_get_sync = nullptr;
  decltype(&::g_dbus_connection_set_exit_on_close) g_dbus_connection_set_exit_on_close = nullptr;
  decltype(&::g_dbus_connection_call_sync) g_dbus_connection_call_sync = nullptr;
  decltype(&::g_dbus_proxy_get_object_path) g_dbus_proxy_get_object_path = nullptr;

  // libsecret
  decltype(&::secret_error_get_quark) secret_error_get_quark = nullptr;
  decltype(&::secret_service_get_type) secret_service_get_type = nullptr;
  decltype(&::secret_service_open_sync) secret_service_open_sync = nullptr;
  decltype(&::secret_service_search_sync) secret_service_search_sync = nullptr;
  decltype(&::secret_service_unlock_sync) secret_service_unlock_sync = nullptr;
  decltype(&::secret_service_store_sync) secret_service_store_sync = nullptr;
  decltype(&::secret_collection_for_alias_sync) secret_collection_for_alias_sync = nullptr;
  decltype(&::secret_collection_get_locked) secret_collection_get_locked = nullptr;
  decltype(&::secret_item_get_locked) secret_item_get_locked = nullptr;
  decltype(&::secret_item_get_modified) secret_item_get_modified = nullptr;
  decltype(&::secret_item_get_secret) secret_item_get_secret = nullptr;
  decltype(&::secret_item_load_secret_sync) secret_item_load_secret_sync = nullptr;
  decltype(&::secret_item_delete_sync) secret_item_delete_sync = nullptr;
  decltype(&::secret_value_new) secret_value_new = nullptr;
  decltype(&::secret_value_get) secret_value_get = nullptr;
  decltype(&::secret_value_unref) secret_value_unref = nullptr;

 private:
  SecretLibrary() = default;
};

}  // namespace notion_mcp::keychain
