#!/usr/bin/env bash
# Generates every image in TestImages/ from nothing but libvips, ImageMagick
# (through vips magicksave), exiftool and apngasm, and writes TestImages/MANIFEST.tsv.
# The images are synthetic: a red-x / green-y gradient with mild noise, so the
# orientation of any output can be read from its corner colours.
set -euo pipefail
cd "$(dirname "$0")/../TestImages"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

rm -f ./*.jpg ./*.png ./*.gif ./*.webp ./*.tif ./*.heic ./*.avif ./*.jp2 ./*.bmp ./*.ico ./*.icns ./*.psd ./*.svg ./*.pcx ./*.txt ./*.bin
manifest=MANIFEST.tsv
printf 'file\tmime\twidth\theight\tframes\torientation\tdisplay_width\tdisplay_height\tgps\tstatus\tcode\tnotes\n' > "$manifest"
row() { printf '%s\n' "$(IFS=$'\t'; echo "$*")" >> "$manifest"; }

# base W H OUT: the synthetic photo, 8-bit sRGB.
base() {
    vips xyz "$work/xy.v" "$1" "$2"
    vips linear "$work/xy.v" "$work/xy8.v" "$(echo "255/$1" | bc -l) $(echo "255/$2" | bc -l)" "0 0" --uchar
    vips gaussnoise "$work/n.v" "$1" "$2" --mean 110 --sigma 3
    vips cast "$work/n.v" "$work/n8.v" uchar
    vips bandjoin "$work/xy8.v $work/n8.v" "$work/rgb.v"
    vips copy "$work/rgb.v" "$3" --interpretation srgb
}
base 1024 683 "$work/large.v"
base 320 213 "$work/small.v"
vips copy "$work/small.v" "$work/small.png"

# JPEG: a camera-like photo, every orientation, GPS, and decoder variants.
vips jpegsave "$work/large.v" photo-1024x683.jpg --Q 85 --strip
exiftool -q -overwrite_original -Make=Synthetic -Model=Gradient -DateTimeOriginal="2024:05:01 10:00:00" photo-1024x683.jpg
row photo-1024x683.jpg image/jpeg 1024 683 1 1 1024 683 no 200 - "all six avatars"
for o in 1 2 3 4 5 6 7 8; do
    vips jpegsave "$work/small.v" "orientation-$o.jpg" --Q 85 --strip
    exiftool -q -overwrite_original -n -Orientation=$o "orientation-$o.jpg"
    if [ $o -ge 5 ]; then dw=213 dh=320; else dw=320 dh=213; fi
    row "orientation-$o.jpg" image/jpeg 320 213 1 $o $dw $dh no 200 - "EXIF Orientation $o"
done
cp orientation-1.jpg gps-tagged.jpg
exiftool -q -overwrite_original -GPSLatitude=48.8584 -GPSLatitudeRef=N -GPSLongitude=2.2945 -GPSLongitudeRef=E \
    -GPSAltitude=35 -XMP-exif:GPSLatitude=48.8584 -XMP-exif:GPSLongitude=2.2945 gps-tagged.jpg
row gps-tagged.jpg image/jpeg 320 213 1 1 320 213 yes 200 - "GPS in EXIF and XMP"
cp orientation-6.jpg gps-tagged-orientation-6.jpg
exiftool -q -overwrite_original -GPSLatitude=51.5007 -GPSLatitudeRef=N -GPSLongitude=0.1246 -GPSLongitudeRef=W gps-tagged-orientation-6.jpg
row gps-tagged-orientation-6.jpg image/jpeg 320 213 1 6 213 320 yes 200 - "GPS and Orientation 6"
vips jpegsave "$work/small.v" icc-comment-gps.jpg --Q 85 --profile srgb
exiftool -q -overwrite_original -Comment="taken on holiday" -Make=Synthetic -Orientation=8 -n \
    -GPSLatitude=40.6892 -GPSLatitudeRef=N -GPSLongitude=74.0445 -GPSLongitudeRef=W icc-comment-gps.jpg
row icc-comment-gps.jpg image/jpeg 320 213 1 8 213 320 yes 200 - "sRGB ICC profile, comment, GPS, Orientation 8"
vips jpegsave "$work/small.v" progressive.jpg --Q 85 --strip --interlace
row progressive.jpg image/jpeg 320 213 1 1 320 213 no 200 - "progressive scans"
vips colourspace "$work/small.v" "$work/grey.v" b-w
vips jpegsave "$work/grey.v" greyscale.jpg --Q 85 --strip
row greyscale.jpg image/jpeg 320 213 1 1 320 213 no 200 - "one channel"
vips colourspace "$work/small.v" "$work/cmyk.v" cmyk
vips jpegsave "$work/cmyk.v" cmyk.jpg --Q 85 --strip
row cmyk.jpg image/jpeg 320 213 1 1 320 213 no 200 - "CMYK, no profile"
vips black "$work/one.v" 1 1 --bands 3
vips jpegsave "$work/one.v" tiny-1x1.jpg --strip
row tiny-1x1.jpg image/jpeg 1 1 1 1 1 1 no 200 - "smallest possible"

# PNG variants.
vips copy "$work/small.png" plain.png
row plain.png image/png 320 213 1 1 320 213 no 200 - "RGB"
vips bandjoin_const "$work/small.v" "$work/alpha.v" 128
vips pngsave "$work/alpha.v" alpha.png --strip
row alpha.png image/png 320 213 1 1 320 213 no 200 - "half-transparent RGBA"
vips pngsave "$work/small.v" palette.png --palette --strip
row palette.png image/png 320 213 1 1 320 213 no 200 - "8-bit palette"
vips pngsave "$work/small.v" interlaced.png --interlace --strip
row interlaced.png image/png 320 213 1 1 320 213 no 200 - "Adam7"
vips colourspace "$work/small.v" "$work/rgb16.v" rgb16
vips pngsave "$work/rgb16.v" sixteen-bit.png --strip
row sixteen-bit.png image/png 320 213 1 1 320 213 no 200 - "16 bits per channel"
vips black "$work/wide.v" 2000 3 --bands 3
vips pngsave "$work/wide.v" wide-2000x3.png --strip
row wide-2000x3.png image/png 2000 3 1 1 2000 3 no 200 - "extreme aspect ratio"
vips pngsave "$work/one.v" tiny-1x1.png --strip
row tiny-1x1.png image/png 1 1 1 1 1 1 no 200 - "smallest possible"

# GIF, WebP, TIFF, HEIC, AVIF, JPEG 2000.
vips gifsave "$work/small.v" still.gif
row still.gif image/gif 320 213 1 1 320 213 no 200 - "single frame"
for i in 0 1 2; do vips linear "$work/small.v" "$work/f$i.v" 1 $((i * 40)) --uchar; done
# Frames stacked vertically with a page-height make an animation for libvips' savers.
vips join "$work/f0.v" "$work/f1.v" "$work/f01.v" vertical
vips join "$work/f01.v" "$work/f2.v" "$work/strip.v" vertical
vips copy "$work/strip.v" "$work/anim.v" --interpretation srgb
vips gifsave "$work/anim.v" animated-3-frames.gif --page-height 213 2>/dev/null \
    || { vips copy "$work/anim.v" "$work/anim.png"; vips gifsave "$work/anim.png[page-height=213]" animated-3-frames.gif; }
row animated-3-frames.gif image/gif 320 213 3 1 320 213 no 200 - "three frames"
vips webpsave "$work/anim.v" animated-3-frames.webp --page-height 213 --Q 70 2>/dev/null \
    || vips webpsave "$work/anim.png[page-height=213]" animated-3-frames.webp --Q 70
row animated-3-frames.webp image/webp 320 213 3 1 320 213 no 200 - "three frames"
# APNG: apngasm joins the frames; 15/100 s each, looping forever.
for i in 0 1 2; do vips copy "$work/f$i.v" "$work/f$i.png"; done
apngasm animated-3-frames-apng.png "$work/f0.png" "$work/f1.png" "$work/f2.png" 15 100 >/dev/null
row animated-3-frames-apng.png image/png 320 213 3 1 320 213 no 200 - "APNG, three frames"
vips webpsave "$work/small.v" still.webp --Q 80 --strip
row still.webp image/webp 320 213 1 1 320 213 no 200 - "lossy"
vips tiffsave "$work/small.v" lzw.tif --compression lzw --strip
row lzw.tif image/tiff 320 213 1 1 320 213 no 200 - "LZW"
cp lzw.tif orientation-6.tif
exiftool -q -overwrite_original -n -Orientation=6 orientation-6.tif
row orientation-6.tif image/tiff 320 213 1 6 213 320 no 200 - "TIFF Orientation 6"
vips heifsave "$work/small.v" photo.heic --compression hevc --Q 60 --strip
row photo.heic image/heic 320 213 1 1 320 213 no 200 - "HEVC"
vips heifsave "$work/small.v" photo.avif --compression av1 --Q 60 --strip
row photo.avif image/avif 320 213 1 1 320 213 no 200 - "AV1"
vips jp2ksave "$work/small.v" photo.jp2 --Q 40
row photo.jp2 image/jp2 320 213 1 1 320 213 no 200 - "JPEG 2000"

# Formats written through ImageMagick: BMP, PSD, a bitmap ICO.
vips magicksave "$work/small.v" photo.bmp --format bmp3
row photo.bmp image/bmp 320 213 1 1 320 213 no 200 - "24-bit BMP"
# ImageMagick's 8-bit PSD writer makes files its own reader refuses; its default (16-bit) is sound.
vips thumbnail "$work/small.png" "$work/psd-source.png" 160
vips magicksave "$work/psd-source.png" photo.psd --format psd
row photo.psd image/vnd.adobe.photoshop 160 107 1 1 160 107 no 200 - "flat 16-bit PSD"
vips thumbnail "$work/small.png" "$work/sq64.png" 64 --height 64 --crop centre
vips magicksave "$work/sq64.png" bitmap-64.ico --format ico
row bitmap-64.ico image/vnd.microsoft.icon 64 64 1 1 64 64 no 200 - "one bitmap entry"

# A multi-size ICO and an ICNS assembled from PNG entries.
for s in 16 48 128; do vips thumbnail "$work/small.png" "$work/sq$s.png" $s --height $s --crop centre; done
le16() { printf "\\x$(printf %02x $(($1 & 255)))\\x$(printf %02x $(($1 >> 8 & 255)))"; }
le32() { le16 $(($1 & 65535)); le16 $(($1 >> 16)); }
be32() { printf "\\x$(printf %02x $(($1 >> 24 & 255)))\\x$(printf %02x $(($1 >> 16 & 255)))\\x$(printf %02x $(($1 >> 8 & 255)))\\x$(printf %02x $(($1 & 255)))"; }
{
    printf '\x00\x00\x01\x00'; le16 3
    offset=$((6 + 16 * 3))
    for s in 16 48 128; do
        size=$(stat -c %s "$work/sq$s.png")
        printf "\\x$(printf %02x $s)\\x$(printf %02x $s)\\x00\\x00"; le16 1; le16 32; le32 "$size"; le32 "$offset"
        offset=$((offset + size))
    done
    for s in 16 48 128; do cat "$work/sq$s.png"; done
} > multi-size.ico
row multi-size.ico image/vnd.microsoft.icon 128 128 1 1 128 128 no 200 - "PNG entries 16/48/128: the largest is used"
vips thumbnail "$work/large.v" "$work/sq512.png" 512 --height 512 --crop centre
{
    total=8
    for f in sq128 sq512; do total=$((total + 8 + $(stat -c %s "$work/$f.png"))); done
    printf 'icns'; be32 $total
    printf 'ic07'; be32 $((8 + $(stat -c %s "$work/sq128.png"))); cat "$work/sq128.png"
    printf 'ic09'; be32 $((8 + $(stat -c %s "$work/sq512.png"))); cat "$work/sq512.png"
} > icon.icns
row icon.icns image/x-icns 512 512 1 1 512 512 no 200 - "PNG entries 128/512: the largest is used"

# SVG, hand-written.
cat > logo.svg <<'SVG'
<svg xmlns="http://www.w3.org/2000/svg" width="300" height="150" viewBox="0 0 300 150">
  <rect x="10" y="10" width="280" height="130" rx="20" fill="#3366cc"/>
  <circle cx="150" cy="75" r="50" fill="#ffcc00"/>
</svg>
SVG
row logo.svg image/svg+xml 300 150 1 1 300 150 no 200 - "vector, non-square"
cat > viewbox-only.svg <<'SVG'
<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 120 60"><rect width="120" height="60" fill="#cc3366"/></svg>
SVG
row viewbox-only.svg image/svg+xml 120 60 1 1 120 60 no 200 - "size from viewBox"

# Hostile and broken input.
: > empty.bin
row empty.bin - - - - - - - no 400 no_file "zero bytes"
printf 'This is a text file, not an image.\n' > text-named.jpg
row text-named.jpg - - - - - - - no 400 unsupported_type "text with an image name"
vips magicksave "$work/sq64.png" unsupported.pcx --format pcx
row unsupported.pcx - - - - - - - no 400 unsupported_type "PCX is not accepted"
head -c $(($(stat -c %s photo-1024x683.jpg) * 4 / 10)) photo-1024x683.jpg > truncated.jpg
row truncated.jpg image/jpeg 1024 683 1 1 1024 683 no 400 corrupt_image "first 40% of a JPEG"
head -c $(($(stat -c %s plain.png) / 2)) plain.png > truncated.png
row truncated.png image/png 320 213 1 1 320 213 no 400 corrupt_image "IDAT cut short"
vips black "$work/huge.v" 10000 10000
vips pngsave "$work/huge.v" pixel-bomb-10000x10000.png --bitdepth 1 --compression 9 --strip
row pixel-bomb-10000x10000.png image/png 10000 10000 1 1 10000 10000 no 422 too_many_pixels "100 Mpx in a few KB"
# A progressive JPEG whose last scan repeats 150 times: each costs a full decoding pass.
python3 - progressive.jpg scan-bomb.jpg <<'PY'
import sys
data = open(sys.argv[1], "rb").read()
last_scan = data.rfind(b"\xff\xda")
eoi = data.rfind(b"\xff\xd9")
open(sys.argv[2], "wb").write(data[:eoi] + data[last_scan:eoi] * 150 + data[eoi:])
PY
row scan-bomb.jpg image/jpeg 320 213 1 1 320 213 no 422 too_many_frames "progressive JPEG of 160 scans"
# The same with bytes before each scan that libjpeg skips with a warning: they must not stop the count.
python3 - scan-bomb.jpg scan-bomb-junk.jpg <<'PY'
import sys
data = open(sys.argv[1], "rb").read()
first = data.index(b"\xff\xda")
open(sys.argv[2], "wb").write(data[:first] + data[first:].replace(b"\xff\xda", b"\x00\x11\x22\xff\xda"))
PY
# An SVG whose <image> carries a raster: librsvg would hand it to gdk-pixbuf, outside our list.
printf '<svg xmlns="http://www.w3.org/2000/svg" width="64" height="64"><image width="64" height="64" href="data:image/png;base64,%s"/></svg>\n' \
    "$(base64 -w0 tiny-1x1.png)" > svg-embedded-image.svg
row svg-embedded-image.svg image/svg+xml 64 64 1 1 64 64 no 400 unsupported_type "SVG <image> with a PNG inside"
row scan-bomb-junk.jpg image/jpeg 320 213 1 1 320 213 no 422 too_many_frames "160 scans with junk bytes before each"

echo "wrote $(($(wc -l < "$manifest") - 1)) images to TestImages/"
bash ../scripts/make-location-images.sh
