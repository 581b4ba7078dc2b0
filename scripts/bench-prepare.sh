#!/usr/bin/env bash
# prepare_jpeg on a 12-megapixel photo-like JPEG, against the tools it replaces.
# Usage: bench-prepare.sh BENCH_BINARY SERVE_BINARY
# Prints one line per measurement: in-process (no HTTP), end to end through
# nginx, and exiftool / jhead / jpegtran on the same files.
set -euo pipefail
bench=$1 serve=$2
work=$(mktemp -d)
trap 'kill -TERM $(cat "$work/stack.pids" 2>/dev/null) 2>/dev/null; sleep 0.5; rm -rf "$work"' EXIT

# A 4000x3000 photo-like image: smooth gradients and fine noise, JPEG quality 90, 4:2:0 as cameras write.
vips xyz "$work/xy.v" 4000 3000
vips linear "$work/xy.v" "$work/xy8.v" "0.06 0.085" "0 0" --uchar
vips gaussnoise "$work/n.v" 4000 3000 --mean 120 --sigma 25
vips gaussblur "$work/n.v" "$work/nb.v" 0.8
vips cast "$work/nb.v" "$work/n8.v" uchar
vips bandjoin "$work/xy8.v $work/n8.v" "$work/rgb.v"
vips copy "$work/rgb.v" "$work/rgb2.v" --interpretation srgb
vips jpegsave "$work/rgb2.v" "$work/upright.jpg" --Q 90 --subsample-mode on
exiftool -q -overwrite_original -Make=Bench -Model=Synthetic -GPSLatitude=52.37 -GPSLatitudeRef=N \
    -GPSLongitude=4.89 -GPSLongitudeRef=E "$work/upright.jpg"
cp "$work/upright.jpg" "$work/rotated.jpg"
exiftool -q -overwrite_original -n -Orientation=6 "$work/rotated.jpg"
# The service itself, as `make run` starts it, on a spare port.
port=$((20000 + RANDOM % 20000))
bash "$(dirname "$0")/run-local.sh" "$serve" "$work/run" "$port" > "$work/stack.log" 2>&1 &
echo $! > "$work/stack.pids"
for _ in $(seq 100); do curl -fs "http://127.0.0.1:$port/ping" >/dev/null 2>&1 && break; sleep 0.1; done

echo "input: 4000x3000 JPEG Q90, $(stat -c %s "$work/rotated.jpg") bytes, GPS in EXIF; machine: $(nproc) cores, $(uname -m)"

for file in rotated upright; do
    echo "== $file ($( [ $file = rotated ] && echo 'Orientation 6 + GPS' || echo 'Orientation 1 + GPS'))"
    "$bench" prepare "$work/$file.jpg" 15 | sed 's/^/in-process prepare_jpeg: /'
    hyperfine -N --warmup 2 --runs 15 --style none --export-json "$work/h.json" \
        "curl -fs -o /dev/null -F file=@$work/$file.jpg http://127.0.0.1:$port/images/prepare_jpeg?simple=1" >/dev/null 2>&1 || true
    python3 -c "import json;r=json.load(open('$work/h.json'))['results'][0];print('curl -> nginx -> prepare_jpeg?simple=1: median_ms=%.2f' % (r['median']*1000))"
    hyperfine -N --warmup 2 --runs 10 --style none --export-json "$work/h.json" \
        "exiftool -q -gps:all= -xmp:geotag= -o - $work/$file.jpg" >/dev/null 2>&1 || true
    python3 -c "import json;r=json.load(open('$work/h.json'))['results'][0];print('exiftool -gps:all= -xmp:geotag=: median_ms=%.2f' % (r['median']*1000))"
    hyperfine -N --warmup 2 --runs 10 --style none --prepare "cp $work/$file.jpg $work/jhead.jpg" --export-json "$work/h.json" \
        "jhead -q -autorot $work/jhead.jpg" >/dev/null 2>&1 || true
    python3 -c "import json;r=json.load(open('$work/h.json'))['results'][0];print('jhead -autorot: median_ms=%.2f' % (r['median']*1000))"
    if [ $file = rotated ]; then
        hyperfine -N --warmup 2 --runs 10 --style none --export-json "$work/h.json" \
            "jpegtran -rotate 90 -trim -copy all -outfile $work/jt.jpg $work/$file.jpg" >/dev/null 2>&1 || true
        python3 -c "import json;r=json.load(open('$work/h.json'))['results'][0];print('jpegtran -rotate 90 -trim -copy all: median_ms=%.2f' % (r['median']*1000))"
    fi
done

# Linear time: 20 MB of XMP segments full of names that nearly say GPS, against one copy of 20 MB.
python3 "$(dirname "$0")/make-xmp-flood.py" "$(dirname "$0")/../TestImages/tiny-1x1.jpg" "$work/flood.jpg" 20
flood=$("$bench" prepare "$work/flood.jpg" 5)
copy=$("$bench" copy "$work/flood.jpg" 5)
echo "in-process prepare_jpeg on 20 MB of near-miss XMP: $flood"
echo "one copy of the same 20 MB: $copy"
python3 -c "import re,sys;m=lambda t: float(re.search(r'median_ms=([0-9.]+)', t).group(1));print('prepare / copy = %.1f' % (m(sys.argv[1]) / m(sys.argv[2])))" "$flood" "$copy"

