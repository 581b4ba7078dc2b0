#!/usr/bin/env python3
"""Link previews under a crowd: SLOW previews of a slow link held in flight at once
through nginx, and beside them previews of a fast link at RATE a second for SECONDS
(each preview another page of its site, so nginx's cache answers none of them).
Prints one JSON object: the fast previews' count, successes, latency percentiles
(ms), the slow ones' statuses, and (with --pids) the peak resident memory of those
processes together, sampled every 0.2 s, and the CPU time they used.

Usage: preview-load.py PORT SLOW_LINK SLOW FAST_LINK RATE SECONDS [--pids PID,PID...]
           [--header NAME:VALUE]...
"""
import asyncio
import json
import os
import sys
import time
import urllib.parse

port, slow_link, slow_count, fast_link, rate, seconds = sys.argv[1:7]
slow_count, rate, seconds = int(slow_count), float(rate), float(seconds)
pids, headers = [], []
rest = sys.argv[7:]
while rest:
    flag, value, rest = rest[0], rest[1], rest[2:]
    if flag == "--pids":
        pids = [int(p) for p in value.split(",") if p]
    elif flag == "--header":
        headers.append(value)


async def preview(link, timeout=60):
    """Status and seconds of one GET /links/preview through nginx (0 when no answer came)."""
    started = time.monotonic()
    try:
        reader, writer = await asyncio.open_connection("127.0.0.1", int(port))
        path = "/links/preview?url=" + urllib.parse.quote(link, safe="")
        extra = "".join(f"{h}\r\n" for h in headers)
        writer.write(f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\n{extra}Connection: close\r\n\r\n".encode())
        await writer.drain()
        answer = await asyncio.wait_for(reader.read(), timeout)
        writer.close()
        status = int(answer.split(b" ", 2)[1]) if answer.startswith(b"HTTP/") else 0
    except (OSError, asyncio.TimeoutError, ValueError, IndexError):
        status = 0
    return status, time.monotonic() - started


def cpu_seconds(pid):
    """User and system time of a process so far."""
    try:
        with open(f"/proc/{pid}/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    except (OSError, IndexError, ValueError):
        return 0.0


def resident_kib(pid):
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


async def main():
    peak = 0
    done = False

    async def sample():
        nonlocal peak
        while not done:
            peak = max(peak, sum(resident_kib(pid) for pid in pids))
            await asyncio.sleep(0.2)

    cpu_before = sum(cpu_seconds(pid) for pid in pids)
    wall_before = time.monotonic()
    sampler = asyncio.create_task(sample())
    # Each slow link another page of the slow site too: every one a fetch of its own.
    separator = "&" if "?" in slow_link else "?"
    slow = [asyncio.create_task(preview(f"{slow_link}{separator}n={i}")) for i in range(slow_count)]
    # The slow ones reach the fetchers first.
    await asyncio.sleep(1.0)
    fast = []
    start = time.monotonic()
    sent = 0
    while time.monotonic() - start < seconds:
        # Each fast link is another page of the fast site, so nginx's cache never answers it.
        separator = "&" if "?" in fast_link else "?"
        fast.append(asyncio.create_task(preview(f"{fast_link}{separator}n={sent}-{time.time()}")))
        sent += 1
        await asyncio.sleep(max(0, start + sent / rate - time.monotonic()))
    fast_results = await asyncio.gather(*fast)
    slow_results = await asyncio.gather(*slow)
    done = True
    await sampler
    cpu = sum(cpu_seconds(pid) for pid in pids) - cpu_before
    wall = time.monotonic() - wall_before
    latencies = sorted(s * 1000 for status, s in fast_results if status == 200)

    def percentile(p):
        return round(latencies[min(len(latencies) - 1, int(p * len(latencies)))], 1) if latencies else None

    statuses = {}
    for status, _ in slow_results:
        statuses[str(status)] = statuses.get(str(status), 0) + 1
    print(json.dumps({
        "fast": {"count": len(fast_results), "ok": len(latencies), "p50_ms": percentile(0.5), "p99_ms": percentile(0.99),
                 "max_ms": round(latencies[-1], 1) if latencies else None},
        "slow": {"count": slow_count, "statuses": statuses},
        "peak_rss_mb": round(peak / 1024, 1),
        "cpu_seconds": round(cpu, 2), "wall_seconds": round(wall, 2),
    }))


asyncio.run(main())
