#include "ui/accountability/DisclosureFiles.h"

#include <system_error>

#include <QString>

#include "core/common/PrivateFile.h"
#include "ui/accountability/PdfRenderer.h"

namespace facelead::ui {

Result<int> writeDisclosureFiles(const reports::DisclosurePacket& packet, const std::filesystem::path& folder) {
    std::error_code error;
    if (std::filesystem::create_directories(folder, error))
        std::filesystem::permissions(folder, std::filesystem::perms::owner_all, error);
    if (error || !std::filesystem::is_directory(folder))
        return makeError(ErrorCode::IoError, "The folder " + folder.string() + " could not be created" +
                                                 (error ? ": " + error.message() : std::string()) + ".");
    FACELEAD_TRY(writePrivateFile(folder / kPacketJsonName, packet.json));
    return renderPdf(packet.document, QString::fromStdString((folder / kPacketPdfName).string()));
}

}  // namespace facelead::ui
