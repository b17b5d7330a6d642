#include "core/store/Schema.h"

#include <sqlite3.h>

#include <map>
#include <vector>

#include "core/store/Statement.h"

namespace facelead::store::schema {
namespace {

// v1: the tables of issue 3. Times are toIsoUtc text; JSON columns are text holding JSON.
// Users are never deleted (deactivated instead), originals and the audit log are immutable.
constexpr const char* kVersion1 = R"sql(
CREATE TABLE users (
  id INTEGER PRIMARY KEY,
  username TEXT NOT NULL UNIQUE,
  display_name TEXT NOT NULL,
  roles TEXT NOT NULL DEFAULT '',
  status TEXT NOT NULL CHECK (status IN ('pending_approval', 'active', 'suspended', 'deactivated')),
  status_reason TEXT NOT NULL DEFAULT '',
  created_at TEXT NOT NULL,
  created_by INTEGER REFERENCES users(id),
  approved_by INTEGER REFERENCES users(id),
  approved_at TEXT,
  training_completed_at TEXT,
  training_signed_off_by INTEGER REFERENCES users(id),
  last_activity_at TEXT,
  deactivated_at TEXT
);
CREATE TRIGGER users_never_deleted BEFORE DELETE ON users
BEGIN SELECT RAISE(ABORT, 'accounts are deactivated, never deleted (SOP 302.02 VI.C.2)'); END;

CREATE TABLE settings (
  key TEXT PRIMARY KEY,
  value TEXT NOT NULL
);

CREATE TABLE cases (
  id INTEGER PRIMARY KEY,
  case_number TEXT NOT NULL UNIQUE,
  offence TEXT NOT NULL DEFAULT '',
  assigned_officer_id INTEGER REFERENCES users(id),
  status TEXT NOT NULL DEFAULT 'open',
  created_by INTEGER NOT NULL REFERENCES users(id),
  created_at TEXT NOT NULL
);

CREATE TABLE images (
  id INTEGER PRIMARY KEY,
  case_id INTEGER NOT NULL REFERENCES cases(id),
  parent_id INTEGER REFERENCES images(id),
  kind TEXT NOT NULL CHECK (kind IN ('original', 'derived')),
  bytes BLOB NOT NULL,
  sha256 TEXT NOT NULL,
  size_bytes INTEGER NOT NULL,
  format TEXT NOT NULL,
  width INTEGER NOT NULL,
  height INTEGER NOT NULL,
  capture_metadata TEXT NOT NULL DEFAULT '{}',
  source TEXT NOT NULL DEFAULT '',
  recipe TEXT,
  created_by INTEGER NOT NULL REFERENCES users(id),
  created_at TEXT NOT NULL,
  CHECK ((kind = 'original' AND parent_id IS NULL) OR (kind = 'derived' AND parent_id IS NOT NULL))
);
CREATE TRIGGER images_content_immutable
BEFORE UPDATE OF bytes, sha256, size_bytes, kind, parent_id, case_id, format, width, height ON images
BEGIN SELECT RAISE(ABORT, 'images are never altered: save an enhanced copy instead (SOP 302.02 VI.B.2)'); END;
CREATE TRIGGER images_never_deleted BEFORE DELETE ON images
BEGIN SELECT RAISE(ABORT, 'images are never deleted (SOP 302.02 VI.B.2)'); END;

CREATE TABLE search_requests (
  id INTEGER PRIMARY KEY,
  case_id INTEGER NOT NULL REFERENCES cases(id),
  purpose_code TEXT NOT NULL,
  justification TEXT NOT NULL,
  prohibited_use_attestation TEXT NOT NULL,
  consent_kind TEXT NOT NULL,
  consent_reason TEXT,
  consent_purpose TEXT,
  image_source TEXT,
  requested_by INTEGER NOT NULL REFERENCES users(id),
  requested_at TEXT NOT NULL
);

CREATE TABLE searches (
  id INTEGER PRIMARY KEY,
  request_id INTEGER NOT NULL REFERENCES search_requests(id),
  image_id INTEGER NOT NULL REFERENCES images(id),
  face_box TEXT NOT NULL,
  quality TEXT NOT NULL DEFAULT '{}',
  poor_quality_acknowledged INTEGER NOT NULL DEFAULT 0,
  candidate_limit INTEGER NOT NULL,
  gallery_size INTEGER NOT NULL,
  run_by INTEGER NOT NULL REFERENCES users(id),
  run_at TEXT NOT NULL
);

CREATE TABLE gallery_subjects (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL,
  date_of_birth TEXT,
  source TEXT NOT NULL DEFAULT '',
  record_id TEXT,
  created_by INTEGER NOT NULL REFERENCES users(id),
  created_at TEXT NOT NULL
);

CREATE TABLE gallery_faces (
  id INTEGER PRIMARY KEY,
  subject_id INTEGER NOT NULL REFERENCES gallery_subjects(id),
  image BLOB,
  image_sha256 TEXT,
  descriptor BLOB NOT NULL CHECK (length(descriptor) = 512),
  quality TEXT NOT NULL DEFAULT '{}',
  box TEXT NOT NULL DEFAULT '{}',
  source_path TEXT,
  created_by INTEGER NOT NULL REFERENCES users(id),
  created_at TEXT NOT NULL
);

CREATE TABLE candidates (
  id INTEGER PRIMARY KEY,
  search_id INTEGER NOT NULL REFERENCES searches(id),
  rank INTEGER NOT NULL,
  gallery_face_id INTEGER NOT NULL REFERENCES gallery_faces(id),
  distance REAL NOT NULL,
  score REAL NOT NULL,
  UNIQUE (search_id, rank)
);

CREATE TABLE leads (
  id INTEGER PRIMARY KEY,
  candidate_id INTEGER NOT NULL UNIQUE REFERENCES candidates(id),
  status TEXT NOT NULL,
  note TEXT NOT NULL DEFAULT '',
  marked_by INTEGER NOT NULL REFERENCES users(id),
  marked_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
);

CREATE TABLE follow_ups (
  id INTEGER PRIMARY KEY,
  lead_id INTEGER NOT NULL REFERENCES leads(id),
  steps TEXT NOT NULL,
  evidence TEXT NOT NULL DEFAULT '',
  outcome TEXT NOT NULL,
  recorded_by INTEGER NOT NULL REFERENCES users(id),
  recorded_at TEXT NOT NULL
);

CREATE TABLE reviews (
  id INTEGER PRIMARY KEY,
  lead_id INTEGER NOT NULL REFERENCES leads(id),
  follow_up_id INTEGER REFERENCES follow_ups(id),
  decision TEXT NOT NULL,
  note TEXT NOT NULL DEFAULT '',
  reviewed_by INTEGER NOT NULL REFERENCES users(id),
  reviewed_at TEXT NOT NULL
);

CREATE TABLE audit_log (
  seq INTEGER PRIMARY KEY,
  at TEXT NOT NULL,
  user_id INTEGER REFERENCES users(id),
  username TEXT NOT NULL,
  action TEXT NOT NULL,
  object_type TEXT NOT NULL,
  object_id TEXT NOT NULL,
  details TEXT NOT NULL,
  prev_hash TEXT NOT NULL,
  hash TEXT NOT NULL UNIQUE
);
CREATE TRIGGER audit_log_append_only_update BEFORE UPDATE ON audit_log
BEGIN SELECT RAISE(ABORT, 'the audit log is append-only (SOP 302.02 VI.C.2)'); END;
CREATE TRIGGER audit_log_append_only_delete BEFORE DELETE ON audit_log
BEGIN SELECT RAISE(ABORT, 'the audit log is append-only (SOP 302.02 VI.C.2)'); END;
)sql";

// v2: indexes for the lookups the services make (a case's images and requests, a search's candidates,
// a lead's follow-up and reviews, audit by object and user).
constexpr const char* kVersion2 = R"sql(
CREATE INDEX images_by_case ON images(case_id);
CREATE INDEX images_by_parent ON images(parent_id);
CREATE INDEX search_requests_by_case ON search_requests(case_id);
CREATE INDEX searches_by_request ON searches(request_id);
CREATE INDEX candidates_by_search ON candidates(search_id);
CREATE INDEX follow_ups_by_lead ON follow_ups(lead_id);
CREATE INDEX reviews_by_lead ON reviews(lead_id);
CREATE INDEX gallery_faces_by_subject ON gallery_faces(subject_id);
CREATE INDEX audit_log_by_object ON audit_log(object_type, object_id);
CREATE INDEX audit_log_by_user ON audit_log(user_id);
CREATE INDEX audit_log_by_action ON audit_log(action);
)sql";

// v3: gallery images in their own table. In v1 the image BLOB sits before the descriptor in gallery_faces,
// so reading the descriptors (loading the 1:N index) walked and decrypted every image's overflow pages
// (~900 MB per 100 000 faces instead of ~70 MB). From v3 gallery_faces.image and .image_sha256 are always
// NULL (SQLite 3.15 cannot drop columns); the existing images move here unchanged, hashes included. The
// hash comes before the image so that listing hashes does not read the images either.
// Also the indexes for the subject look-ups of enrolment (by record id, by name).
constexpr const char* kVersion3 = R"sql(
CREATE TABLE gallery_face_images (
  face_id INTEGER PRIMARY KEY REFERENCES gallery_faces(id),
  image_sha256 TEXT NOT NULL,
  image BLOB NOT NULL
);
INSERT INTO gallery_face_images(face_id, image_sha256, image)
  SELECT id, image_sha256, image FROM gallery_faces WHERE image IS NOT NULL;
UPDATE gallery_faces SET image = NULL, image_sha256 = NULL WHERE image IS NOT NULL OR image_sha256 IS NOT NULL;
-- A gallery photo is evidence of who the subject is: it is never rewritten in place.
CREATE TRIGGER gallery_face_images_immutable BEFORE UPDATE ON gallery_face_images
BEGIN SELECT RAISE(ABORT, 'gallery photos are never altered in place'); END;
CREATE INDEX gallery_subjects_by_record ON gallery_subjects(source, record_id);
CREATE INDEX gallery_subjects_by_name ON gallery_subjects(name, source, date_of_birth);
)sql";

// v4: signed audit entries (docs/SECURITY.md). Each entry names the account whose key signed it (the
// acting user; for events carried over from the key file, whoever opened the store next), that key, and
// the Ed25519 signature of its hash. Entries from before v4 keep '' (verify accepts unsigned entries only
// before the first signed one). The store's random id names it in the anchors outside the file.
constexpr const char* kVersion4 = R"sql(
ALTER TABLE audit_log ADD COLUMN signer TEXT NOT NULL DEFAULT '';
ALTER TABLE audit_log ADD COLUMN signer_key TEXT NOT NULL DEFAULT '';
ALTER TABLE audit_log ADD COLUMN signature TEXT NOT NULL DEFAULT '';
INSERT OR IGNORE INTO settings(key, value) VALUES ('store_id', lower(hex(randomblob(16))));
)sql";

// v5: a wrongly enrolled gallery subject is removed, not deleted (issue 9 item 9): the row stays, so past
// searches' candidate lists and the case reports naming it stay true to what was shown; removed_at marks it
// out of the 1:N index, the listings, the duplicates check and the subject look-ups of enrolment.
constexpr const char* kVersion5 = R"sql(
ALTER TABLE gallery_subjects ADD COLUMN removed_at TEXT;
ALTER TABLE gallery_subjects ADD COLUMN removed_by INTEGER REFERENCES users(id);
ALTER TABLE gallery_subjects ADD COLUMN removed_reason TEXT;
)sql";

// v6: the second factor (accounts/SecondFactor.h, docs/SECURITY.md "Second factor"). The TOTP secret is
// sealed with a key from the user's own slot (Store::signerSubkey): the database key alone does not read it.
// last_step: the newest time step accepted, so a code is never accepted twice. Recovery codes are kept as
// BLAKE2b hashes, each usable once.
constexpr const char* kVersion6 = R"sql(
ALTER TABLE users ADD COLUMN second_factor_secret BLOB;
ALTER TABLE users ADD COLUMN second_factor_last_step INTEGER;
ALTER TABLE users ADD COLUMN second_factor_enrolled_at TEXT;
CREATE TABLE second_factor_recovery_codes (
  user_id INTEGER NOT NULL REFERENCES users(id),
  code_hash TEXT NOT NULL,
  used_at TEXT,
  PRIMARY KEY (user_id, code_hash)
);
)sql";

// v7: issue 11 items 1-3. Blind FISWG examinations and independent verifications (one per candidate and
// examiner, never rewritten: components is a JSON object {component: {finding, note}}); supervisors'
// resolutions of examiners' disagreements; independent evidence items attached to a follow-up, typed from the
// agency's evidence_types list (identification_procedure: a photo line-up, never a lead's first evidence); the
// follow-up's discrepancy checklist (JSON {item: {answer, note}}; '{}' before v7 = unanswered).
constexpr const char* kVersion7 = R"sql(
CREATE TABLE examinations (
  id INTEGER PRIMARY KEY,
  candidate_id INTEGER NOT NULL REFERENCES candidates(id),
  examiner_id INTEGER NOT NULL REFERENCES users(id),
  kind TEXT NOT NULL CHECK (kind IN ('examination', 'verification')),
  components TEXT NOT NULL,
  conclusion TEXT NOT NULL,
  note TEXT NOT NULL DEFAULT '',
  recorded_at TEXT NOT NULL,
  UNIQUE (candidate_id, examiner_id)
);
CREATE TRIGGER examinations_immutable BEFORE UPDATE ON examinations
BEGIN SELECT RAISE(ABORT, 'examinations are never rewritten'); END;
CREATE TRIGGER examinations_never_deleted BEFORE DELETE ON examinations
BEGIN SELECT RAISE(ABORT, 'examinations are never deleted'); END;

CREATE TABLE examination_resolutions (
  id INTEGER PRIMARY KEY,
  candidate_id INTEGER NOT NULL UNIQUE REFERENCES candidates(id),
  conclusion TEXT NOT NULL,
  note TEXT NOT NULL,
  resolved_by INTEGER NOT NULL REFERENCES users(id),
  resolved_at TEXT NOT NULL
);

CREATE TABLE evidence_types (
  code TEXT PRIMARY KEY,
  label TEXT NOT NULL,
  identification_procedure INTEGER NOT NULL DEFAULT 0
);
INSERT INTO evidence_types(code, label, identification_procedure) VALUES
  ('documents', 'Documents', 0),
  ('location_data', 'Location data', 0),
  ('physical_evidence', 'Physical evidence', 0),
  ('witness_identification', 'Witness identification through a proper procedure (photo line-up)', 1),
  ('admission', 'Admission', 0),
  ('other', 'Other', 0);

CREATE TABLE follow_up_evidence (
  id INTEGER PRIMARY KEY,
  follow_up_id INTEGER NOT NULL REFERENCES follow_ups(id),
  type TEXT NOT NULL REFERENCES evidence_types(code),
  description TEXT NOT NULL
);
ALTER TABLE follow_ups ADD COLUMN discrepancy_checklist TEXT NOT NULL DEFAULT '{}';
CREATE INDEX examinations_by_candidate ON examinations(candidate_id);
CREATE INDEX follow_up_evidence_by_follow_up ON follow_up_evidence(follow_up_id);
)sql";

// v8: hand-marked probe faces (issue 10 item 4). When the examiner marked the face by hand instead of choosing a
// detected one, the search records the points as marked (face::formatMarkedPoints: "x,y;x,y[;...]" in the searched
// image's pixels), who marked them and when; NULL for a detected face.
constexpr const char* kVersion8 = R"sql(
ALTER TABLE searches ADD COLUMN marked_points TEXT;
ALTER TABLE searches ADD COLUMN marked_by INTEGER REFERENCES users(id);
ALTER TABLE searches ADD COLUMN marked_at TEXT;
)sql";

// v9: issue 11 item 5. A search whose purpose the agency's rule pack (workflow/PolicyPack.h) holds for a second
// approver is requested first: its case number, offence, purpose and justification, the pack that asked, who
// asked and when; a supervisor, never the requester, approves it; the one search it allows names it (used_by).
constexpr const char* kVersion9 = R"sql(
CREATE TABLE search_approvals (
  id INTEGER PRIMARY KEY,
  case_number TEXT NOT NULL,
  offence TEXT NOT NULL,
  purpose_code TEXT NOT NULL,
  justification TEXT NOT NULL,
  pack TEXT NOT NULL,
  requested_by INTEGER NOT NULL REFERENCES users(id),
  requested_at TEXT NOT NULL,
  approved_by INTEGER REFERENCES users(id),
  approved_at TEXT,
  used_by_request INTEGER UNIQUE REFERENCES search_requests(id),
  CHECK (approved_by IS NULL OR approved_by <> requested_by)
);
CREATE TRIGGER search_approvals_never_deleted BEFORE DELETE ON search_approvals
BEGIN SELECT RAISE(ABORT, 'search approvals are never deleted'); END;
)sql";

// v10: several probes of one unknown person searched together (issue 10 item 6: frames of one video, several
// stills), one candidate list. searches.image_id and its face stay the first probe; each further probe's image
// (an original of the case, stored and hash-checked as the first: VI.B.2), its face box and quality, in the order
// given (position 1, 2, ...). A candidate records which probe was nearest to its photo (0: the first).
// (Issue 10 item 4 for every probe, no new version: a further probe's face marked by hand keeps its points in
// face_box's JSON, "marked_points", as its signed search.run entry does: cases::detail::probeBoxToJson.)
constexpr const char* kVersion10 = R"sql(
CREATE TABLE search_probes (
  search_id INTEGER NOT NULL REFERENCES searches(id),
  position INTEGER NOT NULL CHECK (position >= 1),
  image_id INTEGER NOT NULL REFERENCES images(id),
  face_box TEXT NOT NULL,
  quality TEXT NOT NULL,
  PRIMARY KEY (search_id, position)
);
CREATE TRIGGER search_probes_never_deleted BEFORE DELETE ON search_probes
BEGIN SELECT RAISE(ABORT, 'search probes are never deleted (SOP 302.02 VI.B.2)'); END;
ALTER TABLE candidates ADD COLUMN probe INTEGER NOT NULL DEFAULT 0;
)sql";

// v11: reserved for a change made on another branch at the same time (issue 10 item 6 follow-up); it lands as v11
// when merged, and this empty step makes way for it.
constexpr const char* kVersion11 = "";

// v12: issue 11 item 5, retention review. A program administrator's decision on a probe image or search record
// past the rule pack's retention period (reports/Retention.h): keep it until a date, with the reason, or purge it.
// Append-only: a later decision on the same item supersedes the earlier one, which stays. A purge is recorded,
// never carried out by FaceLead: images are evidence the store never deletes (SOP 302.02 VI.B.2) and search rows
// are held to their signed audit entries (cases/detail/SignedRows.h); the agency purges under its records
// schedule (VI.B.6) outside the program.
constexpr const char* kVersion12 = R"sql(
CREATE TABLE retention_decisions (
  id INTEGER PRIMARY KEY,
  item_kind TEXT NOT NULL CHECK (item_kind IN ('probe', 'search')),
  item_id INTEGER NOT NULL,
  decision TEXT NOT NULL CHECK (decision IN ('keep', 'purge')),
  reason TEXT NOT NULL,
  keep_until TEXT,
  pack TEXT NOT NULL,
  decided_by INTEGER NOT NULL REFERENCES users(id),
  decided_at TEXT NOT NULL,
  CHECK ((decision = 'keep') = (keep_until IS NOT NULL))
);
CREATE INDEX retention_decisions_by_item ON retention_decisions(item_kind, item_id);
CREATE TRIGGER retention_decisions_never_deleted BEFORE DELETE ON retention_decisions
BEGIN SELECT RAISE(ABORT, 'retention decisions are never deleted'); END;
CREATE TRIGGER retention_decisions_never_changed BEFORE UPDATE ON retention_decisions
BEGIN SELECT RAISE(ABORT, 'retention decisions are never changed: record a new one'); END;
)sql";

// v13: trial 19B HIGH-2. A second approver approves the search of named probes, not a blank cheque: the probe
// originals the requester will search are stored with the approval request (their SHA-256, the file name as given,
// the video frame when the original is a video, and the bytes, so the supervisor sees the image she approves), and
// the search that uses the approval must search exactly these originals (cases/CaseApprovals.cpp). An approval
// requested before v13 names no probe and allows no search. Append-only, as the images it copies (VI.B.2).
constexpr const char* kVersion13 = R"sql(
CREATE TABLE search_approval_probes (
  approval_id INTEGER NOT NULL REFERENCES search_approvals(id),
  position INTEGER NOT NULL CHECK (position >= 0),
  sha256 TEXT NOT NULL,
  file_name TEXT NOT NULL,
  video_frame INTEGER,
  bytes BLOB NOT NULL,
  PRIMARY KEY (approval_id, position)
);
CREATE TRIGGER search_approval_probes_never_deleted BEFORE DELETE ON search_approval_probes
BEGIN SELECT RAISE(ABORT, 'the probes of a search approval are never deleted'); END;
CREATE TRIGGER search_approval_probes_never_changed BEFORE UPDATE ON search_approval_probes
BEGIN SELECT RAISE(ABORT, 'the probes of a search approval are never changed: request a new approval'); END;
)sql";

// v14: issue 11 item 3, the structural answer to word lists: each evidence item carries the case officer's
// attestation that it stands apart from the face search (workflow::EvidenceItem). Items recorded before it were
// never attested: they stay as they are and count for nothing, so a lead in flight needs a new follow-up to be
// cleared. The follow-up's signed digest covers the attestation (cases/detail/SignedRows.cpp).
constexpr const char* kVersion14 = R"sql(
ALTER TABLE follow_up_evidence ADD COLUMN independent_of_search INTEGER NOT NULL DEFAULT 0
  CHECK (independent_of_search IN (0, 1));
)sql";

// v15: trial 47 F1/F2. Each search's probe templates (and, trial 49 F2, each approval request's: a waiting request
// holds the same unknown person's pictures, not only its files' bytes; NULL for a request made before) (position 0: the search's own image, n: its further probe n),
// so that "shown the rank and score" can compare probes rather than bytes or times (cases::rankShownTo): a copy of the
// probe re-encoded and searched in a throw-away case before the real search, its scores seen, then "blind" examined
// in the real one. Searches run before v15 have none and are compared by bytes and times only. Write-once.
constexpr const char* kVersion15 = R"sql(
CREATE TABLE search_probe_templates (
  search_id INTEGER NOT NULL REFERENCES searches(id),
  position INTEGER NOT NULL CHECK (position >= 0),
  template BLOB NOT NULL CHECK (length(template) = 512),
  PRIMARY KEY (search_id, position)
);
CREATE TRIGGER search_probe_templates_never_deleted BEFORE DELETE ON search_probe_templates
BEGIN SELECT RAISE(ABORT, 'search probe templates are never deleted'); END;
CREATE TRIGGER search_probe_templates_never_changed BEFORE UPDATE ON search_probe_templates
BEGIN SELECT RAISE(ABORT, 'search probe templates are never changed'); END;
ALTER TABLE search_approval_probes ADD COLUMN template BLOB CHECK (template IS NULL OR length(template) = 512);
)sql";

const std::vector<const char*>& migrations() {
    static const std::vector<const char*> all = {kVersion1,  kVersion2,  kVersion3,  kVersion4,  kVersion5,
                                                 kVersion6,  kVersion7,  kVersion8,  kVersion9,  kVersion10,
                                                 kVersion11, kVersion12, kVersion13, kVersion14, kVersion15};
    return all;
}

Result<void> execute(sqlite3* db, const char* sql, const char* context) {
    const int rc = sqlite3_exec(db, sql, nullptr, nullptr, nullptr);
    if (rc != SQLITE_OK) return sqliteError(db, sqlite3_extended_errcode(db), context);
    return {};
}

Result<bool> hasVersionTable(sqlite3* db) {
    sqlite3_stmt* raw = nullptr;
    const int rc = sqlite3_prepare_v2(
        db, "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'schema_version'", -1, &raw, nullptr);
    if (rc != SQLITE_OK) return sqliteError(db, rc, "Could not read the store's schema");
    Statement statement(db, raw);
    auto row = statement.step();
    if (!row) return row.error();
    return statement.getInt(0) > 0;
}

// Every table, index, trigger and view of a database as its CREATE text, in a fixed order; the version table aside
// (its rows are what is compared against).
Result<std::vector<std::string>> schemaObjects(sqlite3* db) {
    sqlite3_stmt* raw = nullptr;
    const int rc = sqlite3_prepare_v2(db,
                                      "SELECT type || ' ' || name || ' ' || coalesce(sql, '') FROM sqlite_master "
                                      "WHERE name <> 'schema_version' ORDER BY type, name",
                                      -1, &raw, nullptr);
    if (rc != SQLITE_OK) return sqliteError(db, rc, "Could not read the store's schema");
    Statement statement(db, raw);
    std::vector<std::string> objects;
    for (;;) {
        auto row = statement.step();
        if (!row) return row.error();
        if (!*row) return objects;
        objects.push_back(statement.getText(0));
    }
}

// The tables this FaceLead's migrations make, built in memory: every step applied in order, straight (not through
// migrate(), whose failure path compares with this and would recurse without end on a step that fails).
Result<std::vector<std::string>> ourSchemaObjects() {
    sqlite3* fresh = nullptr;
    if (sqlite3_open(":memory:", &fresh) != SQLITE_OK) {
        sqlite3_close(fresh);
        return makeError(ErrorCode::Internal, "Could not open an in-memory database to compare schemas.");
    }
    Result<void> made;
    for (const char* step : migrations())
        if (made = execute(fresh, step, "A schema step of this FaceLead fails on an empty database"); !made) break;
    auto objects = made ? schemaObjects(fresh) : Result<std::vector<std::string>>(made.error());
    sqlite3_close(fresh);
    return objects;
}

}  // namespace

Result<std::vector<std::string>> departures(sqlite3* db) {
    auto ours = ourSchemaObjects();
    if (!ours) return ours.error();
    auto theirs = schemaObjects(db);
    if (!theirs) return theirs.error();
    // "type name sql": the object's kind and name are its first two words.
    const auto named = [](const std::vector<std::string>& objects) {
        std::map<std::string, std::string> byName;
        for (const std::string& object : objects) {
            const auto second = object.find(' ', object.find(' ') + 1);
            byName.emplace(object.substr(0, second), object);
        }
        return byName;
    };
    const auto expected = named(*ours);
    const auto found = named(*theirs);
    std::vector<std::string> differences;
    for (const auto& [name, object] : expected) {
        const auto there = found.find(name);
        if (there == found.end()) differences.push_back(name + " is missing");
        else if (there->second != object) differences.push_back(name + " was changed");
    }
    for (const auto& [name, object] : found)
        if (!expected.count(name)) differences.push_back(name + " is not FaceLead's");
    return differences;
}

namespace {

// Whether the store's tables are exactly those this FaceLead's migrations make.
bool madeByOurMigrations(sqlite3* db) {
    const auto differences = departures(db);
    return differences && differences->empty();
}

// Trial 22A F11, 23A F3: schema_version rows written or deleted by hand locked every account out with "written by a
// newer FaceLead" or "updating the store to schema 13 failed: table … already exists", sending IT after an update
// that does not exist. A real update changes the tables as well as the rows; when the tables are exactly this
// version's, only the rows were edited, and the message says so.
Error versionRowsEdited(int current) {
    return makeError(ErrorCode::IntegrityViolation,
                     "This store's schema_version table says schema " + std::to_string(current) +
                         ", but its tables are exactly those of schema " + std::to_string(latestVersion()) +
                         " that this FaceLead writes: the table was edited outside FaceLead. Nothing was opened or "
                         "changed. Report it to the program administrator (SOP 302.02 VI.C.2); restore the store "
                         "from its backup or put the table's rows back (one per version, 1 to " +
                         std::to_string(latestVersion()) + ").");
}

Error newerSchemaError(sqlite3* db, int current) {
    if (madeByOurMigrations(db)) return versionRowsEdited(current);
    return makeError(ErrorCode::MigrationFailed, "This store was written by a newer FaceLead (schema " +
                                                     std::to_string(current) + "). Update FaceLead to open it.");
}

}  // namespace

int latestVersion() { return static_cast<int>(migrations().size()); }

Result<int> currentVersion(sqlite3* db) {
    auto exists = hasVersionTable(db);
    if (!exists) return exists.error();
    if (!*exists) return 0;
    sqlite3_stmt* raw = nullptr;
    const int rc = sqlite3_prepare_v2(db, "SELECT coalesce(max(version), 0) FROM schema_version", -1, &raw, nullptr);
    if (rc != SQLITE_OK) return sqliteError(db, rc, "Could not read the store's schema version");
    Statement statement(db, raw);
    auto row = statement.step();
    if (!row) return row.error();
    return static_cast<int>(statement.getInt(0));
}

Result<int> migrate(sqlite3* db, int target, const std::string& appliedAt) {
    if (target <= 0 || target > latestVersion()) target = latestVersion();
    FACELEAD_TRY(execute(db, "BEGIN IMMEDIATE", "Could not start the schema update"));
    auto fail = [db](Error error) -> Error {
        sqlite3_exec(db, "ROLLBACK", nullptr, nullptr, nullptr);
        return error;
    };
    // Read the version inside the write transaction so two processes never both migrate.
    auto current = currentVersion(db);
    if (!current) return fail(current.error());
    if (*current > latestVersion()) return fail(newerSchemaError(db, *current));
    auto versionTable = hasVersionTable(db);
    if (!versionTable) return fail(versionTable.error());
    if (!*versionTable) {
        if (auto made = execute(db,
                                "CREATE TABLE schema_version (version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL)",
                                "Could not create the schema table");
            !made)
            return fail(made.error());
    }
    for (int version = *current + 1; version <= target; ++version) {
        if (auto applied = execute(db, migrations()[static_cast<std::size_t>(version - 1)],
                                   "Could not update the store's schema");
            !applied) {
            Error failed = fail(makeError(ErrorCode::MigrationFailed,
                                          "Updating the store to schema " + std::to_string(version) +
                                              " failed; the store is unchanged. " + applied.error().message));
            return madeByOurMigrations(db) ? versionRowsEdited(*current) : failed;  // compared once rolled back
        }
        sqlite3_stmt* raw = nullptr;
        sqlite3_prepare_v2(db, "INSERT INTO schema_version(version, applied_at) VALUES (?, ?)", -1, &raw, nullptr);
        Statement record(db, raw);
        if (auto done = record.bind(1, version).bind(2, appliedAt).run(); !done) return fail(done.error());
    }
    if (auto committed = execute(db, "COMMIT", "Could not save the schema update"); !committed)
        return fail(committed.error());
    return target > *current ? target : *current;
}

}  // namespace facelead::store::schema
