// The "Acme Handbook" tree: policies and how-tos with varied block types, plus a trashed page.
#include <string>

#include "demo/seed.h"
#include "demo/seed_builder.h"

namespace notion_mcp::demo {

namespace {

using namespace seed_ids;

std::string mention(std::string_view id) {
  return "<mention-page url=\"" + std::string(id) + "\"/>";
}

std::string user_mention(std::string_view id) {
  return "<mention-user url=\"user://" + std::string(id) + "\"/>";
}

Parent under_page(std::string_view id) { return Parent{ParentKind::kPage, std::string(id)}; }

void write_onboarding(SeedBuilder& b, const std::string& checklist) {
  BlockWriter w(b, std::string(kOnboardingPage));
  w.paragraph("Your first weeks at Acme, step by step. Questions go to " +
              user_mention(kPriyaUser) + ".");
  w.heading(2, "Before day one");
  w.todo("Sign the contract and the NDA", true);
  w.todo("Send your bank details to payroll", true);
  w.todo("Pick your laptop (MacBook Pro 14\" or ThinkPad X1 Carbon)", false);
  w.heading(2, "Week one");
  const std::string buddy = w.numbered("Meet your onboarding buddy");
  w.under(buddy).bullet("Your buddy is named in the welcome email");
  w.under(buddy).bullet("Book a 30-minute coffee chat for *every* day of week one");
  w.numbered("Turn on two-factor authentication for Google Workspace, GitHub and 1Password");
  w.numbered("Read the " + mention(kSecurityPolicyPage) + " and sign the acknowledgement");
  w.numbered("Ship a small change to production (yes, in week one)");
  const std::string stuck = w.toggle("What if I get stuck?");
  w.under(stuck).paragraph("Ask in **#help-onboarding**. No question is too small.");
  w.under(stuck).paragraph(
      "For access problems, open a ticket at [it.acme.example](https://it.acme.example/new).");
  w.heading(2, "Checklists");
  w.child(checklist);
  w.quote("The best onboarding is the one you improve for the next person.");
}

void write_checklist(SeedBuilder& b, const std::string& id) {
  BlockWriter w(b, id);
  w.paragraph("Tick these off with your buddy by Friday.");
  w.todo("Laptop set up and disk encryption on", true);
  w.todo("Joined #general, #engineering and #random", true);
  w.todo("Read the Engineering practices", false);
  w.todo("First pull request merged", false);
  w.todo("Added yourself to the team page", false);
}

void write_engineering(SeedBuilder& b, const std::string& review_guide,
                       const std::string& runbook) {
  BlockWriter w(b, std::string(kEngineeringPracticesPage));
  w.paragraph("How we build, review and ship software at Acme.");
  w.table_of_contents();
  w.heading(2, "Code review");
  w.bullet("Every change needs **one approving review** from someone who did not write it");
  w.bullet("Reviews happen within *one working day*");
  w.bullet("Keep pull requests small: under 400 changed lines");
  w.heading(2, "Branching and releases");
  w.paragraph("We use trunk-based development. `main` is always deployable.");
  w.code("bash",
         "git switch -c feature/short-name\n"
         "git commit -am \"Describe the change\"\n"
         "git push -u origin HEAD");
  w.heading(2, "Testing");
  w.paragraph("Unit tests run on every push; the coverage target is $\\geq 80\\%$ for new code.");
  w.paragraph("We track availability per service as:");
  w.equation("\\text{availability} = 1 - \\frac{\\text{failed requests}}{\\text{total requests}}");
  w.heading(3, "Definition of done");
  w.todo("Tests written and green", false);
  w.todo("Docs updated", false);
  w.todo("Feature flag removed or scheduled for removal", false);
  w.callout("⚠️", "Never deploy on Friday afternoons unless you are on call.",
            "yellow_background");
  w.heading(2, "Guides");
  w.child(review_guide);
  w.child(runbook);
}

void write_review_guide(SeedBuilder& b, const std::string& id) {
  BlockWriter w(b, id);
  w.paragraph("A good review is kind, specific and fast.");
  w.heading(2, "As an author");
  w.bullet("Explain *why* in the description, not only *what*");
  w.bullet("Link the task from the Tasks database");
  w.heading(2, "As a reviewer");
  w.bullet("Prefix optional remarks with `nit:`");
  w.bullet("Approve when it is better than before, not when it is perfect");
  w.quote("Review the code, not the person.");
}

void write_runbook(SeedBuilder& b, const std::string& id) {
  BlockWriter w(b, id);
  w.callout("🚨", "Page the on-call engineer through **PagerDuty**, never by DM.", "red_background");
  w.heading(2, "When you get paged");
  w.numbered("Acknowledge within 5 minutes");
  w.numbered("Open an incident channel: `/incident open`");
  w.numbered("Post a status update every 30 minutes");
  w.heading(2, "Useful commands");
  const std::string logs = w.toggle("Tail the API logs");
  w.under(logs).code("bash", "kubectl -n api logs -f deploy/api --since=10m");
  const std::string rollback = w.toggle("Roll back the last deploy");
  w.under(rollback).code("bash", "kubectl -n api rollout undo deploy/api");
  w.under(rollback).paragraph("Then tell #engineering what you rolled back and why.");
}

void write_security(SeedBuilder& b) {
  BlockWriter w(b, std::string(kSecurityPolicyPage));
  w.paragraph("This policy applies to everyone at Acme, including contractors. Owner: " +
              user_mention(kJonasUser) + ".");
  w.heading(2, "Passwords and two-factor authentication");
  w.bullet("Use **1Password** for every work password");
  w.bullet("Hardware keys are required for GitHub and Google Workspace");
  w.bullet("Never share credentials in chat, email or ~~sticky notes~~ anywhere else");
  w.heading(2, "Devices");
  w.bullet("Disk encryption on, screen lock after 5 minutes");
  w.bullet("Operating system updates within 14 days of release");
  w.heading(2, "Data classification");
  w.table({{"Class", "Examples", "Where it may live"},
           {"Public", "Blog posts, docs", "Anywhere"},
           {"Internal", "Roadmaps, meeting notes", "Notion, Google Drive"},
           {"Confidential", "Customer data, contracts", "Production systems only"}},
          true);
  w.heading(2, "Reporting an incident");
  w.callout("📣", "Report suspected incidents to **security@acme.example** within one hour.",
            "red_background");
  w.paragraph(
      "Read more in the [NIST incident handling "
      "guide](https://csrc.nist.gov/pubs/sp/800/61/r2/final).");
}

void write_time_off(SeedBuilder& b, const std::string& id) {
  BlockWriter w(b, id);
  w.paragraph(
      "Everyone gets **30 days** of paid vacation per year, plus public holidays where you live.");
  w.heading(2, "Booking time off");
  w.numbered("Add it to the shared *Out of office* calendar");
  w.numbered("Tell your team at least two weeks ahead for anything longer than three days");
  w.heading(2, "Company holidays 2026");
  w.bullet("Winter break: <mention-date start=\"2026-12-24\"/> to the end of the year");
  w.bullet("Summer Friday: every Friday in August ends at 1 pm");
  w.callout("🌴", "Unused days carry over until the end of March.", "green_background");
}

void write_communication(SeedBuilder& b, const std::string& id) {
  BlockWriter w(b, id);
  w.paragraph("Default to writing things down, and to public channels over DMs.");
  const auto columns = w.columns(2);
  BlockWriter left = w.under(columns[0]);
  left.heading(3, "Use Slack for");
  left.bullet("Quick questions");
  left.bullet("Announcements in #general");
  BlockWriter right = w.under(columns[1]);
  right.heading(3, "Use Notion for");
  right.bullet("Decisions and specs");
  right.bullet("Anything someone will need next month");
  w.divider();
  w.image("https://images.acme.example/handbook/communication.png",
          "How information flows at Acme");
  w.quote("If it is not written down, it did not happen.");
}

void write_expenses(SeedBuilder& b, const std::string& id) {
  BlockWriter w(b, id);
  w.paragraph("Spend company money as if it were your own, then file it within 30 days.");
  w.heading(2, "Limits");
  w.bullet("Meals while travelling: up to €60 per day");
  w.bullet("Hotels: up to €180 per night in most cities");
  w.bullet("Books and courses: up to €1,000 per year, no approval needed");
  w.heading(2, "How to file");
  w.numbered("Photograph the receipt");
  w.numbered("Submit it in the expenses app with the project code");
  w.bookmark("https://expenses.acme.example");
}

void write_offsite(SeedBuilder& b, const std::string& id) {
  BlockWriter w(b, id);
  w.paragraph("Draft plan for the 2024 offsite in Lisbon. Superseded; kept for reference.");
  w.bullet("Two days of workshops, one day off");
}

}  // namespace

void seed_handbook(SeedBuilder& b) {
  const Parent handbook = under_page(kHandbookPage);
  b.page(std::string(kHandbookPage), Parent{}, "Acme Handbook", "📘",
         SeedBuilder::stamps(3, 250, kPriyaUser, kMayaUser));
  b.page(std::string(kOnboardingPage), handbook, "Onboarding", "👋",
         SeedBuilder::stamps(4, 231, kPriyaUser));
  const std::string checklist = b.page("", under_page(kOnboardingPage), "First week checklist", "📝",
                                       SeedBuilder::stamps(5, 120, kPriyaUser));
  b.page(std::string(kEngineeringPracticesPage), handbook, "Engineering practices", "🛠️",
         SeedBuilder::stamps(6, 244, kMayaUser));
  const Parent engineering = under_page(kEngineeringPracticesPage);
  const std::string review_guide = b.page("", engineering, "Code review guide", "🔍",
                                          SeedBuilder::stamps(8, 201, kMayaUser, kJonasUser));
  const std::string runbook =
      b.page("", engineering, "On-call runbook", "🚨", SeedBuilder::stamps(9, 238, kJonasUser));
  b.page(std::string(kSecurityPolicyPage), handbook, "Security policy", "🔒",
         SeedBuilder::stamps(10, 247, kJonasUser));
  const std::string time_off = b.page("", handbook, "Time off and holidays", "🏖️",
                                      SeedBuilder::stamps(11, 180, kPriyaUser));
  const std::string communication = b.page("", handbook, "Communication guidelines", "💬",
                                           SeedBuilder::stamps(12, 160, kPriyaUser, kMayaUser));
  const std::string expenses =
      b.page("", handbook, "Expenses and travel", "💳", SeedBuilder::stamps(14, 140, kPriyaUser));
  b.page(std::string(kTrashedPage), handbook, "Offsite plan 2024", "🗑️",
         SeedBuilder::stamps(1, 200, kPriyaUser));
  b.store().page(kTrashedPage)->in_trash = true;

  BlockWriter w(b, std::string(kHandbookPage));
  w.callout("👋",
            "Welcome to Acme! This handbook is the **single source of truth** for how we work. "
            "If something here is wrong, fix it or ping " +
                user_mention(kPriyaUser) + ".");
  w.heading(2, "Start here");
  w.child(std::string(kOnboardingPage));
  w.child(std::string(kEngineeringPracticesPage));
  w.child(std::string(kSecurityPolicyPage));
  w.heading(2, "Everyday life");
  w.child(time_off);
  w.child(communication);
  w.child(expenses);
  w.heading(2, "Company basics");
  w.bullet("Founded in 2019; 42 people in Berlin, Toronto and fully remote");
  w.bullet("Mission: help *small teams* ship like big ones");
  w.bullet("Fiscal year: January to December");
  w.heading(2, "Quick links");
  w.bullet("[Status page](https://status.acme.example)");
  w.bullet("Engineering hub: " + mention(kProductEngineeringPage));
  w.divider();
  w.paragraph("Last reviewed by the People team in February 2026.", "gray");
  w.child(std::string(kTrashedPage));

  write_onboarding(b, checklist);
  write_checklist(b, checklist);
  write_engineering(b, review_guide, runbook);
  write_review_guide(b, review_guide);
  write_runbook(b, runbook);
  write_security(b);
  write_time_off(b, time_off);
  write_communication(b, communication);
  write_expenses(b, expenses);
  write_offsite(b, std::string(kTrashedPage));
}

}  // namespace notion_mcp::demo
