#include "core/workflow/PolicyPack.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <nlohmann/json.hpp>
#include <stdexcept>

#include "core/common/Text.h"
#include "core/workflow/detail/Names.h"

namespace facelead::workflow {
namespace detail {
const std::vector<std::string_view>& shippedPackTexts();  // ShippedPacks.cpp, generated
}

namespace {

constexpr std::string_view kFormat = "facelead-policy-pack/1";
constexpr int kMaxDays = 36500;
constexpr int kMaxCandidates = 200;  // the most a screen lists and an examiner can review

constexpr std::array kReports{
    detail::Named<StatutoryReportKind>{StatutoryReportKind::SopAnnualReview, "sop-annual-review"},
    detail::Named<StatutoryReportKind>{StatutoryReportKind::Maryland2510, "maryland-2-510"},
    detail::Named<StatutoryReportKind>{StatutoryReportKind::WashingtonRcw43386, "washington-43-386"},
};

using Json = nlohmann::json;

// target = the value of a Result, or return its error.
#define ASSIGN_OR_RETURN(target, expr)                  \
    do {                                                \
        auto assign_result_ = (expr);                   \
        if (!assign_result_) return assign_result_.error(); \
        target = std::move(*assign_result_);            \
    } while (false)

Error packError(const std::string& id, const std::string& problem) {
    return makeError(ErrorCode::InvalidPolicyPack,
                     "The rule pack" + (id.empty() ? std::string() : " '" + id + "'") + " is not valid: " + problem);
}

// Reads one field, naming it when it is missing or of the wrong type.
class PackReader {
public:
    PackReader(const Json& json, std::string id) : json_(json), id_(std::move(id)) {}

    Result<std::string> text(const Json& object, const char* field, bool required = true) const {
        const auto it = object.find(field);
        if (it == object.end()) {
            if (!required) return std::string();
            return fail(std::string("'") + field + "' is missing.");
        }
        if (!it->is_string()) return fail(std::string("'") + field + "' must be text.");
        auto value = it->get<std::string>();
        if (required && value.empty()) return fail(std::string("'") + field + "' is empty.");
        return value;
    }
    Result<int> number(const Json& object, const char* field, int minimum, int maximum) const {
        const auto it = object.find(field);
        if (it == object.end()) return fail(std::string("'") + field + "' is missing.");
        if (!it->is_number_integer()) return fail(std::string("'") + field + "' must be a whole number.");
        const auto value = it->get<long long>();
        if (value < minimum || value > maximum)
            return fail(std::string("'") + field + "' must be between " + std::to_string(minimum) + " and " +
                        std::to_string(maximum) + ".");
        return static_cast<int>(value);
    }
    Result<bool> flag(const Json& object, const char* field) const {
        const auto it = object.find(field);
        if (it == object.end()) return fail(std::string("'") + field + "' is missing.");
        if (!it->is_boolean()) return fail(std::string("'") + field + "' must be true or false.");
        return it->get<bool>();
    }
    Result<const Json*> member(const Json& object, const char* field, Json::value_t type) const {
        const auto it = object.find(field);
        if (it == object.end()) return fail(std::string("'") + field + "' is missing.");
        if (it->type() != type)
            return fail(std::string("'") + field + "' must be " +
                        (type == Json::value_t::array ? "a list." : "an object."));
        return &*it;
    }
    Result<std::set<Purpose>> purposeSet(const Json& object, const char* field) const {
        auto list = member(object, field, Json::value_t::array);
        if (!list) return list.error();
        std::set<Purpose> purposes;
        for (const auto& entry : **list) {
            const auto code = entry.is_string() ? purposeFromCode(entry.get<std::string>()) : std::nullopt;
            if (!code)
                return fail(std::string("'") + field + "' names " + entry.dump() +
                            ", not a purpose of SOP 302.02 VI.A (e.g. \"suspected_offence\").");
            purposes.insert(*code);
        }
        return purposes;
    }
    Result<Phrases> phrases(const Json& object, const char* field) const {
        auto list = member(object, field, Json::value_t::array);
        if (!list) return list.error();
        std::vector<std::string> texts;
        for (const auto& entry : **list) {
            if (!entry.is_string()) return fail(std::string("'") + field + "' must list text.");
            texts.push_back(entry.get<std::string>());
        }
        auto read = phrasesFrom(texts);
        if (!read) return fail(std::string("'") + field + "': " + read.error().message);
        return read;
    }
    Error fail(const std::string& problem) const { return packError(id_, problem); }
    const Json& json() const { return json_; }

private:
    const Json& json_;
    std::string id_;
};

bool equalsIgnoreCase(std::string_view a, std::string_view b) {
    return std::ranges::equal(a, b, [](char x, char y) {
        return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y));
    });
}

Result<std::vector<OffenceCategory>> readCategories(const PackReader& in) {
    auto list = in.member(in.json(), "offenceCategories", Json::value_t::array);
    if (!list) return list.error();
    std::vector<OffenceCategory> categories;
    for (const auto& entry : **list) {
        if (!entry.is_object()) return in.fail("each offence category must be an object {code, label, citation}.");
        OffenceCategory category;
        ASSIGN_OR_RETURN(category.code, in.text(entry, "code"));
        ASSIGN_OR_RETURN(category.label, in.text(entry, "label"));
        ASSIGN_OR_RETURN(category.citation, in.text(entry, "citation"));
        if (entry.contains("purposes")) ASSIGN_OR_RETURN(category.purposes, in.purposeSet(entry, "purposes"));
        if (entry.contains("notWhenNamed")) ASSIGN_OR_RETURN(category.notWhenNamed, in.phrases(entry, "notWhenNamed"));
        if (category.code.find(':') != std::string::npos || category.label.find(':') != std::string::npos)
            return in.fail("offence category '" + category.code + "': a ':' ends the category in an offence text.");
        if (std::ranges::any_of(categories, [&](const auto& c) { return c.code == category.code; }))
            return in.fail("offence category '" + category.code + "' is listed twice.");
        categories.push_back(std::move(category));
    }
    return categories;
}

Result<CandidateListBounds> readCandidates(const PackReader& in) {
    auto object = in.member(in.json(), "candidateList", Json::value_t::object);
    if (!object) return object.error();
    CandidateListBounds bounds;
    ASSIGN_OR_RETURN(bounds.minimum, in.number(**object, "min", 1, kMaxCandidates));
    ASSIGN_OR_RETURN(bounds.maximum, in.number(**object, "max", bounds.minimum, kMaxCandidates));
    ASSIGN_OR_RETURN(bounds.byDefault, in.number(**object, "default", bounds.minimum, bounds.maximum));
    ASSIGN_OR_RETURN(bounds.citation, in.text(**object, "citation"));
    return bounds;
}

Result<PolicyPack> readPack(const PackReader& in) {
    const Json& json = in.json();
    PolicyPack pack;
    auto format = in.text(json, "format");
    if (!format) return format.error();
    if (*format != kFormat) return in.fail("its format is '" + *format + "', not '" + std::string(kFormat) + "'.");
    ASSIGN_OR_RETURN(pack.id, in.text(json, "id"));
    ASSIGN_OR_RETURN(pack.version, in.number(json, "version", 1, 1000000));
    ASSIGN_OR_RETURN(pack.title, in.text(json, "title"));
    ASSIGN_OR_RETURN(pack.source, in.text(json, "source"));
    ASSIGN_OR_RETURN(pack.offenceCategories, readCategories(in));
    ASSIGN_OR_RETURN(pack.purposesAllowed, in.purposeSet(json, "purposesAllowed"));
    if (pack.purposesAllowed.empty()) return in.fail("'purposesAllowed' lists no purpose: no search could run.");
    auto approver = in.member(json, "secondApprover", Json::value_t::object);
    if (!approver) return approver.error();
    ASSIGN_OR_RETURN(pack.purposesNeedingApproval, in.purposeSet(**approver, "purposes"));
    ASSIGN_OR_RETURN(pack.approvalCitation, in.text(**approver, "citation"));
    for (const auto purpose : pack.purposesNeedingApproval) {
        if (!pack.purposesAllowed.contains(purpose))
            return in.fail("purpose '" + std::string(purposeInfo(purpose).code) +
                           "' needs a second approver but is not allowed.");
    }
    ASSIGN_OR_RETURN(pack.candidates, readCandidates(in));
    ASSIGN_OR_RETURN(pack.trainingValidityDays, in.number(json, "trainingValidityDays", 0, kMaxDays));
    auto retention = in.member(json, "retention", Json::value_t::object);
    if (!retention) return retention.error();
    ASSIGN_OR_RETURN(pack.probeRetentionDays, in.number(**retention, "probeDays", 0, kMaxDays));
    ASSIGN_OR_RETURN(pack.searchRecordRetentionDays, in.number(**retention, "searchRecordDays", 0, kMaxDays));
    ASSIGN_OR_RETURN(pack.retentionCitation, in.text(**retention, "citation"));
    auto verification = in.member(json, "independentVerification", Json::value_t::object);
    if (!verification) return verification.error();
    ASSIGN_OR_RETURN(pack.verificationBeforeClearing, in.flag(**verification, "beforeClearing"));
    ASSIGN_OR_RETURN(pack.verificationCitation, in.text(**verification, "citation"));
    auto report = in.text(json, "statutoryReport");
    if (!report) return report.error();
    const auto kind = statutoryReportFromName(*report);
    if (!kind) return in.fail("'statutoryReport' is '" + *report + "', not a report FaceLead produces.");
    pack.report = *kind;
    ASSIGN_OR_RETURN(pack.notes, in.text(json, "notes", false));
    return pack;
}

std::vector<PolicyPack> parseShipped() {
    std::vector<PolicyPack> packs;
    for (const auto text : detail::shippedPackTexts()) {
        auto pack = parsePolicyPack(text);
        // The build ships only packs the tests parse (PolicyPackTest); a broken one is a build defect.
        if (!pack) throw std::logic_error(pack.error().message);
        packs.push_back(std::move(*pack));
    }
    return packs;
}

}  // namespace

std::string_view statutoryReportName(StatutoryReportKind kind) { return detail::nameOf(kReports, kind); }
std::optional<StatutoryReportKind> statutoryReportFromName(std::string_view name) {
    return detail::valueNamed(kReports, name);
}

std::string PolicyPack::name() const { return title + " v" + std::to_string(version); }

bool PolicyPack::allowsPurpose(Purpose purpose) const {
    return purposesAllowed.empty() || purposesAllowed.contains(purpose);
}

const OffenceCategory* PolicyPack::categoryOf(std::string_view offence) const {
    const auto named = text::trimmed(offence.substr(0, offence.find(':')));
    for (const auto& category : offenceCategories) {
        if (equalsIgnoreCase(named, category.code) || equalsIgnoreCase(named, category.label)) return &category;
    }
    return nullptr;
}

PermittedChoices permittedChoices(const PolicyPack& pack) {
    PermittedChoices choices{{}, pack.approvalCitation, pack.offenceCategories, pack.source};
    for (const PurposeInfo& info : purposes()) {
        if (pack.allowsPurpose(info.purpose)) choices.purposes.push_back({info.purpose, pack.needsApproval(info.purpose)});
    }
    return choices;
}

std::string PermittedChoices::offenceText(const OffenceCategory& category, std::string_view details) {
    const auto rest = text::trimmed(details);
    if (rest.empty()) return category.code;
    return category.code + ": " + std::string(rest);
}

Result<PolicyPack> parsePolicyPack(std::string_view text) {
    const Json json = Json::parse(text, nullptr, false);
    if (json.is_discarded()) return packError("", "it is not JSON.");
    if (!json.is_object()) return packError("", "it is not a JSON object.");
    const auto id = json.contains("id") && json["id"].is_string() ? json["id"].get<std::string>() : std::string();
    return readPack(PackReader(json, id));
}

std::span<const PolicyPack> shippedPacks() {
    static const std::vector<PolicyPack> packs = parseShipped();
    return packs;
}

Result<PolicyPack> findPack(std::string_view id) {
    std::string known;
    for (const auto& pack : shippedPacks()) {
        if (pack.id == id) return pack;
        known += (known.empty() ? "" : ", ") + pack.id;
    }
    return makeError(ErrorCode::NotFound, "There is no rule pack '" + std::string(id) + "' (shipped: " + known + ").");
}

}  // namespace facelead::workflow
