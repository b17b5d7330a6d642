#pragma once
// Renders a core report (reports::ReportDocument) to PDF. Every page carries the markings of VI.B.6 /
// VI.C.2.d and the lead-only disclaimer of VI.B.1 in its header and footer, the report title and
// "Page N of M". Safe to call from a worker thread (it only paints on a QPdfWriter).

#include <QString>

#include "core/common/Result.h"
#include "core/reports/ReportDocument.h"

namespace facelead::ui {

// Returns the number of pages written; IoError when the file cannot be written. The file is readable by its
// owner only (0600), like every file FaceLead writes for a person.
Result<int> renderPdf(const reports::ReportDocument& document, const QString& pdfPath);

// The document as HTML (body only, without the page markings): used by the PDF renderer and for an
// on-screen preview.
QString reportHtml(const reports::ReportDocument& document);

}  // namespace facelead::ui
