#include <QApplication>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QListWidget>
#include <QMessageBox>
#include <QPushButton>
#include <QSpinBox>
#include <QStackedWidget>
#include <QTimer>
#include <QVBoxLayout>
#include <QtConcurrent>

#include "ui/widgets/ImageConvert.h"
#include "ui/widgets/ImageView.h"
#include "ui/widgets/ScreenFit.h"
#include "ui/widgets/SteadyLabel.h"
#include "ui/wizard/SearchWizard.h"
#include "ui/wizard/WizardPages.h"
#include "ui/workstation/Background.h"

namespace facelead::ui {

namespace {

constexpr int kPreviewMaxSide = 900;  // previews are computed on a copy no larger than this
constexpr auto kPreviewDebounce = std::chrono::milliseconds(150);

QString enhancedCopyStamp() { return QObject::tr("ENHANCED COPY — not the original (SOP 302.02 VI.B.2)"); }

QSpinBox* intBox(int minimum, int maximum, int value, const QString& name, QWidget* parent) {
    auto* box = new QSpinBox(parent);
    box->setRange(minimum, maximum);
    box->setValue(value);
    box->setAccessibleName(name);
    return box;
}

QDoubleSpinBox* realBox(double minimum, double maximum, double value, double step, const QString& name,
                        QWidget* parent) {
    auto* box = new QDoubleSpinBox(parent);
    box->setRange(minimum, maximum);
    box->setDecimals(2);
    box->setSingleStep(step);
    box->setValue(value);
    box->setAccessibleName(name);
    return box;
}

// The recipe as it applies to the downscaled preview: pixel geometry scales with the preview.
imaging::Recipe scaledForPreview(const imaging::Recipe& recipe, double scale) {
    imaging::Recipe scaled = recipe;
    for (imaging::EnhancementStep& step : scaled.steps) {
        if (auto* crop = std::get_if<imaging::CropStep>(&step)) {
            crop->x = int(crop->x * scale);
            crop->y = int(crop->y * scale);
            crop->width = std::max(1, int(crop->width * scale));
            crop->height = std::max(1, int(crop->height * scale));
        }
    }
    return scaled;
}

}  // namespace

EnhancePage::EnhancePage(SearchWizard& wizard)
    : wizard_(wizard),
      originalTitle_(new QLabel(this)),
      original_(new ImageView(this)),
      copy_(new ImageView(this)),
      stepKind_(new QComboBox(this)),
      stepEditors_(new QStackedWidget(this)),
      steps_(new QListWidget(this)),
      addButton_(new QPushButton(tr("&Add step"), this)),
      undoButton_(new QPushButton(tr("&Undo last step"), this)),
      error_(new QLabel(this)),
      debounce_(new QTimer(this)) {
    setTitle(tr("3. Enhancement on a copy (optional)"));
    setSubTitle(tr("Enhancements never touch the original: they build a separate copy that records every "
                   "step, its parameters, the date, time and your name (SOP 302.02 VI.B.2). Skip this page "
                   "to search the original."));

    original_->setAccessibleName(tr("Original image, untouched"));
    copy_->setAccessibleName(tr("Enhanced copy preview"));
    copy_->setStamp(enhancedCopyStamp());
    stepKind_->setAccessibleName(tr("Enhancement step"));
    steps_->setAccessibleName(tr("Steps of the enhanced copy, in order"));
    steps_->setMaximumHeight(110);
    makeErrorLine(*error_);

    auto editor = [this](const QString& name, std::initializer_list<std::pair<QString, QWidget*>> rows) {
        auto* page = new QWidget(stepEditors_);
        auto* form = new QFormLayout(page);
        form->setContentsMargins(0, 0, 0, 0);
        for (const auto& [label, field] : rows) {
            field->setParent(page);
            form->addRow(label, field);
            if (auto* spin = qobject_cast<QAbstractSpinBox*>(field))
                connect(spin, &QAbstractSpinBox::editingFinished, this, &EnhancePage::schedulePreview);
            if (auto* spin = qobject_cast<QSpinBox*>(field))
                connect(spin, &QSpinBox::valueChanged, this, &EnhancePage::schedulePreview);
            if (auto* spin = qobject_cast<QDoubleSpinBox*>(field))
                connect(spin, &QDoubleSpinBox::valueChanged, this, &EnhancePage::schedulePreview);
        }
        stepKind_->addItem(name);
        stepEditors_->addWidget(page);
    };
    cropX_ = intBox(0, 100000, 0, tr("Crop left"), this);
    cropY_ = intBox(0, 100000, 0, tr("Crop top"), this);
    cropW_ = intBox(1, 100000, 1, tr("Crop width"), this);
    cropH_ = intBox(1, 100000, 1, tr("Crop height"), this);
    quarterTurns_ = intBox(1, 3, 1, tr("Quarter turns clockwise"), this);
    angle_ = realBox(-180, 180, 5, 0.5, tr("Rotation in degrees"), this);
    brightness_ = realBox(-100, 100, 20, 5, tr("Brightness"), this);
    contrast_ = realBox(0.1, 3, 1.2, 0.05, tr("Contrast"), this);
    gamma_ = realBox(0.1, 5, 1.3, 0.05, tr("Gamma"), this);
    claheClip_ = realBox(0.5, 40, 2, 0.5, tr("CLAHE clip limit"), this);
    claheTiles_ = intBox(1, 32, 8, tr("CLAHE tiles per side"), this);
    denoiseDiameter_ = intBox(1, 15, 5, tr("Denoise diameter"), this);
    denoiseColor_ = realBox(1, 200, 40, 5, tr("Denoise colour sigma"), this);
    denoiseSpace_ = realBox(1, 200, 40, 5, tr("Denoise space sigma"), this);
    sharpenAmount_ = realBox(0, 5, 1, 0.1, tr("Sharpen amount"), this);
    sharpenRadius_ = realBox(0.3, 20, 1.5, 0.1, tr("Sharpen radius"), this);
    upscaleFactor_ = realBox(1, 8, 2, 0.5, tr("Upscale factor"), this);
    editor(tr("— choose a step to preview and add —"), {});
    editor(tr("Crop"), {{tr("Left:"), cropX_}, {tr("Top:"), cropY_}, {tr("Width:"), cropW_}, {tr("Height:"), cropH_}});
    editor(tr("Rotate by quarter turns"), {{tr("Quarter turns (clockwise):"), quarterTurns_}});
    editor(tr("Rotate by an angle"), {{tr("Degrees (clockwise):"), angle_}});
    editor(tr("Brightness / contrast"), {{tr("Brightness:"), brightness_}, {tr("Contrast:"), contrast_}});
    editor(tr("Gamma"), {{tr("Gamma:"), gamma_}});
    editor(tr("Adaptive equalisation (CLAHE)"), {{tr("Clip limit:"), claheClip_}, {tr("Tiles:"), claheTiles_}});
    editor(tr("Denoise (bilateral)"), {{tr("Diameter:"), denoiseDiameter_}, {tr("Colour sigma:"), denoiseColor_},
                                      {tr("Space sigma:"), denoiseSpace_}});
    editor(tr("Sharpen (unsharp mask)"), {{tr("Amount:"), sharpenAmount_}, {tr("Radius:"), sharpenRadius_}});
    editor(tr("Upscale"), {{tr("Factor:"), upscaleFactor_}});
    editor(tr("Greyscale"), {});

    auto* views = new QHBoxLayout;
    auto* leftColumn = new QVBoxLayout;
    leftColumn->addWidget(originalTitle_);
    leftColumn->addWidget(original_, 1);
    auto* rightColumn = new QVBoxLayout;
    rightColumn->addWidget(new QLabel(tr("<b>Enhanced copy</b> (preview: current steps + the step being edited)"), this));
    rightColumn->addWidget(copy_, 1);
    views->addLayout(leftColumn);
    views->addLayout(rightColumn);

    auto* controls = new QHBoxLayout;
    auto* stepColumn = new QVBoxLayout;
    auto* kindForm = new QFormLayout;
    kindForm->addRow(tr("&Step:"), stepKind_);
    stepColumn->addLayout(kindForm);
    stepColumn->addWidget(stepEditors_);
    auto* buttons = new QHBoxLayout;
    buttons->addWidget(addButton_);
    buttons->addWidget(undoButton_);
    buttons->addStretch();
    stepColumn->addLayout(buttons);
    controls->addLayout(stepColumn, 1);
    auto* listColumn = new QVBoxLayout;
    listColumn->addWidget(new QLabel(tr("Steps of the copy:"), this));
    listColumn->addWidget(steps_);
    controls->addLayout(listColumn, 1);

    QVBoxLayout* layout = scrollingContent(*this);  // fits a 1366x768 screen: the page scrolls, the buttons stay
    layout->addLayout(views, 1);
    layout->addLayout(controls);
    layout->addWidget(error_);

    debounce_->setSingleShot(true);
    debounce_->setInterval(kPreviewDebounce);
    connect(debounce_, &QTimer::timeout, this, &EnhancePage::startPreview);
    connect(stepKind_, &QComboBox::currentIndexChanged, stepEditors_, &QStackedWidget::setCurrentIndex);
    connect(stepKind_, &QComboBox::currentIndexChanged, this, &EnhancePage::schedulePreview);
    connect(addButton_, &QPushButton::clicked, this, [this] {
        if (auto step = pendingStep()) addStep(*step);
    });
    connect(stepKind_, &QComboBox::currentIndexChanged, this, [this](int index) { addButton_->setEnabled(index > 0); });
    addButton_->setEnabled(false);
    connect(undoButton_, &QPushButton::clicked, this, &EnhancePage::undoStep);
    connect(original_, &ImageView::viewChanged, copy_, &ImageView::setViewState);
    connect(&previewer_, &QFutureWatcher<std::shared_ptr<Result<cv::Mat>>>::finished, this, [this] {
        const std::shared_ptr<Result<cv::Mat>> preview = previewer_.result();
        if (*preview) {
            copy_->setImage(toQImage(preview->value()));
            // With no step at all the right side is the original itself: no stamp then.
            copy_->setStamp(recipe_.steps.empty() && !pendingStep() ? QString() : enhancedCopyStamp());
            error_->clear();
        } else {
            error_->setText(QString::fromStdString(preview->error().message));
        }
        if (previewPending_) {
            previewPending_ = false;
            startPreview();
            return;
        }
        emit previewShown();
    });
    updateStepList();
}

void EnhancePage::initializePage() {
    const SearchDraft& draft = wizard_.draft();
    if (!draft.original) return;
    // A frame is not the original: the video is (trial 78 F8: "Original (never altered)" over a frame).
    originalTitle_->setText(draft.original->videoFrame
                                ? tr("<b>Frame %1 of the video</b> (as taken; the video is the original, never altered)")
                                      .arg(draft.original->videoFrame->frame)
                                : tr("<b>Original</b> (never altered)"));
    previewBase_ = downscaled(draft.original->image.rgb, kPreviewMaxSide, &previewScale_);
    original_->setImage(toQImage(previewBase_));
    const int w = draft.original->image.width(), h = draft.original->image.height();
    cropX_->setMaximum(w - 1);
    cropY_->setMaximum(h - 1);
    cropW_->setMaximum(w);
    cropH_->setMaximum(h);
    cropX_->setValue(w / 4);
    cropY_->setValue(h / 4);
    cropW_->setValue(w / 2);
    cropH_->setValue(h / 2);
    recipe_ = draft.enhanced ? draft.enhanced->recipe : imaging::Recipe{};
    fullSize_ = draft.enhanced;
    updateStepList();
    startPreview();
}

std::optional<imaging::EnhancementStep> EnhancePage::pendingStep() const {
    switch (stepKind_->currentIndex()) {
    case 1: return imaging::CropStep{cropX_->value(), cropY_->value(), cropW_->value(), cropH_->value()};
    case 2: return imaging::RotateQuarterStep{quarterTurns_->value()};
    case 3: return imaging::RotateStep{angle_->value()};
    case 4: return imaging::BrightnessContrastStep{brightness_->value(), contrast_->value()};
    case 5: return imaging::GammaStep{gamma_->value()};
    case 6: return imaging::EqualizeStep{claheClip_->value(), claheTiles_->value()};
    case 7: return imaging::DenoiseStep{denoiseDiameter_->value(), denoiseColor_->value(), denoiseSpace_->value()};
    case 8: return imaging::SharpenStep{sharpenAmount_->value(), sharpenRadius_->value()};
    case 9: return imaging::UpscaleStep{upscaleFactor_->value(), imaging::Interpolation::Cubic};
    case 10: return imaging::GreyscaleStep{};
    default: return std::nullopt;  // nothing being edited
    }
}

void EnhancePage::addStep(const imaging::EnhancementStep& step) {
    imaging::Recipe candidate = recipe_;
    candidate.steps.push_back(step);
    if (auto valid = imaging::validateRecipe(candidate); !valid) {
        error_->setText(QString::fromStdString(valid.error().message));
        return;
    }
    recipe_ = std::move(candidate);
    // The step is now in the recipe: leave its editor, or the preview would apply it a second time as
    // the "step being edited".
    stepKind_->setCurrentIndex(0);
    recipeChanged();
}

void EnhancePage::undoStep() {
    if (recipe_.steps.empty()) return;
    recipe_.steps.pop_back();
    recipeChanged();
}

void EnhancePage::recipeChanged() {
    updateStepList();
    startPreview();
    startFullSize();
}

void EnhancePage::startFullSize() {
    // The full-size copy, on the thread pool so a big image does not freeze the window; the original's
    // pixels are only read (apply() never writes its input). Next waits for it (isComplete()).
    fullSize_.reset();
    error_->clear();
    const SearchDraft& draft = wizard_.draft();
    if (recipe_.steps.empty() || !draft.original) {
        emit completeChanged();
        return;
    }
    fullSizeRunning_ = true;
    emit completeChanged();
    const imaging::Recipe recipe = recipe_;
    computeThen(this, [original = draft.original->image.rgb, recipe] {
        return std::make_shared<Result<cv::Mat>>(imaging::apply(original, recipe));
    }, [this, recipe](const std::shared_ptr<Result<cv::Mat>>& applied) {
        if (imaging::toJson(recipe) != imaging::toJson(recipe_)) return;  // a newer recipe is being applied
        fullSizeRunning_ = false;
        if (*applied) fullSize_ = EnhancedCopy{recipe, std::move(applied->value())};
        else error_->setText(QString::fromStdString(applied->error().message));
        emit completeChanged();
    });
}

bool EnhancePage::isComplete() const { return !fullSizeRunning_ && (recipe_.steps.empty() || fullSize_); }

bool EnhancePage::busy() const { return previewer_.isRunning() || previewPending_ || debounce_->isActive() || fullSizeRunning_; }

void EnhancePage::showPreviewNow() {
    if (!debounce_->isActive()) return;
    debounce_->stop();
    startPreview();
}

void EnhancePage::updateStepList() {
    steps_->clear();
    for (std::size_t i = 0; i < recipe_.steps.size(); ++i)
        steps_->addItem(QStringLiteral("%1. %2").arg(i + 1).arg(QString::fromStdString(imaging::describeStep(recipe_.steps[i]))));
    // A frame of a video is searched as taken, the video staying the original (trial 74 F9: "the original" here).
    const auto& original = wizard_.draft().original;
    if (recipe_.steps.empty())
        steps_->addItem(original && original->videoFrame ? tr("(none — the search will use the frame as taken from the video)")
                                                         : tr("(none — the search will use the original)"));
    undoButton_->setEnabled(!recipe_.steps.empty());
}

void EnhancePage::schedulePreview() { debounce_->start(); }

void EnhancePage::startPreview() {
    if (previewBase_.empty()) return;
    if (previewer_.isRunning()) {
        previewPending_ = true;  // show the newest settings once the running preview is done
        return;
    }
    imaging::Recipe preview = recipe_;
    if (auto step = pendingStep()) preview.steps.push_back(*step);
    preview = scaledForPreview(preview, previewScale_);
    const cv::Mat base = previewBase_;
    previewer_.setFuture(QtConcurrent::run([base, preview] {
        return std::make_shared<Result<cv::Mat>>(imaging::apply(base, preview));
    }));
}

bool EnhancePage::validatePage() {
    SearchDraft& draft = wizard_.draft();
    if (recipe_.steps.empty()) {
        draft.enhanced.reset();
        draft.searchEnhancedCopy = false;
        return true;
    }
    if (draft.enhanced && draft.enhanced->recipe.steps.size() == recipe_.steps.size() &&
        imaging::toJson(draft.enhanced->recipe) == imaging::toJson(recipe_))
        return true;
    if (!fullSize_) return false;  // still being applied (Next is disabled meanwhile)
    draft.enhanced = *fullSize_;
    draft.faces.clear();
    draft.chosenFace = -1;
    return true;
}

}  // namespace facelead::ui
