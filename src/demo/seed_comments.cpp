// Comments: a two-comment discussion on the security policy, one on onboarding, one on a
// project row and one on a block.
#include <string>

#include "demo/ids.h"
#include "demo/seed.h"
#include "demo/seed_builder.h"

namespace notion_mcp::demo {

namespace {

using namespace seed_ids;

void add(SeedBuilder& b, const Parent& parent, std::string_view discussion, int day,
         std::string_view author, std::string_view markdown) {
  Comment comment;
  comment.id = derived_id("seed/comment/" + std::to_string(b.store().comments().size()));
  comment.parent = parent;
  comment.discussion_id = derived_id("seed/discussion/" + std::string(discussion));
  comment.rich_text = b.rich(markdown);
  comment.stamps = SeedBuilder::stamps(day, day, author);
  b.store().add_comment(std::move(comment));
}

}  // namespace

void seed_comments(SeedBuilder& b) {
  const Parent security{ParentKind::kPage, std::string(kSecurityPolicyPage)};
  add(b, security, "security-keys", 240, kJonasUser,
      "Hardware keys for everyone are ordered; they arrive **next week**.");
  add(b, security, "security-keys", 241, kMayaUser,
      "Great. Can we make them mandatory for the AWS console too?");
  add(b, security, "security-review", 246, kPriyaUser, "Reviewed for the 2026 audit. Looks good.");
  add(b, Parent{ParentKind::kPage, std::string(kOnboardingPage)}, "onboarding", 230, kPriyaUser,
      "Added the laptop choice; IT asked for it.");
  add(b, Parent{ParentKind::kPage, std::string(kWebsiteRedesignRow)}, "website", 262, kMayaUser,
      "Launch moved to the end of April, see the roadmap.");
  // A comment on the first block of the engineering practices page.
  const Block* practices = b.store().block(kEngineeringPracticesPage);
  if (practices && !practices->children.empty()) {
    add(b, Parent{ParentKind::kBlock, practices->children.front()}, "practices-intro", 244,
        kJonasUser, "Should we link the security policy here?");
  }
}

}  // namespace notion_mcp::demo
