#!/usr/bin/env python3
"""Origins that misbehave, for link-preview tests and benchmarks: a slow drip, a
slow redirect chain, a page that sends the worker back to the forum's own
/links/preview, HTML without a Content-Type, a Location too long to keep, and a
plain fast card. Listens on each ADDRESS:PORT given (loopback addresses only);
every request is logged to LOG as one JSON line when it ends (path, seconds,
bytes sent, whether the client went away first).

Usage: hostile-origin.py LOG FORUM_PORT_FILE ADDRESS:PORT [ADDRESS:PORT...]

FORUM_PORT_FILE holds the port of the forum's nginx on 127.0.0.1, read when
/links/preview is asked: this origin plays the forum's public site there.
"""
import http.client
import json
import sys
import threading
import time
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

log_path, forum_port_file = sys.argv[1:3]
listen = [(a.rsplit(":", 1)[0], int(a.rsplit(":", 1)[1])) for a in sys.argv[3:]]
log_lock = threading.Lock()

CARD = b"""<!doctype html><html><head><meta charset="utf-8"><title>Fast card</title>
<meta property="og:description" content="A page that answers at once."></head><body>x</body></html>"""


class Origin(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def do_GET(self):
        started = time.monotonic()
        self.sent = 0
        aborted = False
        url = urllib.parse.urlsplit(self.path)
        query = urllib.parse.parse_qs(url.query)
        try:
            self.route(url.path, query)
        except (BrokenPipeError, ConnectionResetError):
            aborted = True
        with log_lock, open(log_path, "a") as log:
            log.write(json.dumps({"path": self.path, "host": self.server.server_address[0], "via": self.headers.get("Via"),
                                  "seconds": round(time.monotonic() - started, 3), "sent": self.sent,
                                  "aborted": aborted}) + "\n")

    def head(self, status, headers):
        self.send_response(status)
        for name, value in headers:
            self.send_header(name, value)
        self.end_headers()

    def body(self, data):
        self.wfile.write(data)
        self.wfile.flush()
        self.sent += len(data)

    def route(self, path, query):
        here = f"http://{self.server.server_address[0]}:{self.server.server_address[1]}"
        if path == "/fast.html":
            self.head(200, [("Content-Type", "text/html; charset=utf-8"), ("Content-Length", str(len(CARD)))])
            self.body(CARD)
        elif path == "/drip":
            # The head of a page, a byte every tenth of a second, for `seconds`.
            seconds = float(query.get("seconds", ["8"])[0])
            self.head(200, [("Content-Type", "text/html"), ("Connection", "close")])
            self.body(b"<!doctype html><html><head>")
            end = time.monotonic() + seconds
            while time.monotonic() < end:
                time.sleep(0.1)
                self.body(b" ")
            self.body(b"<title>Drip</title></head><body></body></html>")
            self.close_connection = True
        elif path.startswith("/chain/"):
            # Every hop answers after `delay` seconds: a chain that is slow only in total.
            hop = int(path.rsplit("/", 1)[1])
            time.sleep(float(query.get("delay", ["1.5"])[0]))
            target = f"/chain/{hop + 1}?delay={query.get('delay', ['1.5'])[0]}" if hop < 9 else "/fast.html"
            self.head(302, [("Location", target), ("Content-Length", "0")])
        elif path == "/untyped":
            # 8 MiB of tiny elements and no Content-Type: read as HTML, it meets the HTML cap.
            chunk = b"<a>x>" * 13108
            self.head(200, [("Content-Length", str(len(chunk) * 128))])
            for _ in range(128):
                self.body(chunk)
        elif path == "/long-location":
            self.head(302, [("Location", "/fast.html?" + "a" * 3000), ("Content-Length", "0")])
        elif path in ("/loop", "/loop2"):
            # Sends the worker to the forum's own preview route, with the other page of the two as
            # the link: each previews the other, forever, unless the worker knows its own request.
            link = urllib.parse.quote(f"{here}/{'loop2' if path == '/loop' else 'loop'}", safe="")
            self.head(302, [("Location", f"{here}/links/preview?url={link}"), ("Content-Length", "0")])
        elif path == "/links/preview":
            self.forward()
        else:
            self.head(404, [("Content-Length", "0")])

    def forward(self):
        """The forum's public site: /links/preview passed to the worker's nginx, headers and all."""
        with open(forum_port_file) as f:
            port = int(f.read().strip())
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        headers = {name: value for name, value in self.headers.items() if name.lower() not in ("host", "connection")}
        connection.request("GET", self.path, headers=headers)
        answer = connection.getresponse()
        data = answer.read()
        self.head(answer.status, [("Content-Type", answer.getheader("Content-Type", "application/json")),
                                  ("Content-Length", str(len(data)))])
        self.body(data)


class Server(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 2048


servers = [Server(address, Origin) for address in listen]
for server in servers[1:]:
    threading.Thread(target=server.serve_forever, daemon=True).start()
open(log_path, "a").close()  # ready: the log exists once every port is bound
servers[0].serve_forever()
