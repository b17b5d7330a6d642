# Shared helpers of the end-to-end scripts: a private Xvfb, the real facelead binary, xdotool for real
# keyboard and mouse events, ImageMagick's `import` for screenshots, and (start_screen_reader) the
# accessibility tree a screen reader reads, to find widgets by what they show. Sourced by the scripts:
#   FACELEAD, FACELEAD_CLI, E2E_FIXTURE, E2E_QUIZ_KEY (binaries), FACES (the shared face images),
#   E2E_SCREEN (WIDTHxHEIGHT, default 1366x768), E2E_SHOTS (where screenshots go), E2E_DOC_SHOTS (when
#   set, a folder such as docs/screenshots: the key screens are also kept there as NAME-<screen>.png).
# Every wait has a deadline: a frozen workstation fails the script, it never hangs it.
set -euo pipefail
shopt -s inherit_errexit  # a failed wait inside $(...) fails the script too

# A missing tool fails the script under CI and skips it elsewhere.
missing_tool() {
    echo "e2e: $1 is missing (packaging/setup.sh installs it)" >&2
    [ "${CI:-}" = true ] && exit 1
    echo "SKIPPED outside CI"; exit 0
}
for tool in Xvfb xdotool import; do command -v "$tool" >/dev/null || missing_tool "$tool"; done

E2E_SCREEN=${E2E_SCREEN:-1366x768}
E2E_PASSWORD=${FACELEAD_E2E_PASSWORD:-correct-horse-battery-9}
export FACELEAD_E2E_PASSWORD=$E2E_PASSWORD
E2E_NAME=${E2E_NAME:-$(basename "$0" .sh)}
E2E_WORK=$(mktemp -d "${TMPDIR:-/tmp}/facelead-e2e-$E2E_NAME.XXXXXX")
E2E_SHOTS=${E2E_SHOTS:-$E2E_WORK/shots}
mkdir -p "$E2E_SHOTS"
rm -f "$E2E_SHOTS"/*.png  # only this run's screenshots
# The models stay where the user installed them; the settings folder is private: the workstation's
# QSettings never touch the user's own.
export FACELEAD_MODELS_DIR=${FACELEAD_MODELS_DIR:-${XDG_DATA_HOME:-$HOME/.local/share}/facelead/models}
export HOME=$E2E_WORK/home XDG_CONFIG_HOME=$E2E_WORK/home/.config
mkdir -p "$XDG_CONFIG_HOME"
E2E_START=$EPOCHREALTIME
E2E_LAST_STEP=$E2E_START
E2E_STEP_TIMES=()  # "step NAME: S s", one per step, printed again at the end
E2E_PIDS=()

cleanup() {
    local status=$?
    for pid in "${E2E_PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
    wait 2>/dev/null || true
    [ "$status" -eq 0 ] && [ -z "${E2E_KEEP:-}" ] && rm -rf "$E2E_WORK/home" "$E2E_WORK"/*.store* 2>/dev/null
    printf '%s\n' "${E2E_STEP_TIMES[@]}"
    echo "e2e $E2E_NAME: $([ "$status" -eq 0 ] && echo passed || echo FAILED) in $(elapsed)s; screenshots in $E2E_SHOTS"
}
trap cleanup EXIT

elapsed() { awk -v now="$EPOCHREALTIME" -v start="$E2E_START" 'BEGIN { printf "%.1f", now - start }'; }
fail() { echo "FAIL [$(elapsed)s]: $*" >&2; shot "failure" || true; exit 1; }
# Each step says what was done and how long it took since the previous one ("step mark-lead: 2.4 s"),
# the time a person waits at that point of the relay.
step() {
    local now=$EPOCHREALTIME took
    took=$(awk -v now="$now" -v last="$E2E_LAST_STEP" 'BEGIN { printf "%.1f", now - last }')
    E2E_LAST_STEP=$now
    echo "[$(elapsed)s] $*"
    E2E_STEP_TIMES+=("step $(step_name "$*"): $took s")
    echo "${E2E_STEP_TIMES[-1]}"
}
# "possible lead marked" -> "possible-lead-marked" (the first six words, for the timing line).
step_name() { tr -cs '[:alnum:]' '-' <<<"$1" | sed 's/^-*//' | cut -d- -f1-6 | sed 's/-*$//' | tr '[:upper:]' '[:lower:]'; }

# Starts a private X server (a free display number chosen by Xvfb itself). -noreset: when a script restarts
# facelead (another user), the server must not reset as its last client leaves, or the next facelead meets a
# server in the middle of its reset ("could not load the Qt platform plugin xcb", seen once under load).
start_x() {
    local fd_file=$E2E_WORK/display
    Xvfb -displayfd 3 -screen 0 "${E2E_SCREEN}x24" -nolisten tcp -noreset 3>"$fd_file" 2>"$E2E_WORK/xvfb.log" &
    E2E_PIDS+=($!)
    for _ in $(seq 100); do [ -s "$fd_file" ] && break; sleep 0.05; done
    [ -s "$fd_file" ] || fail "Xvfb did not start: $(cat "$E2E_WORK/xvfb.log")"
    export DISPLAY=:$(head -1 "$fd_file")
    unset WAYLAND_DISPLAY
    export QT_QPA_PLATFORM=xcb
    step "X server $DISPLAY at $E2E_SCREEN"
}

# Starts the workstation on a store; its output goes to $E2E_WORK/facelead.log.
start_facelead() {
    "$FACELEAD" --store "$1" >"$E2E_WORK/facelead.log" 2>&1 &
    E2E_FACELEAD_PID=$!
    E2E_PIDS+=($E2E_FACELEAD_PID)
}

# The id of the visible window whose title matches the regular expression, waiting up to $2 s (10).
window() {
    local deadline=$(( $(date +%s) + ${2:-10} ))
    while [ "$(date +%s)" -le "$deadline" ]; do
        local id
        id=$(xdotool search --onlyvisible --name "$1" 2>/dev/null | tail -1 || true)
        if [ -n "$id" ]; then echo "$id"; return 0; fi
        kill -0 "$E2E_FACELEAD_PID" 2>/dev/null || fail "facelead exited while waiting for '$1': $(tail -5 "$E2E_WORK/facelead.log")"
        sleep 0.1
    done
    fail "no window '$1' within ${2:-10}s (frozen or not shown)"
}

# Gives the window the keyboard (no window manager: the pointer is put on it too).
focus() {
    xdotool windowfocus --sync "$1" 2>/dev/null || xdotool windowfocus "$1"
    eval "$(xdotool getwindowgeometry --shell "$1")"
    xdotool mousemove $((X + WIDTH / 2)) $((Y + 4))
    sleep 0.15
}

# Waits until no visible window matches.
gone() {
    local deadline=$(( $(date +%s) + ${2:-10} ))
    while [ "$(date +%s)" -le "$deadline" ]; do
        xdotool search --onlyvisible --name "$1" >/dev/null 2>&1 || return 0
        sleep 0.1
    done
    fail "window '$1' still open after ${2:-10}s"
}

# Waits up to $3 s (30) until something is drawn in the region WxH+X+Y ($2) of window $1 that was blank
# (the mean brightness falls below 0.97): results that arrive from a worker, however loaded the machine.
drawn() {
    local deadline=$(( $(date +%s) + ${3:-30} ))
    while [ "$(date +%s)" -le "$deadline" ]; do
        local mean
        mean=$(import -window "$1" -crop "$2" -colorspace Gray -format '%[fx:mean]' info: 2>/dev/null || echo 1)
        awk -v m="$mean" 'BEGIN { exit !(m < 0.97) }' && return 0
        sleep 0.3
    done
    fail "nothing was drawn in $2 within ${3:-30}s"
}

type_text() { xdotool type --delay 8 -- "$1"; }
keys() { xdotool key --delay 60 "$@"; sleep 0.1; }

# Clicks at x,y relative to the window's top-left corner.
click_in() {
    eval "$(xdotool getwindowgeometry --shell "$1")"
    xdotool mousemove $((X + $2)) $((Y + $3)) click 1
    sleep 0.2
}

# A screenshot of the whole screen: $E2E_SHOTS/<n>-<name>.png. With a second name (a key screen for the
# documentation) and E2E_DOC_SHOTS set, also $E2E_DOC_SHOTS/<doc name>-<screen>.png, e.g.
#   E2E_DOC_SHOTS=$PWD/docs/screenshots E2E_SCREEN=1600x1000 ctest --test-dir build -R e2e_accounts
E2E_SHOT_NUMBER=0
shot() {
    E2E_SHOT_NUMBER=$((E2E_SHOT_NUMBER + 1))
    local file
    file=$(printf '%s/%02d-%s.png' "$E2E_SHOTS" "$E2E_SHOT_NUMBER" "$1")
    sleep 0.3  # let the last repaint land
    import -window root "$file" 2>/dev/null
    [ -s "$file" ] || fail "no screenshot $file"
    if [ -n "${2:-}" ] && [ -n "${E2E_DOC_SHOTS:-}" ]; then
        # A small PNG: the screen's few colours in a palette, no metadata.
        convert "$file" -strip +dither -colors 128 "PNG8:$E2E_DOC_SHOTS/$2-$E2E_SCREEN.png" || fail "no copy of $file for the docs"
    fi
}

# Every visible top-level window fits on the screen (issue 9 item 8).
check_windows_fit() {
    local screen_w=${E2E_SCREEN%x*} screen_h=${E2E_SCREEN#*x} id
    for id in $(xdotool search --onlyvisible --name '.' 2>/dev/null); do
        eval "$(xdotool getwindowgeometry --shell "$id")"
        local name
        name=$(xdotool getwindowname "$id" 2>/dev/null || echo "?")
        [ "$WIDTH" -le "$screen_w" ] && [ "$HEIGHT" -le "$screen_h" ] ||
            fail "window '$name' is ${WIDTH}x${HEIGHT}, larger than the ${E2E_SCREEN} screen"
    done
}

# facelead-cli as USER (the password on stdin); prints its output.
cli_as() {
    local user=$1
    shift
    echo "$E2E_PASSWORD" | "$FACELEAD_CLI" "$@" --user "$user"
}

# Publishes the workstation's widgets over AT-SPI, as for a screen reader: a private D-Bus session bus
# and the accessibility bus on it. Call before start_facelead; then `on_screen` finds and clicks widgets.
start_screen_reader() {
    local address
    command -v dbus-daemon >/dev/null || missing_tool dbus-daemon
    [ -x /usr/libexec/at-spi-bus-launcher ] || missing_tool at-spi-bus-launcher
    /usr/bin/python3 -c 'import pyatspi' 2>/dev/null || missing_tool python3-pyatspi
    address=$(dbus-daemon --session --fork --nopidfile --print-address=1 --print-pid=3 3>"$E2E_WORK/dbus.pid") ||
        fail "no D-Bus session bus"
    E2E_PIDS+=($(cat "$E2E_WORK/dbus.pid"))
    export DBUS_SESSION_BUS_ADDRESS=$address QT_LINUX_ACCESSIBILITY_ALWAYS_ON=1
    /usr/libexec/at-spi-bus-launcher --launch-immediately >"$E2E_WORK/at-spi.log" 2>&1 &
    E2E_PIDS+=($!)
    sleep 0.5
}

# on_screen WINDOW click|read ROLE NAME, or on_screen WINDOW quiz KEY (see screen_reader.py), retried
# for a few seconds while the widget is not shown yet.
on_screen() {
    local try
    for try in $(seq 20); do
        /usr/bin/python3 "$(dirname "${BASH_SOURCE[0]}")/screen_reader.py" "$@" 2>"$E2E_WORK/screen_reader.err" && return 0
        sleep 0.25
    done
    fail "on screen: $(cat "$E2E_WORK/screen_reader.err")"
}

# At the sign-in dialog of the running workstation: USER PASSWORD; the main window's id in MAIN.
sign_in_as() {
    local dialog
    dialog=$(window 'Sign in' 20)
    focus "$dialog"
    keys alt+u ctrl+a && type_text "$1"
    keys alt+p ctrl+a && type_text "$2"
    keys Return
    gone 'Sign in' 30
    MAIN=$(window 'FaceLead — Facial Recognition' 20)
    focus "$MAIN"
}

# Succeeds when no showing widget of WINDOW has that ROLE and NAME (regular expressions).
not_on_screen() {
    ! /usr/bin/python3 "$(dirname "${BASH_SOURCE[0]}")/screen_reader.py" "$1" read "$2" "$3" >/dev/null 2>&1
}

# The first start of a new workstation, as the program administrator does it (the store does not exist
# yet; facelead runs on it): user name, full name and password twice; the recovery key is shown ONCE and
# Escape must not dismiss it before "written down" is ticked (issue 9 item 7); the main window opens
# signed in, its id in MAIN.
create_store_as_administrator() {
    local create key_window
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

    MAIN=$(window 'FaceLead — Facial Recognition' 20)
    focus "$MAIN"
    sleep 1
    check_windows_fit
    shot main-window-admin
    step "main window signed in"
}

# The search wizard's first two pages with the keyboard, from the wizard just opened (its id in $1): case CASE ($2),
# an armed robbery under VI.A.2 with its justification and the five attestations; then the probe FILE ($3) with its
# source, "not a capture of the person by the agency", and on past the enhancement page (none).
wizard_to_face_page() {
    local wizard=$1 case_number=$2 probe=$3 files
    type_text "$case_number"
    keys Tab Tab && type_text "Armed robbery of a pharmacy"
    keys Tab Down Down
    keys Tab && type_text "CCTV still of the robbers at the counter during the robbery on 20 November; no suspect named."
    keys Tab
    for box in a b c d e; do
        keys Tab space
    done
    shot wizard-1-purpose
    keys Return
    sleep 0.5
    keys alt+c
    files=$(window 'Choose the probe image' 10)
    focus "$files"
    type_text "$probe"
    keys Return
    gone 'Choose the probe image'
    focus "$wizard"
    sleep 2  # decoded and hashed on a worker
    keys alt+s && type_text "CCTV export, Main St pharmacy, camera 3, 2026-11-20 14:05"
    keys alt+m  # NOT a capture of the person by the agency
    shot wizard-2-probe
    keys Return
    sleep 0.5
    keys Return  # no enhancement
}
