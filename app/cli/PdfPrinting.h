#pragma once
// Reports printed to PDF by facelead-cli with the workstation's one renderer (ui/accountability/PdfRenderer.h: every
// page marked as SOP 302.02 VI.B.6 and VI.B.1 require). Only in builds with Qt (FACELEAD_CLI_PRINTS_PDF).

#include <functional>
#include <string>

#include "core/common/Result.h"
#include "core/reports/ReportDocument.h"

namespace facelead::cli {

// Runs print() (which returns the pages written) with the GUI application object Qt's PDF writer needs, on the
// offscreen platform: never a window system.
Result<int> withPdfPrinter(const std::function<Result<int>()>& print);

// The document as a PDF at path (readable by its owner only); the pages written.
Result<int> printPdf(const reports::ReportDocument& document, const std::string& path);

}  // namespace facelead::cli
