#!/usr/bin/env python3
"""Writes a JPEG of about SIZE_MB megabytes made of XMP segments full of names that
nearly say GPS (gp, gsp, gpx, g_ps, …) and values that do: the input on which a
scanner that rescans per candidate would show super-linear time.
Usage: make-xmp-flood.py BASE_JPEG OUT SIZE_MB"""
import struct
import sys

base, out, size_mb = sys.argv[1], sys.argv[2], float(sys.argv[3])
jpeg = open(base, "rb").read()
names = ["gp", "gsp", "gpx", "g_ps", "GpZ", "xgp", "pgs", "g-p-s", "gP5"]
body = "".join(f'<n:{name}{i} n:{name}a="gpsgpsgps">gps gps gps</n:{name}{i}>'
               for i in range(400) for name in names)
packet = ('<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
          '<rdf:Description xmlns:n="http://example.com/near-miss/">')
room = 65533 - len(b"http://ns.adobe.com/xap/1.0/\0") - len(packet) - 64
packet += body[:body.rfind("<n:", 0, room)] + "</rdf:Description></rdf:RDF></x:xmpmeta>"
payload = b"http://ns.adobe.com/xap/1.0/\0" + packet.encode()
segment = b"\xff\xe1" + struct.pack(">H", len(payload) + 2) + payload
count = int(size_mb * 1_000_000 / len(segment))
open(out, "wb").write(jpeg[:2] + segment * count + jpeg[2:])
print(f"{out}: {count} XMP segments, {len(jpeg) + count * len(segment)} bytes")
