#pragma once
// Audit requests (SOP 302.02 VI.C.2.a-b): the Intel Supervisor files one (scope: a user, a case or a period,
// and the reason); the program administrator runs it; the requester opens the result and may save it as
// PDF. Every step is checked and audited by reports::AuditRequests.

#include <QDialog>

#include <functional>
#include <optional>
#include <vector>

#include "core/reports/AuditRequests.h"
#include "ui/dialogs/SignInDialogs.h"

class QComboBox;
class QDateEdit;
class QLabel;
class QLineEdit;
class QTableWidget;
class QStackedWidget;

namespace facelead::ui {

class AppContext;
struct RequestList;

// The form of a new request. The case is given by its number and resolved when filing.
class FileAuditRequestDialog : public QDialog {
    Q_OBJECT
public:
    FileAuditRequestDialog(AppContext& context, QWidget* parent = nullptr);
    // The request as entered; a case scope is given by caseNumber(), resolved when the request is filed.
    Result<reports::AuditRequestInput> request() const;
    std::string caseNumber() const;

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

    void refresh(std::function<void()> then = {});  // then() once the list is shown
    QTableWidget* table() const { return table_; }
    bool selectRequest(std::int64_t id);
    // On the store thread; answer gets nullopt when done, else the core's message (also shown here).
    void file(Result<reports::AuditRequestInput> input, const std::string& caseNumber = {}, Answer answer = {});
    void runSelected(Answer answer = {});
    void resultOfSelected(std::function<void(const Result<reports::AuditRequestResult>&)> reply);
    std::optional<QString> saveResultPdf(const reports::AuditRequestResult& result, const QString& path);

signals:
    void refreshed();

private:
    void showRequests(const Result<RequestList>& list);
    template <typename T>
    void answerWith(const Result<T>& result, const Answer& answer);
    std::int64_t selectedId() const;
    void showResult(const reports::AuditRequestResult& result);

    AppContext& context_;
    QTableWidget* table_;
    QLabel* message_;
};

}  // namespace facelead::ui
