#!/usr/bin/env bash
# Makes TestImages/location/: one JPEG per route a position can take inside a JPEG
# (see make-location-images.py), built on TestImages' own photo with camera tags
# and an ICC profile added, so tests can check that only the position goes.
set -euo pipefail
cd "$(dirname "$0")/../TestImages"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cp orientation-1.jpg "$work/camera.jpg"
exiftool -q -overwrite_original -Make=Synthetic -Model=Gradient -DateTimeOriginal="2024:05:01 10:00:00" \
    -tagsfromfile icc-comment-gps.jpg -icc_profile "$work/camera.jpg"
rm -rf location
mkdir location
python3 ../scripts/make-location-images.py "$work/camera.jpg" progressive.jpg location
