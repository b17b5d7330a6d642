#include "tests/support/TestVideo.h"

#include <algorithm>
#include <fstream>
#include <string>

#include <opencv2/imgproc.hpp>
#include <opencv2/videoio.hpp>

namespace facelead::test {

int testVideoLevel(int frame) { return 20 + (7 * frame) % 200; }

bool writeTestVideo(const std::filesystem::path& file, const TestVideoSpec& spec) {
    const char* c = spec.codec;
    cv::VideoWriter writer(file.string(), cv::CAP_FFMPEG, cv::VideoWriter::fourcc(c[0], c[1], c[2], c[3]), spec.fps, spec.size);
    if (!writer.isOpened()) return false;
    for (int i = 0; i < spec.frames; ++i) {
        cv::Mat frame(spec.size, CV_8UC3, cv::Scalar::all(testVideoLevel(i)));
        const int side = spec.size.height / 8;
        cv::rectangle(frame, cv::Rect((i * 5) % (spec.size.width - side), 4, side, side), cv::Scalar::all(255), cv::FILLED);
        if (spec.faceBgr && i >= spec.faceFrom && i < spec.faceTo) {
            const double scale = spec.size.height * 0.8 / spec.faceBgr->rows;
            cv::Mat face;
            cv::resize(*spec.faceBgr, face, cv::Size(), scale, scale, cv::INTER_AREA);
            face = face(cv::Rect(0, 0, std::min(face.cols, spec.size.width), face.rows));
            face.copyTo(frame(cv::Rect((spec.size.width - face.cols) / 2, spec.size.height - face.rows, face.cols, face.rows)));
        }
        writer.write(frame);
    }
    writer.release();
    return true;
}

bool writeVideoDamagedInTheMiddle(const std::filesystem::path& file, const std::optional<cv::Mat>& faceBgr) {
    if (!writeTestVideo(file, {.frames = 200, .fps = 25, .faceBgr = faceBgr, .faceFrom = 0, .faceTo = 200, .codec = "XVID"}))
        return false;
    std::fstream bytes(file, std::ios::in | std::ios::out | std::ios::binary);
    const std::streamoff damageAt = std::streamoff(std::filesystem::file_size(file) * 2 / 5);
    std::string run(3000, '\0');
    bytes.seekg(damageAt);
    bytes.read(run.data(), std::streamsize(run.size()));
    for (char& byte : run) byte = char(byte * 7 + 13);
    bytes.seekp(damageAt);
    bytes.write(run.data(), std::streamsize(run.size()));
    return bytes.good();
}

namespace {

std::uint32_t readBig32(const std::uint8_t* p) { return std::uint32_t(p[0]) << 24 | p[1] << 16 | p[2] << 8 | p[3]; }
void writeBig32(std::uint8_t* p, std::uint32_t v) {
    for (int i = 0; i < 4; ++i) p[i] = std::uint8_t(v >> (24 - 8 * i));
}

struct Atom {
    std::size_t offset, size;
    std::string type;
};

// The atoms laid one after another in [from, to) (32-bit sizes only, as short test files have).
std::vector<Atom> atomsIn(const std::vector<std::uint8_t>& bytes, std::size_t from, std::size_t to) {
    std::vector<Atom> atoms;
    while (from + 8 <= to) {
        const std::size_t size = readBig32(&bytes[from]);
        if (size < 8 || from + size > to) return {};
        atoms.push_back({from, size, std::string(reinterpret_cast<const char*>(&bytes[from + 4]), 4)});
        from += size;
    }
    return atoms;
}

// Adds `shift` to every chunk offset (stco) under the container atom at [from, to).
void shiftChunkOffsets(std::vector<std::uint8_t>& bytes, std::size_t from, std::size_t to, std::uint32_t shift) {
    for (const Atom& atom : atomsIn(bytes, from, to)) {
        if (atom.type == "trak" || atom.type == "mdia" || atom.type == "minf" || atom.type == "stbl")
            shiftChunkOffsets(bytes, atom.offset + 8, atom.offset + atom.size, shift);
        if (atom.type != "stco") continue;
        const std::size_t count = readBig32(&bytes[atom.offset + 12]);
        for (std::size_t i = 0; i < count; ++i) {
            std::uint8_t* entry = &bytes[atom.offset + 16 + 4 * i];
            writeBig32(entry, readBig32(entry) + shift);
        }
    }
}

}  // namespace

std::vector<std::uint8_t> movedIndexToFront(const std::vector<std::uint8_t>& mp4) {
    const auto atoms = atomsIn(mp4, 0, mp4.size());
    const auto find = [&](const char* type) {
        return std::find_if(atoms.begin(), atoms.end(), [type](const Atom& a) { return a.type == type; });
    };
    const auto moov = find("moov"), mdat = find("mdat");
    if (moov == atoms.end() || mdat == atoms.end() || moov->offset < mdat->offset) return {};
    std::vector<std::uint8_t> index(mp4.begin() + std::ptrdiff_t(moov->offset),
                                    mp4.begin() + std::ptrdiff_t(moov->offset + moov->size));
    shiftChunkOffsets(index, 8, index.size(), std::uint32_t(moov->size));
    std::vector<std::uint8_t> out;
    for (const Atom& atom : atoms) {
        if (atom.type == "moov") continue;
        if (atom.type == "mdat") out.insert(out.end(), index.begin(), index.end());
        out.insert(out.end(), mp4.begin() + std::ptrdiff_t(atom.offset), mp4.begin() + std::ptrdiff_t(atom.offset + atom.size));
    }
    return out;
}

}  // namespace facelead::test
