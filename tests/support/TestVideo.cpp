#include "tests/support/TestVideo.h"

#include <opencv2/imgproc.hpp>
#include <opencv2/videoio.hpp>

namespace facelead::test {

int testVideoLevel(int frame) { return 20 + (7 * frame) % 200; }

bool writeTestVideo(const std::filesystem::path& file, const TestVideoSpec& spec) {
    cv::VideoWriter writer(file.string(), cv::CAP_FFMPEG, cv::VideoWriter::fourcc('M', 'J', 'P', 'G'), spec.fps,
                           spec.size);
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

}  // namespace facelead::test
