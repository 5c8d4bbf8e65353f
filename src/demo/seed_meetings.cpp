// "Meeting notes archive": about 300 blocks of weekly notes, long enough that the markdown
// endpoint truncates it and lists the rest in unknown_block_ids.
#include <array>
#include <string>

#include "demo/seed.h"
#include "demo/seed_builder.h"
#include "demo/timestamps.h"

namespace notion_mcp::demo {

namespace {

using namespace seed_ids;

constexpr int kMeetings = 36;

constexpr std::array<const char*, 9> kTopics = {
    "Website redesign status",  "Hiring pipeline",    "SOC 2 evidence collection",
    "Mobile release train",     "Billing edge cases", "On-call load",
    "Customer portal feedback", "Budget review",      "Data warehouse options"};

constexpr std::array<const char*, 6> kDecisions = {
    "Ship behind a feature flag first",  "Move the review to Thursday", "Hire a second SRE in Q1",
    "Freeze scope until the audit ends", "Drop IE11 support",           "Keep weekly demos"};

constexpr std::array<const char*, 3> kOwners = {"Maya", "Jonas", "Priya"};

}  // namespace

void seed_meeting_notes(SeedBuilder& b) {
  const std::string id = b.page(std::string(kMeetingNotesPage), Parent{}, "Meeting notes archive",
                                "🗓️", SeedBuilder::stamps(85, 263, kMayaUser, kJonasUser));
  BlockWriter w(b, id);
  w.paragraph("Notes from every weekly engineering sync since September 2025, oldest first.");
  w.callout("ℹ️", "Action items live in the Tasks database; these notes are the record.");
  w.divider();
  const int64_t first = days_from_civil(2025, 9, 1);
  for (int m = 0; m < kMeetings; ++m) {
    if (m % 13 == 0) {
      w.heading(2, m == 0 ? "Autumn 2025" : (m == 13 ? "Winter 2025–26" : "Spring 2026"));
    }
    const std::string date = format_timestamp(first + int64_t{m} * 7 * 86400).substr(0, 10);
    const std::string toggle = w.toggle("Weekly sync — " + date);
    BlockWriter notes = w.under(toggle);
    notes.paragraph("*Attendees:* Maya, Jonas, Priya" +
                    std::string(m % 4 == 0 ? ", Sam (guest)" : ""));
    const char* topic = kTopics[m % kTopics.size()];
    const std::string first_point = notes.bullet(std::string("**") + topic + "**: on track");
    notes.under(first_point).bullet("Next checkpoint on " + date);
    notes.bullet(std::string(kTopics[(m + 4) % kTopics.size()]) + ": needs a decision next week");
    notes.bullet(std::string("Decision: ") + kDecisions[m % kDecisions.size()]);
    notes.todo(std::string(kOwners[m % 3]) + " to follow up on " + topic, m < kMeetings - 4);
    notes.todo(std::string(kOwners[(m + 1) % 3]) + " to update the roadmap", m < kMeetings - 2);
  }
  w.paragraph("Older notes were moved to the 2024 archive.", "gray");
}

}  // namespace notion_mcp::demo
