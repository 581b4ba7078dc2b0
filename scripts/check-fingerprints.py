#!/usr/bin/env python3
"""Checks the worker's fingerprints against the reference implementations: for
each image, `remote-worker-bench fingerprints FILE` gives the worker's blurhash,
phash and dhash and the pixels it computed them from; PyPI `blurhash` and
`imagehash` recompute them from the same pixels. blurhash and dhash must be
equal; phash too, except for bits whose DCT value is within 1e-6 of the median
(flat pictures, where any two floating-point DCTs disagree in the last digits).

Usage: check-fingerprints.py BENCH_BINARY FILE... ; prints one line per file
and exits 1 on any difference.
"""
import base64
import json
import subprocess
import sys

import blurhash
import imagehash
import numpy
import scipy.fftpack
from PIL import Image

bench, files = sys.argv[1], sys.argv[2:]
failures = checked = 0
for name in files:
    run = subprocess.run([bench, "fingerprints", name], capture_output=True, text=True)
    if run.returncode != 0:
        print(f"skip {name}: does not decode ({run.stderr.strip()[:80]})")
        continue
    worker = json.loads(run.stdout)
    width, height = worker["tiny_width"], worker["tiny_height"]
    rgb = base64.b64decode(worker["tiny_rgb"])
    pixels = [[list(rgb[(y * width + x) * 3:(y * width + x) * 3 + 3]) for x in range(width)] for y in range(height)]
    expected_blurhash = blurhash.encode(pixels, components_x=4, components_y=3)

    grey32 = Image.frombytes("L", (32, 32), base64.b64decode(worker["phash_grey"]))
    grey9x8 = Image.frombytes("L", (9, 8), base64.b64decode(worker["dhash_grey"]))
    expected_phash = str(imagehash.phash(grey32))
    expected_dhash = str(imagehash.dhash(grey9x8))
    # Which phash bits are decided by more than floating-point noise.
    dct = scipy.fftpack.dct(scipy.fftpack.dct(numpy.asarray(grey32, dtype=float), axis=0), axis=1)[:8, :8].flatten()
    median = numpy.median(dct)
    decisive = int("".join("1" if abs(v - median) > 1e-6 else "0" for v in dct), 2)
    phash_agrees = (int(worker["phash"], 16) ^ int(expected_phash, 16)) & decisive == 0

    problems = []
    if worker["blurhash"] != expected_blurhash:
        problems.append(f"blurhash {worker['blurhash']} != {expected_blurhash}")
    if not phash_agrees:
        problems.append(f"phash {worker['phash']} != {expected_phash}")
    if worker["dhash"] != expected_dhash:
        problems.append(f"dhash {worker['dhash']} != {expected_dhash}")
    checked += 1
    if problems:
        failures += 1
        print(f"DIFF {name}: {'; '.join(problems)}")
    else:
        print(f"same {name}: {worker['blurhash']} {worker['phash']} {worker['dhash']}")
print(f"{checked} images checked, {failures} differ")
sys.exit(1 if failures or checked == 0 else 0)
