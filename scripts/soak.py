#!/usr/bin/env python3
"""Soak: thousands of requests at concurrency 8 through nginx, about one in ten
hostile images and one in twenty poison bodies, while responders are killed at
random, the pool reloads every second or so, and slow uploads (1 MB/s) run
throughout. Checks every answer, samples every responder's memory, and prints
the figures.

Usage: soak.py SERVE_BINARY [REQUESTS]
Exits non-zero if a good request was lost (it did not get its correct answer the
first time, unless it got 503 while a responder was being killed from outside),
a hostile one got anything but its expected refusal, a poison body anything but
a JSON 4xx, a responder crashed, one outgrew the memory ceiling, or the pool did
not end with all its responders.
"""
import base64
import http.client
import json
import os
import random
import signal
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


def poison_bodies():
    """Forms built to break a multipart reader: (content type, body)."""
    crlf = b"\r\n"
    rng = random.Random(11)
    family = [
        ("multipart/form-data; boundary=a--a", b"---a--a--a" + crlf + b"\x80: x" + crlf + crlf),
        ("multipart/form-data; boundary=a--a", b"--a--a--a--a--" + crlf),
        ("multipart/form-data; boundary=aa", b"--aa--aa" + crlf + b"--aa" + crlf),
        ("multipart/form-data; boundary=-", b"-----" + crlf + b"---" + crlf),
        ("multipart/form-data; boundary=x", b"--x\r\nContent-Disposition: form-data; name=\"file\"\r\n\r\n\xff\xd8\xff"),
        ("multipart/form-data; boundary=x", b"--x\r\nContent-Disposition: form-data; name=\"file\"" + b"A" * 70000),
        ("multipart/form-data; boundary=x", b"--x\r\n\r\n\r\n" * 5000 + b"--x--\r\n"),
        ("multipart/form-data", b"--x\r\n\r\n--x--"),
        ("multipart/form-data; boundary=" + "b" * 200, b"--b\r\n"),
        ("text/plain", b"hello"),
    ]
    for length in (1, 17, 300, 4096):
        family.append(("multipart/form-data; boundary=zz", b"--zz\r\n" + bytes(rng.randrange(256) for _ in range(length))))
    return family


poison = poison_bodies()


def post_raw(port, path, body, content_type):
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    try:
        connection.request("POST", path, body, {"Content-Type": content_type})
        response = connection.getresponse()
        return response.status, response.read()
    finally:
        connection.close()


def post_slowly(port, path, data, rate):
    """A multipart upload sent at `rate` bytes a second, as a member on a slow line."""
    body, content_type = multipart(data)
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    try:
        connection.putrequest("POST", path)
        connection.putheader("Content-Type", content_type)
        connection.putheader("Content-Length", str(len(body)))
        connection.endheaders()
        step = rate // 20
        for offset in range(0, len(body), step):
            connection.send(body[offset:offset + step])
            time.sleep(0.05)
        response = connection.getresponse()
        return response.status, response.read()
    finally:
        connection.close()


counts = {"good": 0, "good_correct": 0, "good_retried": 0, "good_lost": 0,
          "hostile": 0, "hostile_expected": 0, "hostile_wrong": 0,
          "poison": 0, "poison_refused": 0, "poison_wrong": 0,
          "slow": 0, "slow_correct": 0, "reloads": 0}
wrong = []
lock = threading.Lock()
queue = list(range(total))
random.seed(7)


def killed_between(start, end):
    """Whether the killer struck while a request was in flight (a kill is logged just before it lands)."""
    with lock:
        return any(start - 0.05 <= moment <= end + 0.05 for moment in kill_times)


def is_json_refusal(status, body):
    if not 400 <= status < 500 or not body.startswith(b"{"):
        return False
    answer = json.loads(body)
    return answer.get("success") is False and isinstance(answer.get("code"), str)


def worker(port):
    while True:
        with lock:
            if not queue:
                return
            queue.pop()
        roll = random.random()
        if roll < 0.05:
            content_type, body = random.choice(poison)
            path = random.choice(["/images/fit/64", "/images/info", "/images/prepare_jpeg", "/images/rescale_avatar"])
            for attempt in range(5):
                started = time.monotonic()
                status, answer = post_raw(port, path, body, content_type)
                if status != 503 or not killed_between(started, time.monotonic()):
                    break
            with lock:
                counts["poison"] += 1
                if is_json_refusal(status, answer):
                    counts["poison_refused"] += 1
                else:
                    counts["poison_wrong"] += 1
                    wrong.append(("poison", status, answer[:200]))
            continue
        is_hostile = roll < 0.15
        row = random.choice(hostile if is_hostile else good)
        # A request in flight on a responder killed from outside gets nginx's JSON 503 with
        # Retry-After, as a client would see it; it is retried the way the forum retries.
        # Any other first answer that is not the right one is a lost request.
        for attempt in range(5):
            started = time.monotonic()
            status, body, retry_after = post(port, "/images/fit/64", row["data"])
            excused = status == 503 and retry_after is not None and killed_between(started, time.monotonic())
            if not excused:
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
                    counts["good_lost"] += 1
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
kill_times = []
peak_rss = [0.0]
# About 2.9 MB of noise: each slow upload takes about three seconds at 1 MB/s.
noise_path = os.path.join(work, "noise.png")
subprocess.run(["vips", "gaussnoise", noise_path, "1800", "1800"], check=True)
with open(noise_path, "rb") as f:
    noise = {"file": "noise.png", "data": f.read(), "display_width": "1800", "display_height": "1800"}


def killer():
    """Kills a random responder every 0.3 to 1.5 s."""
    while not done.wait(random.uniform(0.3, 1.5)):
        pids = children(pool_pid)
        if pids:
            victim = random.choice(pids)
            with lock:
                kill_times.append(time.monotonic())
            try:
                os.kill(victim, 9)
                kills.append(victim)
            except ProcessLookupError:
                pass


def reloader():
    """SIGHUP to the pool every 0.5 to 2 s: every responder is replaced while requests run."""
    while not done.wait(random.uniform(0.5, 2.0)):
        os.kill(pool_pid, signal.SIGHUP)
        with lock:
            counts["reloads"] += 1


def slow_uploader(port):
    """Slow uploads back to back, each answered correctly the first time, reloads or not."""
    while not done.is_set():
        started = time.monotonic()
        status, body = post_slowly(port, "/images/fit/64", noise["data"], 1_000_000)
        excused = status == 503 and killed_between(started, time.monotonic())
        with lock:
            counts["slow"] += 1
            if check_good(noise, status, body):
                counts["slow_correct"] += 1
            elif not excused:
                counts["good_lost"] += 1
                wrong.append(("slow upload", status, body[:200]))


def sampler():
    while not done.wait(0.05):
        for pid in children(pool_pid):
            peak_rss[0] = max(peak_rss[0], rss_mb(pid))


started = time.time()
helpers = [threading.Thread(target=killer), threading.Thread(target=sampler), threading.Thread(target=reloader),
           threading.Thread(target=slow_uploader, args=(port,)), threading.Thread(target=slow_uploader, args=(port,))]
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
with open(os.path.join(work, "run", "logs", "pool.log"), errors="replace") as f:
    crash_lines = [line for line in f if "responder crashed while serving a request" in line]
stack.stdin.close()
stack.wait(timeout=30)

print(f"soak: {total} requests at concurrency {concurrency} in {elapsed:.1f} s ({total / elapsed:.0f} req/s), "
      f"{responders} responders, {len(kills)} killed at random, {counts['reloads']} reloads")
print(f"  good:    {counts['good']} sent, {counts['good_correct']} correct, "
      f"{counts['good_retried']} retries after a 503 while a responder was killed from outside")
print(f"  slow:    {counts['slow']} uploads at 1 MB/s, {counts['slow_correct']} correct")
print(f"  lost:    {counts['good_lost']} good requests without their correct answer the first time")
print(f"  hostile: {counts['hostile']} sent, {counts['hostile_expected']} got their expected refusal, "
      f"{counts['hostile_wrong']} did not")
print(f"  poison:  {counts['poison']} bodies sent, {counts['poison_refused']} got a JSON 4xx, "
      f"{counts['poison_wrong']} did not; {len(crash_lines)} responders crashed")
print(f"  peak RSS of any responder: {peak_rss[0]:.0f} MB (ceiling {ceiling_mb} MB)")
print(f"  pool at the end: {len(final)} of {responders} responders, {healthy} of {responders * 3} checks answered")
for item in wrong[:10]:
    print("  wrong:", item)
for line in crash_lines[:5]:
    print("  crash:", line.strip())
ok = (counts["good_lost"] == 0 and counts["hostile_wrong"] == 0 and counts["poison_wrong"] == 0
      and not crash_lines and counts["slow"] > 0 and peak_rss[0] < ceiling_mb
      and len(final) == responders and healthy == responders * 3)
print("soak:", "passed" if ok else "FAILED")
sys.exit(0 if ok else 1)
