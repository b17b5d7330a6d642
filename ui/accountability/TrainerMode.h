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
    // attempt: runs the request against the core; the core's message on refusal, nullopt on success.
    TrainerModeDialog(const QString& suggestedStore, std::function<std::optional<QString>(const TrainerModeRequest&)> attempt,
                      QWidget* parent = nullptr);
    TrainerModeRequest request() const;
    void setRequest(const TrainerModeRequest& request);  // fills the form (tests, remembered values)
    // Runs the attempt with the form's request; accepts the dialog on success.
    std::optional<QString> tryOpen();
    QString errorText() const;

private:
    std::function<std::optional<QString>(const TrainerModeRequest&)> attempt_;
    QLineEdit* storePath_;
    QCheckBox* createNew_;
    QLineEdit* username_;
    QLineEdit* displayName_;
    QLineEdit* password_;
    QLineEdit* galleryFolder_;
    QLabel* error_;
};

// Opens (or creates) the training store of the request and makes it the workstation's session, in training
// mode. The live session, if any, is closed only once the training store is open. Returns the core's message.
std::optional<QString> enterTrainerMode(AppContext& context, const TrainerModeRequest& request);

// Enrols the demo gallery of a folder into the open training store, with progress. Refused on a live store.
std::optional<QString> loadDemoGallery(QWidget* parent, AppContext& context, const QString& folder);

// The whole flow from a menu or the sign-in screen: the dialog, then the demo gallery. True when entered.
bool openTrainerMode(QWidget* parent, AppContext& context);

}  // namespace facelead::ui
