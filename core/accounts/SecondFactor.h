#pragma once
// The second factor (CJIS Security Policy 5.6.2.2, NIST SP 800-63B AAL2): a time-based one-time password
// (TOTP, RFC 6238: HMAC-SHA1, 6 digits, 30-second steps) from an authenticator app, plus ten one-time
// recovery codes. Optional: the agency turns it on (admin setting "admin.second_factor_required",
// program administrator only, audited as settings.changed); while on, every sign-in and every unlock needs
// a code, and an account without a factor enrols one at its next sign-in, before it gets a session.
//
// Where things live (docs/SECURITY.md "Second factor"):
//  - the TOTP secret is sealed (XChaCha20-Poly1305) with Store::signerSubkey, a key only the user's own key
//    slot yields: an insider holding the database key cannot read another user's secret. A new key pair
//    from someone else (an administrator's password reset, the recovery key) makes the sealed secret unreadable:
//    the account enrols again at its next sign-in (audited). The owner's own password change seals it again to
//    the account's next key pair ("second_factor.carried_over", signed with the new key: trial 61 F1).
//  - recovery codes are kept only as BLAKE2b hashes keyed by a subkey of the TOTP secret (80 random bits each),
//    each usable once: planting one needs the sealed secret, and they outlive a password change.
//  - the newest accepted time step is kept, and signed: each "signin.succeeded" entry records the step it took,
//    and the signed step is the one that counts (the table's copy set forward refuses nothing: trial 61 F6),
//    so a step set back in the users table opens no captured code again (trial 60 F2). A code used once
//    already is refused as such, without counting toward the lockout: it is the owner's own next command
//    within the same 30 seconds far more often than a thief (trial 60 F3), and it opens nothing either way.
//  - a secret removed or spoilt in the store while the signed log says it stands (an enrolment under the
//    account's current key, no reset since) refuses the sign-in: otherwise whoever held the password alone
//    enrolled a new factor of his own (trial 60 F2). Only a program administrator's reset lets it enrol again.
// Verification is liboath's (oath_totp_validate3, a window of +-1 step for clock drift); the QR code is
// libqrencode's (the core returns the module matrix, the UI paints it). Time comes from the store's clock.
//
// Threading: pure functions, except checkSecondFactor (runs on the store's thread, inside its transaction).

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/accounts/User.h"
#include "core/audit/AccountLedger.h"
#include "core/common/Clock.h"
#include "core/common/Result.h"
#include "core/store/Store.h"

#include <nlohmann/json.hpp>

namespace facelead::accounts {

// The agency setting's storage key ("1": required). AgencySettings::secondFactorRequired is its value.
inline constexpr const char* kSecondFactorRequiredSetting = "admin.second_factor_required";
inline constexpr int kTotpDigits = 6;
inline constexpr unsigned kTotpStepSeconds = 30;   // RFC 6238 section 5.2
inline constexpr std::size_t kTotpWindowSteps = 1;  // a step either side: clock drift, typing time
inline constexpr std::size_t kTotpSecretBytes = 20;  // 160 bits: RFC 4226 section 4 recommends it
inline constexpr int kRecoveryCodeCount = 10;

namespace totp {
// RFC 4648 base32 without padding (what authenticator apps take).
std::string base32(const std::vector<std::uint8_t>& bytes);
// otpauth://totp/FaceLead:<user>?secret=...&issuer=FaceLead&algorithm=SHA1&digits=6&period=30
std::string otpauthUri(std::string_view username, const std::vector<std::uint8_t>& secret);
// The time step (RFC 6238 T = unix time / 30) whose code equals `code` within the window around now;
// nullopt when none does or the code is not digits. Codes of 6 to 8 digits (the RFC's test vectors use 8).
std::optional<std::int64_t> matchingStep(const std::vector<std::uint8_t>& secret, std::string_view code,
                                         TimePoint now);
}  // namespace totp

// A QR code's modules, row by row (true: dark). size x size, without the quiet zone the painter adds.
struct QrMatrix {
    int size = 0;
    std::vector<bool> dark;
    bool at(int x, int y) const { return dark[static_cast<std::size_t>(y * size + x)]; }
};
// Error correction level M. InvalidArgument when libqrencode refuses the text.
Result<QrMatrix> qrMatrix(std::string_view text);

// What an enrolling user is shown once: the secret (as text to type, and inside the URI / QR code) and the
// recovery codes. Nothing is stored until signIn confirms it with a code from the app.
struct SecondFactorEnrolment {
    std::vector<std::uint8_t> secret;
    std::string secretText;                  // base32, groups of 4 for reading aloud
    std::string uri;                         // otpauth://
    QrMatrix qr;
    std::vector<std::string> recoveryCodes;  // xxxx-xxxx-xxxx-xxxx (base32: 80 bits)
};
Result<SecondFactorEnrolment> newEnrolment(std::string_view username);

// What the person signing in typed for the second factor.
struct SecondFactorInput {
    std::string code;  // 6 digits from the app, or a recovery code; empty: not asked yet
    // Set while enrolling: `code` must then come from this secret.
    std::optional<SecondFactorEnrolment> enrolment;
};

namespace detail {
// What the second factor came to at one sign-in: the refusal to return once the transaction committed what it
// recorded, or, when the user may proceed, how the factor was met for the sign-in's own entry (an auditor reads
// that each sign-in passed the factor the agency required): {"second_factor": "not_required" | "totp" |
// "recovery_code" | "enrolled", "totp_step": the RFC 6238 step accepted}.
struct SecondFactorOutcome {
    std::optional<Error> refusal;
    nlohmann::json record = nlohmann::json::object();
};

// Inside the sign-in (or unlock) transaction, after the password opened the store and before the session
// is handed out. A wrong code: "signin.failed" {reason: second factor} and one more failure toward the
// lockout, possibly "account.locked"; a code used already: "signin.failed", not counted; a secret removed
// outside FaceLead (above): "signin.refused_second_factor_removed".
// Whether the agency requires the factor is read as a program administrator last signed it (`ledger`, caught up),
// never from the settings table (trial 28 N1: "0" written into the table switched it off for everyone).
// An account with no factor whose password another account set (ownPasswordDue: a new account, a reset) is not
// enrolled yet: whoever set that password would be shown the secret and the recovery codes (trial 82 F13: the
// administrator who reset a password enrolled the owner's factor). Its session may only choose its own password
// (Authority.h), and the factor is enrolled at the first sign-in with that password.
Result<SecondFactorOutcome> checkSecondFactor(store::Transaction& tx, const audit::AccountLedger& ledger,
                                              const User& user, const SecondFactorInput& input, bool ownPasswordDue);
// Forgets the account's TOTP secret and recovery codes (AccountService::resetSecondFactor audits it).
Result<void> clearSecondFactor(store::Transaction& tx, std::int64_t userId);

// A password change (AccountService::changePassword) gives the signer a new key pair: the TOTP secret is read with
// the old key (readOwnSecondFactor, before Store::adoptSigningKey) and sealed to the new one after it
// (carryOwnSecondFactorOver, which records "second_factor.carried_over" signed with the new key, so that the
// enrolment still stands for checkSecondFactor and secondFactorsRemoved). Nothing to carry when the account has
// no readable secret.
struct OwnSecondFactor {
    std::optional<std::vector<std::uint8_t>> secret;
    std::int64_t enrolledAtEntry = 0;  // the standing enrolment's audit entry, 0 for none
    bool keyedRecoveryCodes = false;
};
Result<OwnSecondFactor> readOwnSecondFactor(store::Transaction& tx, const User& user);
Result<void> carryOwnSecondFactorOver(store::Transaction& tx, const User& user, const OwnSecondFactor& factor);
}  // namespace detail

// For audit verify: one sentence per account whose TOTP secret is gone from the store while the signed log says
// it stands (enrolled under the key the account still has, never reset). A secret spoilt rather than removed
// is seen only by its owner's next sign-in (it is sealed to that owner's key).
Result<std::vector<std::string>> secondFactorsRemoved(store::Store& store);

}  // namespace facelead::accounts
