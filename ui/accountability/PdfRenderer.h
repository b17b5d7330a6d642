#pragma once
// Renders a core report (reports::ReportDocument) to PDF. Every page carries the markings of VI.B.6 /
// VI.C.2.d and the lead-only disclaimer of VI.B.1 in its header and footer, the report title and
// "Page N of M". Safe to call from a worker thread (it only paints on a QPdfWriter).

#include <QString>

#include <functional>

#include "core/common/Result.h"
#include "core/reports/ReportDocument.h"

namespace facelead::ui {

// Returns the number of pages written; IoError when the file cannot be written. The file is readable by its
// owner only (0600), like every file FaceLead writes for a person.
Result<int> renderPdf(const reports::ReportDocument& document, const QString& pdfPath);

// The document as HTML (body only, without the page markings): used by the PDF renderer and for an
// on-screen preview.
QString reportHtml(const reports::ReportDocument& document);

// What every printed page carries besides its body (VI.B.6, VI.C.2.d, VI.B.1): the markings (the training marking on
// a training store's), the title, the agency and "Page N of M".
struct PageMarkings {
    QString title;
    QString agencyName;
    bool trainingStore = false;
};

// An HTML body without pictures printed as the reports are, every page marked, the file owner-only: the case window's
// history (trial 75 F6: its export carried the markings only at its start and end). Errors as renderPdf.
Result<int> renderHtmlPdf(const PageMarkings& markings, const QString& html, const QString& pdfPath);

// `text` HTML-escaped, its unbroken runs longer than 32 characters breakable every 16 (a zero-width space), as the
// report tables print a SHA-256 (trial 75 F4): lines break between words only, so a hash held its column wider than
// the page. Shorter words (a name, a timestamp) are never split.
QString breakableText(const QString& text);

}  // namespace facelead::ui
