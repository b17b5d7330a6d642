#!/usr/bin/env bash
# FaceLead set-up on Debian 12: installs what is missing, fetches and verifies the models, builds,
# then runs the workstation or the whole test suite. Quick when everything is already there.
#
#   packaging/setup.sh run    install, build, start the workstation on the embedded default store
#   packaging/setup.sh test   install, build, run every test (CTest)
#   packaging/setup.sh build  install and build only
set -euo pipefail

mode="${1:-run}"
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build="${FACELEAD_BUILD_DIR:-$root/build}"

packages=(
  build-essential cmake ninja-build pkg-config ccache
  qt6-base-dev qt6-charts-dev libqt6opengl6-dev libgl-dev libxkbcommon-dev
  libopencv-dev libdlib-dev libblas-dev liblapack-dev libgif-dev
  libpng-dev libjpeg-dev libtiff-dev libwebp-dev   # image intake decodes through them directly
  libopencv-objdetect-dev opencv-data   # the quality verdict's eye detector (core/face/Quality.h, countEyesSeen)
  libopencv-videoio-dev   # video probes: OpenCV's FFmpeg backend (core/imaging/Video.h); named, not left to libopencv-dev
  libavutil-dev           # FFmpeg's log: the damage its decoders conceal in a video frame (core/imaging/Video.cpp)
  libopenblas0-pthread   # becomes libblas.so.3: dlib's forward pass ~2.7x faster (docs/PERFORMANCE.md)
  libsqlcipher-dev libsqlite3-dev libsodium-dev libsystemd-dev nlohmann-json3-dev
  libssl-dev            # libcrypto's SHA-256 (SHA-NI) for photos and the audit chain (core/common/Hash.cpp)
  liboath-dev libqrencode-dev   # the second factor: TOTP (RFC 6238) and its enrolment QR code
  catch2 libbenchmark-dev libfaiss-dev
  xvfb xauth poppler-utils fonts-dejavu-core ca-certificates
  python3-jsonschema    # tests: the disclosure packet against docs/disclosure.schema.json
  xdotool imagemagick   # tests/e2e: real keyboard/mouse events on the real binary, screenshots
  dbus at-spi2-core python3-pyatspi   # tests/e2e: widgets found by what they show, as a screen reader does
  systemd               # journald, the audit anchor the tests check (started by hand in a container)
)
# npm fetches the models. Some machines carry a Node.js of their own that conflicts with Debian's npm.
command -v npm >/dev/null || packages+=(nodejs npm)

as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }

install_packages() {
  local missing=()
  for p in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  echo "Installing Debian packages: ${missing[*]}"
  as_root apt-get update -q
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}"
}

build_all() {
  export CCACHE_BASEDIR="$root"  # lets another clone of the tree reuse the compiler cache
  cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release >/dev/null
  cmake --build "$build" -j2
}

# The audit log's anchor is the systemd journal (docs/SECURITY.md). A container has no journald of its own:
# the tests start one so that the journal anchor is tested for real (they fall back to a folder without it).
start_journal() {
  pgrep -x systemd-journal >/dev/null && return 0
  [ -x /lib/systemd/systemd-journald ] || return 0
  as_root mkdir -p /run/systemd/journal
  as_root sh -c '/lib/systemd/systemd-journald >/dev/null 2>&1 &'
  for _ in 1 2 3 4 5 6 7 8 9 10; do [ -S /run/systemd/journal/socket ] && pgrep -x systemd-journal >/dev/null && return 0; sleep 0.5; done
  echo "systemd-journald did not start: the journal anchor test will be skipped" >&2
}

install_packages
"$root/packaging/fetch-models.sh"
build_all

case "$mode" in
  build) ;;
  test)
    start_journal
    ctest --test-dir "$build" --output-on-failure -j2 --timeout 900 ;;
  run)
    if [ -z "${DISPLAY:-}${WAYLAND_DISPLAY:-}" ]; then
      echo "No display: start FaceLead from a desktop session, or try: xvfb-run $build/app/facelead" >&2
      exit 1
    fi
    exec "$build/app/facelead" ;;
  *) echo "usage: $0 run|test|build" >&2; exit 2 ;;
esac
