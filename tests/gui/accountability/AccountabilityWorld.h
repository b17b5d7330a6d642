#pragma once
// The accountability GUI tests' fixture: the known-usage store of the reports tests (tests/unit/reports/
// UsageFixture.h), opened in an AppContext signed in as the program administrator, without the face engine.

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
        auto services = ui::CoreServices::open(std::move(session), clock);
        if (!services) FAIL(services.error().message);
        made->setServices(std::move(services.value()));
        return made;
    }

    std::unique_ptr<ui::AppContext> signedIn(const std::string& username) {
        auto session = signIn(username);
        if (!session) FAIL(session.error().message);
        return contextFor(std::move(*session), username);
    }

    store::Store& liveStore() { return context->services()->store(); }
};

// The text of a PDF (pdftotext from poppler-utils), white space collapsed to single spaces.
inline QString pdfText(const QString& pdf) {
    QProcess process;
    process.start(QStringLiteral("pdftotext"), {QStringLiteral("-layout"), pdf, QStringLiteral("-")});
    if (!process.waitForFinished(60000) || process.exitCode() != 0) return {};
    // NFKC: pdftotext writes typographic ligatures ("ﬁ") as single characters.
    return QString::fromUtf8(process.readAllStandardOutput()).normalized(QString::NormalizationForm_KC).simplified();
}

}  // namespace facelead::test
