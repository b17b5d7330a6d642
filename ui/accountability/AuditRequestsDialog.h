#pragma once
// Audit requests (SOP 302.02 VI.C.2.a-b): the Intel Supervisor files one (scope: a user, a case or a period,
// and the reason); the program administrator runs it; the requester opens the result and may save it as
// PDF. Every step is checked and audited by reports::AuditRequests.

#include <QDialog>

#include <optional>
#include <vector>

#include "core/reports/AuditRequests.h"

class QComboBox;
class QDateEdit;
class QLabel;
class QLineEdit;
class QTableWidget;
class QStackedWidget;

namespace facelead::ui {

class AppContext;

// The form of a new request. The case is given by its number and resolved when filing.
class FileAuditRequestDialog : public QDialog {
    Q_OBJECT
public:
    FileAuditRequestDialog(AppContext& context, QWidget* parent = nullptr);
    // The request as entered; InvalidArgument / NotFound when the case number is unknown.
    Result<reports::AuditRequestInput> request() const;

private:
    AppContext& context_;
    QComboBox* kind_;
    QComboBox* user_;
    QLineEdit* caseNumber_;
    QDateEdit* from_;
    QDateEdit* to_;
    QLineEdit* reason_;
};

class AuditRequestsDialog : public QDialog {
    Q_OBJECT
public:
    explicit AuditRequestsDialog(AppContext& context, QWidget* parent = nullptr);

    void refresh();
    QTableWidget* table() const { return table_; }
    bool selectRequest(std::int64_t id);
    // nullopt when done, else the core's message (also shown in the dialog).
    std::optional<QString> file(const reports::AuditRequestInput& input);
    std::optional<QString> runSelected();
    Result<reports::AuditRequestResult> resultOfSelected();
    std::optional<QString> saveResultPdf(const reports::AuditRequestResult& result, const QString& path);

private:
    std::int64_t selectedId() const;
    void showResult(const reports::AuditRequestResult& result);

    AppContext& context_;
    QTableWidget* table_;
    QLabel* message_;
};

}  // namespace facelead::ui
