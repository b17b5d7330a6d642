// store init|recover|reaffirm|check, user add|approve|passwd|deactivate|suspend|reactivate|list, audit verify|export.
// Every command that needs the store signs in with --store PATH (default: defaultStorePath()) and
// --user NAME; passwords and recovery keys come from the terminal (no echo) or standard input, one per
// line, never from arguments.

#include <algorithm>
#include <fstream>
#include <iostream>
#include <optional>
#include <sstream>

#include <unistd.h>

#include <nlohmann/json.hpp>
#include <sodium.h>

#include "app/cli/Args.h"
#include "app/cli/CliCommon.h"
#include "app/cli/Commands.h"
#include "app/cli/Terminal.h"
#include "core/accounts/AccountService.h"
#include "core/accounts/KeyApproval.h"
#include "core/accounts/Reaffirmation.h"
#include "core/accounts/Session.h"
#include "core/accounts/SignedAccounts.h"
#include "core/admin/Administration.h"
#include "core/audit/AuditLog.h"
#include "core/common/Paths.h"
#include "core/reports/AuditRequests.h"
#include "core/common/Text.h"
#include "core/reports/AuditTrail.h"

namespace facelead::cli {
namespace {

constexpr const char* kStoreHelp =
    "usage: facelead-cli store init [--store PATH] --admin NAME [--display-name TEXT]\n"
    "       facelead-cli store recover [--store PATH] --user NAME\n"
    "       facelead-cli store reaffirm --reason TEXT [--suspend NAME[,NAME...]] [--as-signed NAME[,NAME...]]\n"
    "                                   [--confirm] [--store PATH]\n"
    "       facelead-cli store check [--store PATH] --user YOU\n"
    "  init prints the recovery key ONCE: write it down and keep it locked away.\n"
    "  recover reads the recovery key, then a new password for NAME.\n"
    "  reaffirm reads the recovery key. After account entries of the audit log were damaged, FaceLead refuses\n"
    "    every change until the recovery key's holder, having read `audit verify`, signs every account's roles\n"
    "    and status as they stand (without --confirm it only shows them); --suspend the accounts you cannot\n"
    "    vouch for; --as-signed the accounts to take as the store's signed entries grant them, setting aside an\n"
    "    anchored record outside the store that took something away. It never leaves no program administrator.\n"
    "  check reads every page (slow on a big store; opening the store only runs a quick check).\n";
constexpr const char* kUserHelp =
    "usage: facelead-cli user add NAME --display-name TEXT --roles ROLE[,ROLE...] [--store PATH] --user ADMIN\n"
    "       facelead-cli user approve NAME [--store PATH] --user SUPERVISOR\n"
    "       facelead-cli user approve-key NAME --fingerprint \"XXXX XXXX XXXX XXXX XXXX\" [--store PATH] --user SUPERVISOR\n"
    "       facelead-cli user passwd [NAME] [--store PATH] --user YOU   (NAME: an administrator's reset)\n"
    "       facelead-cli user deactivate NAME --reason TEXT [--store PATH] --user ADMIN\n"
    "       facelead-cli user suspend NAME --reason TEXT [--store PATH] --user ADMIN\n"
    "       facelead-cli user reactivate NAME --reason TEXT [--store PATH] --user ADMIN\n"
    "       facelead-cli user reset-second-factor NAME --reason TEXT [--store PATH] --user ADMIN\n"
    "       facelead-cli user list [--json] [--store PATH] --user YOU\n"
    "       facelead-cli user roles NAME --roles ROLE[,ROLE...] [--store PATH] --user ADMIN\n"
    "       facelead-cli user approve-roles NAME [--store PATH] --user SUPERVISOR|ADMIN\n"
    "       facelead-cli user restore-table --reason TEXT [--store PATH] --user ADMIN\n"
    "  passwd without NAME changes your own password (required after an administrator set it).\n"
    "  approve-key: after someone else set NAME's password, NAME's own change makes a key that a supervisor who\n"
    "    did not set it approves, with the fingerprint NAME shows them in person (passwd prints it).\n"
    "  Every command signing in takes --otp CODE when the agency requires a second factor (else it asks).\n"
    "  roles requests a change of roles; a second person (not the requester, not NAME) approves it.\n"
    "  restore-table puts rows edited outside FaceLead back to what the signed audit log grants.\n"
    "  roles: investigator, case_officer, supervisor, intel_supervisor, program_administrator, trainer\n";
constexpr const char* kAuditHelp =
    "usage: facelead-cli audit verify [--store PATH] --user YOU\n"
    "       facelead-cli audit export --format csv|json [--out FILE] [--store PATH] --user YOU\n"
    "       facelead-cli audit acknowledge-anchors --reason TEXT [--store PATH] --user ADMIN\n"
    "  acknowledge-anchors: the heads anchored outside the store that are not in it (another copy of the\n"
    "  store was in use, or a backup was restored) stop being reported; the reason is kept in the signed log.\n";

int usage(const std::string& problem, const char* help) {
    if (!problem.empty()) std::cerr << "facelead-cli: " << problem << '\n';
    std::cerr << help;
    return 2;
}

// --help on any of the group's commands: its usage on standard output, exit 0.
int printHelp(const char* help) {
    std::cout << help;
    return 0;
}

// A new password: asked twice when a person types it, once from a script.
bool readNewPassword(const std::string& prompt, Secret& secret) {
    if (!readPassword(prompt, secret)) return false;
    if (!isatty(STDIN_FILENO)) return true;
    Secret again;
    if (!readPassword("Repeat the password: ", again)) return false;
    if (again.text() == secret.text()) return true;
    std::cerr << "facelead-cli: the two passwords differ\n";
    return false;
}

std::optional<workflow::RoleSet> parseRoles(const std::string& text, std::string& problem) {
    workflow::RoleSet roles;
    std::stringstream stream(text);
    std::string name;
    while (std::getline(stream, name, ',')) {
        const auto role = workflow::roleFromName(name);
        if (!role) {
            problem = "unknown role '" + name + "'";
            return std::nullopt;
        }
        roles.insert(*role);
    }
    if (roles.empty()) problem = "--roles needs at least one role";
    return roles.empty() ? std::nullopt : std::optional(roles);
}

std::string timeText(const std::optional<TimePoint>& time) { return time ? toIsoUtc(*time) : ""; }

nlohmann::ordered_json userJson(const accounts::User& user) {
    return {{"id", user.id},
            {"username", user.username},
            {"display_name", text::escapedText(user.displayName)},  // a store from before the check
            {"roles", accounts::rolesToText(user.roles)},
            {"status", workflow::statusName(user.status)},
            {"created_at", toIsoUtc(user.createdAt)},
            {"approved_at", timeText(user.approvedAt)},
            {"training_completed_at", timeText(user.trainingCompletedAt)},
            {"last_activity_at", timeText(user.lastActivityAt)},
            {"deactivated_at", timeText(user.deactivatedAt)}};
}

int storeInit(const Args& args) {
    const auto admin = args.option("admin");
    if (!admin) return usage("--admin NAME is required", kStoreHelp);
    const auto path = storePath(args);
    Secret password;
    if (!readNewPassword("New password for " + *admin + ": ", password)) return 1;
    auto created = accounts::createStore(path, *admin, args.option("display-name", *admin), password.text(),
                                         std::make_shared<SystemClock>());
    if (!created) return fail(created.error());
    std::cerr << "Created the encrypted store " << path.string() << " and its key file "
              << created->session.store().keyFile().string() << ".\n"
              << "Program administrator: " << *admin << ".\n"
              << "RECOVERY KEY (shown only now; whoever holds it can open the store - keep it locked away):\n";
    std::cout << created->recoveryKey << std::endl;
    sodium_memzero(created->recoveryKey.data(), created->recoveryKey.size());
    // Printed in full to the terminal that asked for it: kept, not offered again at the next sign-in.
    if (auto confirmed = accounts::confirmRecoveryKey(created->session); !confirmed) return fail(confirmed.error());
    return 0;
}

int storeRecover(const Args& args) {
    const auto user = args.option("user");
    if (!user) return usage("--user NAME is required", kStoreHelp);
    Secret recoveryKey;
    Secret password;
    if (!readPassword("Recovery key: ", recoveryKey)) return 1;
    if (!readNewPassword("New password for " + *user + ": ", password)) return 1;
    auto session = accounts::recoverWithRecoveryKey(storePath(args), recoveryKey.text(), *user, password.text(),
                                                    std::make_shared<SystemClock>());
    if (!session) return fail(session.error());
    auto awaiting = accounts::AccountService(*session).ownKeyAwaitingApproval();
    if (!awaiting) return fail(awaiting.error());
    std::cerr << "New password set for " << *user << ".\n";
    if (*awaiting) {  // trial 64 F1: the recovery key's holder does not take an account over alone
        std::cerr << "Before " << *user << " works, a supervisor other than the store's founder approves the new key. "
                  << "Show them, in person, its fingerprint:\n";
        std::cout << **awaiting << std::endl;
    }
    return 0;
}

std::vector<std::string> commaSeparated(const std::string& text) {
    std::vector<std::string> items;
    std::stringstream stream(text);
    for (std::string item; std::getline(stream, item, ',');)
        if (!item.empty()) items.push_back(item);
    return items;
}

void printReaffirmation(const accounts::Reaffirmation& reaffirmation) {
    std::cout << "Damaged account entries it answers for:\n";
    for (const auto& [damaged, readsNow, signer] : reaffirmation.damage) {
        std::cout << "  audit entry " << damaged.seq << " (" << damaged.action
                  << (damaged.username.empty() ? "" : ", naming " + text::forTerminal(damaged.username) + " now")
                  << "): " << text::forTerminal(damaged.problem) << "\n";
        // A lost anchored head has no entry in the store to read.
        if (!readsNow.empty())
            std::cout << "    it reads now (signed as " << text::forTerminal(signer.empty() ? "nobody" : signer)
                      << ", whose words these are): " << text::forTerminal(reports::readableDetails(readsNow)) << "\n";
    }
    std::cout << "A damaged entry may now name another account than the one it was about, and a deleted one names "
                 "none:\ncompare every account below with the agency's own records (the last audit export, a "
                 "backup)\nand --suspend each account you cannot vouch for.\n";
    std::cout << "Accounts" << (reaffirmation.signedNow ? " re-affirmed:" : " as they would be re-affirmed:")
              << "\nuser\tstatus\troles\tapproved\ttrained\n";
    for (const auto& account : reaffirmation.accounts) {
        std::cout << text::forTerminal(account.username) << '\t' << account.status << '\t'
                  << (account.roles.empty() ? "(none)" : account.roles) << '\t' << (account.approved ? "yes" : "no")
                  << '\t' << (account.trained ? "yes" : "no");
        // The accounts a damaged entry names now are those to look at first (it may have named another).
        for (const auto& damaged : reaffirmation.damage)
            if (damaged.entry.username == account.username)
                std::cout << "\t<- named by damaged entry " << damaged.entry.seq;
        if (!account.note.empty()) std::cout << "\t(" << account.note << ")";
        std::cout << '\n';
    }
}

int storeReaffirm(const Args& args) {
    const auto reason = args.option("reason");
    if (!reason) return usage("--reason TEXT is required", kStoreHelp);
    accounts::ReaffirmationRequest request{commaSeparated(args.option("suspend", "")),
                                           commaSeparated(args.option("as-signed", "")), *reason, args.flag("confirm")};
    Secret recoveryKey;
    if (!readPassword("Recovery key: ", recoveryKey)) return 1;
    auto reaffirmed =
        accounts::reaffirmAccounts(storePath(args), recoveryKey.text(), request, std::make_shared<SystemClock>());
    if (!reaffirmed) return fail(reaffirmed.error());
    printReaffirmation(*reaffirmed);
    if (!reaffirmed->signedNow)
        std::cerr << "Nothing was signed. Read `facelead-cli audit verify`, then run again with --confirm "
                     "(and --suspend for the accounts you cannot vouch for).\n";
    else
        std::cerr << "Signed with the recovery key: FaceLead obeys these accounts from now on.\n";
    return 0;
}

int userAdd(const Args& args) {
    if (args.positionals().size() != 2) return usage("user add needs the new user's NAME", kUserHelp);
    const std::string name = args.positionals()[1];
    const auto displayName = args.option("display-name");
    const auto rolesText = args.option("roles");
    if (!displayName || !rolesText) return usage("--display-name and --roles are required", kUserHelp);
    std::string problem;
    const auto roles = parseRoles(*rolesText, problem);
    if (!roles) return usage(problem, kUserHelp);
    auto session = signIn(args);
    if (!session) return 1;
    admin::Administration administration(*session);
    if (auto may = administration.mayManageUsers("user.add"); !may) return fail(may.error());
    Secret initial;
    if (!readNewPassword("Initial password for " + name + ": ", initial)) return 1;
    auto user = administration.createUser({name, *displayName, *roles}, initial.text());
    if (!user) return fail(user.error());
    std::cerr << "Added " << name << " (id " << user->id
              << "), waiting for a supervisor's approval (SOP 302.02 VI.D.2.a).\n";
    return 0;
}

// Runs fn(administration, target user) for the user named by the second positional.
template <typename Fn>
int withTarget(const Args& args, const char* verb, Fn&& fn) {
    if (args.positionals().size() != 2) return usage(std::string("user ") + verb + " needs a user NAME", kUserHelp);
    auto session = signIn(args);
    if (!session) return 1;
    auto target = accounts::AccountService(*session).findByUsername(args.positionals()[1]);
    if (!target) return fail(target.error());
    admin::Administration administration(*session);
    return fn(administration, *target);
}

int userApprove(const Args& args) {
    return withTarget(args, "approve", [](admin::Administration& service, const accounts::User& target) {
        auto approved = service.approve(target.id);
        if (!approved) return fail(approved.error());
        std::cerr << "Approved " << target.username << ".\n";
        return 0;
    });
}

int userApproveKey(const Args& args) {
    const auto fingerprint = args.option("fingerprint");
    if (!fingerprint) return usage("--fingerprint is required: the one NAME shows you, in person", kUserHelp);
    return withTarget(args, "approve-key", [&](admin::Administration& service, const accounts::User& target) {
        auto approved = service.approveKey(target.id, *fingerprint);
        if (!approved) return fail(approved.error());
        std::cerr << "Approved the key of " << target.username << ": they may work now.\n";
        return 0;
    });
}

int userDeactivate(const Args& args) {
    const auto reason = args.option("reason");
    if (!reason) return usage("--reason TEXT is required", kUserHelp);
    return withTarget(args, "deactivate", [&](admin::Administration& service, const accounts::User& target) {
        auto deactivated = service.deactivate(target.id, *reason);
        if (!deactivated) return fail(deactivated.error());
        std::cerr << "Deactivated " << target.username << "; their key slot is removed.\n";
        return 0;
    });
}

// suspend and reactivate: a status change someone answers for, so both need --reason (kept in the audit log).
int userStatusChange(const Args& args, const char* verb) {
    const auto reason = args.option("reason");
    if (!reason) return usage("--reason TEXT is required", kUserHelp);
    const bool suspend = std::string_view(verb) == "suspend";
    return withTarget(args, verb, [&](admin::Administration& service, const accounts::User& target) {
        auto changed = suspend ? service.suspend(target.id, *reason) : service.reactivate(target.id, *reason);
        if (!changed) return fail(changed.error());
        std::cerr << (suspend ? "Suspended " : "Reactivated ") << target.username << " (now "
                  << workflow::statusLabel(changed->status) << ").\n";
        return 0;
    });
}

int userResetSecondFactor(const Args& args) {
    const auto reason = args.option("reason");
    if (!reason) return usage("--reason TEXT is required", kUserHelp);
    return withTarget(args, "reset-second-factor", [&](admin::Administration& service, const accounts::User& target) {
        auto reset = service.resetSecondFactor(target.id, *reason);
        if (!reset) return fail(reset.error());
        std::cerr << "Reset the second factor of " << target.username
                  << "; they enrol a new one at their next sign-in.\n";
        return 0;
    });
}

int userPasswd(const Args& args) {
    if (args.positionals().size() > 2) return usage("user passwd takes at most one NAME", kUserHelp);
    const auto self = args.option("user");
    const bool reset = args.positionals().size() == 2 && args.positionals()[1] != self.value_or("");
    if (!self) return usage("--user NAME is required", kUserHelp);
    // Sign in by hand so the password typed for it is the "current password" of a change.
    Secret current;
    if (!readPassword("Password for " + *self + ": ", current)) return 1;
    auto session = signInAs(args, *self, current.text());
    if (!session) return 1;
    accounts::AccountService service(*session);
    const std::string target = reset ? args.positionals()[1] : *self;
    if (reset)
        if (auto may = admin::Administration(*session).mayManageUsers("user.reset_password"); !may)
            return fail(may.error());
    Secret fresh;
    if (!readNewPassword("New password for " + target + ": ", fresh)) return 1;
    if (!reset) {
        if (auto changed = service.changePassword(current.text(), fresh.text()); !changed) return fail(changed.error());
        auto awaiting = service.ownKeyAwaitingApproval();
        if (!awaiting) return fail(awaiting.error());
        if (*awaiting) {
            std::cerr << "Password changed for " << target << ". Before you work, a supervisor who did not set your "
                      << "password approves your new key. Show them, in person, its fingerprint:\n";
            std::cout << **awaiting << std::endl;
            return 0;
        }
    } else {
        auto user = service.findByUsername(target);
        if (!user) return fail(user.error());
        if (auto done = admin::Administration(*session).resetPassword(user->id, fresh.text()); !done)
            return fail(done.error());
    }
    std::cerr << "Password changed for " << target << ".\n";
    return 0;
}

int userRoles(const Args& args) {
    const auto rolesText = args.option("roles");
    if (!rolesText) return usage("--roles is required", kUserHelp);
    std::string problem;
    const auto roles = parseRoles(*rolesText, problem);
    if (!roles) return usage(problem, kUserHelp);
    return withTarget(args, "roles", [&](admin::Administration& service, const accounts::User& target) {
        if (auto requested = service.setRoles(target.id, *roles); !requested) return fail(requested.error());
        std::cerr << "Requested roles " << *rolesText << " for " << target.username
                  << "; a second supervisor or program administrator approves the change.\n";
        return 0;
    });
}

int userApproveRoles(const Args& args) {
    if (args.positionals().size() != 2) return usage("user approve-roles needs a user NAME", kUserHelp);
    auto session = signIn(args);
    if (!session) return 1;
    auto approved = accounts::AccountService(*session).approveRoleChangeOf(args.positionals()[1]);
    if (!approved) return fail(approved.error());
    std::cerr << "Roles of " << approved->username << " are now " << accounts::rolesToText(approved->roles) << ".\n";
    return 0;
}

int userRestoreTable(const Args& args) {
    const auto reason = args.option("reason");
    if (!reason) return usage("--reason TEXT is required", kUserHelp);
    auto session = signIn(args);
    if (!session) return 1;
    auto restored = accounts::restoreUsersTable(*session, *reason);
    if (!restored) return fail(restored.error());
    for (const auto& account : *restored)
        std::cerr << "Put back " << account.username << " (" << text::forTerminal(account.wasEdited) << ").\n";
    return 0;
}

int userList(const Args& args) {
    auto session = signIn(args);
    if (!session) return 1;
    // The roles and status the signed audit log grants; a users table edited outside FaceLead is flagged.
    auto rows = admin::Administration(*session).overview();
    if (!rows) return fail(rows.error());
    if (args.flag("json")) {
        auto list = nlohmann::ordered_json::array();
        for (const auto& row : *rows) {
            auto user = userJson(row.user);
            user["table_roles"] = accounts::rolesToText(row.tableRoles);
            user["grants_mismatch"] = row.grantsMismatch;
            user["table_edited_outside_facelead"] = row.tableEditedOutsideFaceLead;
            user["key_awaits_approval"] = row.keyAwaitsApproval;
            user["key_replaced_in_lost_entries"] = row.keyReplacedInLostEntries;
            list.push_back(std::move(user));
        }
        std::cout << list.dump(2) << '\n';
        return 0;
    }
    for (const auto& row : *rows) {
        const auto& user = row.user;
        std::cout << user.username << '\t' << workflow::statusName(user.status) << '\t'
                  << accounts::rolesToText(user.roles) << '\t' << text::forTerminal(user.displayName);
        if (row.keyAwaitsApproval) std::cout << "\tKEY WAITS FOR A SUPERVISOR'S APPROVAL";
        if (row.keyReplacedInLostEntries)
            std::cout << "\tKEY REPLACED IN LOST AUDIT ENTRIES: SIGNS NOTHING UNTIL A PASSWORD RESET";
        if (!row.grantsMismatch.empty())
            std::cout << (row.tableEditedOutsideFaceLead ? "\tTABLE EDITED OUTSIDE FACELEAD, NOT OBEYED: "
                                 : "\tTABLE DIFFERS FROM THE SIGNED LOG (see the warning at sign-in), NOT OBEYED: ")
                      << text::forTerminal(row.grantsMismatch);
        std::cout << '\n';
    }
    // Only the sign-in's finding of an edit names restore-table: an older copy put back is no edit (trial 68 F4).
    if (std::ranges::any_of(*rows, &admin::UserOverview::tableEditedOutsideFaceLead))
        std::cerr << "The users table was edited outside FaceLead. A program administrator puts it back to the "
                     "signed audit log with: facelead-cli user restore-table --reason TEXT\n";
    return 0;
}

int auditVerify(const Args& args) {
    auto session = signIn(args);
    if (!session) return 1;
    auto report = reports::AuditTrail(*session).verify();
    if (!report) return fail(report.error());
    if (!report->intact()) {
        if (report->firstBrokenSeq)
            std::cout << "BROKEN at entry " << *report->firstBrokenSeq << " ("
                      << text::counted(static_cast<std::size_t>(report->brokenEntries), "broken entry",
                                       "broken entries")
                      << "):\n";
        else
            std::cout << "BROKEN:\n";
        // One finding per line; a name in the users table can be anything an insider wrote there.
        std::stringstream findings(report->describe());
        for (std::string line; std::getline(findings, line);) std::cout << text::forTerminal(line) << '\n';
        if (!report->foreignHeads.empty())
            std::cout << "If another copy of this store was in use, or a backup was restored, keep that copy and "
                         "have a program administrator acknowledge these heads with the reason: facelead-cli "
                         "audit acknowledge-anchors --reason TEXT\n";
        return 1;
    }
    std::cout << "intact: " << text::counted(report->entriesChecked, "entry", "entries");
    if (report->unsignedEntries > 0)
        std::cout << " (" << report->unsignedEntries << " written before signatures, checked by hash only)";
    if (report->anchorsAcknowledged > 0)
        std::cout << "; " << report->anchorsAcknowledged
                  << " anchored head(s) not in this store were acknowledged by a program administrator";
    std::cout << '\n';
    return 0;
}

int auditAcknowledgeAnchors(const Args& args) {
    const auto reason = args.option("reason");
    if (!reason) return usage("--reason TEXT is required: why these heads are not in this store", kAuditHelp);
    auto session = signIn(args);
    if (!session) return 1;
    auto acknowledged = reports::AuditTrail(*session).acknowledgeAnchors(*reason);
    if (!acknowledged) return fail(acknowledged.error());
    std::cout << "Acknowledged " << *acknowledged
              << " anchored head(s) not in this store; the acknowledgement is in the audit log.\n";
    return 0;
}

int auditExport(const Args& args) {
    const std::string format = args.option("format", "");
    if (format != "csv" && format != "json") return usage("--format csv|json is required", kAuditHelp);
    auto session = signIn(args);
    if (!session) return 1;
    const auto kind = format == "csv" ? audit::ExportFormat::Csv : audit::ExportFormat::Json;
    reports::AuditTrail trail(*session);
    const auto out = args.option("out");
    if (!out) {
        auto exported = trail.exportTo(kind, std::cout);
        return exported ? 0 : fail(exported.error());
    }
    if (auto exported = trail.exportToFile(kind, *out); !exported) return fail(exported.error());
    std::cerr << "Exported the audit log to " << *out << " (readable by you only).\n";
    return 0;
}

// The full page-by-page check; a sign-in runs only the cheap one so opening a large store stays fast.
int storeCheck(const Args& args) {
    auto session = signIn(args);
    if (!session) return 1;
    if (auto checked = admin::checkStore(*session); !checked) return fail(checked.error());
    std::cout << "intact: every page of the store passed the integrity check\n";
    return 0;
}

}  // namespace

int runStore(const Words& words) {
    const Args args(words, {"confirm"});
    if (args.flag("help")) return printHelp(kStoreHelp);
    if (!args.problem().empty()) return usage(args.problem(), kStoreHelp);
    const std::string verb = args.positionals().empty() ? "" : args.positionals()[0];
    if (verb == "init") return storeInit(args);
    if (verb == "recover") return storeRecover(args);
    if (verb == "reaffirm") return storeReaffirm(args);
    if (verb == "check") return storeCheck(args);
    return usage(verb.empty() ? "" : "unknown store command '" + verb + "'", kStoreHelp);
}

int runUser(const Words& words) {
    const Args args(words, {"json"});
    if (args.flag("help")) return printHelp(kUserHelp);
    if (!args.problem().empty()) return usage(args.problem(), kUserHelp);
    const std::string verb = args.positionals().empty() ? "" : args.positionals()[0];
    if (verb == "add") return userAdd(args);
    if (verb == "approve") return userApprove(args);
    if (verb == "approve-key") return userApproveKey(args);
    if (verb == "passwd") return userPasswd(args);
    if (verb == "deactivate") return userDeactivate(args);
    if (verb == "suspend" || verb == "reactivate") return userStatusChange(args, verb == "suspend" ? "suspend" : "reactivate");
    if (verb == "reset-second-factor") return userResetSecondFactor(args);
    if (verb == "list") return userList(args);
    if (verb == "restore-table") return userRestoreTable(args);
    if (verb == "roles") return userRoles(args);
    if (verb == "approve-roles") return userApproveRoles(args);
    return usage(verb.empty() ? "" : "unknown user command '" + verb + "'", kUserHelp);
}

int runAudit(const Words& words) {
    const Args args(words, {});
    if (args.flag("help")) return printHelp(kAuditHelp);
    if (!args.problem().empty()) return usage(args.problem(), kAuditHelp);
    const std::string verb = args.positionals().empty() ? "" : args.positionals()[0];
    if (verb == "verify") return auditVerify(args);
    if (verb == "export") return auditExport(args);
    if (verb == "acknowledge-anchors") return auditAcknowledgeAnchors(args);
    return usage(verb.empty() ? "" : "unknown audit command '" + verb + "'", kAuditHelp);
}

}  // namespace facelead::cli
