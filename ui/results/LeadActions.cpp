#include "ui/results/LeadActions.h"

#include <QMessageBox>

#include <algorithm>

#include "core/cases/NearestProbe.h"
#include "core/cases/VerificationQueue.h"
#include "core/cases/VerificationStanding.h"
#include "core/imaging/Intake.h"
#include "ui/widgets/ImageConvert.h"
#include "ui/widgets/LocalTime.h"
#include "ui/workstation/AppContext.h"
#include "ui/workstation/CoreServices.h"

namespace facelead::ui {

namespace {

// Runs change(cases) on the store thread; answers the core's refusal message, or nullopt.
template <typename Change>
void applyChange(AppContext& context, Change change, const Answer& answer) {
    context.store().run(&context, [change](CoreServices& services) { return change(services.cases()); },
                        [answer](auto result) {
                            answer(result ? std::nullopt : std::optional(QString::fromStdString(result.error().message)));
                        });
}

}  // namespace

QString leadStatusText(workflow::LeadStatus status) {
    const std::string_view label = workflow::leadStatusLabel(status);
    return QString::fromUtf8(label.data(), qsizetype(label.size()));
}

AttemptFn<LeadDecisionValue> decisionAttempt(AppContext& context, std::int64_t candidateId) {
    return [&context, candidateId](const LeadDecisionValue& value, const Answer& answer) {
        applyChange(context, [candidateId, decision = value.decision, note = value.note.toStdString()](cases::CaseService& cases) {
            return decision == workflow::LeadDecision::PossibleLead ? cases.markPossibleLead(candidateId, note)
                                                                    : cases.exclude(candidateId, note);
        }, answer);
    };
}

AttemptFn<workflow::FollowUp> followUpAttempt(AppContext& context, std::int64_t candidateId) {
    return [&context, candidateId](const workflow::FollowUp& followUp, const Answer& answer) {
        applyChange(context, [candidateId, followUp](cases::CaseService& cases) { return cases.recordFollowUp(candidateId, followUp); },
                    answer);
    };
}

ReviewCalls reviewCalls(AppContext& context, std::int64_t candidateId) {
    return {[&context, candidateId](const workflow::Review& review, const Answer& answer) {
                applyChange(context, [candidateId, review](cases::CaseService& cases) {
                    return cases.checkReview(candidateId, review);
                }, answer);
            },
            [&context, candidateId](const workflow::Review& review, const Answer& answer) {
                applyChange(context, [candidateId, review](cases::CaseService& cases) {
                    return cases.review(candidateId, review);
                }, answer);
            }};
}

void decideCandidate(AppContext& context, QWidget* parent, std::int64_t candidateId, const QString& label,
                     workflow::LeadDecision decision, std::function<void()> changed) {
    context.store().run(
        parent, [candidateId](CoreServices& s) { return s.cases().examinations(candidateId); },
        [&context, parent, candidateId, label, decision, changed](const Result<std::vector<cases::ExaminationRecord>>& examinations) {
            if (!examinations) {
                QMessageBox::warning(parent, QObject::tr("Lead decision"), QString::fromStdString(examinations.error().message));
                return;
            }
            // Trial 25B M2: the mark read as if the comparison were settled, though one examiner alone had looked.
            LeadDecisionDialog dialog(label, decision, decisionAttempt(context, candidateId), parent,
                                      cases::onlyOneExaminer(*examinations));
            if (dialog.exec() == QDialog::Accepted) changed();
        });
}

AttemptFn<workflow::Examination> examinationAttempt(AppContext& context, std::int64_t candidateId) {
    return [&context, candidateId](const workflow::Examination& examination, const Answer& answer) {
        applyChange(context, [candidateId, examination](cases::CaseService& cases) {
            return cases.recordOwnExamination(candidateId, examination);
        }, answer);
    };
}

AttemptFn<workflow::Examination> verificationAttempt(AppContext& context, std::int64_t candidateId) {
    return [&context, candidateId](const workflow::Examination& examination, const Answer& answer) {
        applyChange(context, [candidateId, examination](cases::CaseService& cases) {
            return cases.recordVerification(candidateId, examination);
        }, answer);
    };
}

AttemptFn<ResolutionValue> resolutionAttempt(AppContext& context, std::int64_t candidateId) {
    return [&context, candidateId](const ResolutionValue& value, const Answer& answer) {
        applyChange(context, [candidateId, conclusion = value.conclusion, note = value.note.toStdString()](cases::CaseService& cases) {
            return cases.resolveDisagreement(candidateId, conclusion, note);
        }, answer);
    };
}


namespace {

constexpr int kReviewImageSide = 900;  // enough for the dialog; keeps the copy to the UI thread small

// The image scaled for the dialog; around the face (with a margin of half a face) when its box is given.
QImage shown(const imaging::Image& image, std::optional<face::Box> face = std::nullopt) {
    cv::Rect area(0, 0, image.width(), image.height());
    if (face) {
        const int margin = face->width() / 2;
        area &= cv::Rect(face->left - margin, face->top - margin, face->width() + 2 * margin, face->height() + 2 * margin);
    }
    if (area.empty()) area = cv::Rect(0, 0, image.width(), image.height());
    return toQImage(image.rgb(area).clone())
        .scaled(kReviewImageSide, kReviewImageSide, Qt::KeepAspectRatio, Qt::SmoothTransformation);
}

Result<cases::SearchRecord> searchOf(CoreServices& s, std::int64_t candidateId, const LeadPlace& place) {
    if (place.searchId) return s.cases().getSearch(*place.searchId);
    if (!place.caseId) return makeError(ErrorCode::InvalidArgument, "The lead's case is not known.");
    auto history = s.cases().caseHistory(*place.caseId);
    if (!history) return history.error();
    for (cases::SearchRecord& search : history->searches)
        for (const cases::CandidateRecord& c : search.candidates)
            if (c.id == candidateId) return std::move(search);
    return makeError(ErrorCode::NotFound, "The lead's search was not found in its case.");
}

// On the store thread: the ORIGINAL probe (walking up from an enhanced copy) and the candidate's gallery
// photo, decoded and scaled there.
// The probe is the one the candidate was nearest to (cases::nearestProbe).
Result<ExaminationMaterial> comparisonOf(CoreServices& s, std::int64_t candidateId, const cases::SearchRecord& search) {
    const auto candidate = std::find_if(search.candidates.begin(), search.candidates.end(),
                                        [&](const cases::CandidateRecord& c) { return c.id == candidateId; });
    if (candidate == search.candidates.end())
        return makeError(ErrorCode::NotFound, "Candidate " + std::to_string(candidateId) + " is not in search " +
                                                  std::to_string(search.id) + ".");
    ExaminationMaterial material;
    auto bytes = s.gallery().faceImage(s.store(), candidate->galleryFaceId, s.user().id);
    if (!bytes) return bytes.error();
    auto photo = imaging::decodeBytes(bytes.value());
    if (!photo) return photo.error();
    material.candidate = shown(photo.value());
    const cases::ProbeOfCandidate searched = cases::nearestProbe(search, *candidate);
    auto image = s.cases().readSourcePicture(searched.imageId);
    if (!image) return image.error();
    // The face that was searched, when its box is in these pixels (the original itself was searched).
    const bool original = image->record.id == searched.imageId;
    material.probe = shown(image->image, original ? std::optional(searched.faceBox) : std::nullopt);
    return material;
}

Result<ExaminationMaterial> readComparison(CoreServices& s, std::int64_t candidateId, const LeadPlace& place) {
    auto search = searchOf(s, candidateId, place);
    if (!search) return search.error();
    return comparisonOf(s, candidateId, *search);
}

// The probe and the candidate's compared photo, then the subject's oldest and most recent photos where they are other
// photos, each captioned with its date (issue 11 item 3: age, marks and tattoos are checked against them; trial 29
// N15: the case officer's form showed no photo and the review named the dates only), decoded on the store thread.
// `photos`: the candidate's (CaseService::candidatePhotos), read once by the caller, which shows their dates too.
Result<std::vector<CaptionedImage>> leadFaces(CoreServices& s, std::int64_t candidateId, const cases::SearchRecord& search,
                                              const cases::CandidatePhotos& photos) {
    auto comparison = comparisonOf(s, candidateId, search);
    if (!comparison) return comparison.error();
    const auto candidate = std::find_if(search.candidates.begin(), search.candidates.end(),
                                        [&](const cases::CandidateRecord& c) { return c.id == candidateId; });
    const std::int64_t compared = candidate->galleryFaceId;  // comparisonOf found it
    const auto dated = [](const cases::GalleryPhoto& photo) {
        return QString::fromStdString(cases::photoDateText(photo, localTime(photo.enrolledAt).toStdString()));
    };
    const auto comparedPhoto = std::find_if(photos.all.begin(), photos.all.end(),
                                            [&](const cases::GalleryPhoto& p) { return p.galleryFaceId == compared; });
    QString comparedCaption = QObject::tr("Candidate: the photo compared");
    const bool ageKnown = cases::ageOrderKnown(photos);
    if (ageKnown && photos.oldest.galleryFaceId == compared) comparedCaption += QObject::tr(", its oldest");
    if (ageKnown && photos.newest.galleryFaceId == compared) comparedCaption += QObject::tr(", its most recent");
    if (comparedPhoto != photos.all.end()) comparedCaption += QStringLiteral(" — ") + dated(*comparedPhoto);
    std::vector<CaptionedImage> faces{{comparison->probe, QObject::tr("Original probe (as received)")},
                                      {comparison->candidate, comparedCaption}};
    std::vector<std::int64_t> shownIds{compared};
    const QString undated = QObject::tr("Another photo of the candidate (none is dated: which is oldest is unknown)");
    for (const auto& [photo, what] :
         {std::pair{photos.oldest, ageKnown ? QObject::tr("Oldest photo of the candidate") : undated},
          std::pair{photos.newest, ageKnown ? QObject::tr("Most recent photo of the candidate") : undated}}) {
        if (std::ranges::find(shownIds, photo.galleryFaceId) != shownIds.end()) continue;
        shownIds.push_back(photo.galleryFaceId);
        auto bytes = s.gallery().faceImage(s.store(), photo.galleryFaceId, s.user().id);
        if (!bytes) return bytes.error();
        auto image = imaging::decodeBytes(bytes.value());
        if (!image) return image.error();
        faces.push_back({shown(image.value()), what + QStringLiteral(" — ") + dated(photo)});
    }
    return faces;
}

// Everything the supervisor confirms, as stored, in the order of the work (issue 11 LOW-1): the search, the
// candidate's oldest and newest gallery photos, the examinations and verifications (supervisors read them all),
// the follow-up records; and the comparison.
Result<ReviewMaterial> readReviewMaterial(CoreServices& s, std::int64_t candidateId, const LeadPlace& place) {
    auto lead = s.cases().getLead(candidateId);
    if (!lead) return lead.error();
    auto search = searchOf(s, candidateId, place);
    if (!search) return search.error();
    auto photos = s.cases().candidatePhotos(candidateId);
    if (!photos) return photos.error();
    auto faces = leadFaces(s, candidateId, *search, *photos);
    if (!faces) return faces.error();
    auto examinations = s.cases().examinations(candidateId);
    if (!examinations) return examinations.error();
    auto resolution = s.cases().resolution(candidateId);
    if (!resolution) return resolution.error();
    return ReviewMaterial{lead->followUps,     std::move(*photos),       std::move(*faces), std::move(*search),
                          candidateId,         std::move(*examinations), std::move(*resolution), lead->reopenedAt};
}

// What the supervisor settling a disagreement decides on (trial 19B MEDIUM-4), read back from the store: the original
// probe and the candidate, and every examination of the candidate with its findings (supervisors read them all).
struct ResolutionMaterial {
    ExaminationMaterial comparison;
    std::vector<cases::ExaminationRecord> examinations;
};

Result<ResolutionMaterial> readResolutionMaterial(CoreServices& s, std::int64_t candidateId, const LeadPlace& place) {
    auto comparison = readComparison(s, candidateId, place);
    if (!comparison) return comparison.error();
    auto examinations = s.cases().examinations(candidateId);
    if (!examinations) return examinations.error();
    return ResolutionMaterial{std::move(*comparison), std::move(*examinations)};
}

// What the follow-up form offers: the agency's evidence types and the candidate's examinations (their "dissimilar"
// findings are the discrepancies to check).
struct FollowUpMaterial {
    std::vector<workflow::EvidenceType> evidenceTypes;
    std::vector<cases::ExaminationRecord> examinations;
    std::vector<CaptionedImage> faces;
};

Result<FollowUpMaterial> readFollowUpMaterial(CoreServices& s, std::int64_t candidateId, const LeadPlace& place) {
    auto types = s.cases().evidenceTypes();
    if (!types) return types.error();
    auto examinations = s.cases().examinations(candidateId);
    if (!examinations) return examinations.error();
    auto search = searchOf(s, candidateId, place);
    if (!search) return search.error();
    auto photos = s.cases().candidatePhotos(candidateId);
    if (!photos) return photos.error();
    auto faces = leadFaces(s, candidateId, *search, *photos);
    if (!faces) return faces.error();
    return FollowUpMaterial{std::move(*types), std::move(*examinations), std::move(*faces)};
}

// The supervisor's review just recorded, as the store holds it: the newest review by the signed-in user.
Result<cases::ReviewRecord> recordedReview(CoreServices& s, std::int64_t candidateId) {
    auto lead = s.cases().getLead(candidateId);
    if (!lead) return lead.error();
    const auto mine = std::find_if(lead->reviews.rbegin(), lead->reviews.rend(),
                                   [&](const cases::ReviewRecord& r) { return r.reviewedBy.id == s.user().id; });
    if (mine == lead->reviews.rend()) return makeError(ErrorCode::NotFound, "The store holds no review of yours.");
    return *mine;
}

// Issue 9: once a review was recorded nothing said so. What was recorded is shown, read back from the store
// (never from the dialog's fields), in a message that does not hold up the window behind it.
void showRecordedReview(AppContext& context, QWidget* parent, std::int64_t candidateId, const QString& label) {
    context.store().run(parent, [candidateId](CoreServices& s) { return recordedReview(s, candidateId); },
                        [parent, label](const Result<cases::ReviewRecord>& review) {
                            const QString text =
                                review ? QObject::tr("Your review of %1 is recorded.\n\nDecision: %2\nReviewed by %3, "
                                                     "%4\nNote: %5")
                                             .arg(label, leadStatusText(review->decision),
                                                  QString::fromStdString(review->reviewedBy.displayName),
                                                  localTime(review->reviewedAt),
                                                  QString::fromStdString(review->note))
                                       : QObject::tr("The review was recorded, but reading it back failed: %1")
                                             .arg(QString::fromStdString(review.error().message));
                            auto* box = new QMessageBox(review ? QMessageBox::Information : QMessageBox::Warning,
                                                        QObject::tr("Review recorded"), text, QMessageBox::Ok, parent);
                            box->setObjectName(QStringLiteral("reviewRecorded"));
                            box->setAttribute(Qt::WA_DeleteOnClose);
                            box->open();
                        });
}

// What a verification recorded, as the store has it, and whether it disagrees with the first examination.
QString recordedVerificationText(const Result<std::vector<cases::ExaminationRecord>>& examinations, std::int64_t me,
                                 const QString& label) {
    if (!examinations)
        return QObject::tr("The verification was recorded, but reading it back failed: %1")
            .arg(QString::fromStdString(examinations.error().message));
    const auto mine = std::find_if(examinations->begin(), examinations->end(),
                                   [me](const cases::ExaminationRecord& e) { return e.examiner.id == me; });
    if (mine == examinations->end()) return {};
    const bool disagree = std::any_of(examinations->begin(), examinations->end(), [&](const cases::ExaminationRecord& e) {
        return workflow::conclusionsDisagree(e.examination.conclusion, mine->examination.conclusion);
    });
    const std::string_view conclusion = workflow::conclusionLabel(mine->examination.conclusion);
    return QObject::tr("Your verification of %1 is recorded.\n\nConclusion: %2\nRecorded %3\n\n%4")
        .arg(label, QString::fromUtf8(conclusion.data(), qsizetype(conclusion.size())), localTime(mine->recordedAt),
             disagree ? QObject::tr("It DISAGREES with the first examination: a supervisor resolves the disagreement "
                                    "(their Disagreements list) before the lead moves on, whatever its status now.")
                      : QObject::tr("It agrees with the first examination."));
}

// Trial 25B L5: a verification was recorded and nothing said so, nor that it disagreed. Read back from the store.
void showRecordedVerification(AppContext& context, QWidget* parent, std::int64_t candidateId, const QString& label) {
    context.store().run(
        parent, [candidateId](CoreServices& s) { return s.cases().examinations(candidateId); },
        [parent, label, me = context.user().id](const Result<std::vector<cases::ExaminationRecord>>& examinations) {
            QString text = recordedVerificationText(examinations, me, label);
            const bool recorded = !text.isEmpty() && examinations;
            if (text.isEmpty()) text = QObject::tr("The verification was recorded, but it is not in the store: tell a supervisor.");
            auto* box = new QMessageBox(recorded ? QMessageBox::Information : QMessageBox::Warning,
                                        QObject::tr("Verification recorded"), text, QMessageBox::Ok, parent);
            box->setObjectName(QStringLiteral("verificationRecorded"));
            box->setAttribute(Qt::WA_DeleteOnClose);
            box->open();
        });
}

}  // namespace

void examineCandidate(AppContext& context, QWidget* parent, std::int64_t candidateId, const QString& label,
                      LeadPlace place, std::function<void()> changed) {
    context.store().run(parent,
                        [candidateId, place](CoreServices& s) -> Result<ExaminationMaterial> {
                            // Refused before the form is filled, with the reason (trial 47 F5).
                            FACELEAD_TRY(s.cases().checkMayExamine(candidateId));
                            return readComparison(s, candidateId, place);
                        },
                        [&context, parent, candidateId, label, changed](const Result<ExaminationMaterial>& material) {
                            if (!material) {
                                QMessageBox::warning(parent, QObject::tr("Blind examination"),
                                                     QString::fromStdString(material.error().message));
                                return;
                            }
                            ExaminationDialog dialog(label, examinationAttempt(context, candidateId), parent, *material,
                                                     context.policy());
                            if (dialog.exec() == QDialog::Accepted) changed();
                        });
}

void verifyCandidate(AppContext& context, QWidget* parent, std::int64_t candidateId, const QString& label,
                     std::function<void()> changed) {
    context.store().run(
        parent,
        [candidateId](CoreServices& s) -> Result<ExaminationMaterial> {
            auto pair = cases::VerificationQueue(s.session(), s.cases().settings()).open(candidateId);
            if (!pair) return pair.error();
            return ExaminationMaterial{shown(pair->probe, pair->probeFace), shown(pair->candidate), true};
        },
        [&context, parent, candidateId, label, changed](const Result<ExaminationMaterial>& material) {
            if (!material) {
                QMessageBox::warning(parent, QObject::tr("Independent verification"),
                                     QString::fromStdString(material.error().message));
                return;
            }
            ExaminationDialog dialog(label, verificationAttempt(context, candidateId), parent, *material,
                                     context.policy());
            if (dialog.exec() != QDialog::Accepted) return;
            showRecordedVerification(context, parent, candidateId, label);
            changed();
        });
}

void resolveDisagreement(AppContext& context, QWidget* parent, const cases::DisagreementSummary& disagreement,
                         std::function<void()> changed) {
    const QString label = QObject::tr("case %1, %2").arg(QString::fromStdString(disagreement.caseNumber),
                                                         QString::fromStdString(disagreement.subjectName));
    const std::int64_t candidateId = disagreement.candidateId;
    const LeadPlace place{std::nullopt, disagreement.caseId};
    context.store().run(parent, [candidateId, place](CoreServices& s) { return readResolutionMaterial(s, candidateId, place); },
                        [&context, parent, candidateId, label, changed](const Result<ResolutionMaterial>& material) {
                            if (!material) {
                                QMessageBox::warning(parent, QObject::tr("Resolve the examiners' disagreement"),
                                                     QString::fromStdString(material.error().message));
                                return;
                            }
                            ResolutionDialog dialog(label, material->examinations, resolutionAttempt(context, candidateId),
                                                    parent, material->comparison);
                            if (dialog.exec() == QDialog::Accepted) changed();
                        });
}

void recordFollowUp(AppContext& context, QWidget* parent, std::int64_t candidateId, const QString& label,
                    const LeadPlace& place, std::function<void()> changed) {
    context.store().run(parent, [candidateId, place](CoreServices& s) { return readFollowUpMaterial(s, candidateId, place); },
                        [&context, parent, candidateId, label, changed](const Result<FollowUpMaterial>& material) {
                            if (!material) {
                                QMessageBox::warning(parent, QObject::tr("Record follow-up"),
                                                     QString::fromStdString(material.error().message));
                                return;
                            }
                            FollowUpDialog dialog(label, followUpAttempt(context, candidateId), parent,
                                                  material->evidenceTypes, material->examinations, material->faces);
                            if (dialog.exec() == QDialog::Accepted) changed();
                        });
}

void reviewFollowUp(AppContext& context, QWidget* parent, std::int64_t candidateId, const QString& label,
                    LeadPlace place, std::function<void()> changed) {
    context.store().run(parent, [candidateId, place](CoreServices& s) { return readReviewMaterial(s, candidateId, place); },
                        [&context, parent, candidateId, label, changed](const Result<ReviewMaterial>& material) {
                            if (!material) {
                                QMessageBox::warning(parent, QObject::tr("Supervisor review"),
                                                     QString::fromStdString(material.error().message));
                                return;
                            }
                            ReviewDialog dialog(label, reviewCalls(context, candidateId), parent, *material);
                            if (dialog.exec() != QDialog::Accepted) return;
                            showRecordedReview(context, parent, candidateId, label);
                            changed();
                        });
}

}  // namespace facelead::ui
