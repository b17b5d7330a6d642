#!/usr/bin/env bash
# A face marked by hand (issue 10 item 4) with the real mouse: the detective opens the wizard on a portrait, clicks
# "Mark the face by hand", clicks the two eye centres on the picture as shown (the places come from the engine's own
# landmarks, read with facelead-cli, and the view's place on the screen from the screen reader), uses the points and
# runs the search. The stored search must say "Face marked by hand by ivan" with points within a few pixels of the
# clicks (the disclosure packet, read with facelead-cli).
source "$(dirname "$0")/lib.sh"

[ -d "${FACES:-}" ] || { echo "SKIPPED: no face images at '${FACES:-}'"; [ "${CI:-}" = true ] && exit 1; exit 0; }
store=$E2E_WORK/marking.store
probe=$FACES/deepface/img1.jpg
"$E2E_FIXTURE" "$store" "$FACES" "$FACELEAD_MODELS_DIR" >"$E2E_WORK/fixture.log" 2>&1 || fail "fixture: $(cat "$E2E_WORK/fixture.log")"
step "store ready: $(tail -1 "$E2E_WORK/fixture.log")"

# Where the eyes are: the centres of the engine's eye corners (points 2,3: the eye on the picture's left; 0,1: the other).
detected=$("$FACELEAD_CLI" detect --probe "$probe" --models "$FACELEAD_MODELS_DIR") || fail "detect: $detected"
eyes=$(python3 - "$detected" <<'PY'
import json, sys
face = json.loads(sys.argv[1])["faces"][0]
p = face["landmarks"]
print((p[2][0] + p[3][0]) / 2, (p[2][1] + p[3][1]) / 2, (p[0][0] + p[1][0]) / 2, (p[0][1] + p[1][1]) / 2)
PY
) || fail "no face in $probe: $detected"
read -r left_x left_y right_x right_y <<<"$eyes"
read -r width height < <(identify -format '%w %h\n' "$probe" | head -1)
step "eyes at ($left_x, $left_y) and ($right_x, $right_y) in the ${width}x${height} probe"

start_x
start_screen_reader
start_facelead "$store"
sign_in_as ivan "$E2E_PASSWORD"
step "ivan signed in"
keys ctrl+n
wizard=$(window 'New facial recognition search' 20)
focus "$wizard"
wizard_to_face_page "$wizard" "2026-E2E-002" "$probe"
drawn "$wizard" 150x60+767+152 60  # the table of faces: detection ran
step "face page: the face detected"

on_screen '.*New facial recognition search.*' click 'push button' 'Mark the face by hand'
on_screen '.*New facial recognition search.*' read label 'Next point to mark' >/dev/null  # marking has begun
# The picture is fitted to the view and centred (ImageView): screen = view centre + (point - picture centre) x zoom.
read -r vx vy vw vh < <(on_screen '.*New facial recognition search.*' extents '.*' 'Detected faces')
screen_point() {
    awk -v x="$1" -v y="$2" -v vx="$vx" -v vy="$vy" -v vw="$vw" -v vh="$vh" -v w="$width" -v h="$height" 'BEGIN {
        zoom = vw / w < vh / h ? vw / w : vh / h
        printf "%d %d\n", vx + vw / 2 + (x - w / 2) * zoom + 0.5, vy + vh / 2 + (y - h / 2) * zoom + 0.5 }'
}
for eye in "$left_x $left_y" "$right_x $right_y"; do
    read -r sx sy < <(screen_point $eye)
    xdotool mousemove "$sx" "$sy" click 1
    sleep 0.4
done
shot hand-marking-eyes-clicked
on_screen '.*New facial recognition search.*' click 'push button' 'Use the marked points'
not_on_screen '.*New facial recognition search.*' label 'Next point to mark' || fail "still marking after Use"
shot hand-marked-face
step "face marked by hand with two clicks"
focus "$wizard"
keys Return
sleep 0.5
keys alt+r  # Run the search
sleep 6
shot search-stored
step "search run"

packet=$E2E_WORK/packet
cli_as ivan case disclose 2026-E2E-002 --out "$packet" --store "$store" --end-blind-examinations >"$E2E_WORK/disclose.log" 2>&1 ||
    fail "disclose: $(cat "$E2E_WORK/disclose.log")"
python3 - "$packet/packet.json" "$left_x" "$left_y" "$right_x" "$right_y" <<'PY' || fail "the stored search does not hold the marking"
import json, re, sys
packet = json.load(open(sys.argv[1]))
probe = packet["searches"][0]["probe"]
text = json.dumps(probe)
assert "Face marked by hand by" in text, text[:400]
marking = probe["face_marked_by_hand"]
assert marking and marking["marked_by"]["name"] == "Ivan Investigator", marking
found = [float(v) for v in re.findall(r"[-\d.]+", marking["points"])]
assert len(found) >= 4, probe
expected = [float(v) for v in sys.argv[2:6]]
off = max(abs(a - b) for a, b in zip(found[:4], expected))
assert off <= 6, f"marked points {found[:4]} are {off:.1f} px from the eyes {expected}"
print(f"marked points within {off:.1f} px of the eyes clicked")
PY
step "the disclosure packet says the face was marked by hand by ivan, at the eyes clicked"
