#include "ui/widgets/PolicyBanner.h"

#include <QHBoxLayout>
#include <QLabel>

#include "core/workflow/Markings.h"

namespace facelead::ui {

// The policy's wording is not translated or paraphrased: it comes from the core, as on prints and exports.
QString leadOnlyNotice() { return QString::fromUtf8(workflow::kLeadOnlyDisclaimer); }

QString intelligenceMarking() {
    return QString::fromUtf8(workflow::kIntelligenceMarking) + QStringLiteral(" (SOP 302.02 VI.B.6)");
}

QString trainingModeNotice() { return QString::fromUtf8(workflow::kTrainingMarking); }

namespace {

struct BannerLook {
    QString text;
    const char* background;
    const char* foreground;
    const char* objectName;
};

BannerLook lookFor(PolicyBanner::Kind kind) {
    switch (kind) {
    case PolicyBanner::Kind::LeadOnly:
        return {leadOnlyNotice() + QStringLiteral("  (SOP 302.02 VI.B.1)"),
                "background:#fff3cd; border:2px solid #d39e00;", "#5c3c00", "leadOnlyBanner"};
    case PolicyBanner::Kind::Intelligence:
        return {intelligenceMarking(), "background:#1f3a5f;", "#ffffff", "intelligenceBanner"};
    case PolicyBanner::Kind::Training:
        return {trainingModeNotice(), "background:#7b1fa2;", "#ffffff", "trainingBanner"};
    }
    return {};
}

}  // namespace

PolicyBanner::PolicyBanner(Kind kind, QWidget* parent) : QFrame(parent), kind_(kind), label_(new QLabel(this)) {
    const BannerLook look = lookFor(kind);
    setObjectName(QString::fromLatin1(look.objectName));
    setStyleSheet(QStringLiteral("QFrame#%1 { %2 } QLabel { background:transparent; border:none; color:%3; font-weight:bold; }")
                      .arg(objectName(), QString::fromLatin1(look.background), QString::fromLatin1(look.foreground)));
    label_->setText(look.text);
    label_->setWordWrap(true);
    label_->setAlignment(Qt::AlignCenter);
    label_->setTextInteractionFlags(Qt::NoTextInteraction);
    auto* layout = new QHBoxLayout(this);
    layout->setContentsMargins(8, 4, 8, 4);
    layout->addWidget(label_);
    setAccessibleName(look.text);
    setSizePolicy(QSizePolicy::Preferred, QSizePolicy::Fixed);
}

QString PolicyBanner::text() const { return label_->text(); }

}  // namespace facelead::ui
