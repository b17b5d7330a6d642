#include "ui/widgets/PolicyBanner.h"

#include <QHBoxLayout>
#include <QLabel>

namespace facelead::ui {

QString leadOnlyNotice() {
    return QObject::tr("Investigative lead only — not a positive identification and not probable cause. "
                       "Corroborate by further investigation before any action.");
}

QString intelligenceMarking() {
    return QObject::tr("Criminal intelligence / investigative information (SOP 302.02 VI.B.6) — "
                       "not for public release.");
}

QString trainingModeNotice() {
    return QObject::tr("TRAINING MODE — exercises only, no real case material.");
}

namespace {

struct BannerLook {
    QString text;
    const char* style;
    const char* objectName;
};

BannerLook lookFor(PolicyBanner::Kind kind) {
    switch (kind) {
    case PolicyBanner::Kind::LeadOnly:
        return {leadOnlyNotice() + QStringLiteral("  (SOP 302.02 VI.B.1)"),
                "background:#fff3cd; color:#5c3c00; border:2px solid #d39e00; font-weight:bold;",
                "leadOnlyBanner"};
    case PolicyBanner::Kind::Intelligence:
        return {intelligenceMarking(), "background:#1f3a5f; color:white; font-weight:bold;", "intelligenceBanner"};
    case PolicyBanner::Kind::Training:
        return {trainingModeNotice(), "background:#7b1fa2; color:white; font-weight:bold;", "trainingBanner"};
    }
    return {};
}

}  // namespace

PolicyBanner::PolicyBanner(Kind kind, QWidget* parent) : QFrame(parent), kind_(kind), label_(new QLabel(this)) {
    const BannerLook look = lookFor(kind);
    setObjectName(QString::fromLatin1(look.objectName));
    setStyleSheet(QStringLiteral("QFrame#%1 { %2 } QLabel { background:transparent; border:none; color:inherit; }")
                      .arg(objectName(), QString::fromLatin1(look.style)));
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
