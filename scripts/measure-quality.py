#!/usr/bin/env python3
"""Chooses the WebP and AVIF qualities that match the JPEG Q85 output's visual
quality, by measurement: each photo is fitted to 1024 pixels (the reference,
lossless), encoded as the worker encodes (libvips' savers with the worker's
options, through the vips command), decoded again, and compared with the
reference by SSIM (scikit-image). The chosen quality per format is the lowest
whose median SSIM difference to JPEG Q85 is not below zero. Also times the AVIF
encoder's efforts on a 12 MP photo, for the speed setting.

Photos: ../shared/corpus/camera and orientation when present, and generated
ones (smooth gradients under noise, as the endpoint benchmark makes them).

Usage: measure-quality.py [MAX_PHOTOS]   (prints a table; needs scikit-image)
"""
import glob
import os
import statistics
import subprocess
import sys
import tempfile
import time

import numpy
from PIL import Image
from skimage.metrics import structural_similarity

here = os.path.dirname(os.path.abspath(__file__))
corpus = os.path.join(os.path.dirname(os.path.dirname(here)), "shared", "corpus")
work = tempfile.mkdtemp(prefix="rw-quality-")
max_photos = int(sys.argv[1]) if len(sys.argv) > 1 else 14


def vips(*args):
    subprocess.run(["vips", *args], check=True, capture_output=True)


def size_of(path):
    out = subprocess.run(["vipsheader", "-f", "width", path], capture_output=True, text=True)
    out2 = subprocess.run(["vipsheader", "-f", "height", path], capture_output=True, text=True)
    try:
        return int(out.stdout), int(out2.stdout)
    except ValueError:
        return 0, 0


def generated(name, width, height, seed):
    v = lambda suffix: os.path.join(work, f"{name}-{suffix}")
    vips("xyz", v("xy.v"), str(width), str(height))
    vips("linear", v("xy.v"), v("xy8.v"), f"{255 / width} {255 / height}", "0 0", "--uchar")
    vips("perlin", v("p.v"), str(width), str(height), "--cell-size", "96", "--uchar", "--seed", str(seed))
    vips("bandjoin", f"{v('xy8.v')} {v('p.v')}", v("rgb.v"))
    path = os.path.join(work, f"{name}.jpg")
    vips("copy", v("rgb.v"), path + "[Q=92]", "--interpretation", "srgb")
    return path


photos = []
for folder in ("camera", "orientation"):
    for path in sorted(glob.glob(os.path.join(corpus, folder, "*"))):
        width, height = size_of(path)
        if min(width, height) >= 400:
            photos.append(path)
photos = photos[:max_photos] + [generated(f"gen{seed}", 3000, 2000, seed) for seed in (1, 2)]


def pixels(path):
    png = path + ".png"
    vips("copy", path, png)
    return numpy.asarray(Image.open(png).convert("RGB"))


# The worker's AVIF effort (libvips; aom speed = 9 - effort), chosen from the table below.
AVIF_EFFORT = 1


def encode(reference, fmt, quality, effort=AVIF_EFFORT):
    out = os.path.join(work, f"out-{fmt}-{quality}-{effort}.{ {'jpeg': 'jpg', 'webp': 'webp', 'avif': 'avif'}[fmt] }")
    if fmt == "jpeg":
        vips("jpegsave", reference, out, "--Q", str(quality), "--optimize-coding", "--strip")
    elif fmt == "webp":
        vips("webpsave", reference, out, "--Q", str(quality), "--effort", "4", "--strip")
    else:
        vips("heifsave", reference, out, "--Q", str(quality), "--compression", "av1", "--effort", str(effort), "--strip")
    return out


grid = {"webp": list(range(60, 96, 5)), "avif": list(range(50, 91, 5))}
ssim = {("jpeg", 85): [], **{(fmt, q): [] for fmt, qs in grid.items() for q in qs}}
sizes = {key: [] for key in ssim}
for index, photo in enumerate(photos):
    reference = os.path.join(work, f"ref{index}.png")
    vips("thumbnail", photo, reference, "1024")
    original = pixels(reference)
    for (fmt, quality) in ssim:
        out = encode(reference, fmt, quality)
        ssim[(fmt, quality)].append(structural_similarity(original, pixels(out), channel_axis=2, data_range=255))
        sizes[(fmt, quality)].append(os.path.getsize(out))
    print(f"measured {os.path.basename(photo)}", file=sys.stderr)

jpeg = ssim[("jpeg", 85)]
print(f"{len(photos)} photos fitted to 1024 px; SSIM against the lossless reference (scikit-image)")
print(f"JPEG Q85: median SSIM {statistics.median(jpeg):.4f}, {sum(sizes[('jpeg', 85)]) / len(photos) / 1024:.1f} KB a photo")
print("| format | Q | median SSIM | median SSIM − JPEG Q85 | bytes / JPEG Q85 |")
print("|---|---|---|---|---|")
chosen = {}
for fmt, qualities in grid.items():
    for quality in qualities:
        differences = [a - b for a, b in zip(ssim[(fmt, quality)], jpeg)]
        ratio = sum(sizes[(fmt, quality)]) / sum(sizes[("jpeg", 85)])
        print(f"| {fmt} | {quality} | {statistics.median(ssim[(fmt, quality)]):.4f} | {statistics.median(differences):+.4f} | {ratio:.2f} |")
        if fmt not in chosen and statistics.median(differences) >= 0:
            chosen[fmt] = (quality, ratio)
for fmt, (quality, ratio) in chosen.items():
    print(f"chosen {fmt}: Q{quality} ({ratio:.2f}× the bytes of JPEG Q85 at equal or better median SSIM)")

# AVIF's speed: each effort on a 12 MP photo, one encode each.
big = generated("12mp", 4000, 3000, 7)
print("| AVIF effort (libvips; aom speed = 9 − effort) | 12 MP encode s | bytes | median SSIM − JPEG Q85 at 1024 px |")
print("|---|---|---|---|")
for effort in (0, 1, 2, 3, 4):
    quality = chosen.get("avif", (75, 0))[0]
    started = time.monotonic()
    out = encode(big, "avif", quality, effort)
    seconds = time.monotonic() - started
    differences = []
    for index in range(min(6, len(photos))):
        reference = os.path.join(work, f"ref{index}.png")
        differences.append(structural_similarity(pixels(reference), pixels(encode(reference, "avif", quality, effort)),
                                                 channel_axis=2, data_range=255) - jpeg[index])
    print(f"| {effort} | {seconds:.1f} | {os.path.getsize(out)} | {statistics.median(differences):+.4f} |")
