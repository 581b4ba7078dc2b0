#!/usr/bin/env python3
"""Derives the responders' system-call allow-list by measurement: runs a pool
under `strace -ff`, sends every file of TestImages/ (and ../shared/corpus/ when
present) to every endpoint, with and without ?animated=1 and in WebP and AVIF, and lists the calls
each responder made from its first wait for a connection on: what serving
requests needs, after start-up.

With --previews it measures the link fetchers instead: the preview pool fetches
pages, redirects, oEmbed answers, images (fitted by the image pool), compressed and
oversized bodies, a TLS origin and a name that needs the resolver, from an origin
this script starts on 127.0.0.2 (allowed for the run with RW_PREVIEW_ALLOW).

Usage: derive-syscalls.py SERVE_BINARY > Sources/CSandbox/responder_syscalls.inc
       derive-syscalls.py --previews SERVE_BINARY > Sources/CSandbox/fetcher_syscalls.inc
"""
import glob
import http.client
import json
import os
import re
import subprocess
import sys
import tempfile
import time
import urllib.parse
import uuid

previews = sys.argv[1] == "--previews"
serve = os.path.abspath(sys.argv[-1])
here = os.path.dirname(os.path.abspath(__file__))
root = os.path.dirname(here)
work = tempfile.mkdtemp(prefix="rw-syscalls-")
trace = os.path.join(work, "trace")
wrapper = os.path.join(work, "serve-under-strace")
with open(wrapper, "w") as f:
    # One trace per pool (the image pool and the preview pool both start through this).
    f.write(f"#!/bin/sh\nexec strace -f -qq -o {trace}.$$ {serve} \"$@\"\n")
os.chmod(wrapper, 0o755)

port = 30000 + os.getpid() % 20000
if previews:
    origin_port = port + 1
    os.environ["RW_PREVIEW_ALLOW"] = "127.0.0.2"
    os.environ["RW_PREVIEW_PORTS"] = f"80,443,{origin_port},{origin_port + 1}"
    subprocess.run([sys.executable, os.path.join(here, "preview-origin.py"), work, str(origin_port)], check=True)
    # Names go to a resolver of the run's own (the fetchers' resolver threads are part of
    # what they need); the machine's resolver is never asked.
    resolver_log = os.path.join(work, "resolver.log")
    resolver = subprocess.Popen([sys.executable, os.path.join(here, "rebinding-resolver.py"), "127.83.0.54",
                                 "127.0.0.2", "127.0.0.2", resolver_log, "card.example.com=127.0.0.2"])
    while not os.path.exists(resolver_log):
        time.sleep(0.05)
    with open(os.path.join(work, "resolv.conf"), "w") as f:
        f.write("nameserver 127.83.0.54\noptions timeout:1 attempts:1\n")
command = ["bash", os.path.join(here, "test-stack.sh"), wrapper, os.path.join(work, "run"), str(port),
           "--responders", "2", "--max-requests", "400"]
if previews:
    command = ["unshare", "--mount", "--propagation", "private", "bash", os.path.join(here, "with-resolv-conf.sh"),
               os.path.join(work, "resolv.conf")] + command
stack = subprocess.Popen(command,
                         stdin=subprocess.PIPE, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def request(method, path, body=None, content_type=None):
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    try:
        headers = {"Content-Type": content_type} if content_type else {}
        connection.request(method, path, body, headers)
        return connection.getresponse().read()
    finally:
        connection.close()


for _ in range(300):
    try:
        request("GET", "/ping")
        break
    except OSError:
        time.sleep(0.2)

if previews:
    base = f"http://127.0.0.2:{origin_port}"
    links = [base + p for p in ("/card.html", "/redirect", "/pic.png", "/latin1.html", "/big.html", "/bomb.html", "/image-page.html", "/sjis.html",
                                "/text.txt", "/missing", "/to-loopback", "/cp1251.html", "/bom.html")]
    links += [f"https://127.0.0.2:{origin_port + 1}/card.html", f"http://card.example.com:{origin_port}/card.html",
              "http://missing.example.com/", "http://localhost/", "http://name.invalid/"]
    for link in links:
        request("GET", "/links/preview?url=" + urllib.parse.quote(link, safe=""))
        request("POST", "/links/preview", json.dumps({"url": link}).encode(), "application/json")
    request("GET", "/links/preview")
else:
    files = sorted(glob.glob(os.path.join(root, "TestImages", "**", "*"), recursive=True))
    files += sorted(glob.glob(os.path.join(os.path.dirname(root), "shared", "corpus", "**", "*"), recursive=True))
    paths = ["/images/info", "/images/fit/200", "/images/fit/200?animated=1", "/images/fit/200?simple=1",
             "/images/rescale_avatar", "/images/rescale_avatar?animated=1", "/images/prepare_jpeg",
             "/images/fit/200?format=webp", "/images/fit/200?format=avif", "/images/rescale_avatar?format=webp"]
    for name in files:
        if not os.path.isfile(name) or name.endswith((".tsv", ".md", ".txt", ".py", ".sh")):
            continue
        with open(name, "rb") as f:
            data = f.read()
        boundary = uuid.uuid4().hex
        body = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"u\"\r\n\r\n").encode() \
            + data + f"\r\n--{boundary}--\r\n".encode()
        for path in paths:
            request("POST", path, body, f"multipart/form-data; boundary={boundary}")
    for path in ["/ping", "/status", "/metrics", "/hello", "/", "/nowhere"]:
        request("GET", path)
stack.stdin.close()
stack.wait(timeout=60)
# strace detaches rather than passing the stop on: end whatever still runs from this work directory.
subprocess.run(["pkill", "-f", work], check=False)
if previews:
    resolver.terminate()

# One chronological file, each line "PID call(...)". A thread belongs to the process
# that cloned it with CLONE_THREAD; a responder is a process that executed "respond";
# it serves from its main thread's first wait for a connection on (ppoll for a responder,
# which libfcgi serves one request at a time; epoll_pwait for a fetcher's event loop).
calls = set()
process_of = {}
responders = set()
serving = set()
paths = set()
pending_thread = {}
line_pattern = re.compile(r"^(\d+) +(?:<\.\.\. )?([a-z0-9_]+)[( ]")
for line in (line for name in sorted(glob.glob(trace + ".*")) for line in open(name, errors="replace")):
    match = line_pattern.match(line)
    if not match:
        continue
    pid, call = int(match.group(1)), match.group(2)
    process = process_of.setdefault(pid, pid)
    # A thread's clone may be cut in two lines ("<unfinished ...>", then "resumed"): the
    # flags are on the first, the new thread's id on the second.
    if call in ("clone", "clone3") and ("CLONE_THREAD" in line or pending_thread.pop(pid, False)):
        child = re.search(r"= (\d+)$", line.strip())
        if child:
            process_of[int(child.group(1))] = process
        elif "<unfinished" in line:
            pending_thread[pid] = True
    if call == "execve" and ('remote-worker-preview"' in line if previews else '"respond"' in line):
        responders.add(process)
    if process in responders and pid == process and call == ("epoll_pwait" if previews else "ppoll"):
        serving.add(process)
    if process in serving:
        calls.add(call)
        opened = re.search(r'(?:openat\(AT_FDCWD|open\(|access\(|newfstatat\(AT_FDCWD|readlink\(), "([^"]+)"', line)
        if opened:
            paths.add(opened.group(1))
responders = len(responders)
# The files responders looked at while serving, for the Landlock read rules (on stderr).
for path in sorted(paths):
    print(path, file=sys.stderr)

# Seen only as the pool stops or from the filter's own refusals; never allowed as such
# (tgkill within the process is, by argument, in the filter itself).
for refused in ("kill", "tkill"):
    calls.discard(refused)

print("// Generated by scripts/derive-syscalls.py from a measured run; regenerate, do not edit.")
if previews:
    calls.discard("socket")  # decided by argument in the filter itself
    print(f"// {responders} fetchers made previews of pages, redirects, images, compressed, oversized and TLS links.")
else:
    print(f"// {responders} responders served every file of TestImages/ and the shared corpus on every endpoint.")
print("// Included inside the filter's builder, with ALLOW(name) defined there.")
for name in sorted(calls):
    print(f"#ifdef __NR_{name}\nALLOW({name})\n#endif")
