#include "ui/accountability/DisclosureFiles.h"

#include <system_error>

#include <QString>

#include "core/common/PrivateFile.h"
#include "ui/accountability/PdfRenderer.h"

namespace facelead::ui {

Result<void> checkFolderTakesPacket(const std::filesystem::path& folder) {
    for (const char* name : {kPacketJsonName, kPacketPdfName}) {
        std::error_code error;
        if (!std::filesystem::exists(folder / name, error)) continue;
        return makeError(ErrorCode::AlreadyExists, "The folder " + folder.string() + " already holds a disclosure "
                                                   "packet (" + name + "); a packet is never written over another: "
                                                   "choose an empty or a new folder.");
    }
    return {};
}

Result<int> writeDisclosureFiles(const reports::DisclosurePacket& packet, const std::filesystem::path& folder) {
    FACELEAD_TRY(checkFolderTakesPacket(folder));
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
