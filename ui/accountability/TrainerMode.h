#pragma once
// Trainer mode (SOP 302.02 VI.C.3.b, VI.D.2.b): a class works on a separate training store, never the live
// one (training::createTrainingStore / openTrainingStore refuse the live store's path and any store not
// marked for training), loaded with a demo gallery from a folder the trainer chooses. While it is open,
// AppContext::trainingMode() is on, so every window shows the TRAINING banner; its searches are written to
// the training store only and never count in the live statistics.

#include <QDialog>
#include <QString>

#include <functional>
#include <optional>

#include "ui/dialogs/SignInDialogs.h"

class QCheckBox;
class QLabel;
class QLineEdit;

namespace facelead::ui {

class AppContext;

struct TrainerModeRequest {
    QString storePath;          // the training store (created when createNew)
    bool createNew = true;
    QString username;
    QString displayName;        // for a new store
    QString password;
    QString demoGalleryFolder;  // optional: FOLDER/<identity>/<image>, enrolled after opening
};

class TrainerModeDialog : public QDialog {
    Q_OBJECT
public:
    // attempt: hands the request to the core in the background; answers its refusal, or nullopt.
    TrainerModeDialog(const QString& suggestedStore, AttemptFn<TrainerModeRequest> attempt, QWidget* parent = nullptr);
    TrainerModeRequest request() const;
    void setRequest(const TrainerModeRequest& request);  // fills the form (tests, remembered values)
    // Runs the attempt with the form's request; accepts the dialog on success.
    void tryOpen();
    QString errorText() const;

private:
    AttemptFn<TrainerModeRequest> attempt_;
    QLineEdit* storePath_;
    QCheckBox* createNew_;
    QLineEdit* username_;
    QLineEdit* displayName_;
    QLineEdit* password_;
    QLineEdit* galleryFolder_;
    QLabel* error_;
};

// Opens (or creates) the training store of the request and makes it the workstation's session, in training
// mode, on the store thread. The live session, if any, is closed only once the training store is open.
// answer gets the core's message, or nullopt.
void enterTrainerMode(AppContext& context, const TrainerModeRequest& request, const Answer& answer);

// Enrols the demo gallery of a folder into the open training store, with progress; refused on a live store.
// The work lists re-read the store afterwards (AppContext::storeChanged).
void loadDemoGallery(QWidget* parent, AppContext& context, const QString& folder, const Answer& answer);

// The whole flow from a menu or the sign-in screen: the dialog, then the demo gallery. True when entered.
bool openTrainerMode(QWidget* parent, AppContext& context);

}  // namespace facelead::ui
