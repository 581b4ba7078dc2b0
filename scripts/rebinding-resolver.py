#!/usr/bin/env python3
"""A DNS server for the rebinding test, on ADDRESS:53 (UDP): the first A query
for a name under rebind.test gets FIRST, every later one SECOND, TTL 0 (the
attack: a name that passes a check, then points inside). AAAA queries get no
answer. Each NAME=ADDR given after LOG always answers ADDR (for names that do
not change). Other names get NXDOMAIN. Each query is logged to LOG as
"TYPE NAME ANSWER" (ANSWER "-" for NXDOMAIN or no answer).

Usage: rebinding-resolver.py ADDRESS FIRST SECOND LOG [NAME=ADDR...]
"""
import socket
import struct
import sys

address, first, second, log = sys.argv[1:5]
fixed = dict(item.lower().split("=", 1) for item in sys.argv[5:])
server = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
server.bind((address, 53))
open(log, "a").close()  # ready: the log exists once the port is bound
answered = 0


def name_of(packet, offset):
    labels = []
    while packet[offset] != 0:
        length = packet[offset]
        labels.append(packet[offset + 1:offset + 1 + length].decode("ascii", "replace"))
        offset += 1 + length
    return ".".join(labels).lower(), offset + 1


while True:
    packet, peer = server.recvfrom(512)
    if len(packet) < 17:
        continue
    ident, flags = struct.unpack("!HH", packet[:4])
    name, end = name_of(packet, 12)
    qtype, qclass = struct.unpack("!HH", packet[end:end + 4])
    question = packet[12:end + 4]
    answers = b""
    rcode = 0
    target = None
    if name == "rebind.test" or name.endswith(".rebind.test"):
        if qtype == 1:
            target = first if answered == 0 else second
            answered += 1
    elif name in fixed:
        if qtype == 1:
            target = fixed[name]
    else:
        rcode = 3
    if target:
        answers = b"\xc0\x0c" + struct.pack("!HHIH", 1, 1, 0, 4) + socket.inet_aton(target)
    if qtype == 1 and (target or rcode):
        with open(log, "a") as f:
            f.write(f"A {name} {target or '-'}\n")
    header = struct.pack("!HHHHHH", ident, 0x8180 | rcode, 1, 1 if answers else 0, 0, 0)
    server.sendto(header + question + answers, peer)
