#pragma once
// Video probes (issue 10 item 5): surveillance video opened through OpenCV's videoio (Debian's FFmpeg backend)
// for stepping through frames with their timecode. The one facade of video intake.
//
// Rules, as for images (Intake.h):
//  * the container is sniffed from content (MP4, MOV, AVI, MKV/WebM); anything else is UnsupportedFormat, so a
//    file is never handed to FFmpeg on the strength of its name alone;
//  * the file's size is checked against VideoLimits::maxFileBytes (an agency setting, admin::AgencySettings)
//    before it is opened; only regular files are read;
//  * a file FFmpeg cannot open, that declares no frames or no frame rate, or whose frame cannot be decoded is
//    CorruptVideo with a sentence for a detective; OpenCV's exceptions never cross this boundary;
//  * a video whose last declared frames cannot be decoded, or one of four frames between start and end, opens with
//    VideoInfo::damage set (the frames it holds are evidence too); a frame that cannot be decoded is CorruptVideo;
//  * frames are numbered from 0, as FFmpeg and the timecode count them (frame 0 is at 00:00:00.000). The timecode
//    of frame N is N / fps: CCTV exports are constant-rate, and the timecode must be the same every time the
//    frame is read (the demuxer's own timestamp depends on where the seek landed).
//
// The video file is original evidence (SOP 302.02 VI.B.2): it is read, never written. A frame taken from it is
// a derived image whose recipe names the frame, its timecode and the video's SHA-256 (Recipe::videoFrame).
//
// Not thread-safe: one Video is read by one thread at a time (it holds a decoder position). Open one per thread.

#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/common/Result.h"
#include "core/imaging/Image.h"

namespace facelead::imaging {

struct VideoLimits {
    // The largest limit an agency may set (admin.max_video_megabytes; a store cell holds at most ~1 GB, SQLite's
    // limit): what the commands that store nothing read up to (`facelead-cli video`).
    static constexpr std::uint64_t kCeilingBytes = 900ull * 1024 * 1024;
    std::uint64_t maxFileBytes = 256ull * 1024 * 1024;  // the agency's setting overrides it
};

struct VideoInfo {
    std::string format;           // "mp4", "mov", "avi", "mkv", "webm" — sniffed from content
    std::uint64_t fileBytes = 0;
    int width = 0, height = 0;
    std::int64_t frameCount = 0;  // as the container declares it
    double fps = 0;
    std::int64_t durationMs = 0;  // frameCount / fps
    // Set when the video is cut short: its container declares frames that cannot be decoded (a copy stopped before the
    // end, an upload cut off: trial 40 F9), or damaged in the middle (overwritten bytes: trial 43 F6, whose frames around
    // the damage decode smeared). Every frame read from it carries this as its Image's notes.damage, so the
    // wizard, the CLI and the quality verdict say it as for a damaged picture (intake case C06).
    std::optional<std::string> damage;
};

// What reading a video through from its first frame found (Video::scanForDamage; trials 73 F8, 75 F2: a stretch
// damaged in the middle that opening does not reach). A stretch is frames the decoder met damaged data in while
// reading them (its threads decode a few frames ahead, so the damage lies within a few frames of the stretch, and the
// frames after it up to the next key frame are rebuilt from it), or frames it could not decode at all.
// A Rebuilt stretch names the frames at which the decoder reported; the frames after it up to the next key frame are
// rebuilt from them too and are not listed (OpenCV does not say which packets are key frames while decoding), and the
// frame named can move by one or two between reads (trial 77 F1, F2). Lost stretches are exact: they are read off
// the frames' own times.
// What the decoder does not notice is not found: bytes changed inside a frame's coded picture that still decode as
// valid data give a wrong picture in silence (an H.264 MP4 with 4 KB overwritten at 40 %: one frame differed from the
// clean file's, no report), and MP4, AVI and MKV hold no checksum of a frame. Only the SHA-256 of the whole file,
// against the one the source recorded, proves a copy whole.
enum class DamageKind {
    Rebuilt,  // decoded, but from damaged data the decoder reported: may be smeared
    Lost,     // the decoder rejected the data there, or skipped frames: frames lost, the count after it may run early
};

struct DamagedStretch {
    std::int64_t first = 0, last = 0;  // frame numbers as the decoder counts them, inclusive
    DamageKind kind = DamageKind::Rebuilt;
};

struct DamageScan {
    std::int64_t framesRead = 0;            // decoded, of VideoInfo::frameCount
    std::vector<DamagedStretch> stretches;  // in order
    std::int64_t endsEarlyBy = 0;           // declared frames that never came at the end (lost frames show here too)
    // Every stretch in a sentence with its frames and timecodes ("frames 81 to 84 (00:00:03.240 to 00:00:03.360):
    // the decoder met damaged data …"); nothing when the whole video decoded without complaint.
    std::optional<std::string> summary;

    std::int64_t lostFrames() const;  // the frames of the Lost stretches
};

// What a damage check of a video can and cannot see, for every answer that says "no damage" (trial 77 F5: a JSON
// "damage": null read as "no damage" where the decoder decoded damaged bytes as a valid, wrong picture).
inline constexpr std::string_view kDamageCheckedBy =
    "damage the decoder reports, and frames it cannot give; damage it decodes as valid picture data (a smear it does "
    "not report) is not seen: only the file's SHA-256 against the one its source recorded proves a copy whole";
// The same for opening's quick look alone (trial 78 F11: `video info --no-scan` gave the full read's words).
inline constexpr std::string_view kQuickLookChecked =
    "opening's quick look only: the end of the video and four frames between; a stretch damaged in the middle shows "
    "only when the whole video is read";

struct VideoFrame {
    std::int64_t index = 0;
    std::int64_t timeMs = 0;  // index / fps
    Image image;              // 8-bit RGB, as from image intake; format "video-frame"
};

// True for the formats Video sniffs: how the store tells a stored video from a stored picture.
bool isVideoFormat(std::string_view format);
// Whether two decodes of a frame gave the same picture (size and every pixel): a frame read on while stepping and
// the frame as taken (Video::frameAsTaken) differ only through a damaged stretch.
bool samePicture(const VideoFrame& a, const VideoFrame& b);
// What the decoder met on the way to `frame` beyond the video's own damage (`video`, said once where the video is):
// its note without that prefix; empty when it met nothing more.
std::string damageMetTaking(const VideoFrame& frame, const VideoInfo& video);
// "00:01:02.345" (hours:minutes:seconds.milliseconds).
std::string timecodeText(std::int64_t ms);

class Video {
public:
    // FileTooLarge, EmptyFile, IoError (not a regular file, unreadable), UnsupportedFormat, CorruptVideo.
    static Result<Video> open(const std::filesystem::path& file, const VideoLimits& limits = {});
    // The same from bytes held in memory (a stored original): FFmpeg, which reads files, reads them from an anonymous
    // in-memory file (memfd), closed when the Video is destroyed; the evidence never lands on disk.
    static Result<Video> openBytes(std::span<const std::uint8_t> bytes, const VideoLimits& limits = {});
    // A video already stored as evidence of a case: read whatever today's limit (it was accepted under the limit
    // of its day, and a lowered setting must not lock a case out of its own evidence).
    static Result<Video> openStored(std::span<const std::uint8_t> bytes);

    Video(Video&&) noexcept;
    Video& operator=(Video&&) noexcept;
    ~Video();

    const VideoInfo& info() const;
    // Frame `index`: InvalidArgument when outside 0..frameCount-1, CorruptVideo when it cannot be decoded. Stepping
    // forward reads on from the frame read before (fast, for viewing); any other index seeks.
    Result<VideoFrame> frame(std::int64_t index);
    // Frame `index` as the case file takes it and as anyone decoding it later reads it (the recipe "frame N of video
    // SHA-256 ..." must give these pixels again): by a decoder that has read nothing before, sought to it. Through a
    // damaged stretch a frame read on comes out smeared otherwise, or cannot be sought at all (an MPEG-4 AVI: trial
    // 43 F8), so whatever takes a frame takes it with this. Errors as frame(). The next frame() seeks.
    // Inside a damaged stretch even this can differ between decodes: OpenCV 4.6 decodes with a thread per core, and
    // FFmpeg's threads conceal damage in the order they finish (an H.264 file damaged in two places gave three
    // pictures of frame 30 in eight takes; `ffmpeg -threads 1` gives one). The frame stored with the search, its
    // pixels and SHA-256, is the evidence of what was searched; its note says it was rebuilt from damaged data.
    Result<VideoFrame> frameAsTaken(std::int64_t index);
    std::int64_t timeMsOf(std::int64_t index) const;
    // Reads every frame from the first by a decoder that has read nothing, noting where the decoder met damaged data or
    // lost frames: as long as decoding the whole video (about a second per 1 000 frames of 320x240, several per 1 000
    // of 1080p, on 2 cores). `progress(framesDone, frameCount)` returning false stops it: Cancelled. CorruptVideo when
    // the decoder cannot start again. The next frame() seeks.
    using ScanProgress = std::function<bool(std::int64_t done, std::int64_t total)>;
    Result<DamageScan> scanForDamage(const ScanProgress& progress = {});

private:
    void checkDecodable();  // sets VideoInfo::damage: cut short, or frames in the middle that do not decode
    Result<void> startAfresh();  // a new decoder of the same file: the next frame is sought by one that read nothing
    // A frame's Image::notes.damage: the video's, and what the decoder met on the way to this frame (trial 43 F8).
    std::optional<std::string> frameDamage(std::int64_t index) const;
    struct Impl;
    explicit Video(std::unique_ptr<Impl> impl);
    std::unique_ptr<Impl> impl_;
};

}  // namespace facelead::imaging
