#include "ui/dialogs/ConfirmStep.h"

#include <QInputDialog>
#include <QMessageBox>
#include <QPushButton>

namespace facelead::ui {

std::optional<QString> confirmStep(QWidget* parent, const QString& title, const QString& question,
                                   const QString& goAhead, AskReason askReason) {
    if (askReason == AskReason::Yes) {
        QInputDialog ask(parent);
        ask.setWindowTitle(title);
        ask.setLabelText(question + QStringLiteral("\n\n") + QObject::tr("Why? The reason is kept in the audit log."));
        ask.setOkButtonText(goAhead);
        if (ask.exec() != QDialog::Accepted) return std::nullopt;
        return ask.textValue();  // a blank reason is refused by the core, in its words
    }
    QMessageBox ask(QMessageBox::Question, title, question, QMessageBox::Cancel, parent);
    QPushButton* go = ask.addButton(goAhead, QMessageBox::AcceptRole);
    ask.setDefaultButton(QMessageBox::Cancel);  // Return alone never takes a step that cannot be undone
    ask.exec();
    if (ask.clickedButton() != go) return std::nullopt;
    return QString();
}

}  // namespace facelead::ui
