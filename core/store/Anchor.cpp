#include "core/store/Anchor.h"

#include <fcntl.h>
#include <sys/uio.h>
#include <systemd/sd-journal.h>
#include <unistd.h>

#include <cerrno>
#include <charconv>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <sstream>
#include <string_view>
#include <vector>

#include "core/common/Clock.h"

namespace facelead::store {
namespace {

Error anchorError(const std::string& where, int error) {
    return makeError(ErrorCode::IoError,
                     "The audit anchor in " + where + " could not be used: " + std::strerror(error) + ".");
}

// A head's base as "SEQ:HASH" ("" when it has none).
std::string baseWord(const AnchoredHead& head) {
    return head.baseHash.empty() ? std::string() : std::to_string(head.baseSeq) + ':' + head.baseHash;
}

// Reads a baseWord into head (nothing when `word` is none).
void readBase(std::string_view word, AnchoredHead& head) {
    const auto colon = word.find(':');
    if (colon == std::string_view::npos) return;
    std::int64_t seq = 0;
    if (std::from_chars(word.data(), word.data() + colon, seq).ptr != word.data() + colon) return;
    head.baseSeq = seq;
    head.baseHash = std::string(word.substr(colon + 1));
}

bool carriesWitness(const AnchoredHead& head) { return !head.accounts.empty() || !head.settings.empty(); }

class JournalAnchor final : public HeadAnchor {
    static constexpr const char* kJournalSocket = "/run/systemd/journal/socket";

public:
    Result<void> record(const std::string& storeId, const AnchoredHead& head) override {
        const bool witness = carriesWitness(head);
        std::vector<std::string> fields = {
            "MESSAGE=FaceLead audit chain of store " + storeId + " ends at entry " + std::to_string(head.seq) +
                (witness ? " (accounts or settings changed)" : ""),
            "SYSLOG_IDENTIFIER=facelead", "PRIORITY=6", "FACELEAD_STORE_ID=" + storeId,
            "FACELEAD_AUDIT_SEQ=" + std::to_string(head.seq), "FACELEAD_AUDIT_HASH=" + head.hash,
            "FACELEAD_AUDIT_AT=" + head.entryAt, "FACELEAD_STORE_FILE=" + head.file,
            "FACELEAD_AUDIT_BASE=" + baseWord(head)};
        // The kind keeps the name it had before settings were anchored: heads written then are read alike.
        if (witness) fields.emplace_back("FACELEAD_HEAD_KIND=accounts");
        if (!head.accounts.empty()) fields.push_back("FACELEAD_ACCOUNTS=" + head.accounts);
        if (!head.settings.empty()) fields.push_back("FACELEAD_SETTINGS=" + head.settings);
        std::vector<iovec> parts;
        for (auto& part : fields) parts.push_back({part.data(), part.size()});
        const int rc = sd_journal_sendv(parts.data(), static_cast<int>(parts.size()));
        if (rc < 0) return anchorError(describe(), -rc);
        // sd_journal_send() reports success when no journal listens at all (its socket is missing: journald never
        // started, or a container without it), and the head went nowhere (trial 24A N3).
        if (::access(kJournalSocket, F_OK) != 0) return anchorError(describe() + " (" + kJournalSocket + ")", ENOENT);
        return {};
    }

    Result<std::vector<AnchoredHead>> heads(const std::string& storeId, bool witnessesOnly) const override {
        sd_journal* journal = nullptr;
        if (const int rc = sd_journal_open(&journal, SD_JOURNAL_LOCAL_ONLY); rc < 0)
            return anchorError(describe(), -rc);
        std::vector<AnchoredHead> found;
        const std::string match = "FACELEAD_STORE_ID=" + storeId;
        sd_journal_add_match(journal, match.data(), match.size());
        if (witnessesOnly) sd_journal_add_match(journal, "FACELEAD_HEAD_KIND=accounts", 0);
        SD_JOURNAL_FOREACH(journal) {
            // Anyone can add a record to the journal (trial 15A: one `logger` line took every role away from the
            // only program administrator; trial 28 F11: one line with a higher sequence stopped every search);
            // journald stamps the sender's executable (_EXE), which the sender cannot forge. Heads count only from
            // FaceLead's own programs, installed beside this one.
            if (!writtenByFaceLead(field(journal, "_EXE"))) continue;
            AnchoredHead head;
            head.seq = std::strtoll(field(journal, "FACELEAD_AUDIT_SEQ").c_str(), nullptr, 10);
            head.hash = field(journal, "FACELEAD_AUDIT_HASH");
            head.entryAt = field(journal, "FACELEAD_AUDIT_AT");
            head.accounts = field(journal, "FACELEAD_ACCOUNTS");
            head.settings = field(journal, "FACELEAD_SETTINGS");
            head.file = field(journal, "FACELEAD_STORE_FILE");
            readBase(field(journal, "FACELEAD_AUDIT_BASE"), head);
            std::uint64_t usec = 0;
            if (sd_journal_get_realtime_usec(journal, &usec) >= 0)
                head.at = toIsoUtc(TimePoint(
                    std::chrono::duration_cast<TimePoint::duration>(std::chrono::microseconds(usec))));
            if (head.seq > 0 && !head.hash.empty()) found.push_back(std::move(head));
        }
        sd_journal_close(journal);
        return found;
    }

    std::string describe() const override { return "the system journal"; }

private:
    static bool writtenByFaceLead(const std::string& executable) {
        std::error_code ec;
        static const auto ownFolder = std::filesystem::read_symlink("/proc/self/exe", ec).parent_path();
        return !executable.empty() && !ownFolder.empty() &&
               std::filesystem::path(executable).parent_path() == ownFolder;
    }

    static std::string field(sd_journal* journal, const char* name) {
        const void* data = nullptr;
        std::size_t length = 0;
        if (sd_journal_get_data(journal, name, &data, &length) < 0) return {};
        const std::string_view text(static_cast<const char*>(data), length);
        const auto equals = text.find('=');
        return equals == std::string_view::npos ? std::string() : std::string(text.substr(equals + 1));
    }
};

// `text` as one word "NAME=TEXT" of an anchor-folder line: '%', white space and control characters as %XX.
std::string escapedWord(std::string_view name, const std::string& text) {
    static constexpr char kHex[] = "0123456789ABCDEF";
    std::string word = std::string(name) + '=';
    for (const unsigned char c : text) {
        if (c == '%' || c <= ' ' || c == 0x7f) {
            word += '%';
            word += kHex[c >> 4];
            word += kHex[c & 0xf];
        } else {
            word += static_cast<char>(c);
        }
    }
    return word;
}

// The text of an escapedWord after its "NAME=" (`prefix`).
std::string unescapedWord(std::string_view word, std::string_view prefix) {
    std::string text;
    for (std::size_t i = prefix.size(); i < word.size(); ++i) {
        unsigned char escaped = 0;
        if (word[i] == '%' && i + 2 < word.size() &&
            std::from_chars(word.data() + i + 1, word.data() + i + 3, escaped, 16).ptr == word.data() + i + 3) {
            text += static_cast<char>(escaped);
            i += 2;
        } else {
            text += word[i];
        }
    }
    return text;
}

// One file per store, lines "seq hash at entryAt [file=PATH] [base=SEQ:HASH] [settings=JSON] [accounts]" (PATH and
// the settings' JSON: escapedWord; accounts: compact JSON to the end of the line), only ever appended (O_APPEND:
// concurrent writers never mix).
class FolderAnchor final : public HeadAnchor {
public:
    explicit FolderAnchor(std::filesystem::path folder) : folder_(std::move(folder)) {}

    Result<void> record(const std::string& storeId, const AnchoredHead& head) override {
        std::error_code ec;
        std::filesystem::create_directories(folder_, ec);
        const int fd = ::open(fileOf(storeId).c_str(), O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0600);
        if (fd < 0) return anchorError(describe(), errno);
        const std::string line = std::to_string(head.seq) + ' ' + head.hash + ' ' + toIsoUtc(SystemClock().now()) +
                                 ' ' + (head.entryAt.empty() ? "-" : head.entryAt) +
                                 (head.file.empty() ? "" : ' ' + escapedWord("file", head.file)) +
                                 (head.baseHash.empty() ? "" : " base=" + baseWord(head)) +
                                 (head.settings.empty() ? "" : ' ' + escapedWord("settings", head.settings)) +
                                 (head.accounts.empty() ? "" : ' ' + head.accounts) + '\n';
        const ssize_t written = ::write(fd, line.data(), line.size());
        const int error = errno;
        ::close(fd);
        if (written != static_cast<ssize_t>(line.size())) return anchorError(describe(), error);
        return {};
    }

    Result<std::vector<AnchoredHead>> heads(const std::string& storeId, bool witnessesOnly) const override {
        std::vector<AnchoredHead> found;
        std::ifstream in(fileOf(storeId));
        std::string line;
        while (std::getline(in, line)) {
            std::istringstream fields(line);
            AnchoredHead head;
            if (!(fields >> head.seq >> head.hash >> head.at)) continue;
            if (fields >> head.entryAt && head.entryAt == "-") head.entryAt.clear();
            for (std::string word; (fields >> std::ws).peek() != '{' && fields >> word;) {
                if (word.starts_with("file=")) head.file = unescapedWord(word, "file=");
                if (word.starts_with("base=")) readBase(std::string_view(word).substr(5), head);
                if (word.starts_with("settings=")) head.settings = unescapedWord(word, "settings=");
            }
            std::getline(fields >> std::ws, head.accounts);
            if (!witnessesOnly || carriesWitness(head)) found.push_back(std::move(head));
        }
        return found;
    }

    std::string describe() const override { return "the anchor folder " + folder_.string(); }

private:
    std::filesystem::path fileOf(const std::string& storeId) const { return folder_ / (storeId + ".heads"); }
    std::filesystem::path folder_;
};

// An anchor folder chosen in the environment, read together with the journal: the variable is the desktop
// user's to set, so it must not hide what the journal holds (trial 15A: an insider pointed it at a folder of his
// own and a rolled-back store's stolen role was obeyed without a warning). Heads are written to both.
class FolderAndJournal final : public HeadAnchor {
public:
    explicit FolderAndJournal(std::filesystem::path folder) : folder_(std::move(folder)) {}

    // To the journal first, whatever becomes of the folder: a folder of the insider's own choosing must not take
    // the heads away from the journal (trial 17A N2: his search erased from a store whose heads went only to his
    // folder; trial 18A F1: a folder that could not be written stopped the journal's heads too). A head the
    // journal did not take is reported even when the folder took it: the folder is the desktop user's to rewrite,
    // and with the journal down the agency ran on it alone without being told (trial 23A F7).
    Result<void> record(const std::string& storeId, const AnchoredHead& head) override {
        const auto logged = journal_.record(storeId, head);
        const auto filed = folder_.record(storeId, head);
        if (logged) return {};
        if (!filed) return filed;
        return makeError(logged.error().code,
                         logged.error().message + " The head went only to " + folder_.describe() +
                             ", which is only as safe as that folder's protection: tell IT to start the system journal.");
    }

    Result<std::vector<AnchoredHead>> heads(const std::string& storeId, bool witnessesOnly) const override {
        auto logged = journal_.heads(storeId, /*witnessesOnly=*/false);
        auto found = folder_.heads(storeId, witnessesOnly);
        if (!found) {  // a folder that cannot be read hides nothing the journal holds
            if (!logged) return found;
            found = std::vector<AnchoredHead>{};
        }
        if (!logged || logged->empty()) return found;  // no journal (a container), or none for this store yet
        // The journal holds every head the folder does (record()) and, unlike the folder, knows who wrote each:
        // account states and settings count from it alone (trial 17A N8: one forged line in a folder the insider could write
        // held every administrator back, again after each re-affirmation). The folder's heads still count for
        // the chain's length (the journal may have vacuumed old ones).
        if (witnessesOnly) found->clear();
        for (AnchoredHead& head : *found) {
            head.accounts.clear();
            head.settings.clear();
        }
        for (AnchoredHead& head : *logged)
            if (!witnessesOnly || carriesWitness(head)) found->push_back(std::move(head));
        return found;
    }

    std::string describe() const override { return folder_.describe() + " and the system journal"; }

private:
    FolderAnchor folder_;
    JournalAnchor journal_;
};

}  // namespace

std::string anchoredFile(const std::filesystem::path& store) {
    std::error_code ec;
    return std::filesystem::weakly_canonical(std::filesystem::absolute(store, ec), ec).string();
}

std::shared_ptr<HeadAnchor> journalAnchor() { return std::make_shared<JournalAnchor>(); }

std::shared_ptr<HeadAnchor> folderAnchor(const std::filesystem::path& folder) {
    return std::make_shared<FolderAnchor>(folder);
}

std::shared_ptr<HeadAnchor> defaultAnchor() {
    const char* setting = std::getenv("FACELEAD_ANCHOR");
    const std::string_view value = setting ? setting : "journal";
    if (value.starts_with("file:")) return std::make_shared<FolderAndJournal>(std::filesystem::path(value.substr(5)));
    return journalAnchor();
}

}  // namespace facelead::store
