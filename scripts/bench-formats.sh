#!/usr/bin/env bash
# What placeholders and perceptual hashes cost, and what WebP and AVIF save, on a
# 12 MP photo, in process (release build), measured in one run:
#   fit:1024 against fit-bare:1024 (the same without the placeholder);
#   info with fingerprints (describe) against the header alone (info);
#   fit:1024 in JPEG, WebP and AVIF: time and bytes.
# The placeholder's share is also counted in instructions (valgrind's callgrind, on a
# stripped copy: it cannot read Swift's debug information), which a busy machine
# cannot blur: per fit, the difference between 4 and 1 iterations, divided by 3.
# Usage: bench-formats.sh BENCH_BINARY
set -euo pipefail
bench=$1
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# A photo-like 12 MP JPEG: gradients under smooth noise, chroma subsampled as cameras write.
vips xyz "$work/xy.v" 4000 3000
vips linear "$work/xy.v" "$work/xy8.v" "0.06375 0.085" "0 0" --uchar
vips perlin "$work/p.v" 4000 3000 --cell-size 96 --uchar --seed 7
vips bandjoin "$work/xy8.v $work/p.v" "$work/rgb.v"
vips copy "$work/rgb.v" "$work/12mp.jpg[Q=90,subsample-mode=on]" --interpretation srgb
echo "input: 12 MP JPEG, $(stat -c %s "$work/12mp.jpg") bytes; machine: $(nproc) cores, $(uname -m)"
median() { "$bench" "$1" "$work/12mp.jpg" "${2:-15}" | sed -n 's/.*median_ms=\([0-9.]*\).*/\1/p'; }
line() { "$bench" "$1" "$work/12mp.jpg" "${2:-15}"; }
# Rounds alternate the two, so a busy moment of the machine falls on both alike.
with=() without=()
for round in 1 2 3 4 5; do with+=("$(median fit:1024)"); without+=("$(median fit-bare:1024)"); done
middle() { printf '%s\n' "$@" | sort -n | sed -n 3p; }
w=$(middle "${with[@]}") wo=$(middle "${without[@]}")
echo "fit:1024 ${w} ms with the placeholder, ${wo} ms without (median of 5 alternating rounds of 15): $(echo "scale=2; ($w - $wo) * 100 / $wo" | bc) % added"
if command -v valgrind > /dev/null; then
    strip -o "$work/bench" "$bench"
    count() {
        valgrind --tool=callgrind --callgrind-out-file="$work/cg.out" "$work/bench" "$1" "$work/12mp.jpg" "$2" \
            2>&1 >/dev/null | sed -n 's/.*Collected : \([0-9]*\).*/\1/p' | head -1
    }
    per_fit() { echo "($(count "$1" 4) - $(count "$1" 1)) / 3" | bc; }
    iw=$(per_fit fit:1024) iwo=$(per_fit fit-bare:1024)
    echo "fit:1024 $iw instructions with the placeholder, $iwo without: $(echo "scale=2; ($iw - $iwo) * 100 / $iwo" | bc) % added"
fi
described=$(median describe)
header=$(median info)
echo "info: ${header} ms from the header alone, ${described} ms with blurhash, dominant colour, phash and dhash ($(echo "scale=1; $described * 100 / $w" | bc) % of fit:1024)"
for format in jpeg webp avif; do
    line "fit-format:1024:$format" 5
done
