#include "demo/seed.h"

#include "demo/seed_builder.h"

namespace notion_mcp::demo {

void seed_workspace(Store& store) {
  using namespace seed_ids;
  store.set_workspace(std::string(kWorkspaceName));
  store.add_user(User{std::string(kBotUser), "Acme Demo Integration", "", "", true});
  store.add_user(User{std::string(kMayaUser), "Maya Chen",
                      "https://avatars.acme.example/maya-chen.png", "maya.chen@acme.example",
                      false});
  store.add_user(User{std::string(kJonasUser), "Jonas Weber",
                      "https://avatars.acme.example/jonas-weber.png", "jonas.weber@acme.example",
                      false});
  store.add_user(
      User{std::string(kPriyaUser), "Priya Raman", "", "priya.raman@acme.example", false});

  SeedBuilder builder(store);
  // The engineering hub comes first so that handbook pages can mention it.
  seed_product_engineering(builder);
  seed_handbook(builder);
  seed_meeting_notes(builder);
  seed_comments(builder);
}

}  // namespace notion_mcp::demo
