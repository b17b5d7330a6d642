#include "ui/accountability/PdfRenderer.h"

#include <QAbstractTextDocumentLayout>
#include <QFileInfo>
#include <QImage>
#include <QPageLayout>
#include <QPageSize>
#include <QPainter>
#include <QPdfWriter>
#include <QTextDocument>
#include <QUrl>
#include "core/common/PrivateFile.h"
#include "core/workflow/Markings.h"

namespace facelead::ui {
namespace {

QString q(const std::string& text) { return QString::fromStdString(text); }
QString q(std::string_view text) { return QString::fromUtf8(text.data(), static_cast<qsizetype>(text.size())); }
QString esc(const std::string& text) { return q(text).toHtmlEscaped(); }

QString multiline(const std::string& text) { return esc(text).replace(QLatin1Char('\n'), QStringLiteral("<br/>")); }

QString imageResourceName(std::size_t index) { return QStringLiteral("report-image-%1").arg(index); }

}  // namespace

QString breakableText(const QString& plain) {
    constexpr qsizetype kLongRun = 32, kPiece = 16;
    QString out;
    qsizetype runStart = 0;
    for (qsizetype i = 0; i <= plain.size(); ++i) {
        if (i < plain.size() && !plain[i].isSpace()) continue;
        const QString run = plain.mid(runStart, i - runStart);
        for (qsizetype at = 0; at < run.size(); at += kPiece)
            out += (at > 0 && run.size() > kLongRun ? QString(QChar(0x200B)) : QString()) + run.mid(at, kPiece).toHtmlEscaped();
        if (i < plain.size()) out += plain[i];
        runStart = i + 1;
    }
    return out;
}

namespace {

struct HtmlBuilder {
    QString html;
    std::size_t imageCount = 0;

    void operator()(const reports::Paragraph& p) {
        html += QStringLiteral("<p>%1</p>").arg(multiline(p.text));
    }
    void operator()(const reports::Fields& f) {
        html += QStringLiteral("<table cellspacing='0' cellpadding='2'>");
        for (const auto& [label, value] : f.items)
            html += QStringLiteral("<tr><td><b>%1</b></td><td>%2</td></tr>").arg(esc(label), multiline(value));
        html += QStringLiteral("</table>");
    }
    void operator()(const reports::Table& t) {
        html += QStringLiteral("<table border='1' cellspacing='0' cellpadding='3' width='100%'><thead><tr>");
        for (const auto& c : t.columns) html += QStringLiteral("<th bgcolor='#e6e6e6'>%1</th>").arg(esc(c));
        html += QStringLiteral("</tr></thead>");
        for (const auto& row : t.rows) {
            html += QStringLiteral("<tr>");
            for (const auto& cell : row) html += QStringLiteral("<td>%1</td>").arg(breakableText(q(cell)));
            html += QStringLiteral("</tr>");
        }
        if (t.rows.empty())
            html += QStringLiteral("<tr><td colspan='%1'><i>None</i></td></tr>").arg(std::max<std::size_t>(1, t.columns.size()));
        html += QStringLiteral("</table>");
    }
    void operator()(const reports::Image& img) {
        html += QStringLiteral("<p><img src='%1'/><br/><i>%2</i></p>").arg(imageResourceName(imageCount++), esc(img.caption));
    }
};

}  // namespace

QString reportHtml(const reports::ReportDocument& document) {
    HtmlBuilder builder;
    builder.html = QStringLiteral("<h1>%1</h1>").arg(esc(document.title));
    builder.html += QStringLiteral("<p>%1<br/>Generated %2 by %3</p>")
                        .arg(esc(document.agencyName), esc(document.generatedAt), esc(document.generatedBy));
    for (const auto& section : document.sections) {
        builder.html += QStringLiteral("<h2>%1</h2>").arg(esc(section.heading));
        for (const auto& block : section.blocks) std::visit(builder, block);
    }
    return builder.html;
}

namespace {

// Lays the body out page by page under the markings; `fill(text, bodyWidth)` gives the document its HTML and resources.
Result<int> printMarkedPages(const PageMarkings& marked, const QString& pdfPath,
                             const std::function<void(QTextDocument&, int bodyWidth)>& fill) {
    // Created empty and owner-only first: the writer then fills a file no one else could open (issue 8 item 5).
    FACELEAD_TRY(writePrivateFile(pdfPath.toStdString(), {}));
    QPdfWriter writer(pdfPath);
    writer.setResolution(150);
    writer.setTitle(marked.title);
    writer.setCreator(QStringLiteral("FaceLead"));
    writer.setPageLayout(QPageLayout(QPageSize(QPageSize::Letter), QPageLayout::Portrait,
                                     QMarginsF(15, 12, 15, 12), QPageLayout::Millimeter));
    QPainter painter;
    if (!painter.begin(&writer))
        return makeError(ErrorCode::IoError, "The report could not be written to " + pdfPath.toStdString() +
                                                 ". Choose a folder you may write to.");

    const QRect page = writer.pageLayout().paintRectPixels(writer.resolution());
    QFont markFont(QStringLiteral("DejaVu Sans"));
    markFont.setPointSizeF(7.5);
    QFont bodyFont(QStringLiteral("DejaVu Sans"));
    bodyFont.setPointSizeF(9);
    const QFontMetrics markMetrics(markFont, &writer);
    const auto markings = reports::markingLines(marked.trainingStore);
    const int headerHeight = markMetrics.lineSpacing() * (static_cast<int>(markings.size()) + 1) + 20;
    const int footerHeight = markMetrics.lineSpacing() * 3 + 20;
    const QRect body(0, headerHeight, page.width(), page.height() - headerHeight - footerHeight);

    QTextDocument text;
    text.documentLayout()->setPaintDevice(&writer);
    text.setDefaultFont(bodyFont);
    text.setPageSize(QSizeF(body.width(), body.height()));
    // Break lines between words only (QTextDocument's default also breaks inside a word to fit a narrow
    // table column: "Investi-gator" split over two lines in the annual review).
    QTextOption wrapping = text.defaultTextOption();
    wrapping.setWrapMode(QTextOption::WordWrap);
    text.setDefaultTextOption(wrapping);
    fill(text, body.width());
    const int pageCount = std::max(1, text.pageCount());

    const QString& title = marked.title;
    for (int pageIndex = 0; pageIndex < pageCount; ++pageIndex) {
        if (pageIndex > 0) writer.newPage();
        painter.setFont(markFont);
        painter.setPen(QColor(140, 0, 0));
        int y = 0;
        for (const auto& line : markings) {
            painter.drawText(QRect(0, y, page.width(), markMetrics.lineSpacing()), Qt::AlignCenter, q(line));
            y += markMetrics.lineSpacing();
        }
        painter.setPen(Qt::black);
        painter.drawText(QRect(0, y, page.width(), markMetrics.lineSpacing()), Qt::AlignLeft, title);
        painter.drawLine(0, headerHeight - 8, page.width(), headerHeight - 8);

        painter.save();
        painter.translate(body.left(), body.top() - pageIndex * body.height());
        const QRectF clip(0, pageIndex * body.height(), body.width(), body.height());
        text.drawContents(&painter, clip);
        painter.restore();

        const int footerTop = page.height() - footerHeight + 8;
        painter.setFont(markFont);
        painter.drawLine(0, footerTop, page.width(), footerTop);
        painter.setPen(QColor(140, 0, 0));
        painter.drawText(QRect(0, footerTop + 6, page.width(), markMetrics.lineSpacing() * 2),
                         Qt::AlignCenter | Qt::TextWordWrap, q(workflow::kLeadOnlyDisclaimer));
        painter.setPen(Qt::black);
        painter.drawText(QRect(0, footerTop + 6 + markMetrics.lineSpacing() * 2, page.width(), markMetrics.lineSpacing()),
                         Qt::AlignRight, QStringLiteral("Page %1 of %2").arg(pageIndex + 1).arg(pageCount));
        painter.drawText(QRect(0, footerTop + 6 + markMetrics.lineSpacing() * 2, page.width(), markMetrics.lineSpacing()),
                         Qt::AlignLeft, marked.agencyName);
    }
    if (!painter.end())
        return makeError(ErrorCode::IoError, "The report could not be finished in " + pdfPath.toStdString() + ".");
    return pageCount;
}

}  // namespace

Result<int> renderPdf(const reports::ReportDocument& document, const QString& pdfPath) {
    return printMarkedPages({q(document.title), q(document.agencyName), document.trainingStore}, pdfPath,
                            [&document](QTextDocument& text, int bodyWidth) {
        std::size_t imageIndex = 0;
        for (const auto& section : document.sections)
            for (const auto& block : section.blocks)
                if (const auto* img = std::get_if<reports::Image>(&block)) {
                    QImage image = QImage::fromData(img->bytes.data(), static_cast<int>(img->bytes.size()));
                    if (!image.isNull() && image.width() > bodyWidth * 2 / 3)
                        image = image.scaledToWidth(bodyWidth * 2 / 3, Qt::SmoothTransformation);
                    text.addResource(QTextDocument::ImageResource, QUrl(imageResourceName(imageIndex++)), image);
                }
        text.setHtml(reportHtml(document));
    });
}

Result<int> renderHtmlPdf(const PageMarkings& markings, const QString& html, const QString& pdfPath) {
    return printMarkedPages(markings, pdfPath, [&html](QTextDocument& text, int) { text.setHtml(html); });
}

}  // namespace facelead::ui
