#pragma once
// The accountability GUI tests' fixture: the known-usage store of the reports tests (tests/unit/reports/
// UsageFixture.h), opened in an AppContext signed in as the program administrator, without the face engine.

#include <QBuffer>
#include <QImage>
#include <QProcess>
#include <QString>

#include <memory>

#include "tests/gui/support/GuiWorld.h"
#include "tests/unit/reports/UsageFixture.h"
#include "ui/workstation/AppContext.h"
#include "ui/workstation/CoreServices.h"

namespace facelead::test {

struct AccountabilityWorld : UsageFixture {
    std::unique_ptr<ui::AppContext> context;

    AccountabilityWorld() {
        guiApp();
        context = contextFor(std::move(*admin), "admin");
        admin.reset();
    }

    std::unique_ptr<ui::AppContext> contextFor(accounts::Session session, const std::string& name) {
        auto made = std::make_unique<ui::AppContext>(QString::fromStdString((dir / (name + ".ini")).string()));
        made->setClock(clock);
        made->securityPolicy() = policy;
        made->settings().storePath = QString::fromStdString(storePath.string());
        auto opened = std::make_shared<accounts::Session>(std::move(session));
        const auto refusal = awaitAnswer([&](ui::Answer answer) {
            made->openSession(made.get(), [opened]() -> Result<accounts::Session> { return std::move(*opened); },
                              std::move(answer));
        });
        if (refusal) FAIL(refusal->toStdString());
        return made;
    }

    std::unique_ptr<ui::AppContext> signedIn(const std::string& username) {
        auto session = signIn(username);
        if (!session) FAIL(session.error().message);
        return contextFor(std::move(*session), username);
    }

    // Runs job(CoreServices&) on the admin context's store thread and waits for it.
    template <typename Job>
    auto asAdmin(Job job) { return storeCall(*context, std::move(job)); }
};

inline std::vector<std::uint8_t> pngBytes(int width, int height) {
    QImage image(width, height, QImage::Format_RGB32);
    image.fill(QColor(90, 120, 160));
    QByteArray bytes;
    QBuffer buffer(&bytes);
    buffer.open(QIODevice::WriteOnly);
    image.save(&buffer, "PNG");
    return {bytes.begin(), bytes.end()};
}

// A case made through the case services (as ivan): an original image and one search request.
struct RealCase {
    cases::CaseRecord record;
    cases::ImageRecord original;
};
inline RealCase makeRealCase(ui::CoreServices& services, std::int64_t caseOfficerId) {
    auto& cases = services.cases();
    auto created = cases.createCase({"NP-2026-0042", "robbery", caseOfficerId});
    if (!created) FAIL(created.error().message);
    auto original = cases.storeOriginal(created->id, pngBytes(64, 48), "CCTV export, 12 Main St");
    if (!original) FAIL(original.error().message);
    workflow::SearchRequest request;
    request.caseNumber = "NP-2026-0042";
    request.offence = "robbery";
    request.purpose = workflow::Purpose::ActiveInvestigation;
    request.justification = "Robbery at 12 Main St; the suspect's face is visible on the store's CCTV export.";
    for (const auto& use : workflow::prohibitedUses()) request.attestedNotFor.insert(use.use);
    request.consent.emplace();
    request.consent->kind = workflow::ConsentKind::NotAgencyCapture;
    request.imageSource = "CCTV export, 12 Main St";
    auto submitted = cases.submitRequest(request);
    if (!submitted) FAIL(submitted.error().message);
    return {*created, *original};
}

// The text of a PDF (pdftotext from poppler-utils), white space collapsed to single spaces.
inline QString pdfText(const QString& pdf) {
    QProcess process;
    process.start(QStringLiteral("pdftotext"), {QStringLiteral("-layout"), pdf, QStringLiteral("-")});
    if (!process.waitForFinished(60000) || process.exitCode() != 0) return {};
    // NFKC: pdftotext writes typographic ligatures ("ﬁ") as single characters.
    return QString::fromUtf8(process.readAllStandardOutput()).normalized(QString::NormalizationForm_KC).simplified();
}

}  // namespace facelead::test
