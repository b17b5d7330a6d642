#include "core/accounts/KeyApproval.h"

#include <cctype>
#include <cstdint>
#include <span>
#include <vector>

#include "core/common/Hash.h"

namespace facelead::accounts {
namespace {

constexpr std::size_t kFingerprintDigits = 20;  // 80 bits

std::string fingerprintDigits(std::string_view publicKeyHex) {
    std::vector<std::uint8_t> key;
    if (!fromHex(publicKeyHex, key)) return {};
    std::string digits = sha256Hex(std::span<const std::uint8_t>(key)).substr(0, kFingerprintDigits);
    for (char& c : digits) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    return digits;
}

}  // namespace

std::string keyFingerprint(std::string_view publicKeyHex) {
    const std::string digits = fingerprintDigits(publicKeyHex);
    std::string grouped;
    for (std::size_t i = 0; i < digits.size(); i += 4) grouped += (i ? " " : "") + digits.substr(i, 4);
    return grouped;
}

bool fingerprintMatches(std::string_view typed, std::string_view publicKeyHex) {
    std::string digits;
    for (const char c : typed) {
        if (c == ' ' || c == '-') continue;
        digits += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    }
    const std::string expected = fingerprintDigits(publicKeyHex);
    return !expected.empty() && digits == expected;
}

bool ownKeyAwaitsApproval(const audit::AccountLedger& ledger, const std::string& username) {
    const auto standing = ledger.keyAwaitingApproval(username);
    return standing && standing->ownerMade;
}

bool keyReplacedInLostEntries(const audit::AccountLedger& ledger, const std::string& username) {
    return ledger.certifiedKey(username) == audit::AccountLedger::kKeyReplacedElsewhere;
}

Error keyAwaitsApproval(std::string_view username, std::string_view publicKeyHex) {
    return makeError(ErrorCode::AccountNotActive,
                     "Your own password is set. Until a supervisor who did not set your password approves your new "
                     "key, you cannot work: show them, in person, its fingerprint " + keyFingerprint(publicKeyHex) +
                         " (Administration > Users and access > Approve key…, or facelead-cli user approve-key " +
                         std::string(username) + "; SOP 302.02 VI.D.2.a).");
}

}  // namespace facelead::accounts
