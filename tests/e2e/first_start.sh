#!/usr/bin/env bash
# First start, as the program administrator does it on a new workstation: no store yet, so FaceLead
# offers to create it; the administrator types a user name, full name and password twice; the recovery
# key is shown ONCE and Escape must not dismiss it before "written down" is ticked (issue 9 item 7);
# the main window opens signed in. Asserted on the store with facelead-cli and on the screenshots.
source "$(dirname "$0")/lib.sh"

store=$E2E_WORK/first.store
start_x
start_facelead "$store"

create=$(window 'Create the case store' 20)
step "store creation offered"
check_windows_fit
focus "$create"
keys alt+u && type_text admin
keys alt+f && type_text "Ada Admin"
keys alt+p && type_text "$E2E_PASSWORD"
keys alt+r && type_text "$E2E_PASSWORD"
shot create-store
keys Return

key_window=$(window 'Recovery key' 60)  # key derivation (Argon2id) runs on the store thread meanwhile
step "recovery key shown"
check_windows_fit
focus "$key_window"
shot recovery-key
keys Escape
sleep 0.5
xdotool search --onlyvisible --name 'Recovery key' >/dev/null || fail "Escape dismissed the recovery key unconfirmed"
step "Escape refused before the key was confirmed"
keys alt+h  # "I have written the recovery key down"
shot recovery-key-confirmed
keys Return
gone 'Recovery key'

main=$(window 'FaceLead — Facial Recognition' 20)
focus "$main"
sleep 1
check_windows_fit
shot main-window-admin
step "main window signed in"

[ -f "$store" ] || fail "no store at $store"
users=$(cli_as admin user list --json --store "$store") || fail "facelead-cli user list failed: $users"
grep -q '"username": *"admin"' <<<"$users" || fail "the administrator is not in the store: $users"
cli_as admin audit verify --store "$store" >/dev/null || fail "audit verify failed"
step "store checked with facelead-cli: administrator present, audit chain intact"
