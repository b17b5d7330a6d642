#include "core/common/PrivateFile.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace facelead {
namespace {

Error ioError(const std::filesystem::path& file, const char* what) {
    return makeError(ErrorCode::IoError, std::string("Could not ") + what + " " + file.string() + ": " +
                                             std::strerror(errno) + ".");
}

}  // namespace

Result<void> writePrivateFile(const std::filesystem::path& file, std::string_view contents) {
    // O_NOFOLLOW: a link planted at the export path must not redirect the log elsewhere.
    const int fd = ::open(file.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC, 0600);
    if (fd < 0) return ioError(file, "create");
    Result<void> result;
    if (::fchmod(fd, 0600) != 0) result = ioError(file, "restrict the permissions of");
    for (std::size_t written = 0; result && written < contents.size();) {
        const ssize_t n = ::write(fd, contents.data() + written, contents.size() - written);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) {
            result = ioError(file, "write");
            break;
        }
        written += static_cast<std::size_t>(n);
    }
    if (::close(fd) != 0 && result) result = ioError(file, "close");
    return result;
}

}  // namespace facelead
