#include "keychain/secret_service.h"

#include <sodium.h>

#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <thread>

#include "keychain/credential.h"
#include "keychain/credential_json.h"
#include "keychain/scrubbed_string.h"
#include "keychain/secret_library.h"

namespace notion_mcp::keychain {
namespace {

const SecretSchema kSchema = {
    "org.notion-mcp.Credential",
    SECRET_SCHEMA_NONE,
    {{"profile", SECRET_SCHEMA_ATTRIBUTE_STRING},
     {"kind", SECRET_SCHEMA_ATTRIBUTE_STRING},
     {nullptr, SECRET_SCHEMA_ATTRIBUTE_STRING}},
};

constexpr const char* kSecretsBusName = "org.freedesktop.secrets";
constexpr std::string_view kHeadless =
    "on a headless machine use NOTION_TOKEN or an encrypted credentials file, see `notion-mcp "
    "credentials export`.";

// The header macros G_VARIANT_TYPE and G_DBUS_PROXY call GLib functions; the binary must not
// reference GLib (it is loaded with dlopen), so these do the same without a call.
const GVariantType* variant_type(const char* type) {
  return reinterpret_cast<const GVariantType*>(type);
}
GDBusProxy* as_proxy(gpointer object) { return static_cast<GDBusProxy*>(object); }

// --- GLib ownership, released through the loaded library ------------------------------------

struct Unref {
  const SecretLibrary* lib = nullptr;
  void operator()(GHashTable* table) const { lib->g_hash_table_unref(table); }
  void operator()(SecretValue* value) const { lib->secret_value_unref(value); }
  void operator()(GVariant* variant) const { lib->g_variant_unref(variant); }
  void operator()(GList* objects) const { lib->g_list_free_full(objects, lib->g_object_unref); }
  template <class GObjectType>
  void operator()(GObjectType* object) const {
    lib->g_object_unref(object);
  }
};
template <class T>
using Owned = std::unique_ptr<T, Unref>;

class ErrorHolder {
 public:
  explicit ErrorHolder(const SecretLibrary& lib) : lib_(lib) {}
  ErrorHolder(const ErrorHolder&) = delete;
  ErrorHolder& operator=(const ErrorHolder&) = delete;
  ~ErrorHolder() { clear(); }
  GError** out() {
    clear();
    return &error_;
  }
  const GError* get() const { return error_; }
  explicit operator bool() const { return error_ != nullptr; }

 private:
  void clear() {
    if (error_ != nullptr) lib_.g_error_free(error_);
    error_ = nullptr;
  }
  const SecretLibrary& lib_;
  GError* error_ = nullptr;
};

// Cancels a GCancellable when the time is up. libsecret's synchronous calls run their own
// main loop and honour the cancellable, so one watchdog thread bounds every D-Bus round trip.
class Deadline {
 public:
  Deadline(const SecretLibrary& lib, int timeout_ms)
      : lib_(lib),
        cancellable_(lib.g_cancellable_new(), Unref{&lib}),
        until_(std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms)),
        thread_([this] { run(); }) {}
  Deadline(const Deadline&) = delete;
  Deadline& operator=(const Deadline&) = delete;
  ~Deadline() {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      done_ = true;
    }
    wake_.notify_all();
    thread_.join();
  }

  GCancellable* cancellable() const { return cancellable_.get(); }
  bool expired() const { return lib_.g_cancellable_is_cancelled(cancellable_.get()); }
  // A new limit from now (for a prompt that waits for a person). No effect once expired.
  void restart(int timeout_ms) {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      until_ = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
    }
    wake_.notify_all();
  }

 private:
  void run() {
    std::unique_lock<std::mutex> lock(mutex_);
    while (!done_) {
      if (std::chrono::steady_clock::now() >= until_) {
        lib_.g_cancellable_cancel(cancellable_.get());
        return;
      }
      wake_.wait_until(lock, until_);
    }
  }

  const SecretLibrary& lib_;
  Owned<GCancellable> cancellable_;
  std::mutex mutex_;
  std::condition_variable wake_;
  std::chrono::steady_clock::time_point until_;
  bool done_ = false;
  std::thread thread_;  // last: starts after every member it reads
};

// --- messages ---------------------------------------------------------------------------------

util::Error no_bus_error() {
  return util::make_error(
      "no_dbus_session",
      "No D-Bus session (DBUS_SESSION_BUS_ADDRESS is not set), so the desktop keyring cannot be "
      "reached: " +
          std::string(kHeadless));
}

util::Error no_provider_error(std::string_view detail) {
  std::string why = detail.empty() ? "" : " (" + std::string(detail) + ")";
  return util::make_error("no_secret_service",
                          "No Secret Service provider on the D-Bus session bus: nothing owns or "
                          "can start org.freedesktop.secrets" +
                              why + ". Install and start a keyring such as gnome-keyring, or " +
                              std::string(kHeadless));
}

util::Error locked_error(std::string_view why = {}) {
  std::string detail = why.empty() ? "" : " (" + std::string(why) + ")";
  return util::make_error(
      "keyring_locked",
      "The keyring is locked" + detail +
          ": unlock it (e.g. log in to the desktop, or open Passwords and Keys) and try again, "
          "or " +
          std::string(kHeadless));
}

util::Error no_collection_error() {
  return util::make_error(
      "no_keyring_collection",
      "The keyring has no default collection to store the credential in: create one (log in "
      "to the desktop once, or use Passwords and Keys), or store the credential in an "
      "encrypted file with --credentials-file.");
}

std::unique_ptr<GHashTable, Unref> attributes(const SecretLibrary& lib, const std::string& profile,
                                              const char* kind) {
  Owned<GHashTable> table(
      lib.g_hash_table_new_full(lib.g_str_hash, lib.g_str_equal, lib.g_free, lib.g_free),
      Unref{&lib});
  lib.g_hash_table_insert(table.get(), lib.g_strdup("profile"), lib.g_strdup(profile.c_str()));
  if (kind != nullptr)
    lib.g_hash_table_insert(table.get(), lib.g_strdup("kind"), lib.g_strdup(kind));
  return table;
}

// One store operation: its deadline, its connection and its way of turning GErrors into
// sentences.
class Operation {
 public:
  Operation(const SecretLibrary& lib, const SecretServiceOptions& options, std::string doing)
      : lib_(lib),
        options_(options),
        deadline_(lib, options.timeout_ms),
        doing_(std::move(doing)),
        bus_(nullptr, Unref{&lib}),
        service_(nullptr, Unref{&lib}) {}

  const SecretLibrary& lib() const { return lib_; }
  GCancellable* cancellable() const { return deadline_.cancellable(); }
  SecretService* service() const { return service_.get(); }

  util::Result<void> connect() {
    ErrorHolder error(lib_);
    bus_.reset(lib_.g_bus_get_sync(G_BUS_TYPE_SESSION, cancellable(), error.out()));
    if (!bus_) {
      if (deadline_.expired()) return timeout_error();
      return util::make_error("no_dbus_session", "Cannot connect to the D-Bus session bus (" +
                                                     remote_message(error.get()) +
                                                     "): check DBUS_SESSION_BUS_ADDRESS, or " +
                                                     std::string(kHeadless));
    }
    // GLib's shared session connection would raise SIGTERM if the bus went away later.
    lib_.g_dbus_connection_set_exit_on_close(bus_.get(), FALSE);
    if (auto provider = check_provider(); !provider) return provider;
    service_.reset(lib_.secret_service_open_sync(lib_.secret_service_get_type(), nullptr,
                                                 SECRET_SERVICE_OPEN_SESSION, cancellable(),
                                                 error.out()));
    if (!service_) return error_from(error.get());
    return {};
  }

  util::Result<Owned<GList>> search(const std::string& profile, const char* kind,
                                    bool load_secrets) {
    auto query = attributes(lib_, profile, kind);
    int flags = SECRET_SEARCH_ALL;
    if (load_secrets) flags |= SECRET_SEARCH_LOAD_SECRETS;  // only unlocked items: no prompt
    ErrorHolder error(lib_);
    Owned<GList> items(lib_.secret_service_search_sync(service(), &kSchema, query.get(),
                                                       static_cast<SecretSearchFlags>(flags),
                                                       cancellable(), error.out()),
                       Unref{&lib_});
    if (error) return error_from(error.get());
    return items;
  }

  // The default collection (where new items go), unlocked through the prompt when allowed.
  util::Result<Owned<SecretCollection>> unlocked_default_collection() {
    ErrorHolder error(lib_);
    Owned<SecretCollection> collection(
        lib_.secret_collection_for_alias_sync(service(), SECRET_COLLECTION_DEFAULT,
                                              SECRET_COLLECTION_NONE, cancellable(), error.out()),
        Unref{&lib_});
    if (error) return error_from(error.get());
    if (!collection) return no_collection_error();
    if (lib_.secret_collection_get_locked(collection.get())) {
      if (auto unlocked = unlock(collection.get()); !unlocked) return unlocked.error();
    }
    return collection;
  }

  // Unlocks `object` (an item or a collection) through the keyring's prompt, when allowed.
  util::Result<void> unlock(gpointer object) {
    if (!options_.allow_unlock_prompt) return locked_error();
    deadline_.restart(options_.prompt_timeout_ms);
    GList one = {object, nullptr, nullptr};
    GList* unlocked = nullptr;
    ErrorHolder error(lib_);
    gint count =
        lib_.secret_service_unlock_sync(service(), &one, cancellable(), &unlocked, error.out());
    lib_.g_list_free_full(unlocked, lib_.g_object_unref);
    deadline_.restart(options_.timeout_ms);
    if (error) return error_from(error.get());
    if (count < 1) return locked_error("the unlock prompt was dismissed");
    return {};
  }

  util::Error error_from(const GError* error) const {
    if (deadline_.expired() || is_timeout(error)) return timeout_error();
    if (error->domain == lib_.secret_error_get_quark() && error->code == SECRET_ERROR_IS_LOCKED) {
      return locked_error();
    }
    if (is_spawn_error(error)) return no_provider_error(remote_message(error));
    return util::make_error("secret_service_failed", "The Secret Service failed while " + doing_ +
                                                         ": " + remote_message(error) + ".");
  }

  util::Error timeout_error() const {
    return util::make_error(
        "secret_service_timeout",
        "The Secret Service did not answer within " +
            std::to_string((options_.timeout_ms + 999) / 1000) + " seconds while " + doing_ +
            ": check that the keyring daemon is running and not waiting at a password prompt, "
            "or " +
            std::string(kHeadless));
  }

 private:
  bool matches(const GError* error, GQuark domain, int code) const {
    return error != nullptr && error->domain == domain && error->code == code;
  }

  bool is_timeout(const GError* error) const {
    GQuark io = lib_.g_io_error_quark();
    GQuark dbus = lib_.g_dbus_error_quark();
    return matches(error, io, G_IO_ERROR_CANCELLED) || matches(error, io, G_IO_ERROR_TIMED_OUT) ||
           matches(error, dbus, G_DBUS_ERROR_TIMEOUT) ||
           matches(error, dbus, G_DBUS_ERROR_TIMED_OUT) ||
           matches(error, dbus, G_DBUS_ERROR_NO_REPLY);
  }

  // Nothing on the bus can answer for org.freedesktop.secrets, or starting it failed.
  bool is_spawn_error(const GError* error) const {
    if (error->domain != lib_.g_dbus_error_quark()) return false;
    switch (error->code) {
      case G_DBUS_ERROR_SERVICE_UNKNOWN:
      case G_DBUS_ERROR_NAME_HAS_NO_OWNER:
      case G_DBUS_ERROR_SPAWN_EXEC_FAILED:
      case G_DBUS_ERROR_SPAWN_FORK_FAILED:
      case G_DBUS_ERROR_SPAWN_CHILD_EXITED:
      case G_DBUS_ERROR_SPAWN_CHILD_SIGNALED:
      case G_DBUS_ERROR_SPAWN_FAILED:
      case G_DBUS_ERROR_SPAWN_SETUP_FAILED:
      case G_DBUS_ERROR_SPAWN_CONFIG_INVALID:
      case G_DBUS_ERROR_SPAWN_SERVICE_INVALID:
      case G_DBUS_ERROR_SPAWN_SERVICE_NOT_FOUND:
      case G_DBUS_ERROR_SPAWN_PERMISSIONS_INVALID:
      case G_DBUS_ERROR_SPAWN_FILE_INVALID:
      case G_DBUS_ERROR_SPAWN_NO_MEMORY:
        return true;
      default:
        return false;
    }
  }

  std::string remote_message(const GError* error) const {
    if (error == nullptr) return "unknown error";
    GError* copy = lib_.g_error_copy(error);
    lib_.g_dbus_error_strip_remote_error(copy);
    std::string message = copy->message != nullptr ? copy->message : "unknown error";
    lib_.g_error_free(copy);
    while (!message.empty() && (message.back() == '.' || message.back() == '\n')) {
      message.pop_back();
    }
    return message;
  }

  // Is anything there to answer? Asking the bus first turns "no keyring installed" into its own
  // sentence instead of a generic D-Bus error from deep inside libsecret.
  util::Result<void> check_provider() {
    ErrorHolder error(lib_);
    Owned<GVariant> owner(
        lib_.g_dbus_connection_call_sync(
            bus_.get(), "org.freedesktop.DBus", "/org/freedesktop/DBus", "org.freedesktop.DBus",
            "NameHasOwner", lib_.g_variant_new("(s)", kSecretsBusName), variant_type("(b)"),
            G_DBUS_CALL_FLAGS_NONE, options_.timeout_ms, cancellable(), error.out()),
        Unref{&lib_});
    if (!owner) return error_from(error.get());
    gboolean has_owner = FALSE;
    lib_.g_variant_get(owner.get(), "(b)", &has_owner);
    if (has_owner) return {};
    Owned<GVariant> names(
        lib_.g_dbus_connection_call_sync(
            bus_.get(), "org.freedesktop.DBus", "/org/freedesktop/DBus", "org.freedesktop.DBus",
            "ListActivatableNames", nullptr, variant_type("(as)"), G_DBUS_CALL_FLAGS_NONE,
            options_.timeout_ms, cancellable(), error.out()),
        Unref{&lib_});
    if (!names) return error_from(error.get());
    GVariantIter* iter = nullptr;
    const gchar* name = nullptr;
    bool activatable = false;
    lib_.g_variant_get(names.get(), "(as)", &iter);
    while (lib_.g_variant_iter_next(iter, "&s", &name)) {
      if (std::string_view(kSecretsBusName) == name) activatable = true;
    }
    lib_.g_variant_iter_free(iter);
    if (!activatable) return no_provider_error({});
    return {};
  }

  const SecretLibrary& lib_;
  const SecretServiceOptions& options_;
  Deadline deadline_;
  std::string doing_;
  Owned<GDBusConnection> bus_;
  Owned<SecretService> service_;
};

SecretItem* newest_item(const SecretLibrary& lib, GList* items) {
  SecretItem* newest = nullptr;
  for (GList* l = items; l != nullptr; l = l->next) {
    auto* item = static_cast<SecretItem*>(l->data);
    if (newest == nullptr ||
        lib.secret_item_get_modified(item) > lib.secret_item_get_modified(newest)) {
      newest = item;
    }
  }
  return newest;
}

std::string object_path(const SecretLibrary& lib, gpointer proxy) {
  const gchar* path = lib.g_dbus_proxy_get_object_path(as_proxy(proxy));
  return path != nullptr ? path : "";
}

}  // namespace

SecretServiceStore::SecretServiceStore(SecretServiceOptions options)
    : options_(std::move(options)) {}

std::string SecretServiceStore::description() const { return "Secret Service (desktop keyring)"; }

std::string SecretServiceStore::label_for(std::string_view profile) {
  return "Notion (notion-mcp, profile " + std::string(profile) + ")";
}

// Checks the bus address before anything is loaded: no session bus means no libsecret (and
// GLib would otherwise try to autolaunch a bus).
util::Result<const SecretLibrary*> SecretServiceStore::library() {
  if (options_.bus_address.empty()) return no_bus_error();
  if (options_.bus_address.rfind("autolaunch:", 0) == 0) {
    return util::make_error(
        "no_dbus_session",
        "DBUS_SESSION_BUS_ADDRESS asks to autolaunch a bus, which notion-mcp does not do: start "
        "a session bus (e.g. with dbus-run-session), or " +
            std::string(kHeadless));
  }
  if (!library_) {
    auto loaded = SecretLibrary::load(options_.libsecret);
    if (!loaded) return loaded.error();
    library_ = std::move(loaded).value();
  }
  return library_.get();
}

util::Result<std::optional<Credential>> SecretServiceStore::load(std::string_view profile_name) {
  if (auto valid = validate_profile_name(profile_name); !valid) return valid.error();
  auto loaded_library = library();
  if (!loaded_library) return loaded_library.error();
  const SecretLibrary& lib = **loaded_library;
  std::string profile(profile_name);
  Operation op(lib, options_, "reading the credential for profile " + profile);
  if (auto connected = op.connect(); !connected) return connected.error();
  auto items = op.search(profile, nullptr, /*load_secrets=*/true);
  if (!items) return items.error();
  SecretItem* item = newest_item(lib, items->get());
  if (item == nullptr) return std::optional<Credential>();
  if (lib.secret_item_get_locked(item)) {
    if (auto unlocked = op.unlock(item); !unlocked) return unlocked.error();
    ErrorHolder error(lib);
    if (!lib.secret_item_load_secret_sync(item, op.cancellable(), error.out())) {
      return op.error_from(error.get());
    }
  }
  Owned<SecretValue> value(lib.secret_item_get_secret(item), Unref{&lib});
  std::string where = "The keyring item for profile " + profile;
  if (!value) {
    return util::make_error("corrupt_credential", where + " holds no secret.",
                            "Store the credential again with `notion-mcp login`.");
  }
  gsize length = 0;
  const gchar* bytes = lib.secret_value_get(value.get(), &length);
  auto credential = credential_from_json(std::string_view(bytes, length), where);
  if (!credential) return credential.error();
  return std::optional<Credential>(std::move(credential).value());
}

util::Result<void> SecretServiceStore::check_writable(std::string_view profile_name) {
  auto loaded = load(profile_name);
  if (!loaded) return loaded.error();
  auto loaded_library = library();
  if (!loaded_library) return loaded_library.error();
  const SecretLibrary& lib = **loaded_library;
  Operation op(lib, options_, "checking the keyring for profile " + std::string(profile_name));
  if (auto connected = op.connect(); !connected) return connected;
  auto collection = op.unlocked_default_collection();
  if (!collection) return collection.error();
  return {};
}

util::Result<void> SecretServiceStore::save(std::string_view profile_name,
                                            const Credential& credential) {
  if (auto valid = validate_profile_name(profile_name); !valid) return valid;
  if (auto valid = validate_credential(credential); !valid) return valid;
  auto loaded_library = library();
  if (!loaded_library) return loaded_library.error();
  const SecretLibrary& lib = **loaded_library;
  std::string profile(profile_name);
  Operation op(lib, options_, "storing the credential for profile " + profile);
  if (auto connected = op.connect(); !connected) return connected;

  auto collection = op.unlocked_default_collection();
  if (!collection) return collection.error();
  ErrorHolder error(lib);

  const char* kind = kind_name(credential.kind).data();
  ScrubbedString json = credential_to_json(credential);
  Owned<SecretValue> value(
      lib.secret_value_new(json.data(), static_cast<gssize>(json.size()), "application/json"),
      Unref{&lib});
  auto attrs = attributes(lib, profile, kind);
  std::string label = label_for(profile);
  std::string collection_path = object_path(lib, collection->get());
  if (!lib.secret_service_store_sync(op.service(), &kSchema, attrs.get(), collection_path.c_str(),
                                     label.c_str(), value.get(), op.cancellable(), error.out())) {
    return op.error_from(error.get());
  }

  // Read back: only a credential the keyring returns intact counts as saved.
  auto stored = op.search(profile, kind, /*load_secrets=*/true);
  if (!stored) return stored.error();
  std::string verified;
  for (GList* l = stored->get(); l != nullptr && verified.empty(); l = l->next) {
    auto* item = static_cast<SecretItem*>(l->data);
    if (lib.secret_item_get_locked(item)) continue;
    Owned<SecretValue> back(lib.secret_item_get_secret(item), Unref{&lib});
    if (!back) continue;
    gsize length = 0;
    const gchar* bytes = lib.secret_value_get(back.get(), &length);
    if (length == json.size() && sodium_memcmp(bytes, json.data(), length) == 0) {
      verified = object_path(lib, item);
    }
  }
  if (verified.empty()) {
    return util::make_error(
        "keyring_not_verified",
        "The keyring accepted the credential for profile " + profile +
            " but did not return it intact when read back, so it may not be saved: try again, "
            "or store it in an encrypted file with --credentials-file.");
  }

  // The new item is safe; now drop older ones (another kind, another collection). Best effort:
  // load() prefers the newest item anyway.
  auto all = op.search(profile, nullptr, /*load_secrets=*/false);
  if (all) {
    for (GList* l = all->get(); l != nullptr; l = l->next) {
      auto* item = static_cast<SecretItem*>(l->data);
      if (object_path(lib, item) == verified || lib.secret_item_get_locked(item)) continue;
      ErrorHolder ignored(lib);
      (void)lib.secret_item_delete_sync(item, op.cancellable(), ignored.out());
    }
  }
  return {};
}

util::Result<void> SecretServiceStore::remove(std::string_view profile_name) {
  if (auto valid = validate_profile_name(profile_name); !valid) return valid;
  auto loaded_library = library();
  if (!loaded_library) return loaded_library.error();
  const SecretLibrary& lib = **loaded_library;
  std::string profile(profile_name);
  Operation op(lib, options_, "deleting the credential for profile " + profile);
  if (auto connected = op.connect(); !connected) return connected;
  auto items = op.search(profile, nullptr, /*load_secrets=*/false);
  if (!items) return items.error();
  for (GList* l = items->get(); l != nullptr; l = l->next) {
    auto* item = static_cast<SecretItem*>(l->data);
    if (lib.secret_item_get_locked(item)) {
      if (auto unlocked = op.unlock(item); !unlocked) return unlocked;
    }
    ErrorHolder error(lib);
    if (!lib.secret_item_delete_sync(item, op.cancellable(), error.out())) {
      return op.error_from(error.get());
    }
  }
  return {};
}

}  // namespace notion_mcp::keychain
