// Refreshing one rotating OAuth login from several processes and threads at once, against the
// TLS fake (which kills a refresh token the moment it is used): every one of them must end up
// with a working access token, the store must always hold the live refresh token, and a dead
// login must be reported without deleting anything.
#include "auth/refresh.h"

#include <gtest/gtest.h>
#include <sodium.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <thread>

#include "auth/token_broker.h"
#include "keychain/encrypted_file.h"
#include "keychain/file_key.h"
#include "unit/auth/auth_test_support.h"

namespace notion_mcp::auth {
namespace {

using std::chrono::milliseconds;
using testing::FakeNotion;
using testing::kClientId;
using testing::kClientSecret;
using testing::TempDir;

constexpr std::string_view kSeedRefresh = "nrt_authC4n4rySeedRefreshToken0123456789abcdef";

// A store whose saves can be made to fail, around a real encrypted file.
class FlakyStore : public keychain::CredentialStore {
 public:
  explicit FlakyStore(keychain::CredentialStore& inner) : inner_(inner) {}
  std::string description() const override { return "flaky " + inner_.description(); }
  bool writable() const override { return true; }
  util::Result<std::optional<keychain::Credential>> load(std::string_view profile) override {
    return inner_.load(profile);
  }
  util::Result<void> save(std::string_view profile, const keychain::Credential& c) override {
    if (fail_saves) return util::make_error("store_failed", "the disk is full");
    return inner_.save(profile, c);
  }
  util::Result<void> remove(std::string_view profile) override { return inner_.remove(profile); }
  bool fail_saves = false;

 private:
  keychain::CredentialStore& inner_;
};

class AuthRefresh : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_GE(sodium_init(), 0);
    std::string error;
    fake_ = FakeNotion::start(&error);
    if (!fake_) GTEST_SKIP() << error;
    ASSERT_FALSE(fake_
                     ->oauth({{"client_id", kClientId},
                              {"client_secret", kClientSecret},
                              {"seed_refresh_token", kSeedRefresh}})
                     .is_null());
    key_text_ = keychain::FileKey::generate().to_text();
    file_ = dir_.path() + "/creds/credentials.bin";
    lock_dir_ = dir_.path() + "/run/notion-mcp";
    keychain::Credential login;
    login.kind = keychain::CredentialKind::oauth;
    login.refresh_token = util::Secret(kSeedRefresh);
    login.client_id = std::string(kClientId);
    login.client_secret = util::Secret(kClientSecret);
    login.workspace_name = "Before";
    auto store = file_store();
    ASSERT_TRUE(store.save("default", login));
  }

  keychain::EncryptedFileStore file_store() const {
    keychain::KeySources keys;
    keys.key_text = key_text_;
    return keychain::EncryptedFileStore(file_, keys);
  }

  // A context whose refresh call talks to the fake through its own libcurl transport.
  RefreshContext context(keychain::CredentialStore& store,
                         std::shared_ptr<BlockingNotion>& notion) const {
    if (!notion) notion = std::move(BlockingNotion::create(fake_->endpoint()).value());
    RefreshContext c;
    c.store = &store;
    c.lock_dir = lock_dir_;
    c.lock_timeout = milliseconds(30000);
    auto client = notion;
    c.call = [client](const ClientCredentials& who, const util::Secret& token) {
      return client->refresh(who, token);
    };
    return c;
  }

  util::Secret stored_refresh_token() const {
    auto store = file_store();
    auto loaded = store.load("default");
    return loaded && loaded->has_value() ? (*loaded)->refresh_token : util::Secret();
  }

  std::unique_ptr<FakeNotion> fake_;
  TempDir dir_;
  util::Secret key_text_;
  std::string file_;
  std::string lock_dir_;
};

TEST(AuthRefreshLock, LockDirectoryFollowsXdg) {
  EXPECT_EQ(lock_directory("/run/user/1000", "/home/a/.local/state", "/home/a"),
            "/run/user/1000/notion-mcp");
  EXPECT_EQ(lock_directory("", "/home/a/.state", "/home/a"), "/home/a/.state/notion-mcp");
  EXPECT_EQ(lock_directory("relative", "", "/home/a"), "/home/a/.local/state/notion-mcp");
  EXPECT_EQ(lock_directory("", "", ""), "/tmp/notion-mcp-" + std::to_string(::geteuid()));
}

TEST(AuthRefreshLock, ExcludesOtherProcessesUntilReleased) {
  TempDir dir;
  std::string lock_dir = dir.path() + "/a/b/notion-mcp";
  auto held = RefreshLock::acquire(lock_dir, "default", milliseconds(1000));
  ASSERT_TRUE(held) << held.error().message;
  struct stat st {};
  ASSERT_EQ(::stat(lock_dir.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0700u);
  ASSERT_EQ(::stat(held->path().c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);

  auto child_result = [&](int timeout_ms) {
    pid_t pid = ::fork();
    if (pid == 0) {
      auto lock = RefreshLock::acquire(lock_dir, "default", milliseconds(timeout_ms));
      ::_exit(lock ? 0 : (lock.error().code == "lock_timeout" ? 3 : 4));
    }
    int status = 0;
    ::waitpid(pid, &status, 0);
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  };
  EXPECT_EQ(child_result(200), 3);  // held by us
  // Another profile has its own lock.
  EXPECT_TRUE(RefreshLock::acquire(lock_dir, "work", milliseconds(200)));
  // Even another descriptor in this process waits (flock is per open file).
  EXPECT_FALSE(RefreshLock::acquire(lock_dir, "default", milliseconds(100)));
  held = util::make_error("released", "");
  EXPECT_EQ(child_result(200), 0);
}

TEST(AuthRefreshLock, RefusesADirectoryOthersMayWrite) {
  TempDir dir;
  std::string lock_dir = dir.path() + "/open";
  ASSERT_EQ(::mkdir(lock_dir.c_str(), 0777), 0);
  ASSERT_EQ(::chmod(lock_dir.c_str(), 0777), 0);
  auto lock = RefreshLock::acquire(lock_dir, "default", milliseconds(100));
  ASSERT_FALSE(lock);
  EXPECT_NE(lock.error().hint.find("chmod 700"), std::string::npos);
}

TEST_F(AuthRefresh, RotatesAndPersistsBeforeReleasing) {
  auto store = file_store();
  std::shared_ptr<BlockingNotion> notion;
  auto outcome = refresh_locked(context(store, notion));
  ASSERT_TRUE(outcome) << outcome.error().message;
  EXPECT_TRUE(outcome->warning.empty());
  EXPECT_TRUE(notion->users_me(outcome->access_token));
  util::Secret stored = stored_refresh_token();
  EXPECT_FALSE(stored == util::Secret(kSeedRefresh));
  EXPECT_TRUE(stored == outcome->credential.refresh_token);
  EXPECT_EQ(outcome->credential.workspace_name, "Fake OAuth Workspace");
  // What is stored is what the fake considers live: refreshing again works.
  EXPECT_TRUE(refresh_locked(context(store, notion)));
  EXPECT_EQ(fake_->oauth_counters()["refreshes"], 2);
}

TEST_F(AuthRefresh, FourProcessesAndTwoThreadsAllGetAWorkingToken) {
  constexpr int kProcesses = 4;
  std::vector<pid_t> children;
  for (int i = 0; i < kProcesses; ++i) {
    pid_t pid = ::fork();
    if (pid == 0) {
      // Each process has its own store object, transport and lock descriptor.
      auto store = file_store();
      std::shared_ptr<BlockingNotion> notion;
      auto outcome = refresh_locked(context(store, notion));
      if (!outcome) ::_exit(10);
      ::_exit(notion->users_me(outcome->access_token) ? 0 : 11);
    }
    children.push_back(pid);
  }
  std::atomic<int> thread_successes{0};
  std::vector<std::thread> threads;
  for (int i = 0; i < 2; ++i) {
    threads.emplace_back([&] {
      auto store = file_store();
      std::shared_ptr<BlockingNotion> notion;
      auto outcome = refresh_locked(context(store, notion));
      if (outcome && notion->users_me(outcome->access_token)) ++thread_successes;
    });
  }
  for (auto& thread : threads) thread.join();
  for (pid_t pid : children) {
    int status = 0;
    ASSERT_EQ(::waitpid(pid, &status, 0), pid);
    EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << "status " << status;
  }
  EXPECT_EQ(thread_successes.load(), 2);
  util::Json counters = fake_->oauth_counters();
  EXPECT_EQ(counters["refreshes"], kProcesses + 2);
  EXPECT_EQ(counters["refresh_failures"], 0);
  EXPECT_EQ(counters["live_refresh_tokens"], 1);  // the stored one
}

TEST_F(AuthRefresh, ADeadLoginIsReportedAndNothingIsDeleted) {
  auto store = file_store();
  std::shared_ptr<BlockingNotion> notion;
  ASSERT_FALSE(fake_->oauth({{"revoke_all", true}}).is_null());
  auto outcome = refresh_locked(context(store, notion));
  ASSERT_FALSE(outcome);
  EXPECT_EQ(outcome.error().code, "invalid_grant");
  EXPECT_NE(outcome.error().hint.find("Run `notion-mcp login` again"), std::string::npos);
  EXPECT_EQ(outcome.error().message.find(kSeedRefresh), std::string::npos);
  EXPECT_TRUE(stored_refresh_token() == util::Secret(kSeedRefresh));
}

TEST_F(AuthRefresh, AStoredIntegrationTokenIsUsedAsIs) {
  auto store = file_store();
  keychain::Credential token;
  token.kind = keychain::CredentialKind::integration_token;
  token.token = util::Secret("ntn_authIntegrationToken0123456789abcdefghijk");
  ASSERT_TRUE(store.save("default", token));
  RefreshContext c;
  c.store = &store;
  c.lock_dir = lock_dir_;
  int calls = 0;
  c.call = [&](const ClientCredentials&, const util::Secret&) -> util::Result<OAuthTokens> {
    ++calls;
    return util::make_error("unexpected", "no refresh for a static token");
  };
  auto outcome = refresh_locked(c);
  ASSERT_TRUE(outcome);
  EXPECT_TRUE(outcome->access_token == token.token);
  EXPECT_EQ(calls, 0);
}

TEST_F(AuthRefresh, ARotatedTokenThatCannotBeSavedIsKeptInMemory) {
  auto file = file_store();
  FlakyStore flaky(file);
  flaky.fail_saves = true;
  std::shared_ptr<BlockingNotion> notion;
  auto first = refresh_locked(context(flaky, notion));
  ASSERT_TRUE(first) << first.error().message;
  EXPECT_NE(first->warning.find("could not be saved"), std::string::npos);
  EXPECT_NE(first->warning.find("notion-mcp login"), std::string::npos);
  EXPECT_TRUE(notion->users_me(first->access_token));
  // The store still has the dead seed; the caller's in-memory credential is the live one.
  EXPECT_TRUE(stored_refresh_token() == util::Secret(kSeedRefresh));
  flaky.fail_saves = false;
  auto second = refresh_locked(context(flaky, notion), &first->credential, /*unsaved=*/true);
  ASSERT_TRUE(second) << second.error().message;
  EXPECT_TRUE(second->warning.empty());
  EXPECT_TRUE(stored_refresh_token() == second->credential.refresh_token);
}

// The rotated token could not be saved, and then the person logged in again: the new login in
// the store wins over the older one this process kept in memory, and is not overwritten.
TEST_F(AuthRefresh, ANewLoginSavedAfterAFailedSaveIsNotOverwritten) {
  auto file = file_store();
  FlakyStore flaky(file);
  flaky.fail_saves = true;
  std::shared_ptr<BlockingNotion> notion;
  auto first = refresh_locked(context(flaky, notion));
  ASSERT_TRUE(first) << first.error().message;
  ASSERT_FALSE(first->warning.empty());
  EXPECT_TRUE(first->stale_stored == util::Secret(kSeedRefresh));

  // `notion-mcp login` again: a new grant, saved by another process.
  std::string fresh = "authFreshLogin" + std::to_string(::getpid()) + "abcdefghijklmnop";
  ASSERT_FALSE(fake_->oauth({{"seed_refresh_token", fresh}}).is_null());
  keychain::Credential login = *file.load("default").value();
  login.refresh_token = util::Secret(fresh);
  ASSERT_TRUE(file.save("default", login));

  flaky.fail_saves = false;
  util::Secret used;
  RefreshContext c = context(flaky, notion);
  auto inner = c.call;
  c.call = [&](const ClientCredentials& client, const util::Secret& refresh) {
    used = refresh;
    return inner(client, refresh);
  };
  auto second = refresh_locked(c, &first->credential, /*unsaved=*/true, &first->stale_stored);
  ASSERT_TRUE(second) << second.error().message;
  EXPECT_TRUE(used == util::Secret(fresh)) << "refreshed with the old in-memory login";
  EXPECT_TRUE(stored_refresh_token() == second->credential.refresh_token);
  EXPECT_FALSE(second->credential.refresh_token == first->credential.refresh_token);
}

TEST_F(AuthRefresh, TokenBrokerRenewsOncePerGeneration) {
  std::shared_ptr<BlockingNotion> notion;
  auto store = std::make_unique<keychain::EncryptedFileStore>(file_store());
  keychain::Credential credential = *store->load("default").value();
  RefreshContext c = context(*store, notion);
  TokenBroker broker(std::move(store), std::move(credential), c);
  EXPECT_TRUE(broker.is_oauth());
  ASSERT_TRUE(broker.start());
  auto first = broker.token();
  ASSERT_TRUE(first);
  EXPECT_EQ(first->generation, 1u);
  EXPECT_TRUE(notion->users_me(first->token));

  ASSERT_FALSE(fake_->oauth({{"expire_access_tokens", true}}).is_null());
  auto renewed = broker.rejected(first->generation);
  ASSERT_TRUE(renewed) << renewed.error().message;
  EXPECT_EQ(renewed->generation, 2u);
  EXPECT_TRUE(notion->users_me(renewed->token));
  // A late report about the old token gets the current one, without another refresh.
  int before = fake_->oauth_counters()["refreshes"];
  auto late = broker.rejected(first->generation);
  ASSERT_TRUE(late);
  EXPECT_EQ(late->generation, 2u);
  EXPECT_EQ(fake_->oauth_counters()["refreshes"], before);
  // The fresh token refused at once: no second refresh, a clear error instead.
  auto again = broker.rejected(renewed->generation);
  ASSERT_FALSE(again);
  EXPECT_NE(again.error().hint.find("notion-mcp login"), std::string::npos);
  EXPECT_EQ(fake_->oauth_counters()["refreshes"], before);
}

TEST_F(AuthRefresh, TokenBrokerRetriesAFirstRefreshThatFailedForAPassingReason) {
  std::shared_ptr<BlockingNotion> notion;
  auto store = std::make_unique<keychain::EncryptedFileStore>(file_store());
  keychain::Credential credential = *store->load("default").value();
  RefreshContext c = context(*store, notion);
  c.retry_spacing = milliseconds(200);
  TokenBroker broker(std::move(store), std::move(credential), c);
  // Notion is down (503 on the token endpoint) when the server starts.
  auto down = testing::http_call("POST", fake_->base_url + "/__fake/config", fake_->ca_file,
                                 R"({"server_error_every":1,"server_error_status":503})");
  ASSERT_EQ(down.status, 200) << down.body;
  auto started = broker.start();
  ASSERT_FALSE(started);
  EXPECT_EQ(started.error().code, "service_unavailable");
  ASSERT_FALSE(broker.token());  // too soon for another try
  auto up = testing::http_call("POST", fake_->base_url + "/__fake/config", fake_->ca_file,
                               R"({"reset":true})");
  ASSERT_EQ(up.status, 200) << up.body;
  std::this_thread::sleep_for(milliseconds(250));
  auto token = broker.token();
  ASSERT_TRUE(token) << token.error().message;
  EXPECT_TRUE(notion->users_me(token->token));
  // A dead login is not retried.
  ASSERT_FALSE(fake_->oauth({{"revoke_all", true}}).is_null());
  ASSERT_FALSE(broker.rejected(token->generation));
  std::this_thread::sleep_for(milliseconds(250));
  int refreshes = fake_->oauth_counters()["refresh_failures"];
  EXPECT_TRUE(broker.token());  // the current token is still handed out; nothing is retried
  EXPECT_EQ(fake_->oauth_counters()["refresh_failures"], refreshes);
}

TEST(AuthTokenBroker, StaticAndMissingCredentials) {
  keychain::Credential token;
  token.kind = keychain::CredentialKind::integration_token;
  token.token = util::Secret("ntn_authStaticToken0123456789abcdefghijklmnopq");
  // A read-only store (the environment): a rejection cannot be helped.
  class ReadOnly : public keychain::CredentialStore {
   public:
    std::string description() const override { return "environment variable NOTION_TOKEN"; }
    bool writable() const override { return false; }
    util::Result<std::optional<keychain::Credential>> load(std::string_view) override {
      return std::optional<keychain::Credential>();
    }
    util::Result<void> save(std::string_view, const keychain::Credential&) override {
      return util::make_error("read_only", "read-only");
    }
    util::Result<void> remove(std::string_view) override { return {}; }
  };
  TokenBroker broker(std::make_unique<ReadOnly>(), token, RefreshContext{});
  ASSERT_TRUE(broker.start());
  auto current = broker.token();
  ASSERT_TRUE(current);
  EXPECT_TRUE(current->token == token.token);
  auto rejected = broker.rejected(current->generation);
  ASSERT_FALSE(rejected);
  EXPECT_NE(rejected.error().hint.find("login --token"), std::string::npos);

  auto none = TokenBroker::without_credential(
      util::make_error("unauthorized", "No Notion credentials for profile default."));
  EXPECT_FALSE(none.start());
  ASSERT_FALSE(none.token());
  EXPECT_NE(none.token().error().message.find("No Notion credentials"), std::string::npos);
  EXPECT_FALSE(none.rejected(1));
}

}  // namespace
}  // namespace notion_mcp::auth
