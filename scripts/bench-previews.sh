#!/usr/bin/env bash
# Link previews under a crowd, through nginx and the preview pool as built in release:
# SLOW (500) previews in flight against a site that drips its answer for 8 s, beside
# previews of a fast site at 20 a second; then a hundred members opening one link at
# once, and a second wave from nginx's cache. Every origin is on loopback
# (scripts/hostile-origin.py on 127.0.0.3 and 127.0.0.4), the only addresses allowed.
# Usage: bench-previews.sh REMOTE_WORKER_BINARY [SLOW]
set -euo pipefail
binary=$1 slow=${2:-500}
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d /tmp/rw-bench-previews.XXXXXX)
origin_port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
stack_port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
python3 "$here/hostile-origin.py" "$work/visits.log" "$work/forum-port" "127.0.0.3:$origin_port" "127.0.0.4:$origin_port" &
origin=$!
exec 3> >(RW_PREVIEW_ALLOW=127.0.0.3,127.0.0.4 RW_PREVIEW_PORTS=80,443,$origin_port RW_PREVIEW_PER_HOST=1000 \
    bash "$here/test-stack.sh" "$binary" "$work/stack" "$stack_port" --responders 1 > /dev/null 2>&1)
trap 'exec 3>&-; kill $origin 2>/dev/null; sleep 1; rm -rf "$work"' EXIT
for _ in $(seq 300); do curl -s -o /dev/null "http://127.0.0.1:$stack_port/ping" && break; sleep 0.1; done
supervisor=$(cat "$work/stack/preview.pid")
pids=$(tr ' ' ',' < "/proc/$supervisor/task/$supervisor/children")

echo "== $slow previews dripping for 8 s, a fast site previewed 20 times a second for 10 s (2 fetchers)"
python3 "$here/preview-load.py" "$stack_port" "http://127.0.0.3:$origin_port/drip?seconds=8" "$slow" \
    "http://127.0.0.4:$origin_port/fast.html" 20 10 --pids "$supervisor,${pids%,}" > "$work/load.json"
python3 - "$work/load.json" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
f, s = r["fast"], r["slow"]
print("fast previews: %d/%d ok, p50 %s ms, p99 %s ms, max %s ms" % (f["ok"], f["count"], f["p50_ms"], f["p99_ms"], f["max_ms"]))
print("slow previews: %d in flight, answers %s" % (s["count"], s["statuses"]))
print("preview pool (supervisor and fetchers): peak RSS %s MB, CPU %s s in %s s" % (r["peak_rss_mb"], r["cpu_seconds"], r["wall_seconds"]))
PY

echo "== 100 concurrent GET /links/preview for one link, then 100 more from the cache"
python3 - "$stack_port" "http://127.0.0.4:$origin_port/fast.html?one-link" "$work/visits.log" <<'PY'
import asyncio, sys, time, urllib.parse
port, link, visits = int(sys.argv[1]), sys.argv[2], sys.argv[3]
path = "/links/preview?url=" + urllib.parse.quote(link, safe="")
async def get():
    started = time.monotonic()
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    writer.write(f"GET {path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n".encode())
    answer = await reader.read()
    writer.close()
    return answer.split(b" ", 2)[1], (b"X-Preview-Cache: HIT" in answer), time.monotonic() - started
async def wave():
    return await asyncio.gather(*[get() for _ in range(100)])
first = asyncio.run(wave())
fetches = sum(1 for line in open(visits) if "one-link" in line)
second = asyncio.run(wave())
ms = sorted(s * 1000 for _, _, s in second)
print(f"first wave: {sum(1 for st, _, _ in first if st == b'200')}/100 answered 200; the origin saw {fetches} fetch(es)")
print(f"second wave: {sum(1 for _, hit, _ in second if hit)}/100 from the cache (this client's own p50 {ms[50]:.1f} ms)")
PY
# The cached answer's latency, measured by wrk (2 threads, 100 connections, 5 s).
link=$(python3 -c 'import sys, urllib.parse; print(urllib.parse.quote(sys.argv[1], safe=""))' "http://127.0.0.4:$origin_port/fast.html?one-link")
wrk -t2 -c100 -d5s --latency "http://127.0.0.1:$stack_port/links/preview?url=$link" | sed -n '/Latency Distribution/,/99%/p;/Requests\/sec/p'
echo "origin fetches of the link in all: $(grep -c one-link "$work/visits.log")"
