#!/usr/bin/env bash
# First start, as the program administrator does it on a new workstation: no store yet, so FaceLead
# offers to create it (create_store_as_administrator in lib.sh: the recovery key cannot be dismissed
# unconfirmed); the main window opens signed in. Asserted on the store with facelead-cli and on the
# screenshots.
source "$(dirname "$0")/lib.sh"

store=$E2E_WORK/first.store
start_x
start_facelead "$store"

create_store_as_administrator

[ -f "$store" ] || fail "no store at $store"
users=$(cli_as admin user list --json --store "$store") || fail "facelead-cli user list failed: $users"
grep -q '"username": *"admin"' <<<"$users" || fail "the administrator is not in the store: $users"
cli_as admin audit verify --store "$store" >/dev/null || fail "audit verify failed"
step "store checked with facelead-cli: administrator present, audit chain intact"
