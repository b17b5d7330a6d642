#include "core/accounts/SecondFactor.h"

#include <liboath/oath.h>
#include <qrencode.h>
#include <sodium.h>

#include <algorithm>
#include <cctype>
#include <memory>
#include <mutex>

#include <nlohmann/json.hpp>

#include "core/audit/AuditLog.h"
#include "core/common/Hash.h"
#include "core/common/Text.h"

namespace facelead::accounts {
namespace {

using detail::SecondFactorOutcome;

constexpr char kBase32Alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
constexpr std::string_view kIssuer = "FaceLead";
constexpr std::string_view kSealContext = "facelead second factor v1";
constexpr std::size_t kRecoveryCodeBytes = 10;  // 80 bits: 16 base32 characters

bool allDigits(std::string_view text) {
    return !text.empty() && std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// What a person types back: case, spaces and dashes ignored.
std::string normaliseRecoveryCode(std::string_view typed) {
    std::string code;
    for (char c : typed)
        if (std::isalnum(static_cast<unsigned char>(c)) != 0)
            code += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    return code;
}

std::string groupsOfFour(const std::string& text) {
    std::string grouped;
    for (std::size_t i = 0; i < text.size(); ++i) {
        if (i > 0 && i % 4 == 0) grouped += '-';
        grouped += text[i];
    }
    return grouped;
}

constexpr std::string_view kRecoveryCodeContext = "facelead recovery codes v3";

// The key of an enrolment's recovery codes: BLAKE2b of a context keyed with the TOTP secret, which is sealed to the
// account's own key. An insider holding the database key cannot plant a code of his own for a colleague's account
// (trial 60 F2's kind: the password plus a planted code would pass the factor), and the codes outlive the owner's
// password change, which seals the secret again to a new key pair (trial 61 F1).
store::SecureBytes recoveryCodeKey(const std::vector<std::uint8_t>& totpSecret) {
    store::SecureBytes key(crypto_generichash_KEYBYTES);
    crypto_generichash(key.data(), key.size(), reinterpret_cast<const unsigned char*>(kRecoveryCodeContext.data()),
                       kRecoveryCodeContext.size(), totpSecret.data(), totpSecret.size());
    return key;
}

// BLAKE2b-256 of a recovery code bound to its account. The code has 80 random bits: no slow hash needed. Keyed
// ("v3:", recoveryCodeKey); enrolments from before keys were unkeyed (no key: the legacy form).
std::string recoveryCodeHash(std::string_view username, std::string_view typed, const store::SecureBytes& key = {}) {
    const std::string message = "facelead recovery code:" + std::string(username) + ":" + normaliseRecoveryCode(typed);
    std::uint8_t digest[crypto_generichash_BYTES];
    crypto_generichash(digest, sizeof digest, reinterpret_cast<const unsigned char*>(message.data()), message.size(),
                       key.empty() ? nullptr : key.data(), key.size());
    return key.empty() ? toHex(digest) : "v3:" + toHex(digest);
}

std::string sealAssociatedData(const User& user) {
    return std::string(kSealContext) + ":" + std::to_string(user.id) + ":" + user.username;
}

// Sealed under the signer's own subkey (Store::sealForSigner), bound to the account.
Result<std::vector<std::uint8_t>> sealSecret(const store::Store& store, const User& user,
                                             const std::vector<std::uint8_t>& secret) {
    return store.sealForSigner(kSealContext, sealAssociatedData(user), secret);
}

// nullopt when the signer's key does not open it (the account got a new key pair since it enrolled).
std::optional<std::vector<std::uint8_t>> unsealSecret(const store::Store& store, const User& user,
                                                      const std::vector<std::uint8_t>& sealed) {
    return store.unsealForSigner(kSealContext, sealAssociatedData(user), sealed);
}

struct StoredFactor {
    std::optional<std::vector<std::uint8_t>> sealed;
    std::optional<std::int64_t> lastStep;
};

Result<StoredFactor> loadFactor(store::Transaction& tx, std::int64_t userId) {
    auto statement = tx.prepare("SELECT second_factor_secret, second_factor_last_step FROM users WHERE id = ?");
    if (!statement) return statement.error();
    statement->bind(1, userId);
    auto row = statement->step();
    if (!row) return row.error();
    StoredFactor factor;
    if (!*row) return factor;
    auto blob = statement->getBlob(0);
    if (!blob.empty()) factor.sealed = std::move(blob);
    factor.lastStep = statement->getOptionalInt(1);
    return factor;
}

Result<void> acceptStep(store::Transaction& tx, std::int64_t userId, std::int64_t step) {
    auto update = tx.prepare("UPDATE users SET second_factor_last_step = ? WHERE id = ?");
    if (!update) return update.error();
    return update->bind(1, step).bind(2, userId).run();
}

SecondFactorOutcome metBy(const char* how, std::optional<std::int64_t> step = std::nullopt) {
    nlohmann::json record{{"second_factor", how}};
    if (step) record["totp_step"] = *step;
    return {std::nullopt, std::move(record)};
}

SecondFactorOutcome refusedWith(Error error) { return {std::move(error), nlohmann::json::object()}; }

// The newest time step a signed entry of the account took ("totp_step" of a sign-in or an enrolment): the users
// table's copy may have been set back outside FaceLead to open a captured code again (trial 60 F2).
Result<std::optional<std::int64_t>> lastSignedStep(store::Store& store, std::int64_t userId) {
    auto statement = store.prepare(
        "SELECT details FROM audit_log WHERE object_type = 'user' AND object_id = CAST(? AS TEXT) "
        "AND action IN ('signin.succeeded', 'second_factor.enrolled') AND instr(details, '\"totp_step\":') > 0 "
        "ORDER BY seq DESC LIMIT 1");
    if (!statement) return statement.error();
    statement->bind(1, userId);
    auto row = statement->step();
    if (!row) return row.error();
    if (!*row) return std::optional<std::int64_t>();
    const auto details = nlohmann::json::parse(statement->getText(0), nullptr, false);
    statement->reset();
    if (!details.is_object() || !details.contains("totp_step") || !details["totp_step"].is_number_integer())
        return std::optional<std::int64_t>();
    return std::optional(details["totp_step"].get<std::int64_t>());
}

// The audit entry of the account's enrolment that still stands: signed with the key the account holds now (a new
// key pair from a password reset or the recovery key makes the old secret unreadable by design; the owner's password
// change carries it over, signed with the new key) and not reset by a program administrator since; and whether its
// recovery codes were stored keyed.
// The entries that stand for an enrolment, as an SQL list: the enrolment, and its secret carried over to the owner's
// new key at a password change (detail::carryOwnSecondFactorOver).
constexpr const char* kEnrolmentEntries = "('second_factor.enrolled', 'second_factor.carried_over')";

struct StandingEnrolment {
    std::int64_t seq = 0;
    bool keyedRecoveryCodes = false;
};

Result<std::optional<StandingEnrolment>> standingEnrolment(store::Store& store, std::int64_t userId,
                                                           const std::string& currentKey) {
    auto statement = store.prepare(R"sql(
SELECT e.seq, instr(e.details, '"recovery_codes_keyed":true') > 0 FROM audit_log e
 WHERE e.action IN )sql" + std::string(kEnrolmentEntries) + R"sql( AND e.object_type = 'user'
   AND e.object_id = CAST(?1 AS TEXT)
   AND e.signer_key = ?2
   AND NOT EXISTS (SELECT 1 FROM audit_log r WHERE r.action = 'second_factor.reset' AND r.object_type = 'user'
                      AND r.object_id = e.object_id AND r.seq > e.seq)
 ORDER BY e.seq DESC LIMIT 1)sql");
    if (!statement) return statement.error();
    statement->bind(1, userId).bind(2, currentKey);
    auto row = statement->step();
    if (!row) return row.error();
    const auto standing = *row ? std::optional(StandingEnrolment{statement->getInt(0), statement->getInt(1) == 1})
                               : std::nullopt;
    statement->reset();
    return standing;
}

// Trial 60 F2: the secret removed or spoilt in the store while its enrolment stands. Enrolling anew would hand the
// factor to whoever holds the password, which is what the factor is there against.
Result<SecondFactorOutcome> refuseRemovedFactor(store::Transaction& tx, const User& user, std::int64_t enrolledSeq) {
    FACELEAD_TRY(audit::AuditLog::append(
        tx, {user.id, "signin.refused_second_factor_removed", "user", std::to_string(user.id),
             nlohmann::json{{"enrolled_at_entry", enrolledSeq}}.dump()}));
    return refusedWith(makeError(
        ErrorCode::IntegrityViolation,
        "Your second factor was removed or changed in the store outside FaceLead: the signed audit log records your "
        "enrolment (audit entry " + std::to_string(enrolledSeq) + ") and no reset since. The password alone does not "
        "enrol a new one. Report this, and ask a program administrator to reset your second factor "
        "(Administration, Users and access; or facelead-cli user reset-second-factor)."));
}

// A wrong code: audited, and one more failure toward the lockout (the key file, last in the transaction).
Result<SecondFactorOutcome> refuse(store::Transaction& tx, const User& user, std::string_view why) {
    FACELEAD_TRY(audit::AuditLog::append(
        tx, {user.id, "signin.failed", "user", std::to_string(user.id),
             nlohmann::json{{"reason", "second factor"}, {"detail", why}}.dump()}));
    auto lockedUntil = tx.store().countFailedSecondFactor();
    if (!lockedUntil) return lockedUntil.error();
    if (*lockedUntil) {
        FACELEAD_TRY(audit::AuditLog::append(
            tx, {user.id, "account.locked", "user", std::to_string(user.id),
                 nlohmann::json{{"until", toIsoUtc(**lockedUntil)}, {"reason", "second factor"}}.dump()}));
        return refusedWith(makeError(
            ErrorCode::AccountLocked, "Wrong code from the authenticator app. This account is locked after repeated "
                                      "failed sign-ins until " + toIsoUtc(**lockedUntil) + " (UTC)."));
    }
    return refusedWith(makeError(
        ErrorCode::WrongSecondFactor,
        "Wrong code: type the current 6-digit code from your authenticator app (each code works once), or one of "
        "your recovery codes. Repeated failures lock the account."));
}

// A code of a step already taken: audited, not counted toward the lockout (above, and SecondFactor.h).
Result<SecondFactorOutcome> refuseUsedCode(store::Transaction& tx, const User& user) {
    FACELEAD_TRY(audit::AuditLog::append(
        tx, {user.id, "signin.failed", "user", std::to_string(user.id),
             nlohmann::json{{"reason", "second factor"}, {"detail", "code already used (replay)"}}.dump()}));
    return refusedWith(makeError(
        ErrorCode::WrongSecondFactor,
        "This code was used already: each code works once. Wait for the next code from your authenticator app (a "
        "new one every 30 seconds) and type that one. This does not count toward the lockout."));
}

Result<SecondFactorOutcome> enrol(store::Transaction& tx, const User& user, const SecondFactorInput& input,
                                  bool replacing) {
    const auto& enrolment = *input.enrolment;
    const auto step = totp::matchingStep(enrolment.secret, input.code, tx.now());
    if (!step) return refuse(tx, user, "enrolment not confirmed: wrong code");
    auto sealed = sealSecret(tx.store(), user, enrolment.secret);
    if (!sealed) return sealed.error();
    auto update = tx.prepare(
        "UPDATE users SET second_factor_secret = ?, second_factor_last_step = ?, second_factor_enrolled_at = ? "
        "WHERE id = ?");
    if (!update) return update.error();
    FACELEAD_TRY(update->bind(1, *sealed).bind(2, *step).bind(3, toIsoUtc(tx.now())).bind(4, user.id).run());
    auto clear = tx.prepare("DELETE FROM second_factor_recovery_codes WHERE user_id = ?");
    if (!clear) return clear.error();
    FACELEAD_TRY(clear->bind(1, user.id).run());
    auto insert = tx.prepare("INSERT INTO second_factor_recovery_codes(user_id, code_hash) VALUES (?, ?)");
    const store::SecureBytes recoveryKey = recoveryCodeKey(enrolment.secret);
    if (!insert) return insert.error();
    for (const auto& code : enrolment.recoveryCodes) {
        FACELEAD_TRY(insert->bind(1, user.id).bind(2, recoveryCodeHash(user.username, code, recoveryKey)).run());
        insert->reset();
    }
    FACELEAD_TRY(audit::AuditLog::append(
        tx, {user.id, "second_factor.enrolled", "user", std::to_string(user.id),
             nlohmann::json{{"method", "totp"},
                            {"recovery_codes", enrolment.recoveryCodes.size()},
                            {"replaced_unreadable", replacing},
                            {"recovery_codes_keyed", true},
                            {"totp_step", *step}}
                 .dump()}));
    return metBy("enrolled", step);
}

// `keyed`: the standing enrolment stored its codes keyed, so an unkeyed hash in the table was planted there.
Result<SecondFactorOutcome> useRecoveryCode(store::Transaction& tx, const User& user, std::string_view typed,
                                            const std::vector<std::uint8_t>& secret, bool keyed) {
    auto use = tx.prepare(
        "UPDATE second_factor_recovery_codes SET used_at = ? WHERE user_id = ? AND code_hash = ? AND used_at IS NULL");
    if (!use) return use.error();
    const std::string hash = keyed ? recoveryCodeHash(user.username, typed, recoveryCodeKey(secret))
                                   : recoveryCodeHash(user.username, typed);
    FACELEAD_TRY(use->bind(1, toIsoUtc(tx.now())).bind(2, user.id).bind(3, hash).run());
    if (tx.changes() == 0) return refuse(tx, user, "wrong or already used recovery code");
    auto left = tx.prepare("SELECT count(*) FROM second_factor_recovery_codes WHERE user_id = ? AND used_at IS NULL");
    if (!left) return left.error();
    left->bind(1, user.id);
    auto row = left->step();
    if (!row) return row.error();
    FACELEAD_TRY(audit::AuditLog::append(tx, {user.id, "second_factor.recovery_code_used", "user",
                                              std::to_string(user.id),
                                              nlohmann::json{{"remaining", left->getInt(0)}}.dump()}));
    return metBy("recovery_code");
}

}  // namespace

namespace totp {

std::string base32(const std::vector<std::uint8_t>& bytes) {
    std::string text;
    std::uint32_t buffer = 0;
    int bits = 0;
    for (std::uint8_t byte : bytes) {
        buffer = (buffer << 8) | byte;
        bits += 8;
        while (bits >= 5) {
            text += kBase32Alphabet[(buffer >> (bits - 5)) & 31];
            bits -= 5;
        }
    }
    if (bits > 0) text += kBase32Alphabet[(buffer << (5 - bits)) & 31];
    return text;
}

std::string otpauthUri(std::string_view username, const std::vector<std::uint8_t>& secret) {
    // User names are letters, digits, '.', '_', '-' (checkNewUsername): nothing to percent-encode.
    return "otpauth://totp/" + std::string(kIssuer) + ":" + std::string(username) + "?secret=" + base32(secret) +
           "&issuer=" + std::string(kIssuer) + "&algorithm=SHA1&digits=" + std::to_string(kTotpDigits) +
           "&period=" + std::to_string(kTotpStepSeconds);
}

std::optional<std::int64_t> matchingStep(const std::vector<std::uint8_t>& secret, std::string_view code,
                                         TimePoint now) {
    if (!allDigits(code) || code.size() < 6 || code.size() > 8) return std::nullopt;
    static std::once_flag initialised;
    std::call_once(initialised, [] { oath_init(); });
    const std::string otp(code);
    const auto seconds = std::chrono::duration_cast<std::chrono::seconds>(now.time_since_epoch()).count();
    int position = 0;
    std::uint64_t counter = 0;
    const int rc = oath_totp_validate3(reinterpret_cast<const char*>(secret.data()), secret.size(),
                                       static_cast<time_t>(seconds), kTotpStepSeconds, 0, kTotpWindowSteps,
                                       &position, &counter, otp.c_str());
    if (rc < 0) return std::nullopt;  // OATH_INVALID_OTP, or an error
    return static_cast<std::int64_t>(counter);
}

}  // namespace totp

Result<QrMatrix> qrMatrix(std::string_view text) {
    const std::string data(text);
    std::unique_ptr<QRcode, decltype(&QRcode_free)> code(
        QRcode_encodeString(data.c_str(), 0, QR_ECLEVEL_M, QR_MODE_8, 1), &QRcode_free);
    if (!code) return makeError(ErrorCode::InvalidArgument, "This text cannot be shown as a QR code.");
    QrMatrix matrix;
    matrix.size = code->width;
    matrix.dark.resize(static_cast<std::size_t>(code->width) * code->width);
    for (std::size_t i = 0; i < matrix.dark.size(); ++i) matrix.dark[i] = (code->data[i] & 1) != 0;  // bit 0: dark
    return matrix;
}

Result<SecondFactorEnrolment> newEnrolment(std::string_view username) {
    SecondFactorEnrolment enrolment;
    enrolment.secret.resize(kTotpSecretBytes);
    randombytes_buf(enrolment.secret.data(), enrolment.secret.size());
    enrolment.secretText = groupsOfFour(totp::base32(enrolment.secret));
    enrolment.uri = totp::otpauthUri(username, enrolment.secret);
    auto qr = qrMatrix(enrolment.uri);
    if (!qr) return qr.error();
    enrolment.qr = std::move(*qr);
    for (int i = 0; i < kRecoveryCodeCount; ++i) {
        std::vector<std::uint8_t> random(kRecoveryCodeBytes);
        randombytes_buf(random.data(), random.size());
        enrolment.recoveryCodes.push_back(groupsOfFour(totp::base32(random)));
    }
    return enrolment;
}

namespace detail {

Result<SecondFactorOutcome> checkSecondFactor(store::Transaction& tx, const audit::AccountLedger& ledger,
                                              const User& user, const SecondFactorInput& input, bool ownPasswordDue) {
    auto required = ledger.settingAsSigned(tx.store(), kSecondFactorRequiredSetting);
    if (!required) return required.error();
    if (required->value_or("0") != "1") return metBy("not_required");
    auto stored = loadFactor(tx, user.id);
    if (!stored) return stored.error();
    auto standing = standingEnrolment(tx.store(), user.id, tx.store().signerPublicKey());
    if (!standing) return standing.error();
    const auto secret = stored->sealed ? unsealSecret(tx.store(), user, *stored->sealed) : std::nullopt;
    if (!secret) {
        if (*standing) return refuseRemovedFactor(tx, user, (*standing)->seq);
        if (ownPasswordDue) return metBy("after_own_password");
        if (input.enrolment && !input.code.empty()) return enrol(tx, user, input, stored->sealed.has_value());
        return refusedWith(makeError(
            ErrorCode::SecondFactorEnrolmentRequired,
            stored->sealed ? "Your second factor must be enrolled again: your password was reset or recovered, "
                             "which gave the account a new key. Enrol your authenticator app now."
                           : "The agency requires a second factor (CJIS 5.6) and your account has none yet. "
                             "Enrol your authenticator app now."));
    }
    if (input.code.empty())
        return refusedWith(makeError(
            ErrorCode::SecondFactorRequired,
            "The agency requires a second factor: type the 6-digit code from your authenticator app, or one of "
            "your recovery codes."));
    if (!allDigits(input.code))
        return useRecoveryCode(tx, user, input.code, *secret, *standing && (*standing)->keyedRecoveryCodes);
    const auto step = totp::matchingStep(*secret, input.code, tx.now());
    if (!step) return refuse(tx, user, "wrong code");
    auto signedStep = lastSignedStep(tx.store(), user.id);
    if (!signedStep) return signedStep.error();
    // The step a signed entry took is the truth; the table's copy counts only for an account no signed entry records a
    // step for yet (enrolled before they were). Set back, a captured code would open again (trial 60 F2); set forward,
    // every code would be "used already" for good (trial 61 F6).
    const std::optional<std::int64_t> lastTaken = *signedStep ? *signedStep : stored->lastStep;
    if (lastTaken && *step <= *lastTaken) return refuseUsedCode(tx, user);
    FACELEAD_TRY(acceptStep(tx, user.id, *step));
    return metBy("totp", step);
}

Result<void> clearSecondFactor(store::Transaction& tx, std::int64_t userId) {
    auto update = tx.prepare(
        "UPDATE users SET second_factor_secret = NULL, second_factor_last_step = NULL, "
        "second_factor_enrolled_at = NULL WHERE id = ?");
    if (!update) return update.error();
    FACELEAD_TRY(update->bind(1, userId).run());
    auto clear = tx.prepare("DELETE FROM second_factor_recovery_codes WHERE user_id = ?");
    if (!clear) return clear.error();
    return clear->bind(1, userId).run();
}

Result<OwnSecondFactor> readOwnSecondFactor(store::Transaction& tx, const User& user) {
    auto stored = loadFactor(tx, user.id);
    if (!stored) return stored.error();
    OwnSecondFactor factor;
    if (stored->sealed) factor.secret = unsealSecret(tx.store(), user, *stored->sealed);
    if (!factor.secret) return factor;
    auto standing = standingEnrolment(tx.store(), user.id, tx.store().signerPublicKey());
    if (!standing) return standing.error();
    if (*standing) factor = {std::move(factor.secret), (*standing)->seq, (*standing)->keyedRecoveryCodes};
    return factor;
}

Result<void> carryOwnSecondFactorOver(store::Transaction& tx, const User& user, const OwnSecondFactor& factor) {
    if (!factor.secret) return {};
    auto sealed = sealSecret(tx.store(), user, *factor.secret);
    if (!sealed) return sealed.error();
    auto update = tx.prepare("UPDATE users SET second_factor_secret = ? WHERE id = ?");
    if (!update) return update.error();
    FACELEAD_TRY(update->bind(1, *sealed).bind(2, user.id).run());
    nlohmann::json details{{"method", "totp"}, {"reason", "password changed"},
                           {"recovery_codes_keyed", factor.keyedRecoveryCodes}};
    if (factor.enrolledAtEntry > 0) details["enrolled_at_entry"] = factor.enrolledAtEntry;
    FACELEAD_TRY(audit::AuditLog::append(tx, {user.id, "second_factor.carried_over", "user", std::to_string(user.id),
                                              details.dump()}));
    return {};
}

}  // namespace detail

Result<std::vector<std::string>> secondFactorsRemoved(store::Store& store) {
    auto statement = store.prepare(R"sql(
SELECT u.username, e.seq FROM users u
  JOIN audit_log e ON e.action IN )sql" + std::string(kEnrolmentEntries) + R"sql( AND e.object_type = 'user'
                  AND e.object_id = CAST(u.id AS TEXT)
 WHERE u.second_factor_secret IS NULL
   AND e.seq = (SELECT max(x.seq) FROM audit_log x
                 WHERE x.action IN )sql" + std::string(kEnrolmentEntries) + R"sql( AND x.object_type = 'user'
                   AND x.object_id = e.object_id)
   AND NOT EXISTS (SELECT 1 FROM audit_log r WHERE r.seq > e.seq AND (
         (r.object_type = 'user' AND r.object_id = e.object_id
            AND r.action IN ('second_factor.reset', 'user.password_reset', 'account.recovered'))
         OR (r.action = 'key.certified' AND instr(r.details, '"username":"' || u.username || '"') > 0)))
 ORDER BY u.username)sql");
    if (!statement) return statement.error();
    std::vector<std::string> found;
    while (true) {
        auto row = statement->step();
        if (!row) return row.error();
        if (!*row) return found;
        found.push_back("The account " + text::forTerminal(statement->getText(0)) +
                        " has no second factor in the store, but the signed audit log records its enrolment (audit "
                        "entry " + std::to_string(statement->getInt(1)) +
                        ") and no reset since: it was removed outside FaceLead. Its owner is refused until a program "
                        "administrator resets it.");
    }
}

}  // namespace facelead::accounts
