#!/usr/bin/env python3
"""An HTTP CONNECT proxy for the proxy test, on ADDRESS:PORT: it tunnels to
whatever a CONNECT names (as an egress proxy that resolves names itself would)
and logs each target to LOG, so the test can see what the worker asked for.
Anything but CONNECT gets 405.

Usage: connect-proxy.py ADDRESS PORT LOG
"""
import socket
import sys
import threading

address, port, log = sys.argv[1], int(sys.argv[2]), sys.argv[3]


def pipe(source, sink):
    try:
        while data := source.recv(65536):
            sink.sendall(data)
    except OSError:
        pass
    finally:
        for end in (source, sink):
            try:
                end.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass


def serve(client):
    head = b""
    while b"\r\n\r\n" not in head and len(head) < 8192:
        chunk = client.recv(4096)
        if not chunk:
            client.close()
            return
        head += chunk
    request = head.split(b"\r\n", 1)[0].decode("latin-1")
    method, target = (request.split(" ") + ["", ""])[:2]
    with open(log, "a") as f:
        f.write(f"{method} {target}\n")
    if method != "CONNECT":
        client.sendall(b"HTTP/1.1 405 Method Not Allowed\r\nContent-Length: 0\r\n\r\n")
        client.close()
        return
    host, _, target_port = target.rpartition(":")
    try:
        upstream = socket.create_connection((host.strip("[]"), int(target_port)), timeout=5)
    except OSError:
        client.sendall(b"HTTP/1.1 502 Bad Gateway\r\nContent-Length: 0\r\n\r\n")
        client.close()
        return
    client.sendall(b"HTTP/1.1 200 Connection established\r\n\r\n")
    threading.Thread(target=pipe, args=(upstream, client), daemon=True).start()
    pipe(client, upstream)


listener = socket.create_server((address, port))
open(log, "a").close()  # ready: the log exists once the port is bound
while True:
    connection, _ = listener.accept()
    threading.Thread(target=serve, args=(connection,), daemon=True).start()
