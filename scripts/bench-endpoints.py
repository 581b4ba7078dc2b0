#!/usr/bin/env python3
"""Every endpoint over HTTP (wrk through nginx) beside the same image work in
process (remote-worker-bench), at concurrency 1 and at the number of responders.

Usage: bench-endpoints.py BENCH_BINARY SERVE_BINARY [SECONDS]
Prints a table and writes bench-results.json in the current directory.
"""
import json
import os
import random
import subprocess
import sys
import tempfile
import time
import urllib.request

bench, serve = sys.argv[1], sys.argv[2]
seconds = int(sys.argv[3]) if len(sys.argv) > 3 else 5
here = os.path.dirname(os.path.abspath(__file__))
work = tempfile.mkdtemp(prefix="rw-bench-")


def sh(*args, **kwargs):
    return subprocess.run(args, check=True, capture_output=True, text=True, **kwargs).stdout


def photo(path, width, height, quality=90):
    """A photo-like JPEG or PNG: smooth gradients under fine noise."""
    v = lambda name: os.path.join(work, name)
    sh("vips", "xyz", v("xy.v"), str(width), str(height))
    sh("vips", "linear", v("xy.v"), v("xy8.v"), f"{255 / width} {255 / height}", "0 0", "--uchar")
    sh("vips", "gaussnoise", v("n.v"), str(width), str(height), "--mean", "120", "--sigma", "25")
    sh("vips", "gaussblur", v("n.v"), v("nb.v"), "0.8")
    sh("vips", "cast", v("nb.v"), v("n8.v"), "uchar")
    sh("vips", "bandjoin", f"{v('xy8.v')} {v('n8.v')}", v("rgb.v"))
    sh("vips", "copy", v("rgb.v"), v("srgb.v"), "--interpretation", "srgb")
    if path.endswith(".jpg"):
        # Chroma subsampled 4:2:0, as cameras and phones write them (libvips would keep 4:4:4 at Q90).
        sh("vips", "jpegsave", v("srgb.v"), path, "--Q", str(quality), "--subsample-mode", "on")
    else:
        sh("vips", "bandjoin_const", v("srgb.v"), v("rgba.v"), "200")
        sh("vips", "pngsave", v("rgba.v"), path)
    return path


def inputs():
    files = {}
    files["12MP JPEG, Orientation 6 + GPS"] = photo(os.path.join(work, "12mp.jpg"), 4000, 3000)
    sh("exiftool", "-q", "-overwrite_original", "-n", "-Orientation=6", "-GPSLatitude=52.37",
       "-GPSLatitudeRef=N", "-GPSLongitude=4.89", "-GPSLongitudeRef=E", files["12MP JPEG, Orientation 6 + GPS"])
    files["3MP JPEG"] = photo(os.path.join(work, "3mp.jpg"), 2048, 1536)
    files["2MP PNG with alpha"] = photo(os.path.join(work, "2mp.png"), 1732, 1155)
    files["300x300 JPEG"] = photo(os.path.join(work, "300.jpg"), 300, 300)
    strip = photo(os.path.join(work, "strip.png"), 480, 270 * 30)
    gif = os.path.join(work, "anim.gif")
    sh("vips", "gifsave", strip, gif, "--page-height", "270")
    files["480x270 GIF, 30 frames"] = gif
    return files


def start_stack():
    port = random.randint(20000, 40000)
    env = dict(os.environ, RW_MAX_REQUESTS="1000000", RW_MAX_REQUESTS_JITTER="0")
    stack = subprocess.Popen(["bash", os.path.join(here, "run-local.sh"), serve, os.path.join(work, "run"), str(port)],
                             env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    for _ in range(100):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/ping", timeout=1)
            return stack, port
        except OSError:
            time.sleep(0.1)
    raise SystemExit("the service did not start")


def responder_pids():
    pool = sh("pgrep", "-f", f"serve --listen {work}").split()
    children = []
    for pid in pool:
        with open(f"/proc/{pid}/task/{pid}/children") as f:
            children += f.read().split()
    return children


def fresh_responders(old):
    """SIGHUP replaces every responder, so each case's peak RSS is its own."""
    for pid in sh("pgrep", "-f", f"serve --listen {work}").split():
        os.kill(int(pid), 1)
    for _ in range(100):
        pids = responder_pids()
        if len(pids) == len(old) and not set(pids) & set(old):
            urllib.request.urlopen(f"http://127.0.0.1:{port}/ping", timeout=5)
            return pids
        time.sleep(0.1)
    raise SystemExit("responders were not replaced")


def peak_rss_mb(pids):
    peaks = []
    for pid in pids:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith("VmHWM:"):
                    peaks.append(int(line.split()[1]) / 1024)
    return max(peaks) if peaks else 0.0


def wrk(port, path, file, connections):
    env = dict(os.environ, UPLOAD_FILE=file, UPLOAD_PATH=path)
    out = sh("wrk", "-t", "1", "-c", str(connections), "-d", f"{seconds}s", "--timeout", "30s",
             "-s", os.path.join(here, "wrk-upload.lua"), f"http://127.0.0.1:{port}", env=env)
    return json.loads(out.strip().splitlines()[-1])


def compute_only(operation, file):
    out = sh(bench, operation, file, "10")
    return float(out.split("median_ms=")[1].split()[0])


files = inputs()
cases = []
for name, file in files.items():
    cases.append(("/images/fit/1024", "fit:1024", name, file))
    cases.append(("/images/rescale_avatar", "avatars", name, file))
cases.insert(0, ("/images/prepare_jpeg", "prepare", "12MP JPEG, Orientation 6 + GPS", files["12MP JPEG, Orientation 6 + GPS"]))
cases.insert(0, ("/images/info", "info", "12MP JPEG, Orientation 6 + GPS", files["12MP JPEG, Orientation 6 + GPS"]))

stack, port = start_stack()
pids = responder_pids()
responders = len(pids)
results = []
try:
    for path, operation, name, file in cases:
        compute = compute_only(operation, file)
        pids = fresh_responders(pids)
        one = wrk(port, path, file, 1)
        many = wrk(port, path, file, responders)
        results.append({"endpoint": path, "input": name, "compute_ms": compute, "c1": one,
                        f"c{responders}": many, "ratio_p50": one["p50_ms"] / compute if compute else None,
                        "throughput_gain": many["rps"] / one["rps"] if one["rps"] else None,
                        "peak_rss_mb_per_responder": peak_rss_mb(pids)})
finally:
    stack.terminate()
    stack.wait()

machine = f"{os.cpu_count()} cores, {os.uname().machine}, {os.uname().sysname} {os.uname().release}"
print(f"machine: {machine}; responders: {responders}; {seconds} s per run; wrk through nginx")
print(f"{'endpoint':24} {'input':32} {'compute':>8} {'c1 rps':>7} {'p50':>7} {'p95':>7} {'p99':>7} {'ratio':>6}"
      f" {f'c{responders} rps':>7} {'p50':>7} {'p99':>7} {'gain':>5} {'RSS MB':>7} {'errors':>6}")
for r in results:
    one, many = r["c1"], r[f"c{responders}"]
    print(f"{r['endpoint']:24} {r['input']:32} {r['compute_ms']:8.1f} {one['rps']:7.1f} {one['p50_ms']:7.1f}"
          f" {one['p95_ms']:7.1f} {one['p99_ms']:7.1f} {r['ratio_p50']:6.2f} {many['rps']:7.1f} {many['p50_ms']:7.1f}"
          f" {many['p99_ms']:7.1f} {r['throughput_gain']:5.2f} {r['peak_rss_mb_per_responder']:7.1f}"
          f" {one['errors'] + many['errors']:6d}")
with open("bench-results.json", "w") as f:
    json.dump({"machine": machine, "responders": responders, "seconds": seconds, "results": results}, f, indent=2)
print("wrote bench-results.json")
subprocess.run(["rm", "-rf", work])
