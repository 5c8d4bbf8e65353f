// The Secret Service store against a real gnome-keyring. run_keychain_test.sh starts each
// scenario in its own private D-Bus session with a throwaway HOME and sets
// NOTION_MCP_KEYCHAIN_TEST_MODE; a test whose scenario is not the current one skips, so the
// binary run on its own touches nothing.
#include <gtest/gtest.h>
#include <libsecret/secret.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <string>

#include "keychain/resolve.h"
#include "keychain/secret_service.h"
#include "unit/keychain/keychain_test_support.h"

namespace notion_mcp::keychain {
namespace {

using testing::contains;
using testing::kCanaryToken;
using Clock = std::chrono::steady_clock;

constexpr const char* kLoginCollection = "/org/freedesktop/secrets/collection/login";

std::string env(const char* name) {
  const char* value = std::getenv(name);
  return value != nullptr ? value : "";
}

bool in_mode(std::string_view mode) { return env("NOTION_MCP_KEYCHAIN_TEST_MODE") == mode; }

#define REQUIRE_MODE(mode)                                                   \
  if (!in_mode(mode)) {                                                      \
    GTEST_SKIP() << "runs inside run_keychain_test.sh, scenario " << (mode); \
  }

SecretServiceOptions options(int timeout_ms = 10000) {
  SecretServiceOptions o;
  o.bus_address = env("DBUS_SESSION_BUS_ADDRESS");
  o.timeout_ms = timeout_ms;
  return o;
}

// --- direct D-Bus / libsecret access, to check what the store did ----------------------------

GDBusConnection* session_bus() {
  GError* error = nullptr;
  GDBusConnection* bus = g_bus_get_sync(G_BUS_TYPE_SESSION, nullptr, &error);
  if (bus == nullptr) {
    ADD_FAILURE() << "no session bus: " << error->message;
    g_error_free(error);
    return nullptr;
  }
  g_dbus_connection_set_exit_on_close(bus, FALSE);
  return bus;
}

GVariant* call(GDBusConnection* bus, const char* path, const char* interface, const char* method,
               GVariant* args, const char* reply_type) {
  GError* error = nullptr;
  GVariant* reply =
      g_dbus_connection_call_sync(bus, "org.freedesktop.secrets", path, interface, method, args,
                                  reply_type ? G_VARIANT_TYPE(reply_type) : nullptr,
                                  G_DBUS_CALL_FLAGS_NO_AUTO_START, 5000, nullptr, &error);
  if (reply == nullptr) {
    ADD_FAILURE() << method << " failed: " << error->message;
    g_error_free(error);
  }
  return reply;
}

bool has_owner(GDBusConnection* bus) {
  GVariant* reply = g_dbus_connection_call_sync(
      bus, "org.freedesktop.DBus", "/org/freedesktop/DBus", "org.freedesktop.DBus", "NameHasOwner",
      g_variant_new("(s)", "org.freedesktop.secrets"), G_VARIANT_TYPE("(b)"),
      G_DBUS_CALL_FLAGS_NONE, 2000, nullptr, nullptr);
  if (reply == nullptr) return false;
  gboolean owned = FALSE;
  g_variant_get(reply, "(b)", &owned);
  g_variant_unref(reply);
  return owned;
}

bool collection_locked(GDBusConnection* bus, const char* path) {
  GVariant* reply =
      call(bus, path, "org.freedesktop.DBus.Properties", "Get",
           g_variant_new("(ss)", "org.freedesktop.Secret.Collection", "Locked"), "(v)");
  if (reply == nullptr) return false;
  GVariant* value = nullptr;
  g_variant_get(reply, "(v)", &value);
  bool locked = g_variant_get_boolean(value);
  g_variant_unref(value);
  g_variant_unref(reply);
  return locked;
}

// Items of a profile as libsecret sees them (without our store): label, attributes, secret.
struct SeenItem {
  std::string label;
  std::string kind;
  std::string schema;
  bool locked = false;
};

std::vector<SeenItem> items_of(std::string_view profile) {
  std::vector<SeenItem> seen;
  GError* error = nullptr;
  SecretService* service = secret_service_get_sync(SECRET_SERVICE_OPEN_SESSION, nullptr, &error);
  if (service == nullptr) {
    ADD_FAILURE() << error->message;
    g_error_free(error);
    return seen;
  }
  GHashTable* query = g_hash_table_new(g_str_hash, g_str_equal);
  std::string name(profile);
  g_hash_table_insert(query, const_cast<char*>("profile"), name.data());
  GList* items =
      secret_service_search_sync(service, nullptr, query, SECRET_SEARCH_ALL, nullptr, &error);
  g_hash_table_unref(query);
  if (error != nullptr) {
    ADD_FAILURE() << error->message;
    g_error_free(error);
  }
  for (GList* l = items; l != nullptr; l = l->next) {
    auto* item = static_cast<SecretItem*>(l->data);
    SeenItem s;
    gchar* label = secret_item_get_label(item);
    s.label = label != nullptr ? label : "";
    g_free(label);
    GHashTable* attrs = secret_item_get_attributes(item);
    auto text = [&](const char* key) {
      auto* value = static_cast<const char*>(g_hash_table_lookup(attrs, key));
      return std::string(value != nullptr ? value : "");
    };
    s.kind = text("kind");
    s.schema = text("xdg:schema");
    g_hash_table_unref(attrs);
    s.locked = secret_item_get_locked(item);
    seen.push_back(s);
  }
  g_list_free_full(items, g_object_unref);
  g_object_unref(service);
  return seen;
}

// Waits (bounded) until gnome-keyring owns its name and has an unlocked default collection.
void expect_unlocked_keyring() {
  GDBusConnection* bus = session_bus();
  ASSERT_NE(bus, nullptr);
  bool owned = false;
  for (int i = 0; i < 100 && !owned; ++i) {
    owned = has_owner(bus);
    if (!owned) g_usleep(50 * 1000);
  }
  ASSERT_TRUE(owned) << "gnome-keyring-daemon did not appear on the session bus";
  GVariant* alias = call(bus, "/org/freedesktop/secrets", "org.freedesktop.Secret.Service",
                         "ReadAlias", g_variant_new("(s)", "default"), "(o)");
  ASSERT_NE(alias, nullptr);
  const gchar* path = nullptr;
  g_variant_get(alias, "(&o)", &path);
  EXPECT_STREQ(path, kLoginCollection) << "the unlocked login collection should be the default";
  EXPECT_FALSE(collection_locked(bus, kLoginCollection)) << "the login collection is locked";
  g_variant_unref(alias);
  g_object_unref(bus);
}

// --- an unlocked keyring -------------------------------------------------------------------

class KeychainKeyring : public ::testing::Test {
 protected:
  void SetUp() override {
    REQUIRE_MODE("keyring");
    expect_unlocked_keyring();
  }
  SecretServiceStore store_{options()};
};

TEST_F(KeychainKeyring, StoreReadReplaceDelete) {
  auto nothing = store_.load("default");
  ASSERT_TRUE(nothing.ok()) << nothing.error().message;
  EXPECT_FALSE(nothing->has_value());

  ASSERT_TRUE(store_.save("default", testing::token_credential()).ok());
  auto loaded = store_.load("default");
  ASSERT_TRUE(loaded.ok()) << loaded.error().message;
  ASSERT_TRUE(loaded->has_value());
  EXPECT_TRUE(testing::same_credential(**loaded, testing::token_credential()));

  auto replaced = store_.save("default", testing::token_credential("ntn_c4n4ryReplaced012345678"));
  ASSERT_TRUE(replaced.ok()) << replaced.error().message;
  auto reloaded = store_.load("default");
  ASSERT_TRUE(reloaded.ok() && reloaded->has_value());
  EXPECT_TRUE((*reloaded)->token == util::Secret("ntn_c4n4ryReplaced012345678"));
  EXPECT_EQ(items_of("default").size(), 1u) << "replacing must not leave a second item";

  ASSERT_TRUE(store_.remove("default").ok());
  auto removed = store_.load("default");
  ASSERT_TRUE(removed.ok());
  EXPECT_FALSE(removed->has_value());
  EXPECT_TRUE(items_of("default").empty());
  EXPECT_TRUE(store_.remove("default").ok()) << "deleting nothing is not an error";
}

TEST_F(KeychainKeyring, SeveralProfilesAreSeparateItems) {
  ASSERT_TRUE(store_.save("home", testing::token_credential()).ok());
  ASSERT_TRUE(store_.save("work", testing::oauth_credential()).ok());
  auto home = store_.load("home");
  auto work = store_.load("work");
  ASSERT_TRUE(home.ok() && home->has_value());
  ASSERT_TRUE(work.ok() && work->has_value());
  EXPECT_TRUE(testing::same_credential(**home, testing::token_credential()));
  EXPECT_TRUE(testing::same_credential(**work, testing::oauth_credential()));
  ASSERT_TRUE(store_.remove("home").ok());
  auto still = store_.load("work");
  ASSERT_TRUE(still.ok());
  EXPECT_TRUE(still->has_value());
}

TEST_F(KeychainKeyring, ChangingKindReplacesTheItem) {
  ASSERT_TRUE(store_.save("switch", testing::token_credential()).ok());
  ASSERT_TRUE(store_.save("switch", testing::oauth_credential()).ok());
  auto loaded = store_.load("switch");
  ASSERT_TRUE(loaded.ok() && loaded->has_value());
  EXPECT_EQ((*loaded)->kind, CredentialKind::oauth);
  auto seen = items_of("switch");
  ASSERT_EQ(seen.size(), 1u) << "the integration-token item should be gone";
  EXPECT_EQ(seen[0].kind, "oauth");
}

TEST_F(KeychainKeyring, ItemHasOurSchemaAndAReadableLabel) {
  ASSERT_TRUE(store_.save("labelled", testing::token_credential()).ok());
  auto seen = items_of("labelled");
  ASSERT_EQ(seen.size(), 1u);
  EXPECT_EQ(seen[0].label, "Notion (notion-mcp, profile labelled)");
  EXPECT_EQ(seen[0].schema, "org.notion-mcp.Credential");
  EXPECT_EQ(seen[0].kind, "integration_token");
}

TEST_F(KeychainKeyring, DamagedItemIsASentence) {
  // Another program wrote something that is not our JSON under our schema.
  GError* error = nullptr;
  GHashTable* attrs = g_hash_table_new(g_str_hash, g_str_equal);
  g_hash_table_insert(attrs, const_cast<char*>("profile"), const_cast<char*>("broken"));
  g_hash_table_insert(attrs, const_cast<char*>("kind"), const_cast<char*>("integration_token"));
  g_hash_table_insert(attrs, const_cast<char*>("xdg:schema"),
                      const_cast<char*>("org.notion-mcp.Credential"));
  ASSERT_TRUE(secret_password_storev_sync(nullptr, attrs, SECRET_COLLECTION_DEFAULT, "broken",
                                          "not json", nullptr, &error))
      << (error ? error->message : "");
  g_hash_table_unref(attrs);
  auto loaded = store_.load("broken");
  ASSERT_FALSE(loaded.ok());
  EXPECT_EQ(loaded.error().code, "corrupt_credential");
  EXPECT_TRUE(contains(loaded.error().message, "The keyring item for profile broken"))
      << loaded.error().message;
  // Saving over it repairs the profile.
  ASSERT_TRUE(store_.save("broken", testing::token_credential()).ok());
  EXPECT_TRUE(store_.load("broken").ok());
}

TEST_F(KeychainKeyring, ResolutionFindsTheKeyring) {
  ASSERT_TRUE(store_.save("resolved", testing::oauth_credential()).ok());
  Settings settings = settings_from_environment([](const char* name) { return std::getenv(name); });
  settings.profile = "resolved";
  ASSERT_TRUE(settings.notion_token.empty());
  auto resolution = resolve(settings);
  ASSERT_TRUE(resolution.ok()) << resolution.error().message;
  ASSERT_TRUE(resolution->found()) << resolution->not_found_error().message;
  EXPECT_EQ(resolution->store->description(), "Secret Service (desktop keyring)");
  EXPECT_TRUE(testing::same_credential(*resolution->credential, testing::oauth_credential()));
}

// --- a locked collection -------------------------------------------------------------------

TEST(KeychainKeyringLocked, LockedCollectionIsASentenceNotAPrompt) {
  REQUIRE_MODE("locked");
  expect_unlocked_keyring();
  SecretServiceStore store(options(5000));
  ASSERT_TRUE(store.save("default", testing::token_credential()).ok());
  auto ready = store.check_writable("nothing-here");
  EXPECT_TRUE(ready.ok()) << ready.error().message;

  GDBusConnection* bus = session_bus();
  ASSERT_NE(bus, nullptr);
  const gchar* paths[] = {kLoginCollection, nullptr};
  GVariant* locked = call(bus, "/org/freedesktop/secrets", "org.freedesktop.Secret.Service", "Lock",
                          g_variant_new("(^ao)", paths), "(aoo)");
  ASSERT_NE(locked, nullptr);
  g_variant_unref(locked);
  ASSERT_TRUE(collection_locked(bus, kLoginCollection));
  g_object_unref(bus);

  auto start = Clock::now();
  auto loaded = store.load("default");
  auto saved = store.save("default", testing::oauth_credential());
  auto removed = store.remove("default");
  EXPECT_LT(Clock::now() - start, std::chrono::seconds(5));
  for (const util::Result<void>* result : {&saved, &removed}) {
    ASSERT_FALSE(result->ok());
    EXPECT_EQ(result->error().code, "keyring_locked") << result->error().message;
  }
  ASSERT_FALSE(loaded.ok());
  EXPECT_EQ(loaded.error().code, "keyring_locked");
  EXPECT_TRUE(contains(loaded.error().message, "The keyring is locked: unlock it"))
      << loaded.error().message;
  EXPECT_TRUE(contains(loaded.error().message, "NOTION_TOKEN"));

  // A profile with nothing stored yet: a login must still learn before the browser opens
  // that it could not save there.
  start = Clock::now();
  auto writable = store.check_writable("nothing-here");
  EXPECT_LT(Clock::now() - start, std::chrono::seconds(5));
  ASSERT_FALSE(writable.ok());
  EXPECT_EQ(writable.error().code, "keyring_locked") << writable.error().message;

  // Allowed to prompt but no prompter can run here (no display): still an answer in bounded
  // time, and the credential is not returned.
  SecretServiceOptions prompting = options(5000);
  prompting.allow_unlock_prompt = true;
  prompting.prompt_timeout_ms = 5000;
  start = Clock::now();
  auto prompted = SecretServiceStore(prompting).load("default");
  EXPECT_LT(Clock::now() - start, std::chrono::seconds(12));
  EXPECT_FALSE(prompted.ok());
}

// --- a session bus without any Secret Service ------------------------------------------------

TEST(KeychainNoProvider, EveryOperationSaysSoQuickly) {
  REQUIRE_MODE("no-provider");
  SecretServiceStore store(options(5000));
  auto start = Clock::now();
  auto loaded = store.load("default");
  auto saved = store.save("default", testing::token_credential());
  auto removed = store.remove("default");
  EXPECT_LT(Clock::now() - start, std::chrono::seconds(3));
  for (const util::Error* error : {&loaded.error(), &saved.error(), &removed.error()}) {
    EXPECT_EQ(error->code, "no_secret_service") << error->message;
    EXPECT_TRUE(contains(error->message, "No Secret Service provider")) << error->message;
    EXPECT_TRUE(contains(error->message, "org.freedesktop.secrets"));
    EXPECT_TRUE(contains(error->message, "gnome-keyring"));
  }
}

// --- no bus at all, or one that never answers ---------------------------------------------

TEST(KeychainNoBus, NoSessionBus) {
  REQUIRE_MODE("no-bus");
  ASSERT_TRUE(env("DBUS_SESSION_BUS_ADDRESS").empty());
  Settings settings = settings_from_environment([](const char* name) { return std::getenv(name); });
  auto resolution = resolve(settings);
  ASSERT_TRUE(resolution.ok());
  EXPECT_FALSE(resolution->found());
  util::Error error = resolution->not_found_error();
  EXPECT_EQ(error.code, "no_dbus_session");
  EXPECT_TRUE(contains(error.message, "No D-Bus session")) << error.message;
  EXPECT_TRUE(contains(error.message,
                       "on a headless machine use NOTION_TOKEN or an encrypted "
                       "credentials file, see `notion-mcp credentials export`"));
  EXPECT_FALSE(SecretServiceStore(options()).save("default", testing::token_credential()).ok());
}

TEST(KeychainNoBus, BusAddressThatDoesNotExist) {
  REQUIRE_MODE("no-bus");
  std::string address = "unix:path=" + env("XDG_RUNTIME_DIR") + "/no-such-bus";
  ASSERT_EQ(::setenv("DBUS_SESSION_BUS_ADDRESS", address.c_str(), 1), 0);
  auto loaded = SecretServiceStore(options(3000)).load("default");
  ::unsetenv("DBUS_SESSION_BUS_ADDRESS");
  ASSERT_FALSE(loaded.ok());
  EXPECT_EQ(loaded.error().code, "no_dbus_session");
  EXPECT_TRUE(contains(loaded.error().message, "Cannot connect to the D-Bus session bus"))
      << loaded.error().message;
}

TEST(KeychainSilentBus, ABusThatNeverAnswersTimesOut) {
  REQUIRE_MODE("silent-bus");
  // A socket that accepts connections and never says a word.
  std::string path = env("XDG_RUNTIME_DIR") + "/silent-bus";
  int listener = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  ASSERT_GE(listener, 0);
  sockaddr_un addr{};
  addr.sun_family = AF_UNIX;
  ASSERT_LT(path.size(), sizeof addr.sun_path);
  std::copy(path.begin(), path.end(), addr.sun_path);
  ASSERT_EQ(::bind(listener, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
  ASSERT_EQ(::listen(listener, 8), 0);
  std::string address = "unix:path=" + path;
  ASSERT_EQ(::setenv("DBUS_SESSION_BUS_ADDRESS", address.c_str(), 1), 0);

  auto start = Clock::now();
  auto loaded = SecretServiceStore(options(1500)).load("default");
  auto elapsed = Clock::now() - start;
  ::close(listener);
  EXPECT_LT(elapsed, std::chrono::seconds(5));
  EXPECT_GE(elapsed, std::chrono::milliseconds(1400));
  ASSERT_FALSE(loaded.ok());
  EXPECT_EQ(loaded.error().code, "secret_service_timeout") << loaded.error().message;
  EXPECT_TRUE(contains(loaded.error().message, "did not answer within 2 seconds"))
      << loaded.error().message;
}

TEST(KeychainCanary, NeverPrinted) {
  // Guards the guard: the value the run script searches for is in every canary.
  EXPECT_TRUE(contains(kCanaryToken, "c4n4ry"));
}

}  // namespace
}  // namespace notion_mcp::keychain
