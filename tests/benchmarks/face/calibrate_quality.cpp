// Calibration of the quality verdict (docs/CALIBRATION.md, "Quality verdict"; issue 10 item 3). For clean labelled
// photos (identities.csv), degrades each one measure at a time, in steps: face size (downscale), sharpness (Gaussian
// blur), exposure (dark, over-exposed, low contrast), JPEG compression, roll (in-plane turn), the face cut by the
// picture's edge, the eyes covered (dark lenses, a skin-coloured patch, one eye) or hidden (fingers, glinting
// lenses), the irises painted over (dark dots), the grey levels (posterised, 1-bit and a dithered 1-bit scan) and sensor
// noise. At each step it
// records the measure as the engine grades it and the descriptor distance to the same photo's clean descriptor (a
// face not found counts as an unbounded distance), and prints per step the median and 90th percentile. The limits
// of the verdict are where these distances pass a stated fraction of the same-subject threshold: "marginal" where the
// degradation alone uses kMarginalShare of it, "poor" where it uses kPoorShare. Yaw cannot be made from a photo: it
// is read from the data's own turned faces (distance to the same identity's most frontal photo). Landmark
// plausibility: the shape statistics of the clean photos, and the distance against the deviation over all steps.
//   facelead_calibrate_quality [--per-identity N] [--threads N] [--policy probe|enrolment] [--series WORD]
// --series WORD[,WORD...]: only the series whose name holds one of the words (e.g. "sharpness,JPEG"), for a quicker run.

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <limits>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include "core/face/FaceEngine.h"
#include "core/face/Quality.h"
#include "core/imaging/Intake.h"
#include "tests/integration/face/FaceEvaluation.h"

namespace {

using facelead::face::Face;
using facelead::face::FaceEngine;
using facelead::face::Quality;

// Shares of the same-subject threshold a degradation may use before the verdict drops: a genuine pair of photos
// already lies at about 0.35-0.45 (docs/CALIBRATION.md), so a quarter of the 0.56 threshold added by the picture's
// faults starts to push genuine pairs over it (marginal), half of it makes a genuine match a matter of luck (poor).
constexpr double kMarginalShare = 0.25;
constexpr double kPoorShare = 0.5;
constexpr double kNotFound = std::numeric_limits<double>::infinity();

std::filesystem::path facesDir() {
    const char* env = std::getenv("FACELEAD_FACES_DIR");
    return (env && *env) ? env : FACELEAD_DEFAULT_FACES_DIR;
}

struct Clean {
    cv::Mat rgb;
    Face face;
};

// One degradation step: its label and how it makes the degraded picture (empty: the step does not apply).
struct Step {
    std::string label;
    std::function<cv::Mat(const Clean&)> degrade;
};

// A measure read from the graded face, and the series of steps that worsen it.
struct Series {
    std::string name;
    std::vector<Step> steps;
    std::vector<std::pair<std::string, std::function<double(const Quality&)>>> measures;
};

struct Sample {
    std::optional<Quality> quality;  // absent: no face found
    double distance = kNotFound;
};

double quantile(std::vector<double> values, double q) {
    if (values.empty()) return std::numeric_limits<double>::quiet_NaN();
    std::sort(values.begin(), values.end());
    const auto index = static_cast<std::size_t>(std::ceil(q * static_cast<double>(values.size()))) - 1;
    return values[std::min(index, values.size() - 1)];
}

cv::Mat scaled(const cv::Mat& rgb, double scale) {
    cv::Mat out;
    cv::resize(rgb, out, cv::Size(), scale, scale, scale < 1 ? cv::INTER_AREA : cv::INTER_LINEAR);
    return out;
}

cv::Mat mapped(const cv::Mat& rgb, double gain, double offset) {
    cv::Mat out;
    rgb.convertTo(out, -1, gain, offset);  // saturates: over-exposure clips as a camera does
    return out;
}

cv::Mat jpeg(const cv::Mat& rgb, int quality) {
    std::vector<unsigned char> bytes;
    cv::Mat bgr, out;
    cv::cvtColor(rgb, bgr, cv::COLOR_RGB2BGR);
    cv::imencode(".jpg", bgr, bytes, {cv::IMWRITE_JPEG_QUALITY, quality});
    cv::cvtColor(cv::imdecode(bytes, cv::IMREAD_COLOR), out, cv::COLOR_BGR2RGB);
    return out;
}

// Turned clockwise by `degrees` about the face's centre, on a canvas that holds the whole turned picture.
cv::Mat rolled(const Clean& clean, double degrees) {
    const cv::Point2f centre((clean.face.box.left + clean.face.box.right) / 2.0f,
                             (clean.face.box.top + clean.face.box.bottom) / 2.0f);
    cv::Mat turn = cv::getRotationMatrix2D(centre, -degrees, 1.0);
    const cv::Rect2f whole = cv::RotatedRect(cv::Point2f(clean.rgb.cols / 2.0f, clean.rgb.rows / 2.0f),
                                             cv::Size2f(clean.rgb.size()), static_cast<float>(degrees)).boundingRect2f();
    turn.at<double>(0, 2) += whole.width / 2.0 - clean.rgb.cols / 2.0;
    turn.at<double>(1, 2) += whole.height / 2.0 - clean.rgb.rows / 2.0;
    cv::Mat out;
    cv::warpAffine(clean.rgb, out, turn, cv::Size(static_cast<int>(std::ceil(whole.width)), static_cast<int>(std::ceil(whole.height))),
                   cv::INTER_LINEAR, cv::BORDER_REPLICATE);
    return out;
}


// The clean face's eye centres (the picture's left eye first) and their distance.
struct Eyes {
    cv::Point2d left, right;
    double distance;
};
Eyes eyesOf(const Clean& clean) {
    const auto& p = clean.face.landmarks;
    const cv::Point2d left{(p[2].x + p[3].x) / 2.0, (p[2].y + p[3].y) / 2.0}, right{(p[0].x + p[1].x) / 2.0, (p[0].y + p[1].y) / 2.0};
    return {left, right, cv::norm(right - left)};
}

// Each eye (from the clean face's landmarks) covered by a filled ellipse `size` eye distances wide and 3/4 of that high,
// in `colour`; `both` false: only the eye on the picture's left (landmarks 2, 3).
cv::Mat eyesCovered(const Clean& clean, double size, const cv::Scalar& colour, bool both) {
    const auto [left, right, distance] = eyesOf(clean);
    const double degrees = std::atan2(right.y - left.y, right.x - left.x) * 180 / CV_PI;
    cv::Mat out = clean.rgb.clone();
    for (const cv::Point2d& eye : {left, right}) {
        cv::ellipse(out, cv::Point(eye), cv::Size(int(size * distance / 2), int(0.375 * size * distance)), degrees, 0, 360,
                    colour, cv::FILLED, cv::LINE_AA);
        if (!both) break;
    }
    return out;
}

// Trial 41 F7's coverings that leave detail in the eye windows: `what` is "fingers" (three fingers across the eyes),
// "spread" (fingers spread over them, gaps between), "glint" (dark lenses with a specular glint) or "dots" (a dark dot
// 0.15 eye distances wide over each iris).
cv::Mat eyesHidden(const Clean& clean, const std::string& what, const cv::Scalar& skin) {
    const auto [left, right, d] = eyesOf(clean);
    cv::Mat out = clean.rgb.clone();
    const auto at = [](double x, double y) { return cv::Point(int(std::lround(x)), int(std::lround(y))); };
    if (what == "fingers")
        for (int finger = -1; finger <= 1; ++finger)
            cv::line(out, at(left.x - 0.5 * d, left.y + (0.18 * finger - 0.2) * d), at(right.x + 0.5 * d, right.y + (0.18 * finger + 0.2) * d),
                     skin, std::max(1, int(0.14 * d)), cv::LINE_AA);
    if (what == "spread")
        for (double x = left.x - 0.5 * d; x < right.x + 0.5 * d; x += 0.26 * d)
            cv::rectangle(out, at(x, left.y - 0.5 * d), at(x + 0.16 * d, left.y + 0.5 * d), skin, cv::FILLED);
    for (const cv::Point2d& eye : {left, right}) {
        if (what == "glint") {
            cv::ellipse(out, at(eye.x, eye.y), cv::Size(int(0.35 * d), int(0.26 * d)), 0, 0, 360, cv::Scalar(22, 22, 26), cv::FILLED, cv::LINE_AA);
            cv::circle(out, at(eye.x - 0.12 * d, eye.y - 0.08 * d), int(0.06 * d), cv::Scalar::all(250), cv::FILLED, cv::LINE_AA);
        }
        if (what == "dots") cv::circle(out, at(eye.x, eye.y), int(0.075 * d), cv::Scalar::all(25), cv::FILLED, cv::LINE_AA);
    }
    return out;
}

// A filled, anti-aliased dot `width` eye distances wide in grey `grey` over each eye centre, as "dots" paints it.
cv::Mat irisesPainted(const Clean& clean, double width, int grey) {
    const auto [left, right, d] = eyesOf(clean);
    cv::Mat out = clean.rgb.clone();
    for (const cv::Point2d& eye : {left, right})
        cv::circle(out, cv::Point(int(std::lround(eye.x)), int(std::lround(eye.y))), int(width / 2 * d), cv::Scalar::all(grey),
                   cv::FILLED, cv::LINE_AA);
    return out;
}

// The face's own mean colour (its box), as a hand held over the eyes shows it.
cv::Scalar skinColour(const Clean& clean) {
    const auto& b = clean.face.box;
    const cv::Rect box = cv::Rect(b.left, b.top, b.width(), b.height()) & cv::Rect(0, 0, clean.rgb.cols, clean.rgb.rows);
    return cv::mean(clean.rgb(box));
}

// The picture in grey, quantised to `levels` evenly spaced levels; `dither`: ordered (4x4 Bayer) dithering first, as a
// 1-bit scan of a print does.
cv::Mat posterised(const cv::Mat& rgb, int levels, bool dither) {
    static constexpr double kBayer[4][4] = {{0, 8, 2, 10}, {12, 4, 14, 6}, {3, 11, 1, 9}, {15, 7, 13, 5}};
    cv::Mat grey;
    cv::cvtColor(rgb, grey, cv::COLOR_RGB2GRAY);
    const double step = 255.0 / (levels - 1);
    for (int y = 0; y < grey.rows; ++y)
        for (int x = 0; x < grey.cols; ++x) {
            auto& v = grey.at<unsigned char>(y, x);
            const double offset = dither ? (kBayer[y % 4][x % 4] + 0.5) / 16 - 0.5 : 0;
            v = cv::saturate_cast<unsigned char>(std::clamp(std::round(v / step + offset), 0.0, levels - 1.0) * step);
        }
    cv::Mat out;
    cv::cvtColor(grey, out, cv::COLOR_GRAY2RGB);
    return out;
}

std::vector<Series> allSeries() {
    const auto width = [](const Quality& q) { return double(q.faceWidthPx); };
    const auto eyes = [](const Quality& q) { return q.interOcularPx; };
    std::vector<Series> series;
    Series size{"face size (downscaled)", {}, {{"face width px", width}, {"inter-ocular px", eyes}}};
    for (int target : {128, 96, 80, 64, 56, 48, 40, 34, 28, 24, 20, 16}) {
        size.steps.push_back({"face " + std::to_string(target) + " px", [target](const Clean& c) {
                                  const double scale = double(target) / c.face.box.width();
                                  return scale < 1 ? scaled(c.rgb, scale) : cv::Mat();
                              }});
    }
    series.push_back(size);
    Series blur{"sharpness (Gaussian blur)", {}, {{"sharpness", [](const Quality& q) { return q.sharpness; }}}};
    for (double share : {0.005, 0.01, 0.015, 0.02, 0.03, 0.04, 0.05, 0.06, 0.08}) {
        blur.steps.push_back({"sigma " + std::to_string(share).substr(0, 5) + " x face width", [share](const Clean& c) {
                                  cv::Mat out;
                                  cv::GaussianBlur(c.rgb, out, cv::Size(), share * c.face.box.width());
                                  return out;
                              }});
    }
    series.push_back(blur);
    const auto brightness = [](const Quality& q) { return q.brightness; };
    Series dark{"exposure: dark", {}, {{"brightness", brightness}, {"contrast", [](const Quality& q) { return q.contrast; }}}};
    for (double gain : {0.8, 0.6, 0.45, 0.35, 0.25, 0.18, 0.12, 0.08, 0.05})
        dark.steps.push_back({"gain " + std::to_string(gain).substr(0, 4), [gain](const Clean& c) { return mapped(c.rgb, gain, 0); }});
    series.push_back(dark);
    Series bright{"exposure: over-exposed", {}, {{"brightness", brightness}}};
    for (double gain : {1.2, 1.4, 1.6, 1.8, 2.0, 2.4, 2.8, 3.4, 4.0})
        bright.steps.push_back({"gain " + std::to_string(gain).substr(0, 3), [gain](const Clean& c) { return mapped(c.rgb, gain, 0); }});
    series.push_back(bright);
    Series flat{"exposure: low contrast", {}, {{"contrast", [](const Quality& q) { return q.contrast; }}}};
    for (double keep : {0.8, 0.6, 0.45, 0.35, 0.25, 0.18, 0.12, 0.08}) {
        flat.steps.push_back({"contrast x" + std::to_string(keep).substr(0, 4),
                              [keep](const Clean& c) { return mapped(c.rgb, keep, 128 * (1 - keep)); }});
    }
    series.push_back(flat);
    Series compressed{"JPEG compression", {}, {{"blockiness", [](const Quality& q) { return q.blockiness; }}}};
    for (int quality : {90, 70, 50, 35, 25, 18, 12, 8, 5, 3})
        compressed.steps.push_back({"quality " + std::to_string(quality), [quality](const Clean& c) { return jpeg(c.rgb, quality); }});
    series.push_back(compressed);
    Series roll{"roll (in-plane turn)", {},
                {{"|roll| degrees", [](const Quality& q) { return std::abs(q.rollDegrees); }},
                 {"landmark deviation", [](const Quality& q) { return q.landmarkDeviation; }},
                 {"found turned (degrees)", [](const Quality& q) { return double(q.foundTurnedDegrees); }}}};
    for (int degrees : {5, 10, 15, 20, 25, 30, 35, 40, 45, 55, 70, 90, 135, 180})
        roll.steps.push_back({"turned " + std::to_string(degrees), [degrees](const Clean& c) { return rolled(c, degrees); }});
    series.push_back(roll);
    Series cut{"cut at the picture's edge", {}, {{"face in picture", [](const Quality& q) { return q.faceInPicture; }}}};
    for (double share : {0.05, 0.1, 0.15, 0.2, 0.25, 0.3, 0.4, 0.5}) {
        cut.steps.push_back({"right " + std::to_string(int(share * 100)) + "% of the box cut", [share](const Clean& c) {
                                 const int keep = static_cast<int>(c.face.box.right - share * c.face.box.width());
                                 return keep < c.rgb.cols ? c.rgb.colRange(0, keep).clone() : cv::Mat();
                             }});
    }
    series.push_back(cut);
    const auto eyeDetail = [](const Quality& q) { return q.eyeDetail; };
    Series lenses{"eyes covered: dark lenses", {}, {{"eye detail", eyeDetail}}};
    Series hand{"eyes covered: skin-coloured patch", {}, {{"eye detail", eyeDetail}}};
    Series oneEye{"eyes covered: one eye, dark patch", {}, {{"eye detail", eyeDetail}}};
    for (double size : {0.15, 0.25, 0.35, 0.45, 0.55, 0.7, 0.85}) {
        const std::string label = "ellipse " + std::to_string(size).substr(0, 4) + " eye distances wide";
        lenses.steps.push_back({label, [size](const Clean& c) { return eyesCovered(c, size, {22, 22, 26}, true); }});
        hand.steps.push_back({label, [size](const Clean& c) { return eyesCovered(c, size, skinColour(c), true); }});
        oneEye.steps.push_back({label, [size](const Clean& c) { return eyesCovered(c, size, {22, 22, 26}, false); }});
    }
    series.push_back(lenses);
    series.push_back(hand);
    series.push_back(oneEye);
    const auto eyesSeen = [](const Quality& q) { return q.eyesSeen; };
    const auto irisTexture = [](const Quality& q) { return q.irisTexture; };
    Series hidden{"eyes hidden: fingers, glinting lenses, dots", {},
                  {{"eyes seen", eyesSeen}, {"eye detail", eyeDetail}, {"iris texture", irisTexture}}};
    for (const std::string what : {"dots", "glint", "fingers", "spread"})
        hidden.steps.push_back({what, [what](const Clean& c) { return eyesHidden(c, what, skinColour(c)); }});
    series.push_back(hidden);
    // Trial 42 F4: a dark dot painted over each iris, growing from inside the iris (0.1 eye distances wide) to
    // covering it (0.2), lighter (grey 60) as a retouch in the iris's own dark brown would be, and dots saved again as a
    // JPEG (quality 90 and 75), as a doctored photo usually is (trial 72 F1).
    Series painted{"irises painted over: dark dots", {}, {{"iris texture", irisTexture}, {"eyes seen", eyesSeen}}};
    for (const auto& [width, grey] : {std::pair{0.1, 25}, {0.15, 25}, {0.2, 25}, {0.15, 60}}) {
        painted.steps.push_back({"dot " + std::to_string(width).substr(0, 4) + " wide, grey " + std::to_string(grey),
                                 [width, grey](const Clean& c) { return irisesPainted(c, width, grey); }});
    }
    for (const auto& [width, quality] : {std::pair{0.15, 90}, {0.1, 90}, {0.15, 75}, {0.2, 75}})
        painted.steps.push_back({"dot " + std::to_string(width).substr(0, 4) + " wide, grey 25, JPEG " + std::to_string(quality),
                                 [width, quality](const Clean& c) { return jpeg(irisesPainted(c, width, 25), quality); }});
    series.push_back(painted);
    Series tones{"grey levels (posterised)", {}, {{"grey levels", [](const Quality& q) { return q.greyLevels; }}}};
    for (int levels : {64, 32, 24, 16, 12, 8, 6, 4, 3, 2})
        tones.steps.push_back({std::to_string(levels) + " levels", [levels](const Clean& c) { return posterised(c.rgb, levels, false); }});
    tones.steps.push_back({"2 levels, dithered", [](const Clean& c) { return posterised(c.rgb, 2, true); }});
    series.push_back(tones);
    Series noisy{"sensor noise", {}, {{"noise", [](const Quality& q) { return q.noise; }}}};
    for (double sigma : {2.0, 4.0, 6.0, 8.0, 10.0, 12.0, 16.0, 20.0, 25.0, 32.0}) {
        noisy.steps.push_back({"Gaussian noise sigma " + std::to_string(int(sigma)), [sigma](const Clean& c) {
                                   cv::Mat noise(c.rgb.size(), CV_32FC3), out;
                                   cv::RNG random(std::uint64_t(c.rgb.total()));  // the same noise for the same photo
                                   random.fill(noise, cv::RNG::NORMAL, 0, sigma);
                                   c.rgb.convertTo(out, CV_32FC3);
                                   out += noise;
                                   out.convertTo(out, CV_8UC3);
                                   return out;
                               }});
    }
    series.push_back(noisy);
    return series;
}

// The largest face the engine finds, as the product analyses a probe (or a gallery photo with --policy enrolment).
std::optional<Face> analyseLargest(const FaceEngine& engine, const cv::Mat& rgb, facelead::face::DetectionPolicy policy) {
    facelead::imaging::Image image;
    image.rgb = rgb.isContinuous() ? rgb : rgb.clone();
    auto found = engine.analyze(image, {facelead::face::FacePick::Largest, true, policy});
    if (!found || found->empty() || !found->front().descriptor) return std::nullopt;
    return found->front();
}

// Runs job(i) for i < count on `threads` threads.
void runAll(std::size_t count, int threads, const std::function<void(std::size_t)>& job) {
    std::atomic<std::size_t> next{0};
    std::vector<std::jthread> pool;
    for (int t = 0; t < threads; ++t)
        pool.emplace_back([&] {
            for (std::size_t i = next++; i < count; i = next++) job(i);
        });
}

// Where a statistic of the distance first passes `limit` along the steps: the measure's median there, interpolated
// between the last step below and the first step above (the step's own value when the face was lost).
std::string crossing(const std::vector<double>& stat, const std::vector<double>& value, double limit) {
    for (std::size_t i = 0; i < stat.size(); ++i) {
        if (!(stat[i] > limit)) continue;
        char text[96];
        if (i == 0) std::snprintf(text, sizeof text, "at the first step (%.3g)", value[i]);
        else if (std::isinf(stat[i]) || std::isnan(value[i]))
            std::snprintf(text, sizeof text, "between %.3g and %.3g (faces lost)", value[i - 1], value[i]);
        else
            std::snprintf(text, sizeof text, "%.3g", value[i - 1] + (limit - stat[i - 1]) / (stat[i] - stat[i - 1]) * (value[i] - value[i - 1]));
        return text;
    }
    return "not reached";
}

void report(const Series& series, const std::vector<std::vector<Sample>>& perStep, double threshold) {
    std::printf("\n== %s ==\n", series.name.c_str());
    std::printf("%-34s %5s %6s", "step", "n", "found");
    for (const auto& [name, get] : series.measures) std::printf(" %22s", ("median " + name).c_str());
    std::printf(" %8s %8s\n", "d:med", "d:p90");
    std::vector<std::vector<double>> medianValues(series.measures.size());
    std::vector<double> medians, p90s;
    for (std::size_t s = 0; s < series.steps.size(); ++s) {
        const auto& samples = perStep[s];
        std::vector<double> distances;
        std::vector<std::vector<double>> values(series.measures.size());
        std::size_t found = 0;
        for (const auto& sample : samples) {
            distances.push_back(sample.distance);
            if (!sample.quality) continue;
            ++found;
            for (std::size_t m = 0; m < series.measures.size(); ++m) values[m].push_back(series.measures[m].second(*sample.quality));
        }
        medians.push_back(quantile(distances, 0.5));
        p90s.push_back(quantile(distances, 0.9));
        std::printf("%-34s %5zu %5.1f%%", series.steps[s].label.c_str(), samples.size(),
                    samples.empty() ? 0.0 : 100.0 * found / samples.size());
        for (std::size_t m = 0; m < series.measures.size(); ++m) {
            medianValues[m].push_back(quantile(values[m], 0.5));
            std::printf(" %22.3f", medianValues[m].back());
        }
        std::printf(" %8.3f %8.3f\n", medians.back(), p90s.back());
    }
    for (std::size_t m = 0; m < series.measures.size(); ++m) {
        std::printf("  %s: marginal (%.2f x %.2f = %.3f) median at %s, p90 at %s\n", series.measures[m].first.c_str(),
                    kMarginalShare, threshold, kMarginalShare * threshold,
                    crossing(medians, medianValues[m], kMarginalShare * threshold).c_str(),
                    crossing(p90s, medianValues[m], kMarginalShare * threshold).c_str());
        std::printf("  %s: poor     (%.2f x %.2f = %.3f) median at %s, p90 at %s\n", series.measures[m].first.c_str(),
                    kPoorShare, threshold, kPoorShare * threshold,
                    crossing(medians, medianValues[m], kPoorShare * threshold).c_str(),
                    crossing(p90s, medianValues[m], kPoorShare * threshold).c_str());
    }
}

// Binned table: for samples keyed by a measure, the distance's median and 90th percentile per bin.
void binnedReport(const char* title, const std::vector<std::pair<double, double>>& keyed, const std::vector<double>& edges) {
    std::printf("\n== %s ==\n%-16s %6s %8s %8s\n", title, "bin", "n", "d:med", "d:p90");
    for (std::size_t b = 0; b + 1 < edges.size(); ++b) {
        std::vector<double> distances;
        for (const auto& [key, distance] : keyed)
            if (key >= edges[b] && key < edges[b + 1]) distances.push_back(distance);
        std::printf("[%5.1f, %6.1f) %6zu %8.3f %8.3f\n", edges[b], edges[b + 1], distances.size(), quantile(distances, 0.5),
                    quantile(distances, 0.9));
    }
}

struct ShapeStats {
    std::vector<double> noseDrop, eyeWidth, eyesPerBox, deviation;
};

// The spread of a measure over the clean photos: where a limit falls among photos that have nothing wrong with them.
void reportClean(const char* name, std::vector<double> values) {
    std::printf("  %-22s p1 %.3f  p5 %.3f  p10 %.3f  median %.3f  p90 %.3f (n %zu)\n", name, quantile(values, 0.01), quantile(values, 0.05),
                quantile(values, 0.10), quantile(values, 0.5), quantile(values, 0.9), values.size());
}

// The clean photos whose irises the verdict calls flat: their share of those graded, and each one, to be looked at.
void reportFlatIrises(const std::vector<facelead::test::LabelledImage>& labelled, const std::vector<std::optional<Clean>>& clean,
                      const facelead::face::QualityThresholds& limits) {
    std::size_t graded = 0;
    std::vector<std::size_t> flat;
    for (std::size_t i = 0; i < clean.size(); ++i) {
        if (!clean[i] || clean[i]->face.quality.interOcularPx < limits.irisTextureFromPx) continue;
        ++graded;
        if (clean[i]->face.quality.irisTexture < limits.goodIrisTexture) flat.push_back(i);
    }
    std::printf("  iris texture below %.2f on %zu of %zu (%.1f %%) with the eyes >= %.0f px apart:\n", limits.goodIrisTexture,
                flat.size(), graded, 100.0 * double(flat.size()) / double(std::max<std::size_t>(graded, 1)),
                limits.irisTextureFromPx);
    for (std::size_t i : flat) {
        const auto& q = clean[i]->face.quality;
        std::printf("    %s: iris texture %.3f, eyes %.0f px apart, %zu other reason(s)\n", labelled[i].file.string().c_str(),
                    q.irisTexture, q.interOcularPx, q.reasons.size() - 1);
    }
}

// Per step of a series, the share of the faces found (with the eyes far enough apart to be graded) whose irises the
// verdict calls flat: how many painted irises it catches, where the median alone hides the rest.
void reportIrisesCaught(const Series& series, const std::vector<std::vector<Sample>>& perStep,
                        const facelead::face::QualityThresholds& limits) {
    for (std::size_t s = 0; s < series.steps.size(); ++s) {
        std::size_t graded = 0, caught = 0;
        for (const auto& sample : perStep[s]) {
            if (!sample.quality || sample.quality->interOcularPx < limits.irisTextureFromPx) continue;
            ++graded;
            caught += sample.quality->irisTexture < limits.goodIrisTexture;
        }
        std::printf("  %-34s iris texture below %.2f on %zu of %zu (%.1f %%)\n", series.steps[s].label.c_str(),
                    limits.goodIrisTexture, caught, graded, 100.0 * double(caught) / double(std::max<std::size_t>(graded, 1)));
    }
}

void reportShape(const ShapeStats& shape) {
    const auto line = [](const char* name, const std::vector<double>& v) {
        double sum = 0, squares = 0;
        for (double x : v) sum += x;
        const double mean = v.empty() ? 0 : sum / v.size();
        for (double x : v) squares += (x - mean) * (x - mean);
        std::printf("  %-22s mean %.3f sd %.3f  p1 %.3f p99 %.3f (n %zu)\n", name, mean,
                    v.size() > 1 ? std::sqrt(squares / (v.size() - 1)) : 0.0, quantile(v, 0.01), quantile(v, 0.99), v.size());
    };
    std::printf("\n== landmark shape of the clean photos ==\n");
    line("nose drop / eyes", shape.noseDrop);
    line("eye width / eyes", shape.eyeWidth);
    line("eyes / box width", shape.eyesPerBox);
    std::printf("  deviation (engine's constants): median %.2f p99 %.2f max %.2f\n", quantile(shape.deviation, 0.5),
                quantile(shape.deviation, 0.99), quantile(shape.deviation, 1.0));
}

}  // namespace

int main(int argc, char** argv) {
    facelead::face::EngineConfig config;
    std::size_t perIdentity = 2;
    int threads = 2;
    auto policy = facelead::face::DetectionPolicy::Probe;
    std::string only;
    for (int i = 1; i < argc; ++i) {
        const std::string word = argv[i];
        if (word == "--per-identity" && i + 1 < argc) perIdentity = std::strtoul(argv[++i], nullptr, 10);
        else if (word == "--threads" && i + 1 < argc) threads = std::atoi(argv[++i]);
        else if (word == "--policy" && i + 1 < argc)
            policy = std::string(argv[++i]) == "enrolment" ? facelead::face::DetectionPolicy::Enrolment
                                                            : facelead::face::DetectionPolicy::Probe;
        else if (word == "--series" && i + 1 < argc) only = argv[++i];
    }
    config.threads = threads;
    auto engine = FaceEngine::create(config);
    if (!engine) {
        std::fprintf(stderr, "%s\n", engine.error().message.c_str());
        return 1;
    }
    const double threshold = config.calibration.sameSubjectDistance;
    const auto start = std::chrono::steady_clock::now();

    // Every labelled photo, clean: the yaw table and the landmark shape use all of them.
    const auto labelled = facelead::test::readIdentities(facesDir());
    std::vector<std::optional<Clean>> clean(labelled.size());
    runAll(labelled.size(), threads, [&](std::size_t i) {
        auto image = facelead::imaging::decodeFile(labelled[i].file);
        if (!image) return;
        if (auto face = analyseLargest(**engine, image->rgb, policy)) clean[i] = Clean{image->rgb, *face};
    });

    ShapeStats shape;
    std::map<std::string, std::vector<std::size_t>> byIdentity;
    for (std::size_t i = 0; i < labelled.size(); ++i) {
        if (!clean[i]) continue;
        byIdentity[labelled[i].identity].push_back(i);
        const auto& face = clean[i]->face;
        if (const auto measured = facelead::face::measureLandmarkShape(face.box, face.landmarks)) {
            shape.noseDrop.push_back(measured->noseDrop);
            shape.eyeWidth.push_back(measured->eyeWidths[0]);
            shape.eyeWidth.push_back(measured->eyeWidths[1]);
            shape.eyesPerBox.push_back(measured->eyesPerBoxWidth);
        }
        shape.deviation.push_back(face.quality.landmarkDeviation);
    }

    // Yaw: each identity's other photos against its most frontal one.
    std::vector<std::pair<double, double>> yawDistances;
    for (const auto& [identity, images] : byIdentity) {
        const auto frontal = *std::min_element(images.begin(), images.end(), [&](std::size_t a, std::size_t b) {
            return std::abs(clean[a]->face.quality.yawDegrees) < std::abs(clean[b]->face.quality.yawDegrees);
        });
        for (std::size_t i : images)
            if (i != frontal)
                yawDistances.emplace_back(std::abs(clean[i]->face.quality.yawDegrees),
                                          FaceEngine::distance(*clean[i]->face.descriptor, *clean[frontal]->face.descriptor));
    }

    // The degraded copies of the first perIdentity clean photos of each identity.
    std::vector<std::size_t> chosen;
    for (const auto& [identity, images] : byIdentity)
        for (std::size_t k = 0; k < std::min(perIdentity, images.size()); ++k) chosen.push_back(images[k]);
    auto series = allSeries();
    std::erase_if(series, [&](const Series& s) {
        for (std::size_t from = 0; from <= only.size();) {
            const std::size_t comma = std::min(only.find(',', from), only.size());
            if (s.name.find(only.substr(from, comma - from)) != std::string::npos) return false;
            from = comma + 1;
        }
        return true;
    });
    struct Job {
        std::size_t series, step, image;
    };
    std::vector<Job> jobs;
    for (std::size_t s = 0; s < series.size(); ++s)
        for (std::size_t t = 0; t < series[s].steps.size(); ++t)
            for (std::size_t i : chosen) jobs.push_back({s, t, i});
    std::vector<std::vector<std::vector<Sample>>> samples(series.size());
    for (std::size_t s = 0; s < series.size(); ++s) samples[s].resize(series[s].steps.size());
    std::vector<std::pair<double, double>> deviationDistances;
    std::mutex collect;
    runAll(jobs.size(), threads, [&](std::size_t j) {
        const Job& job = jobs[j];
        const Clean& original = *clean[job.image];
        const cv::Mat degraded = series[job.series].steps[job.step].degrade(original);
        if (degraded.empty()) return;
        Sample sample;
        if (auto face = analyseLargest(**engine, degraded, policy)) {
            sample.distance = FaceEngine::distance(*face->descriptor, *original.face.descriptor);
            sample.quality = face->quality;
        }
        const std::lock_guard lock(collect);
        samples[job.series][job.step].push_back(sample);
        if (sample.quality) deviationDistances.emplace_back(sample.quality->landmarkDeviation, sample.distance);
    });
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();

    std::size_t found = 0;
    for (const auto& c : clean) found += c.has_value();
    std::printf("policy %s: %zu labelled photos, %zu with a face; %zu degraded from %zu photos (%zu per identity) "
                "in %.0f s\n", facelead::face::policyName(policy), labelled.size(), found, jobs.size(), chosen.size(),
                perIdentity, seconds);
    std::printf("distance: to the same photo's clean descriptor; a face not found counts as unbounded. Threshold %.2f\n",
                threshold);
    for (std::size_t s = 0; s < series.size(); ++s) {
        report(series[s], samples[s], threshold);
        if (series[s].name.starts_with("irises painted")) reportIrisesCaught(series[s], samples[s], config.quality);
    }
    binnedReport("yaw: distance to the identity's most frontal photo, by |yaw| degrees", yawDistances,
                 {0, 10, 20, 30, 40, 50, 60, 90});
    reportShape(shape);
    std::printf("\n== the measures of the clean photos ==\n");
    std::vector<double> sharpness, blockiness, inPicture, eyeDetail, greyLevels, noise, eyesSeen, irisTexture, smallIrisTexture;
    for (const auto& c : clean) {
        if (!c) continue;
        sharpness.push_back(c->face.quality.sharpness);
        blockiness.push_back(c->face.quality.blockiness);
        inPicture.push_back(c->face.quality.faceInPicture);
        eyeDetail.push_back(c->face.quality.eyeDetail);
        greyLevels.push_back(c->face.quality.greyLevels);
        noise.push_back(c->face.quality.noise);
        if (c->face.quality.interOcularPx >= config.quality.eyesSeenFromPx) eyesSeen.push_back(c->face.quality.eyesSeen);
        const bool irisGraded = c->face.quality.interOcularPx >= config.quality.irisTextureFromPx;
        (irisGraded ? irisTexture : smallIrisTexture).push_back(c->face.quality.irisTexture);
    }
    reportClean("sharpness", sharpness);
    reportClean("JPEG blockiness", blockiness);
    reportClean("face in picture", inPicture);
    reportClean("eye detail", eyeDetail);
    reportClean("grey levels", greyLevels);
    reportClean("noise", noise);
    reportClean("eyes seen (eyes >= limit)", eyesSeen);
    std::printf("  no eye seen on %.1f %% of them\n", 100.0 * double(std::ranges::count(eyesSeen, 0.0)) / double(std::max<std::size_t>(eyesSeen.size(), 1)));
    reportClean("iris texture (eyes >= limit)", irisTexture);
    reportClean("iris texture (smaller)", smallIrisTexture);
    reportFlatIrises(labelled, clean, config.quality);
    binnedReport("landmark deviation over all degraded steps: distance to the clean photo", deviationDistances,
                 {0, 1, 2, 3, 4, 5, 6, 8, 10, 15, 25, 1e9});
    return 0;
}
