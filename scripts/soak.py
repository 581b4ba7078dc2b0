#!/usr/bin/env python3
"""Soak: thousands of requests at concurrency 8 through nginx, about one in ten
hostile, while responders are killed at random. Checks every answer, samples
every responder's memory, and prints the figures.

Usage: soak.py SERVE_BINARY [REQUESTS]
Exits non-zero if a good request did not get its correct answer, a hostile one
got anything but its expected refusal, a responder outgrew the memory ceiling,
or the pool did not end with all its responders.
"""
import base64
import http.client
import json
import os
import random
import subprocess
import sys
import tempfile
import threading
import time
import uuid

serve = sys.argv[1]
total = int(sys.argv[2]) if len(sys.argv) > 2 else 5000
concurrency = 8
responders = 2
ceiling_mb = 1024
here = os.path.dirname(os.path.abspath(__file__))
images = os.path.join(os.path.dirname(here), "TestImages")
work = tempfile.mkdtemp(prefix="rw-soak-")


def manifest():
    with open(os.path.join(images, "MANIFEST.tsv")) as f:
        header, *lines = f.read().splitlines()
    names = header.split("\t")
    return [dict(zip(names, line.split("\t"))) for line in lines if line]


def expected_fit(width, height, box):
    if width <= box and height <= box:
        return width, height
    if width >= height:
        return box, max(1, round(height * box / width))
    return max(1, round(width * box / height)), box


rows = manifest()
good = [r for r in rows if r["status"] == "200" and r["mime"] in ("image/jpeg", "image/png", "image/gif", "image/webp")]
hostile = [r for r in rows if r["status"] != "200"]
for row in rows:
    with open(os.path.join(images, row["file"]), "rb") as f:
        row["data"] = f.read()


def multipart(data):
    boundary = uuid.uuid4().hex
    body = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"u\"\r\n"
            "Content-Type: application/octet-stream\r\n\r\n").encode() + data + f"\r\n--{boundary}--\r\n".encode()
    return body, f"multipart/form-data; boundary={boundary}"


def post(port, path, data):
    body, content_type = multipart(data)
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    try:
        connection.request("POST", path, body, {"Content-Type": content_type})
        response = connection.getresponse()
        return response.status, response.read(), response.getheader("Retry-After")
    finally:
        connection.close()


def check_good(row, status, body):
    """The fit of a good image: 200, the JSON shape, and the promised size."""
    if status != 200:
        return False
    answer = json.loads(body)
    width, height = expected_fit(int(row["display_width"]), int(row["display_height"]), 64)
    return (answer.get("success") is True and abs(answer.get("width", 0) - width) <= 1
            and abs(answer.get("height", 0) - height) <= 1 and len(base64.b64decode(answer["output"])) > 0)


counts = {"good": 0, "good_correct": 0, "good_retried": 0, "good_wrong": 0,
          "hostile": 0, "hostile_expected": 0, "hostile_wrong": 0}
wrong = []
lock = threading.Lock()
queue = list(range(total))
random.seed(7)


def worker(port):
    while True:
        with lock:
            if not queue:
                return
            queue.pop()
        is_hostile = random.random() < 0.1
        row = random.choice(hostile if is_hostile else good)
        # A request in flight on a killed responder gets nginx's JSON 503 with Retry-After,
        # as a client would see it; it is retried the way the forum retries.
        for attempt in range(5):
            status, body, retry_after = post(port, "/images/fit/64", row["data"])
            if status != 503 or retry_after is None:
                break
            if not is_hostile:
                with lock:
                    counts["good_retried"] += 1
            time.sleep(0.05)
        with lock:
            if is_hostile:
                counts["hostile"] += 1
                code = json.loads(body).get("code") if body.startswith(b"{") else None
                if status == int(row["status"]) and code == row["code"]:
                    counts["hostile_expected"] += 1
                else:
                    counts["hostile_wrong"] += 1
                    wrong.append((row["file"], status, body[:200]))
            else:
                counts["good"] += 1
                if check_good(row, status, body):
                    counts["good_correct"] += 1
                else:
                    counts["good_wrong"] += 1
                    wrong.append((row["file"], status, body[:200]))


def children(pool_pid):
    try:
        with open(f"/proc/{pool_pid}/task/{pool_pid}/children") as f:
            return [int(p) for p in f.read().split()]
    except OSError:
        return []


def rss_mb(pid):
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


port = random.randint(20000, 40000)
env = dict(os.environ, RW_RESPONDERS=str(responders), RW_MEMORY_LIMIT_MB=str(ceiling_mb))
# The stack runs while this process holds its standard input open.
stack = subprocess.Popen(["bash", os.path.join(here, "test-stack.sh"), serve, os.path.join(work, "run"), str(port)],
                         env=env, stdin=subprocess.PIPE, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
for _ in range(100):
    try:
        status, _, _ = post(port, "/images/info", rows[0]["data"])
        break
    except OSError:
        time.sleep(0.1)
with open(os.path.join(work, "run", "pool.pid")) as f:
    pool_pid = int(f.read())

done = threading.Event()
kills = []
peak_rss = [0.0]


def killer():
    """Kills a random responder every 0.3 to 1.5 s."""
    while not done.wait(random.uniform(0.3, 1.5)):
        pids = children(pool_pid)
        if pids:
            victim = random.choice(pids)
            try:
                os.kill(victim, 9)
                kills.append(victim)
            except ProcessLookupError:
                pass


def sampler():
    while not done.wait(0.05):
        for pid in children(pool_pid):
            peak_rss[0] = max(peak_rss[0], rss_mb(pid))


started = time.time()
helpers = [threading.Thread(target=killer), threading.Thread(target=sampler)]
workers = [threading.Thread(target=worker, args=(port,)) for _ in range(concurrency)]
for thread in helpers + workers:
    thread.start()
for thread in workers:
    thread.join()
done.set()
for thread in helpers:
    thread.join()
elapsed = time.time() - started

time.sleep(1.5)
final = children(pool_pid)
healthy = sum(1 for _ in range(responders * 3) if post(port, "/images/info", rows[0]["data"])[0] == 200)
stack.stdin.close()
stack.wait(timeout=30)

print(f"soak: {total} requests at concurrency {concurrency} in {elapsed:.1f} s ({total / elapsed:.0f} req/s), "
      f"{responders} responders, {len(kills)} killed at random")
print(f"  good:    {counts['good']} sent, {counts['good_correct']} correct, {counts['good_wrong']} wrong, "
      f"{counts['good_retried']} retries after a killed responder's 503")
print(f"  hostile: {counts['hostile']} sent, {counts['hostile_expected']} got their expected refusal, "
      f"{counts['hostile_wrong']} did not")
print(f"  peak RSS of any responder: {peak_rss[0]:.0f} MB (ceiling {ceiling_mb} MB)")
print(f"  pool at the end: {len(final)} of {responders} responders, {healthy} of {responders * 3} checks answered")
for item in wrong[:10]:
    print("  wrong:", item)
ok = (counts["good_wrong"] == 0 and counts["hostile_wrong"] == 0 and peak_rss[0] < ceiling_mb
      and len(final) == responders and healthy == responders * 3)
print("soak:", "passed" if ok else "FAILED")
sys.exit(0 if ok else 1)
