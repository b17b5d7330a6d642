#pragma once
// Private to accounts: reading users rows and the audit carry-over shared by sign-in and the service.

#include <optional>
#include <string_view>

#include "core/accounts/User.h"
#include "core/common/Result.h"
#include "core/store/Store.h"

namespace facelead::accounts::detail {

// NotFound when there is no such user.
Result<User> loadUserWhere(store::Store& store, const char* column, std::string_view value);
Result<User> loadUserWhere(store::Store& store, const char* column, std::int64_t value);

// Appends the sign-in events recorded in the key file while the store could not be opened.
// Returns how many were appended (to clear them from the key file after the commit).
Result<std::size_t> carryOverPendingEvents(store::Transaction& tx);

// InvalidArgument unless 2..64 letters, digits, '.', '_' or '-'.
Result<void> checkNewUsername(std::string_view username);

}  // namespace facelead::accounts::detail
