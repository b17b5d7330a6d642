#pragma once
// Versioned schema migrations (private to the store). schema_version keeps one row per applied version;
// all pending migrations and their schema_version rows run in one transaction: all or nothing.

#include <string>
#include <vector>

#include "core/common/Result.h"

struct sqlite3;

namespace facelead::store::schema {

int latestVersion();
// The highest applied version (0 for an empty database).
Result<int> currentVersion(sqlite3* db);
// Applies every migration above the current version up to target (0 = latest). `appliedAt` is toIsoUtc.
// MigrationFailed when a step fails (that step is rolled back); refuses a store newer than this build.
Result<int> migrate(sqlite3* db, int target, const std::string& appliedAt);
// How the store's tables, indexes, triggers and views depart from those this FaceLead's migrations make, one phrase
// each ("trigger examinations_immutable is missing"); empty when they are the same. The write-once triggers keep
// FaceLead's own rows from being rewritten by mistake: one dropped outside FaceLead went unreported (trial 45 F12).
Result<std::vector<std::string>> departures(sqlite3* db);

}  // namespace facelead::store::schema
