#pragma once
// The open store's services for the signed-in user, owned by AppContext while someone is signed in.
// Screens reach the core only through these (never through the Store directly), so every action is
// checked and audited by the core. They live on the store thread (ui/workstation/StoreOwner.h) and are used by store jobs only.

#include <memory>

#include "core/accounts/AccountService.h"
#include "core/accounts/Session.h"
#include "core/admin/AgencySettings.h"
#include "core/cases/CaseService.h"
#include "core/common/Clock.h"
#include "core/gallery/Gallery.h"

namespace facelead::ui {

class CoreServices {
public:
    // Reads the agency settings and loads the gallery index from the store. Fails only on a store error.
    static Result<std::unique_ptr<CoreServices>> open(accounts::Session session, std::shared_ptr<const Clock> clock);
    ~CoreServices();
    CoreServices(const CoreServices&) = delete;
    CoreServices& operator=(const CoreServices&) = delete;

    accounts::Session& session() { return *session_; }
    store::Store& store() { return session_->store(); }
    const accounts::User& user() const { return session_->user(); }
    accounts::AccountService& accounts() { return accounts_; }
    cases::CaseService& cases() { return cases_; }
    gallery::Gallery& gallery() { return gallery_; }
    gallery::Actor galleryActor() const { return {user().id, user().roles}; }
    const admin::AgencySettings& agencySettings() const { return agency_; }
    const std::shared_ptr<const Clock>& clock() const { return clock_; }

private:
    CoreServices(std::unique_ptr<accounts::Session> session, std::shared_ptr<const Clock> clock,
                 admin::AgencySettings agency);

    std::unique_ptr<accounts::Session> session_;  // heap: the services below keep references to it
    std::shared_ptr<const Clock> clock_;
    admin::AgencySettings agency_;
    accounts::AccountService accounts_;
    cases::CaseService cases_;
    gallery::Gallery gallery_;
};

}  // namespace facelead::ui
