// The seeded demo workspace "Acme Inc. (demo)": a handbook, an engineering hub with two
// databases (Projects, Tasks), a long meeting-notes archive, comments and four users. Ids and
// times are fixed, so tests and examples can name objects directly.
#pragma once

#include <string_view>

#include "demo/store.h"

namespace notion_mcp::demo {

namespace seed_ids {
inline constexpr std::string_view kWorkspaceName = "Acme Inc. (demo)";

inline constexpr std::string_view kBotUser = "7a3c1e5d-2b4f-4c8a-9e61-0d5b8f2a4c17";
inline constexpr std::string_view kMayaUser = "4f8e2d1a-6c3b-4e7f-8a92-1b5d7c3e9f04";
inline constexpr std::string_view kJonasUser = "9c2a5e7b-1d4f-4a8c-b3e6-5f0d2a8c7e91";
inline constexpr std::string_view kPriyaUser = "2e6b9d4c-8a1f-4c3e-a7d5-6b0e4f9c2a83";

inline constexpr std::string_view kHandbookPage = "1f3a5c7e-9b2d-4e6f-8a0c-2d4e6f8a0b1c";
inline constexpr std::string_view kOnboardingPage = "2a4c6e8f-0b1d-4f3a-9c5e-7a9b1c3d5e6f";
inline constexpr std::string_view kEngineeringPracticesPage =
    "3b5d7f9a-1c2e-4a4b-8d6f-8b0c2d4e6f7a";
inline constexpr std::string_view kSecurityPolicyPage = "4c6e8a0b-2d3f-4b5c-9e7a-9c1d3e5f7a8b";
inline constexpr std::string_view kMeetingNotesPage = "5b7d9f1a-3c5e-4a7b-9d1f-3e5a7c9b1d2e";
inline constexpr std::string_view kProductEngineeringPage = "3d5f7a9c-1e3b-4d5f-a7c9-e1b3d5f7a9c2";
inline constexpr std::string_view kTrashedPage = "6e8a0c2d-4f5b-4d7e-8b9c-0e2f4a6b8c9d";

inline constexpr std::string_view kProjectsDatabase = "6a8c0e2f-4b6d-4f8a-8c0e-2a4b6d8f0a1b";
inline constexpr std::string_view kProjectsDataSource = "8c0e2a4b-6d8f-4a0c-9e2a-4c6e8a0c2e3d";
inline constexpr std::string_view kTasksDatabase = "a1c3e5f7-0b2d-4f6a-8c1e-3a5c7e9b1d4f";
inline constexpr std::string_view kTasksDataSource = "c3e5a7b9-2d4f-4b8a-9e3c-5a7c9e1b3d6a";
// The first row of Projects ("Website redesign").
inline constexpr std::string_view kWebsiteRedesignRow = "d4f6a8c0-3e5a-4c9b-8f4d-6b8d0f2a4c7e";
}  // namespace seed_ids

// Fills an empty store with the demo workspace.
void seed_workspace(Store& store);

// Parts of the seed, one per file.
class SeedBuilder;
void seed_handbook(SeedBuilder& builder);
void seed_product_engineering(SeedBuilder& builder);  // hub page, databases and their rows
void seed_meeting_notes(SeedBuilder& builder);        // the long archive page
void seed_comments(SeedBuilder& builder);

}  // namespace notion_mcp::demo
