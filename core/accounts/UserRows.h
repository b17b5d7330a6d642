#pragma once
// Private to accounts: reading users rows and the audit carry-over shared by sign-in and the service.

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/accounts/User.h"
#include "core/common/Result.h"
#include "core/store/Store.h"

namespace facelead::accounts::detail {

// Every user matching `tail` (a WHERE and/or ORDER BY clause without parameters), as the table holds them.
Result<std::vector<User>> queryUsers(store::Store& store, const std::string& tail);

// NotFound when there is no such user.
Result<User> loadUserWhere(store::Store& store, const char* column, std::string_view value);
Result<User> loadUserWhere(store::Store& store, const char* column, std::int64_t value);

// The one reason a forced sign-out queued in the key file gives. The key file is in clear and the desktop user's to
// edit, so what it carries into the next signer's entry is FaceLead's own words, never free text (trial 26 R5: a
// "reason" of "password typed: ..." rode into a colleague's signed entry).
inline constexpr std::string_view kNoLongerAdmitted =
    "the store no longer admits this account (deactivated or suspended meanwhile)";
// The status a ghost account's refused sign-in queues (an account no signed entry created).
inline constexpr std::string_view kAddedOutsideFaceLead = "added outside FaceLead";

// Appends the sign-in events recorded in the key file while the store could not be opened.
// Returns how many were appended (to clear them from the key file after the commit).
Result<std::size_t> carryOverPendingEvents(store::Transaction& tx);
// What the signer's open session could no longer sign (its account deactivated, or its key replaced, meanwhile: the
// store refused the entry) waits in the key file under the signer's name, for the next sign-in to carry over.
// `detailsJson` in FaceLead's own words only: the key file is in clear.
Result<void> queueForNextSignIn(store::Store& store, std::string_view action, std::string detailsJson);

// Appends "key.certified" for username's public key (hex), signed by the store's signer: the acting
// administrator (actorId), or with no actor the signer itself (the recovery slot, or an account declaring
// its own key at its first sign-in after the upgrade to signatures). docs/SECURITY.md.
Result<void> certifyKey(store::Transaction& tx, std::optional<std::int64_t> actorId, std::string_view username,
                        std::string_view publicKey, std::string_view reason);

// The key the audit log last certified for each account (user name -> hex; "(recovery)" included).
Result<std::map<std::string, std::string>> certifiedKeys(store::Store& store);

// The recovery key a new store's creator has not yet confirmed writing down, sealed to the creator's own key
// (accounts::unconfirmedRecoveryKey): nullopt when none waits or it is sealed to another account. A password change
// reads it with the old key pair and keeps it again under the new one.
Result<std::optional<std::string>> unconfirmedRecoveryKey(store::Store& store);
Result<void> keepUnconfirmedRecoveryKey(store::Transaction& tx, std::string_view recoveryKey);

// InvalidArgument unless 2..64 letters, digits, '.', '_' or '-'.
Result<void> checkNewUsername(std::string_view username);

}  // namespace facelead::accounts::detail
