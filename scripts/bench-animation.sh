#!/usr/bin/env bash
# Time and peak memory of one cold run per operation on a 500-frame 480x270 GIF.
# Usage: bench-animation.sh BENCH_BINARY
set -euo pipefail
bench=$1
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# 500 frames of 480x270: a repeating gradient, so the GIF stays small enough to build quickly.
vips xyz "$work/xy.v" 480 135000
vips remainder_const "$work/xy.v" "$work/r.v" 256
vips cast "$work/r.v" "$work/u.v" uchar
vips extract_band "$work/u.v" "$work/a.v" 0
vips extract_band "$work/u.v" "$work/b.v" 1
vips bandjoin "$work/a.v $work/b.v $work/a.v" "$work/rgb.v"
vips copy "$work/rgb.v" "$work/s.v" --interpretation srgb
vips gifsave "$work/s.v" "$work/anim500.gif" --page-height 270
echo "input: 500-frame 480x270 GIF, $(stat -c %s "$work/anim500.gif") bytes; machine: $(nproc) cores, $(uname -m)"
for operation in info fit-animated:200 avatars-animated; do
    "$bench" "$operation" "$work/anim500.gif" 0
done

# Avatar sizes against the source: 30 frames of 480x270 photo with fresh grain in every
# frame (every pixel changes, as in a video clip), made into a GIF by libvips.
here=$(dirname "$0")
vips thumbnail "$here/../TestImages/photo-1024x683.jpg" "$work/base.v" 480 --height 270 --crop centre
frames=""
for i in $(seq 0 29); do
    vips gaussnoise "$work/n$i.v" 480 270 --sigma 8 --mean 0
    vips add "$work/base.v" "$work/n$i.v" "$work/g$i.v"
    vips cast "$work/g$i.v" "$work/g$i.png" uchar
    frames="$frames $work/g$i.png"
done
vips arrayjoin "${frames# }" "$work/grain-strip.png" --across 1
vips copy "$work/grain-strip.png" "$work/grain.gif[page-height=270]"
echo "input: 30-frame 480x270 GIF with grain, $(stat -c %s "$work/grain.gif") bytes"
"$bench" avatars-animated "$work/grain.gif" 3

