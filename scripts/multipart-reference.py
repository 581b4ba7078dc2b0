#!/usr/bin/env python3
"""Reads multipart bodies with Python's own email package, as an independent
reference for the worker's multipart reader.

Usage: multipart-reference.py DIR
For each DIR/N.body (with its boundary in DIR/N.boundary), prints one line:
N, a tab, then the hex of the first part named "file", or "-" when there is none.
"""
import email.parser
import email.policy
import os
import sys

directory = sys.argv[1]
for name in sorted(f[:-5] for f in os.listdir(directory) if f.endswith(".body")):
    body = open(os.path.join(directory, name + ".body"), "rb").read()
    boundary = open(os.path.join(directory, name + ".boundary"), "rb").read()
    head = b'Content-Type: multipart/form-data; boundary="' + boundary + b'"\r\n\r\n'
    found = "-"
    try:
        message = email.parser.BytesParser(policy=email.policy.HTTP).parsebytes(head + body)
        if message.is_multipart():
            for part in message.iter_parts():
                if part.get_param("name", header="content-disposition") == "file":
                    found = (part.get_payload(decode=True) or b"").hex()
                    break
    except Exception:
        found = "-"
    print(f"{name}\t{found}")
