// CaseService: cases, images, requests and searches. Leads are in CaseLeads.cpp, the history and work
// lists in CaseHistory.cpp.

#include "core/cases/CaseService.h"
#include "core/cases/SearchRunEntry.h"

#include <algorithm>
#include <numeric>

#include <sodium.h>

#include <nlohmann/json.hpp>

#include "core/accounts/AccountService.h"
#include "core/accounts/Authority.h"
#include "core/audit/AnchorFindings.h"
#include "core/audit/ImageIntegrity.h"
#include "core/audit/SettingsRemedy.h"
#include "core/cases/detail/Audit.h"
#include "core/cases/detail/NeedToKnow.h"
#include "core/cases/detail/SignedRows.h"
#include "core/cases/detail/RequestColumns.h"
#include "core/cases/detail/Rows.h"
#include "core/common/Hash.h"
#include "core/common/Text.h"
#include "core/face/DescriptorBlob.h"
#include "core/face/QualityJson.h"
#include "core/gallery/EnrolledFaces.h"
#include "core/imaging/Video.h"
#include "core/workflow/Access.h"

namespace facelead::cases {
namespace {

using Json = nlohmann::json;
using detail::queryAll;

std::string now(store::Transaction& tx) { return toIsoUtc(tx.now()); }

workflow::UserAccess userAccess(const accounts::User& user) {
    return workflow::UserAccess{user.status, user.approvedAt.has_value(), user.roles, user.trainingCompletedAt};
}

// What intake read and noticed, stored with the original so reports say it too (damage, animation frames).
Json metadataToJson(const imaging::Image& image) {
    const imaging::CaptureMetadata& metadata = image.metadata;
    Json json = Json::object();
    if (metadata.dateTimeOriginal) json["date_time_original"] = *metadata.dateTimeOriginal;
    if (metadata.cameraMake) json["camera_make"] = *metadata.cameraMake;
    if (metadata.cameraModel) json["camera_model"] = *metadata.cameraModel;
    json["exif_orientation"] = metadata.exifOrientation;
    if (image.notes.damage) json["damage"] = *image.notes.damage;
    if (image.notes.animated()) json["frames"] = {{"count", image.notes.frameCount}, {"used", image.notes.frameUsed + 1}};
    return json;
}

bool insideImage(const face::Box& box, const ImageRecord& image) {
    return box.left >= 0 && box.top >= 0 && box.right > box.left && box.bottom > box.top &&
           box.right <= image.width && box.bottom <= image.height;
}

struct NewImageRow {
    std::int64_t caseId = 0;
    std::optional<std::int64_t> parentId;
    ImageKind kind = ImageKind::Original;
    std::span<const std::uint8_t> bytes;
    std::string sha256;
    std::string format;
    int width = 0, height = 0;
    std::string captureMetadataJson;
    std::string source;
    std::optional<std::string> recipeJson;
};

Result<std::int64_t> insertImage(store::Transaction& tx, const NewImageRow& image, std::int64_t userId) {
    auto insert = tx.prepare(
        "INSERT INTO images(case_id, parent_id, kind, bytes, sha256, size_bytes, format, width, height, "
        "capture_metadata, source, recipe, created_by, created_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)");
    if (!insert) return insert.error();
    FACELEAD_TRY(insert->bind(1, image.caseId)
                     .bind(2, image.parentId)
                     .bind(3, detail::imageKindName(image.kind))
                     .bind(4, image.bytes)
                     .bind(5, image.sha256)
                     .bind(6, static_cast<std::int64_t>(image.bytes.size()))
                     .bind(7, image.format)
                     .bind(8, image.width)
                     .bind(9, image.height)
                     .bind(10, image.captureMetadataJson)
                     .bind(11, image.source)
                     .bind(12, image.recipeJson)
                     .bind(13, userId)
                     .bind(14, now(tx))
                     .run());
    return tx.lastInsertId();
}

// The case's image of `kind` (made from `parentId`, for a copy) with exactly these bytes, if it holds one: the
// same file is stored once per case (issue 9 re-trial: one file loaded three times made images 1, 2 and 3).
Result<std::optional<std::int64_t>> sameImageInCase(store::Store& store, std::int64_t caseId, ImageKind kind,
                                                    std::optional<std::int64_t> parentId, const std::string& sha256) {
    auto statement = store.prepare("SELECT id FROM images WHERE case_id = ? AND kind = ? AND parent_id IS ? "
                                   "AND sha256 = ? ORDER BY id LIMIT 1");
    if (!statement) return statement.error();
    statement->bind(1, caseId).bind(2, detail::imageKindName(kind)).bind(3, parentId).bind(4, sha256);
    auto row = statement->step();
    if (!row) return row.error();
    return *row ? std::optional(statement->getInt(0)) : std::nullopt;
}

// The image already stored (sameImageInCase), marked so, or nullopt when the bytes are new to the case.
Result<std::optional<ImageRecord>> alreadyStored(store::Store& store, std::int64_t caseId, ImageKind kind,
                                                 std::optional<std::int64_t> parentId, const std::string& sha256) {
    auto same = sameImageInCase(store, caseId, kind, parentId, sha256);
    if (!same) return same.error();
    if (!*same) return std::optional<ImageRecord>{};
    auto record = detail::loadImage(store, **same);
    if (!record) return record.error();
    record->alreadyStored = true;
    return std::optional(std::move(*record));
}

// Reads an image's bytes with the hash re-check (the helper audits a mismatch) and decodes them.
Result<imaging::Image> verifiedPixels(store::Store& store, std::int64_t userId, std::int64_t imageId) {
    auto bytes = audit::readImageBytes(store, userId, imageId);
    if (!bytes) return bytes.error();
    return imaging::decodeBytes(bytes->bytes);
}

// "image.viewed": every read of a stored image's content is in the audit log (VI.C.2).
Result<void> recordViewed(store::Store& store, std::int64_t userId, const ImageRecord& image) {
    return store.transact([&](store::Transaction& tx) {
        return detail::recordEvent(tx, userId, "image.viewed", "image", image.id, {{"case_id", image.caseId}});
    });
}

// A stored video is original evidence, never a picture to decode: its frames are derived images (takeVideoFrame).
Result<void> notAVideo(const ImageRecord& image) {
    if (!imaging::isVideoFormat(image.format)) return {};
    return makeError(ErrorCode::UnsupportedFormat,
                     "Image " + std::to_string(image.id) + " is a video (" + image.format +
                         "), kept as original evidence; its frames taken as probes are the derived images (VI.B.2).");
}

// Stores `rgb`, made from `parent` by `recipe`, as a NEW derived PNG image with its audit event, in one
// transaction. The same pixels from the same parent are that copy again (ImageRecord::alreadyStored).
// `captureMetadataJson`: what taking the image noticed (a frame's damage), as an original's intake notes.
Result<ImageRecord> storeDerived(store::Store& store, std::int64_t userId, const ImageRecord& parent, const cv::Mat& rgb,
                                 const imaging::Recipe& recipe, const std::string& label,
                                 const std::string& captureMetadataJson = "{}") {
    auto png = imaging::encodePng(rgb);
    if (!png) return png.error();
    const std::string sha256 = sha256Hex(*png);
    auto same = alreadyStored(store, parent.caseId, ImageKind::Derived, parent.id, sha256);
    if (!same) return same.error();
    if (*same) return std::move(**same);
    const std::string recipeJson = imaging::toJson(recipe);
    NewImageRow row{parent.caseId, parent.id, ImageKind::Derived, *png, sha256, "png", rgb.cols, rgb.rows,
                    captureMetadataJson, label, recipeJson};
    auto stored = store.transact([&](store::Transaction& tx) -> Result<std::int64_t> {
        auto imageId = insertImage(tx, row, userId);
        if (!imageId) return imageId.error();
        auto digest = detail::rowDigest(tx.store(), detail::kImageRow, *imageId);
        if (!digest) return digest.error();
        FACELEAD_TRY(detail::recordEvent(tx, userId, "image.derived", "image", *imageId,
                                         {{"case_id", parent.caseId}, {"parent_id", parent.id},
                                          {"sha256", row.sha256}, {"recipe", Json::parse(recipeJson)},
                                          {detail::kRowDigest, *digest}}));
        return imageId;
    });
    if (!stored) return stored.error();
    return detail::loadImage(store, *stored);
}

}  // namespace

CaseService::CaseService(accounts::Session& session, workflow::PolicySettings settings)
    : session_(session), settings_(std::move(settings)) {}

Result<accounts::User> CaseService::currentUser(workflow::Action action) {
    return accounts::refusalsAudited(session_, workflow::actionLabel(action),
                                     [&] { return accounts::authorize(session_, action); });
}

Result<accounts::User> CaseService::searchingUser() {
    return accounts::refusalsAudited(session_, workflow::actionLabel(workflow::Action::RunSearch),
                                     [&]() -> Result<accounts::User> { return gatedSearcher(); });
}

Result<accounts::User> CaseService::gatedSearcher() {
    auto user = accounts::authorize(session_, workflow::Action::RunSearch);
    if (!user) return user.error();
    // The gate obeys the settings a program administrator signed, not the table (trial 20A F5: the rule pack
    // switched in the settings table for one search that needed a supervisor's prior approval).
    auto settings = session_.ledger().compareSettings(session_.store());
    if (!settings) return settings.error();
    if (!settings->empty())
        return makeError(ErrorCode::AuditChainBroken,
                         "The agency settings in the store are not the ones signed: " + settings->front() +
                             " No search runs until " + audit::kSettingsSignedAgain + " (audit verify names it).");
    // Whatever was cut from the log may be what held this search back: a one-time approval's use, the agency's switch
    // to a pack that asks for approval, a gallery removal (trial 25A R1-R3: each went through while every sign-in
    // warned). As with edited settings, no search runs until a program administrator has answered for it.
    auto mismatch = audit::anchorMismatchNow(session_.store(), user->username);
    if (!mismatch) return mismatch.error();
    if (!mismatch->empty())
        return makeError(ErrorCode::AuditChainBroken,
                         "The audit log does not match its anchor outside the store: " + *mismatch +
                             " No search runs until a program administrator has looked (audit verify) and answered for "
                             "it (audit acknowledge-anchors).");
    FACELEAD_TRY(workflow::checkCanSearch(userAccess(*user), session_.store().now(), settings_));
    return user;
}

Result<void> CaseService::searchGate() {
    if (auto user = gatedSearcher(); !user) return user.error();
    return {};
}

// --- cases

Result<CaseRecord> CaseService::createCase(const NewCase& newCase) {
    return accounts::refusalsAudited(session_, "case.create", [&]() -> Result<CaseRecord> {
        auto user = currentUser(workflow::Action::CreateCase);
        if (!user) return user.error();
        if (workflow::meaningfulLength(newCase.caseNumber) == 0 || workflow::meaningfulLength(newCase.offence) == 0) {
            return makeError(ErrorCode::InvalidArgument, "A case needs a case number and an offence.");
        }
        FACELEAD_TRY(text::acceptText("The case number", newCase.caseNumber));
        FACELEAD_TRY(text::acceptText("The offence", newCase.offence, text::TextKind::FreeText));
        auto stored = accounts::loadUser(session_.store(), newCase.assignedCaseOfficerId);
        if (!stored) return stored.error();
        auto granted = session_.signedGrantsOf(std::move(*stored));  // the signed role and status, not the table's
        if (!granted) return granted.error();
        const auto& officer = granted->user;
        if (!officer.isActive() || !officer.hasRole(workflow::Role::CaseOfficer)) {
            return makeError(ErrorCode::InvalidArgument,
                             officer.displayName + " cannot be assigned to the case: the assigned case officer confirms "
                                                    "and follows up leads (VI.B.3) and must be an active case officer.");
        }
        auto created = session_.store().transact([&](store::Transaction& tx) -> Result<std::int64_t> {
            auto insert = tx.prepare(
                "INSERT INTO cases(case_number, offence, assigned_officer_id, created_by, created_at) VALUES (?,?,?,?,?)");
            if (!insert) return insert.error();
            auto inserted = insert->bind(1, newCase.caseNumber)
                                .bind(2, newCase.offence)
                                .bind(3, newCase.assignedCaseOfficerId)
                                .bind(4, user->id)
                                .bind(5, now(tx))
                                .run();
            if (!inserted) {
                if (inserted.error().code == ErrorCode::AlreadyExists) {
                    return makeError(ErrorCode::AlreadyExists,
                                     "Case number " + newCase.caseNumber + " already exists; open that case instead.");
                }
                return inserted.error();
            }
            const std::int64_t caseId = tx.lastInsertId();
            FACELEAD_TRY(detail::recordEvent(tx, user->id, audit::AuditLog::kCaseCreated, "case", caseId,
                                             {{"case_number", newCase.caseNumber},
                                              {"offence", newCase.offence},
                                              {"assigned_officer_id", newCase.assignedCaseOfficerId}}));
            return caseId;
        });
        if (!created) return created.error();
        return detail::loadCase(session_.store(), *created);
    });
}

Result<std::vector<CaseRecord>> CaseService::listCases(const CaseFilter& filter) {
    auto user = currentUser(workflow::Action::ViewCase);
    if (!user) return user.error();
    // Only the cases the user works, unless they oversee the program (detail/NeedToKnow.h, VI.B.6).
    auto statement = session_.store().prepare(
        std::string(detail::kCaseSelect) +
        " WHERE (?1 = '' OR instr(lower(c.case_number), lower(?1)) > 0 OR instr(lower(c.offence), lower(?1)) > 0)"
        " AND (?2 IS NULL OR c.assigned_officer_id = ?2) AND (?3 IS NULL OR c.created_by = ?3)"
        " AND (?5 = 1 OR " + detail::worksCaseCondition(4) + ") ORDER BY c.id DESC");
    if (!statement) return statement.error();
    statement->bind(1, filter.text).bind(2, filter.assignedOfficerId).bind(3, filter.createdBy);
    statement->bind(4, user->id).bind(5, detail::overseesCases(*user) ? 1 : 0);
    return detail::collect(*statement, detail::readCase);
}

Result<CaseRecord> CaseService::getCase(std::int64_t caseId) {
    if (auto user = detail::caseReader(session_, caseId); !user) return user.error();
    return detail::loadCase(session_.store(), caseId);
}

Result<CaseRecord> CaseService::findCase(std::string_view caseNumber) {
    if (auto user = currentUser(workflow::Action::ViewCase); !user) return user.error();
    auto found = detail::caseNumbered(session_.store(), caseNumber);
    if (!found) return found;
    // Its offence and officer are part of the case file (VI.B.6; trial 40 F13: the wizard showed them to anyone who
    // typed the number). Whoever may not read it learns that it exists and is refused, audited.
    if (auto reader = detail::caseReader(session_, found->id); !reader) return reader.error();
    return found;
}

// --- images

Result<ImageRecord> CaseService::storeOriginal(std::int64_t caseId, std::span<const std::uint8_t> fileBytes,
                                               std::string_view source, const imaging::IntakeLimits& limits) {
    return storeOriginalFile(caseId, fileBytes, source, [&]() -> Result<FileFacts> {
        auto decoded = imaging::decodeBytes(fileBytes, limits);
        if (!decoded) return decoded.error();
        return FileFacts{decoded->format, decoded->width(), decoded->height(), metadataToJson(*decoded).dump()};
    });
}

Result<ImageRecord> CaseService::storeVideo(std::int64_t caseId, std::span<const std::uint8_t> fileBytes,
                                            std::string_view source) {
    return storeOriginalFile(caseId, fileBytes, source, [&]() -> Result<FileFacts> {
        auto video = imaging::Video::openBytes(fileBytes, {settings_.maxVideoBytes});
        if (!video) return video.error();
        const imaging::VideoInfo& info = video->info();
        Json metadata{{"video", {{"frames", info.frameCount}, {"fps", info.fps}, {"duration_ms", info.durationMs}}}};
        if (info.damage) metadata["damage"] = *info.damage;  // as an image's (metadataToJson), for every record
        return FileFacts{info.format, info.width, info.height, metadata.dump()};
    });
}

Result<ImageRecord> CaseService::storeOriginalFile(std::int64_t caseId, std::span<const std::uint8_t> fileBytes,
                                                   std::string_view source,
                                                   const std::function<Result<FileFacts>()>& readFacts) {
    auto user = currentUser(workflow::Action::AddImage);
    if (!user) return user.error();
    if (workflow::meaningfulLength(source) == 0) {
        return makeError(ErrorCode::InvalidArgument,
                         "State where the image came from (camera, CCTV export, ...), so its origin is on record "
                         "(VI.B.2).");
    }
    FACELEAD_TRY(text::acceptText("The image source", source, text::TextKind::FreeText));
    FACELEAD_TRY(detail::loadCase(session_.store(), caseId));
    // Need to know before anything of the case is told (the image it already holds, its source): VI.B.6.
    if (auto reader = detail::caseReader(session_, caseId); !reader) return reader.error();
    const std::string sha256 = sha256Hex(fileBytes);
    auto stored = alreadyStored(session_.store(), caseId, ImageKind::Original, std::nullopt, sha256);
    if (!stored) return stored.error();
    if (*stored) {  // its source and time are those of the first time it was stored
        // Trial 43 F9: a different source typed for it was dropped without a word, and the packet named the old one.
        if (text::trimmed((*stored)->source) != text::trimmed(source))
            return makeError(ErrorCode::InvalidArgument,
                             "This file is already image " + std::to_string((*stored)->id) + " of the case, stored by " +
                                 (*stored)->createdBy.displayName + " with the source \"" + (*stored)->source +
                                 "\"; you gave \"" + std::string(text::trimmed(source)) + "\". A file is stored once per case, "
                                 "with the source it came from: give that source, and say in the justification if the "
                                 "same file also came from elsewhere (VI.B.2). Nothing was stored.");
        return std::move(**stored);
    }
    auto facts = readFacts();
    if (!facts) return facts.error();
    NewImageRow row{caseId,
                    std::nullopt,
                    ImageKind::Original,
                    fileBytes,
                    sha256,
                    facts->format,
                    facts->width,
                    facts->height,
                    facts->metadataJson,
                    std::string(source),
                    std::nullopt};
    auto imageId = session_.store().transact([&](store::Transaction& tx) -> Result<std::int64_t> {
        auto inserted = insertImage(tx, row, user->id);
        if (!inserted) return inserted.error();
        auto digest = detail::rowDigest(tx.store(), detail::kImageRow, *inserted);
        if (!digest) return digest.error();
        FACELEAD_TRY(detail::recordEvent(tx, user->id, "image.stored", "image", *inserted,
                                         {{"case_id", caseId}, {"sha256", row.sha256}, {"format", row.format},
                                          {"size_bytes", fileBytes.size()}, {"source", row.source},
                                          {detail::kRowDigest, *digest}}));
        return inserted;
    });
    if (!imageId) return imageId.error();
    return detail::loadImage(session_.store(), *imageId);
}

Result<LoadedImage> CaseService::readImage(std::int64_t imageId) {
    auto user = currentUser(workflow::Action::ViewCase);
    if (!user) return user.error();
    auto record = detail::loadImage(session_.store(), imageId);
    if (!record) return record.error();
    // An image is part of its case file: read by those who work the case or oversee the program (VI.B.6).
    if (auto reader = detail::caseReader(session_, record->caseId); !reader) return reader.error();
    FACELEAD_TRY(notAVideo(*record));
    auto pixels = verifiedPixels(session_.store(), user->id, imageId);
    if (!pixels) return pixels.error();
    FACELEAD_TRY(recordViewed(session_.store(), user->id, *record));
    return LoadedImage{std::move(*record), std::move(*pixels)};
}

Result<LoadedImage> CaseService::readSourcePicture(std::int64_t imageId) {
    if (auto user = currentUser(workflow::Action::ViewCase); !user) return user.error();
    auto record = detail::loadSourcePicture(session_.store(), imageId);
    if (!record) return record.error();
    return readImage(record->id);
}

Result<StoredVideo> CaseService::readVideo(std::int64_t imageId) {
    auto user = currentUser(workflow::Action::ViewCase);
    if (!user) return user.error();
    auto record = detail::loadImage(session_.store(), imageId);
    if (!record) return record.error();
    if (auto reader = detail::caseReader(session_, record->caseId); !reader) return reader.error();
    if (!imaging::isVideoFormat(record->format))
        return makeError(ErrorCode::InvalidArgument, "Image " + std::to_string(imageId) + " is not a video.");
    auto bytes = audit::readImageBytes(session_.store(), user->id, imageId);
    if (!bytes) return bytes.error();
    FACELEAD_TRY(recordViewed(session_.store(), user->id, *record));
    return StoredVideo{std::move(*record), std::move(bytes->bytes)};
}

Result<ProbeFile> CaseService::readProbeFile(std::int64_t imageId) {
    auto user = currentUser(workflow::Action::ViewCase);
    if (!user) return user.error();
    auto searched = readImage(imageId);
    if (!searched) return searched.error();
    ProbeFile file{searched->record, {}, std::nullopt, std::move(*searched)};
    if (file.searched.record.kind == ImageKind::Derived) {
        const auto recipe = imaging::recipeFromJson(file.searched.record.recipeJson.value_or(""));
        if (!recipe || !recipe->videoFrame || !recipe->steps.empty() || !file.searched.record.parentId)
            return makeError(ErrorCode::InvalidArgument, "Image " + std::to_string(imageId) +
                                                             " is an enhanced copy; a probe is its original or a frame "
                                                             "taken from a video (VI.B.2).");
        file.videoFrame = recipe->videoFrame;
        auto video = detail::loadImage(session_.store(), *file.searched.record.parentId);
        if (!video) return video.error();
        file.original = std::move(*video);
    }
    auto bytes = audit::readImageBytes(session_.store(), user->id, file.original.id);
    if (!bytes) return bytes.error();
    file.originalBytes = std::move(bytes->bytes);
    if (file.original.id != imageId)  // the video itself was read too
        FACELEAD_TRY(recordViewed(session_.store(), user->id, file.original));
    return file;
}

Result<ImageRecord> CaseService::createDerivedCopy(std::int64_t parentImageId, const imaging::Recipe& recipe) {
    auto user = currentUser(workflow::Action::EnhanceImage);
    if (!user) return user.error();
    if (recipe.steps.empty() || recipe.videoFrame) {
        return makeError(ErrorCode::InvalidArgument, recipe.videoFrame ? "A frame of a video is taken with takeVideoFrame."
                                                                       : "Choose at least one enhancement step for the copy.");
    }
    FACELEAD_TRY(imaging::validateRecipe(recipe));
    auto parent = detail::loadImage(session_.store(), parentImageId);
    if (!parent) return parent.error();
    FACELEAD_TRY(notAVideo(*parent));
    auto pixels = verifiedPixels(session_.store(), user->id, parentImageId);
    if (!pixels) return pixels.error();
    auto enhanced = imaging::apply(pixels->rgb, recipe);
    if (!enhanced) return enhanced.error();
    return storeDerived(session_.store(), user->id, *parent, *enhanced, recipe,
                        "Enhanced copy of image " + std::to_string(parentImageId));
}

Result<ImageRecord> CaseService::takeVideoFrame(std::int64_t videoImageId, std::int64_t frameIndex) {
    auto user = currentUser(workflow::Action::AddImage);
    if (!user) return user.error();
    auto parent = detail::loadImage(session_.store(), videoImageId);
    if (!parent) return parent.error();
    if (!imaging::isVideoFormat(parent->format))
        return makeError(ErrorCode::InvalidArgument, "Image " + std::to_string(videoImageId) + " is not a video.");
    // The frame comes from the stored bytes, re-checked against their hash: the recipe names that video.
    auto bytes = audit::readImageBytes(session_.store(), user->id, videoImageId);
    if (!bytes) return bytes.error();
    auto video = imaging::Video::openStored(bytes->bytes);
    if (!video) return video.error();
    auto frame = video->frameAsTaken(frameIndex);
    if (!frame) return frame.error();
    imaging::Recipe recipe;
    recipe.videoFrame = imaging::VideoFrameSource{frame->index, frame->timeMs, parent->sha256};
    // The damage the decoder met taking it is kept with the frame, as intake's with an original (trial 76 F4: the
    // packet could give it only from the probe's quality reasons).
    return storeDerived(session_.store(), user->id, *parent, frame->image.rgb, recipe,
                        "Frame " + std::to_string(frame->index) + " (" + imaging::timecodeText(frame->timeMs) +
                            ") of video image " + std::to_string(videoImageId),
                        metadataToJson(frame->image).dump());
}

Result<std::vector<ImageRecord>> CaseService::listImages(std::int64_t caseId) {
    if (auto user = currentUser(workflow::Action::ViewCase); !user) return user.error();
    return queryAll(session_.store(), std::string(detail::kImageSelect) + " WHERE i.case_id = ? ORDER BY i.id",
                    detail::readImage, caseId);
}

// --- requests

Result<RequestRecord> CaseService::submitRequest(const workflow::SearchRequest& request) {
    return accounts::refusalsAudited(session_, "request.submit", [&]() -> Result<RequestRecord> {
        auto user = searchingUser();
        if (!user) return user.error();
        FACELEAD_TRY(workflow::validate(request, settings_));
        auto caseRecord = caseToSearchIn(request.caseNumber);
        if (!caseRecord) return caseRecord.error();
        FACELEAD_TRY(detail::checkOffenceOfCase(*caseRecord, request));
        const auto columns = detail::columnsFromRequest(request);
        auto stored = session_.store().transact([&](store::Transaction& tx) -> Result<std::int64_t> {
            auto insert = tx.prepare(
                "INSERT INTO search_requests(case_id, purpose_code, justification, prohibited_use_attestation, "
                "consent_kind, consent_reason, consent_purpose, image_source, requested_by, requested_at) "
                "VALUES (?,?,?,?,?,?,?,?,?,?)");
            if (!insert) return insert.error();
            FACELEAD_TRY(insert->bind(1, caseRecord->id)
                             .bind(2, columns.purposeCode)
                             .bind(3, columns.justification)
                             .bind(4, columns.attestationJson)
                             .bind(5, columns.consentKind)
                             .bind(6, columns.consentReason)
                             .bind(7, columns.consentPurpose)
                             .bind(8, columns.imageSource)
                             .bind(9, user->id)
                             .bind(10, now(tx))
                             .run());
            const std::int64_t requestId = tx.lastInsertId();
            auto digest = detail::rowDigest(tx.store(), detail::kRequestRow, requestId);
            if (!digest) return digest.error();
            FACELEAD_TRY(detail::recordEvent(
                tx, user->id, "request.submitted", "search_request", requestId,
                {{"case_id", caseRecord->id}, {"case_number", caseRecord->caseNumber}, {"purpose", columns.purposeCode},
                 {"consent_kind", columns.consentKind}, {"attestation", Json::parse(columns.attestationJson)},
                 {detail::kRowDigest, *digest}}));
            return requestId;
        });
        if (!stored) return stored.error();
        return detail::loadRequest(session_.store(), *stored);
    });
}

Result<RequestRecord> CaseService::getRequest(std::int64_t requestId) {
    if (auto user = currentUser(workflow::Action::ViewCase); !user) return user.error();
    return detail::loadRequest(session_.store(), requestId);
}

// --- searches

Result<SearchRecord> CaseService::runSearch(std::int64_t requestId, std::int64_t imageId, const ProbeFace& probe,
                                            const SearchBackend& backend, const SearchOptions& options) {
    const SearchProbe one{imageId, probe, ""};  // no file name: the caller stored the image itself
    return runSearch(requestId, std::span(&one, 1), backend, options);
}

Result<void> CaseService::checkProbe(std::int64_t userId, const RequestRecord& request, const SearchProbe& searched,
                                     const SearchOptions& options) {
    const ProbeFace& probe = searched.face;
    const std::int64_t imageId = searched.imageId;
    auto image = detail::loadImage(session_.store(), imageId);
    if (!image) return image.error();
    if (image->caseId != request.caseId) {
        return makeError(ErrorCode::InvalidArgument, "Image " + std::to_string(imageId) +
                                                         " belongs to another case than search request " +
                                                         std::to_string(request.id) + ".");
    }
    // The probe's pixels came from this image: it must still be the image that was stored.
    if (auto verified = audit::readImageBytes(session_.store(), userId, imageId); !verified) return verified.error();
    if (!insideImage(probe.box, *image)) {
        return makeError(ErrorCode::InvalidArgument, "The chosen face lies outside image " + std::to_string(imageId) + ".");
    }
    // A hand-marked face (issue 10 item 4): its points are checked here too, on the image they were marked on.
    if (probe.marked) {
        if (auto checked = face::checkMarkedPoints(*probe.marked, image->width, image->height); !checked)
            return checked.error();
    }
    if (probe.quality.verdict == face::QualityVerdict::Poor && !options.poorQualityAcknowledged) {
        std::string reasons;
        for (const auto& reason : probe.quality.reasons) reasons += (reasons.empty() ? "" : "; ") + reason;
        return makeError(ErrorCode::PolicyViolation,
                         "The chosen face is of poor quality (" + (reasons.empty() ? std::string("see the quality panel") : reasons) +
                             "): candidates from it are weak leads. Acknowledge the poor quality to search anyway "
                             "(VI.B.1).");
    }
    return {};
}

namespace {

// Several probes are of one person, each a face chosen among the detected ones or marked by hand (issue 10 item 4,
// for every probe: the first's marking is recorded in searches.marked_points, a further one's with its
// search_probes.face_box, both signed by the search.run entry).
Result<void> checkProbeSet(std::span<const SearchProbe> probes) {
    if (probes.empty() || probes.size() > kMaxProbes)
        return makeError(ErrorCode::InvalidArgument, "A search takes 1 to " + std::to_string(kMaxProbes) +
                                                         " probe images of one person (" + std::to_string(probes.size()) +
                                                         " given).");
    return {};
}

// The candidates' gallery faces as enrolled (gallery/EnrolledFaces.h): a search on an edited gallery would put a
// false name, or a face made to match, before the investigator, and is not run (trial 17A N7). The refusal names the
// way back, or it sends the program administrator who has looked round in a circle (trial 84 F11).
Result<void> checkCandidatesEnrolled(accounts::Session& session, const std::vector<gallery::Hit>& hits) {
    std::vector<std::int64_t> faceIds;
    for (const gallery::Hit& hit : hits) faceIds.push_back(hit.faceId);
    auto edited = gallery::editedFaces(session.store(), session.ledger(), faceIds);
    if (!edited) return edited.error();
    if (edited->empty()) return {};
    return makeError(ErrorCode::AuditChainBroken,
                     edited->front() +
                         " The search was not run. A program administrator looks first (audit verify); a face the "
                         "signed log no longer vouches for comes back only with a backup of the store from before the "
                         "damage (docs/SECURITY.md).");
}

// 0..count-1 in a random order: candidates are stored in it, so that their ids, which the CLI prints while the
// rank and score are withheld from an examiner, do not give the rank away (trial 19B: the lowest id was rank 1).
std::vector<std::size_t> unorderedPositions(std::size_t count) {
    std::vector<std::size_t> positions(count);
    std::iota(positions.begin(), positions.end(), std::size_t(0));
    for (std::size_t i = count; i > 1; --i)
        std::swap(positions[i - 1], positions[randombytes_uniform(static_cast<std::uint32_t>(i))]);
    return positions;
}

// A further probe as its search.run entry records it; face_box is exactly what search_probes.face_box holds
// (detail::checkFurtherProbes compares them), the marked points included.
Json probeJson(const SearchProbe& probe) {
    const auto& marked = probe.face.marked;
    return {{"image_id", probe.imageId},
            {"file_name", probe.fileName},
            // A face marked by hand is none of the detected faces: no number.
            {"face_number", marked ? Json(nullptr) : Json(probe.face.faceNumber)},
            {"faces_in_image", marked ? Json(nullptr) : Json(probe.face.facesInImage)},
            {"face_box", detail::probeBoxToJson(probe.face.box, marked)},
            {"face_marked_by_hand", marked ? Json(face::formatMarkedPoints(*marked)) : Json(nullptr)},
            {"quality", face::verdictName(probe.face.quality.verdict)}};
}

}  // namespace

Result<SearchRecord> CaseService::runSearch(std::int64_t requestId, std::span<const SearchProbe> probes,
                                            const SearchBackend& backend, const SearchOptions& options) {
    return accounts::refusalsAudited(session_, "search.run", [&]() -> Result<SearchRecord> {
        auto user = searchingUser();
        if (!user) return user.error();
        auto request = detail::loadRequest(session_.store(), requestId);
        if (!request) return request.error();
        if (request->requestedBy.id != user->id) {
            return makeError(ErrorCode::PermissionDenied,
                             "Search request " + std::to_string(requestId) + " was submitted by " +
                                 request->requestedBy.displayName +
                                 "; each investigator runs searches only under their own request and attestation (VI.B.7).");
        }
        FACELEAD_TRY(workflow::validate(request->request, settings_));  // rules may have tightened since it was stored
        FACELEAD_TRY(checkProbeSet(probes));
        for (const SearchProbe& probe : probes) FACELEAD_TRY(checkProbe(user->id, *request, probe, options));
        const ProbeFace& probe = probes.front().face;
        const std::int64_t imageId = probes.front().imageId;
        const std::optional<std::string> markedPoints =
            probe.marked ? std::optional(face::formatMarkedPoints(*probe.marked)) : std::nullopt;
        const int limit = options.candidateLimit == 0 ? settings_.defaultCandidateLimit : options.candidateLimit;
        const auto& bounds = settings_.pack.candidates;  // the rule pack's (issue 11 item 5)
        if (limit < bounds.minimum || limit > bounds.maximum) {
            return makeError(ErrorCode::PolicyViolation,
                             "The candidate list size must be between " + std::to_string(bounds.minimum) + " and " +
                                 std::to_string(bounds.maximum) + " under the agency's rule pack (" +
                                 settings_.pack.name() + ": " + bounds.citation + ").");
        }
        std::vector<face::Descriptor> descriptors;
        for (const SearchProbe& p : probes) descriptors.push_back(p.face.descriptor);
        // One row per subject (issue 10 item 6): the limit counts persons, each at its photo nearest to any probe.
        // The gallery searched is the one the signed log leaves (trial 22A F5: a subject taken out by a table edit).
        FACELEAD_TRY(gallery::checkRemovalsSigned(session_.store(), session_.ledger(), "The search was not run."));
        const auto hits = backend.index.topSubjects(descriptors, static_cast<std::size_t>(limit));
        FACELEAD_TRY(checkCandidatesEnrolled(session_, hits));
        const auto gallerySize = static_cast<std::int64_t>(backend.index.size());
        auto stored = session_.store().transact([&](store::Transaction& tx) -> Result<std::int64_t> {
            auto insert = tx.prepare(
                "INSERT INTO searches(request_id, image_id, face_box, quality, poor_quality_acknowledged, candidate_limit, "
                "gallery_size, run_by, run_at, marked_points, marked_by, marked_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)");
            if (!insert) return insert.error();
            const std::string at = now(tx);
            FACELEAD_TRY(insert->bind(1, requestId)
                             .bind(2, imageId)
                             .bind(3, detail::boxToJson(probe.box).dump())
                             .bind(4, face::qualityToJson(probe.quality).dump())
                             .bind(5, options.poorQualityAcknowledged ? 1 : 0)
                             .bind(6, limit)
                             .bind(7, gallerySize)
                             .bind(8, user->id)
                             .bind(9, at)
                             .bind(10, markedPoints)
                             .bind(11, markedPoints ? std::optional(user->id) : std::nullopt)
                             .bind(12, markedPoints ? std::optional(at) : std::nullopt)
                             .run());
            const std::int64_t searchId = tx.lastInsertId();
            auto further = tx.prepare(
                "INSERT INTO search_probes(search_id, position, image_id, face_box, quality) VALUES (?,?,?,?,?)");
            if (!further) return further.error();
            Json furtherProbes = Json::array();
            for (std::size_t i = 1; i < probes.size(); ++i) {
                FACELEAD_TRY(further->bind(1, searchId)
                                 .bind(2, static_cast<std::int64_t>(i))
                                 .bind(3, probes[i].imageId)
                                 .bind(4, detail::probeBoxToJson(probes[i].face.box, probes[i].face.marked).dump())
                                 .bind(5, face::qualityToJson(probes[i].face.quality).dump())
                                 .run());
                further->reset();
                furtherProbes.push_back(probeJson(probes[i]));
            }
            auto probeTemplate = tx.prepare(
                "INSERT INTO search_probe_templates(search_id, position, template) VALUES (?,?,?)");
            if (!probeTemplate) return probeTemplate.error();
            for (std::size_t i = 0; i < probes.size(); ++i) {
                FACELEAD_TRY(probeTemplate->bind(1, searchId)
                                 .bind(2, static_cast<std::int64_t>(i))
                                 .bind(3, face::descriptorBlob(probes[i].face.descriptor))
                                 .run());
                probeTemplate->reset();
            }
            auto candidate = tx.prepare(
                "INSERT INTO candidates(search_id, rank, gallery_face_id, distance, score, probe) VALUES (?,?,?,?,?,?)");
            if (!candidate) return candidate.error();
            for (const std::size_t i : unorderedPositions(hits.size())) {
                const double distance = hits[i].distance;
                FACELEAD_TRY(candidate->bind(1, searchId)
                                 .bind(2, static_cast<std::int64_t>(i + 1))
                                 .bind(3, hits[i].faceId)
                                 .bind(4, distance)
                                 .bind(5, backend.similarity(distance))
                                 .bind(6, static_cast<std::int64_t>(hits[i].probe))
                                 .run());
                candidate->reset();
            }
            // A search is use of a licence: it keeps the account from inactivity deactivation (VI.C.2 NOTE).
            FACELEAD_TRY(accounts::AccountService(session_).touchActivity());
            Json details = {{"request_id", requestId}, {"image_id", imageId}, {"file_name", probes.front().fileName},
                            {"case_id", request->caseId}, {"candidate_limit", limit},
                            // A face marked by hand is none of the detected faces: no number.
                            {"face_number", probe.marked ? Json(nullptr) : Json(probe.faceNumber)},
                            {"faces_in_image", probe.marked ? Json(nullptr) : Json(probe.facesInImage)},
                            {"face_box", detail::boxToJson(probe.box)},
                            {"candidates", hits.size()}, {"gallery_size", gallerySize},
                            {"quality", face::verdictName(probe.quality.verdict)},
                            {"poor_quality_acknowledged", options.poorQualityAcknowledged},
                            {"face_marked_by_hand", markedPoints ? Json(*markedPoints) : Json(nullptr)},
                            // The rule pack the search was held to, for the disclosure packet (trial 19B MEDIUM-3).
                            {"rule_pack", {{"id", settings_.pack.id}, {"name", settings_.pack.title},
                                           {"version", settings_.pack.version}}}};
            if (!furtherProbes.empty()) details["further_probes"] = std::move(furtherProbes);
            auto digest = detail::rowDigest(tx.store(), detail::kSearchRow, searchId);  // with its candidate list
            if (!digest) return digest.error();
            details[detail::kRowDigest] = *digest;
            auto templates = detail::probeTemplatesDigest(tx.store(), searchId);
            if (!templates) return templates.error();
            details[detail::kProbeTemplatesDigest] = *templates;
            FACELEAD_TRY(detail::recordEvent(tx, user->id, "search.run", "search", searchId, std::move(details)));
            return searchId;
        });
        if (!stored) return stored.error();
        return searchFor(*user, *stored);
    });
}

Result<SearchRecord> CaseService::getSearch(std::int64_t searchId) {
    auto user = detail::searchCaseReader(session_, searchId);
    if (!user) return user.error();
    return searchFor(*user, searchId);
}

Result<std::map<std::int64_t, std::string>> CaseService::probeFileNames(std::int64_t searchId) {
    auto search = getSearch(searchId);  // the same readers, checked the same way
    if (!search) return search.error();
    auto entry = searchRunEntry(session_.store(), searchId);
    if (!entry) return entry.error();
    std::map<std::int64_t, std::string> names;
    std::vector<std::int64_t> images{search->imageId};
    for (const StoredProbe& probe : search->furtherProbes) images.push_back(probe.imageId);
    for (const std::int64_t image : images)
        if (std::string name = probeFileName(*entry, image); !name.empty()) names[image] = std::move(name);
    return names;
}

}  // namespace facelead::cases
