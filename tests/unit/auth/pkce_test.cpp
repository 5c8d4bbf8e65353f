// PKCE (RFC 7636) against the RFC's own example, and the shape and randomness of `state`.
#include "auth/pkce.h"

#include <gtest/gtest.h>
#include <sodium.h>

#include <set>

namespace notion_mcp::auth {
namespace {

class AuthPkce : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_GE(sodium_init(), 0); }
};

// RFC 7636 appendix B: these 32 octets give this verifier, whose S256 challenge is below.
TEST_F(AuthPkce, MatchesRfc7636AppendixB) {
  const uint8_t octets[32] = {116, 24,  223, 180, 151, 153, 224, 37,  79,  250, 96,
                              125, 216, 173, 187, 186, 22,  212, 37,  77,  105, 214,
                              191, 240, 91,  88,  5,   88,  83,  132, 141, 121};
  util::Secret verifier = verifier_from_bytes(octets);
  EXPECT_EQ(verifier.reveal(), "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk");
  EXPECT_EQ(s256_challenge(verifier.reveal()), "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM");
  EXPECT_TRUE(valid_verifier(verifier.reveal()));
}

TEST_F(AuthPkce, Base64UrlHasNoPaddingAndUrlSafeAlphabet) {
  const uint8_t bytes[] = {0xfb, 0xff, 0xfe};
  EXPECT_EQ(base64url(bytes), "-__-");
  const uint8_t one[] = {0xff};
  EXPECT_EQ(base64url(one), "_w");
  EXPECT_EQ(base64url({}), "");
}

TEST_F(AuthPkce, VerifiersHaveTheAskedLengthWithinLimits) {
  for (size_t length :
       {size_t{0}, size_t{43}, size_t{44}, size_t{64}, size_t{127}, size_t{128}, size_t{500}}) {
    Pkce pkce = make_pkce(length);
    size_t expected = std::clamp(length, kMinVerifierLength, kMaxVerifierLength);
    EXPECT_EQ(pkce.verifier.size(), expected) << "asked for " << length;
    EXPECT_TRUE(valid_verifier(pkce.verifier.reveal()));
    EXPECT_EQ(pkce.challenge, s256_challenge(pkce.verifier.reveal()));
    EXPECT_EQ(pkce.challenge.size(), 43u);
  }
}

TEST_F(AuthPkce, VerifiersAndStatesDoNotRepeat) {
  std::set<std::string> verifiers, states;
  for (int i = 0; i < 200; ++i) {
    verifiers.insert(std::string(make_pkce().verifier.reveal()));
    states.insert(make_state());
  }
  EXPECT_EQ(verifiers.size(), 200u);
  EXPECT_EQ(states.size(), 200u);
  EXPECT_EQ(make_state().size(), 43u);
}

TEST_F(AuthPkce, RejectsVerifiersOutsideTheGrammar) {
  EXPECT_FALSE(valid_verifier(std::string(42, 'a')));
  EXPECT_FALSE(valid_verifier(std::string(129, 'a')));
  EXPECT_TRUE(valid_verifier(std::string(43, '~')));
  EXPECT_FALSE(valid_verifier(std::string(42, 'a') + "+"));
  EXPECT_FALSE(valid_verifier(std::string(42, 'a') + "="));
}

TEST_F(AuthPkce, StateComparison) {
  std::string state = make_state();
  EXPECT_TRUE(state_matches(state, state));
  std::string other = state;
  other.back() = other.back() == 'A' ? 'B' : 'A';
  EXPECT_FALSE(state_matches(state, other));
  EXPECT_FALSE(state_matches(state, state.substr(1)));
  EXPECT_FALSE(state_matches(state, ""));
  EXPECT_FALSE(state_matches("", ""));  // an empty expected state never matches
}

}  // namespace
}  // namespace notion_mcp::auth
