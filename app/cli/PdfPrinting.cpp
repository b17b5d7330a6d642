#include "app/cli/PdfPrinting.h"

#include <cstdlib>

#include <QGuiApplication>
#include <QString>

#include "ui/accountability/PdfRenderer.h"

namespace facelead::cli {

Result<int> withPdfPrinter(const std::function<Result<int>()>& print) {
    setenv("QT_QPA_PLATFORM", "offscreen", 1);
    int argc = 1;
    char name[] = "facelead-cli";
    char* argv[] = {name, nullptr};
    QGuiApplication application(argc, argv);
    return print();
}

Result<int> printPdf(const reports::ReportDocument& document, const std::string& path) {
    return withPdfPrinter([&] { return ui::renderPdf(document, QString::fromStdString(path)); });
}

}  // namespace facelead::cli
