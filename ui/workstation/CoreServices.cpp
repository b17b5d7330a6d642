#include "ui/workstation/CoreServices.h"

#include "core/admin/Administration.h"

namespace facelead::ui {

Result<std::unique_ptr<CoreServices>> CoreServices::open(accounts::Session session, std::shared_ptr<const Clock> clock) {
    auto owned = std::make_unique<accounts::Session>(std::move(session));
    auto agency = admin::loadSettings(owned->store());
    if (!agency) return agency.error();
    std::unique_ptr<CoreServices> services(new CoreServices(std::move(owned), std::move(clock), agency.value()));
    FACELEAD_TRY(services->gallery_.load(services->store()));
    return services;
}

CoreServices::CoreServices(std::unique_ptr<accounts::Session> session, std::shared_ptr<const Clock> clock,
                           admin::AgencySettings agency)
    : session_(std::move(session)),
      clock_(std::move(clock)),
      agency_(std::move(agency)),
      accounts_(*session_),
      cases_(*session_, admin::policySettings(agency_)) {}

CoreServices::~CoreServices() = default;

}  // namespace facelead::ui
