#!/usr/bin/env python3
"""A FastCGI peer that behaves as nginx never would, for tests of the pool's
own socket: silent, stalled half-way through a body, or sending at a set rate.

Usage:
  fastcgi-peer.py silent HOST PORT
  fastcgi-peer.py stall HOST PORT             (declares 1000 body bytes, sends 10)
  fastcgi-peer.py slow HOST PORT FILE URI BYTES_PER_SECOND
  fastcgi-peer.py get HOST PORT URI           (a plain GET, as a stray client would send it)

Prints one JSON object: seconds until the pool answered or closed, the HTTP
status it wrote (0 for none), and the body it wrote.
"""
import json
import socket
import struct
import sys
import time
import uuid

BEGIN, PARAMS, STDIN, STDOUT, END = 1, 4, 5, 6, 3


def record(kind, content):
    padding = (8 - len(content) % 8) % 8
    return struct.pack(">BBHHBB", 1, kind, 1, len(content), padding, 0) + content + b"\0" * padding


def pair(name, value):
    def length(n):
        return bytes([n]) if n < 128 else struct.pack(">I", n | 0x80000000)
    return length(len(name)) + length(len(value)) + name + value


def head(method, uri, content_type, content_length):
    params = b"".join(pair(k.encode(), v.encode()) for k, v in {
        "REQUEST_METHOD": method, "DOCUMENT_URI": uri, "REQUEST_URI": uri, "QUERY_STRING": "",
        "CONTENT_TYPE": content_type, "CONTENT_LENGTH": str(content_length), "REQUEST_ID": uuid.uuid4().hex,
    }.items())
    return record(BEGIN, struct.pack(">HB5x", 1, 0)) + record(PARAMS, params) + record(PARAMS, b"")


def stdin_records(data):
    return b"".join(record(STDIN, data[i:i + 65535]) for i in range(0, len(data), 65535))


def answer(sock, started):
    """Reads until the pool closes; returns the status and body of what it wrote."""
    raw = b""
    sock.settimeout(120)
    while True:
        try:
            chunk = sock.recv(65536)
        except ConnectionResetError:
            break
        if not chunk:
            break
        raw += chunk
    seconds = time.monotonic() - started
    out, offset = b"", 0
    while offset + 8 <= len(raw):
        _, kind, _, length, padding, _ = struct.unpack(">BBHHBB", raw[offset:offset + 8])
        if kind == STDOUT:
            out += raw[offset + 8:offset + 8 + length]
        offset += 8 + length + padding
    headers, _, body = out.partition(b"\r\n\r\n")
    status = 0
    for line in headers.split(b"\r\n"):
        if line.lower().startswith(b"status:"):
            status = int(line.split()[1])
    return {"seconds": round(seconds, 3), "status": status, "body": body.decode("utf-8", "replace")}


def main():
    mode, host, port = sys.argv[1], sys.argv[2], int(sys.argv[3])
    sock = socket.create_connection((host, port))
    started = time.monotonic()
    if mode == "get":
        sock.sendall(head("GET", sys.argv[4], "", 0) + record(STDIN, b""))
    elif mode == "stall":
        sock.sendall(head("POST", "/images/info", "multipart/form-data; boundary=x", 1000))
        sock.sendall(record(STDIN, b"--x\r\nContent"))
    elif mode == "slow":
        path, uri, rate = sys.argv[4], sys.argv[5], int(sys.argv[6])
        with open(path, "rb") as f:
            data = f.read()
        boundary = uuid.uuid4().hex
        body = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"u\"\r\n\r\n").encode() \
            + data + f"\r\n--{boundary}--\r\n".encode()
        sock.sendall(head("POST", uri, f"multipart/form-data; boundary={boundary}", len(body)))
        payload = stdin_records(body) + record(STDIN, b"")
        step = max(1, rate // 20)
        for offset in range(0, len(payload), step):
            sock.sendall(payload[offset:offset + step])
            time.sleep(step / rate)
    print(json.dumps(answer(sock, started)))


main()
