// facelead-e2e-fixture STORE FACES_DIR MODELS_DIR: the store the end-to-end relay starts from, made
// through the core (what an administrator, a trainer and a gallery manager did before the relay):
//   admin  program administrator + supervisor (created with the store)
//   ivan   investigator + case officer, trained
//   sue    supervisor, trained (reviews ivan's follow-ups, SOP 302.02 VI.C.1)
// and a gallery of the bbt identities (photos 2-5 of each). Every password is $FACELEAD_E2E_PASSWORD
// (default below). Exit status 0 on success; the error on stderr otherwise.

#include <cstdlib>
#include <iostream>
#include <string>
#include <vector>

#include "core/accounts/AccountService.h"
#include "core/accounts/Session.h"
#include "core/face/FaceEngine.h"
#include "core/gallery/Gallery.h"
#include "tests/support/OwnKey.h"

namespace {

using namespace facelead;

[[noreturn]] void die(const char* what, const Error& error) {
    std::cerr << "facelead-e2e-fixture: " << what << ": " << error.message << "\n";
    std::exit(1);
}

template <typename T>
T must(Result<T> result, const char* what) {
    if (!result) die(what, result.error());
    return std::move(result.value());
}

void must(Result<void> result, const char* what) {
    if (!result) die(what, result.error());
}

int run(const std::filesystem::path& storePath, const std::filesystem::path& faces, const std::filesystem::path& models) {
    const char* fromEnv = std::getenv("FACELEAD_E2E_PASSWORD");
    const std::string password = fromEnv ? fromEnv : "correct-horse-battery-9";
    auto clock = std::make_shared<SystemClock>();
    accounts::SecurityPolicy policy;
    policy.kdf = store::KdfParams::minimum();  // keeps sign-in fast under the e2e timer; the product uses interactive()
    auto created = must(accounts::createStore(storePath, "admin", "Ada Admin", password, clock, policy), "create store");
    accounts::Session admin = std::move(created.session);
    // The founder "wrote the recovery key down" (else the workstation offers it again at admin's sign-in).
    must(accounts::confirmRecoveryKey(admin), "confirm the recovery key");
    accounts::AccountService accounts(admin);
    using workflow::Role;
    // The administrator sets initial passwords; each user chooses their own at first sign-in, and two persons
    // give access: the founding administrator approves sue while alone, sue approves ivan.
    const std::string initial = "initial password 4 you";
    auto ivan = must(accounts.addUser({"ivan", "Ivan Investigator", {Role::Investigator, Role::CaseOfficer}}, initial), "add ivan");
    auto sue = must(accounts.addUser({"sue", "Sue Supervisor", {Role::Supervisor}}, initial), "add sue");
    const auto firstSignIn = [&](const char* name) {
        auto session = must(accounts::signIn(storePath, name, initial, clock, policy), "first sign-in");
        must(accounts::AccountService(session).changePassword(initial, password), "own password");
        return session;
    };
    must(accounts.approve(sue.id), "approve sue");
    auto sueSession = firstSignIn("sue");
    must(facelead::test::approveOwnKey(admin, sueSession), "approve sue's own key");
    must(accounts::AccountService(sueSession).approve(ivan.id), "approve ivan");
    auto ivanSession = firstSignIn("ivan");
    must(facelead::test::approveOwnKey(sueSession, ivanSession), "approve ivan's own key");
    for (std::int64_t id : {ivan.id, sue.id}) must(accounts.recordTraining(id, clock->now()), "training");
    face::EngineConfig config;
    config.modelsDir = models;
    auto engine = must(face::FaceEngine::create(config), "face engine");
    std::vector<gallery::EnrolItem> items;
    for (const char* name : {"amy", "bernadette", "howard", "leonard", "penny", "raj", "sheldon", "stuart"})
        for (int n = 2; n <= 5; ++n)
            items.push_back({faces / "bbt" / name / (std::string(name) + std::to_string(n) + ".png"),
                             {name, std::nullopt, "e2e booking photos", std::nullopt}});
    gallery::Gallery gallery;
    must(gallery.load(admin.store()), "gallery load");
    auto report = must(gallery.enrol(admin.store(), *engine, {admin.userId(), admin.user().roles}, items), "enrol");
    std::cout << report.count(gallery::EnrolOutcome::Enrolled) << " gallery faces enrolled\n";
    return 0;
}

}  // namespace

int main(int argc, char** argv) {
    if (argc != 4) {
        std::cerr << "usage: facelead-e2e-fixture STORE FACES_DIR MODELS_DIR\n";
        return 2;
    }
    return run(argv[1], argv[2], argv[3]);
}
