#!/usr/bin/env python3
"""A fixture origin for link previews: nginx serving pages with OpenGraph,
Twitter and oEmbed tags, redirects (some into loopback and cloud metadata),
slow, endless and oversized bodies, a gzip bomb, non-UTF-8 charsets, images,
broken HTML and a TLS port with a certificate nobody trusts.

Listens on 127.0.0.2:PORT (http) and 127.0.0.2:PORT+1 (https); the same pages on
127.0.0.1:PORT, with an access log of their own (loopback.log), so a test can
prove that nothing ever reached loopback. Starts nginx in the background and
returns; `nginx.pid` in DIR/origin names it.

Usage: preview-origin.py DIR PORT
"""
import gzip
import os
import shutil
import subprocess
import sys

work, port = sys.argv[1], int(sys.argv[2])
here = os.path.dirname(os.path.abspath(__file__))
images = os.path.join(os.path.dirname(here), "TestImages")
origin = os.path.join(work, "origin")
root = os.path.join(origin, "root")
os.makedirs(root, exist_ok=True)
base = f"http://127.0.0.2:{port}"


def page(name, text, encoding="utf-8"):
    with open(os.path.join(root, name), "wb") as f:
        f.write(text.encode(encoding))


page("card.html", f"""<!doctype html><html><head><meta charset="utf-8">
<title>Plain title</title>
<meta property="og:title" content="  A fixture   card &amp; more ">
<meta property="og:description" content="What the card says.">
<meta property="og:site_name" content="Fixture Site">
<meta property="og:type" content="article">
<meta property="og:locale" content="en_GB">
<meta property="og:image" content="/photo.jpg">
<meta property="og:image:width" content="1024">
<meta name="twitter:title" content="Twitter title, not used">
<link rel="canonical" href="/canonical">
<link rel="alternate" type="application/json+oembed" href="/oembed.json">
<link rel="alternate" type="text/xml+oembed" href="/oembed.xml">
</head><body><p>hello</p></body></html>""")
page("twitter.html", """<html><head><title>T</title>
<meta name="twitter:title" content="Only Twitter">
<meta name="twitter:description" content="Twitter's description">
<meta name="twitter:image" content="gps.jpg">
</head><body></body></html>""")
page("plain.html", """<html><head><title>
  Just a   title </title><meta name="description" content="The description meta"></head>
<body><img src="nothing.png"></body></html>""")
page("broken.html", """<html><head><title>Broken <b>page</title>
<meta property=og:title content=Unquoted>
<meta property="og:description" content="line one
line two"><body><div><p>unclosed <i>tags</html>""")
page("scripted.html", """<html><head><title>Card</title>
<meta property="og:image" content="javascript:alert(1)">
<meta property="og:url" content="data:text/html,hi">
</head></html>""")
page("latin1.html", "<html><head><title>Café crème</title></head></html>", "iso-8859-1")
page("sjis.html", '<html><head><meta charset="shift_jis"><title>日本語のページ</title></head></html>', "shift_jis")
page("cp1251.html", '<html><head><meta http-equiv="Content-Type" content="text/html; charset=windows-1251">'
     "<title>Привет, мир</title></head></html>", "cp1251")
page("bom.html", "\ufeff<html><head><title>Zürich mit BOM</title></head></html>", "utf-16")
page("image-page.html", '<html><head><title>Photo</title><meta property="og:image" content="/gps.jpg"></head></html>')
page("broken-image.html", '<html><head><title>Bad image</title><meta property="og:image" content="/not-an-image.jpg"></head></html>')
page("secret.html", "<html><head><title>Internal secret</title></head></html>")
page("text.txt", "just text\n")
page("oembed.json", f"""{{"type": "video", "version": "1.0", "title": "An oEmbed title",
 "html": "<iframe src='https://evil.example/'></iframe>", "width": 640, "height": 360,
 "provider_name": "Fixture Video", "provider_url": "{base}/", "author_name": "Someone",
 "thumbnail_url": "{base}/pic.png", "thumbnail_width": 400, "thumbnail_height": 300, "unknown": {{"deep": [1, 2]}}}}""")
page("not-an-image.jpg", "this is not a JPEG at all")
shutil.copy(os.path.join(images, "gps-tagged.jpg"), os.path.join(root, "gps.jpg"))
shutil.copy(os.path.join(images, "photo-1024x683.jpg"), os.path.join(root, "photo.jpg"))
shutil.copy(os.path.join(images, "alpha.png"), os.path.join(root, "pic.png"))
# 2 MB of markup with the head's end at its close: over the 1 MiB HTML cap.
page("big.html", "<html><head><title>Big</title><style>" + "a{}" * 500_000 + "</style></head></html>")
# 52 MB of paragraphs, sent at 1 MB/s: a body that does not end in any reasonable time.
with open(os.path.join(root, "endless.html"), "wb") as f:
    f.write(b"<html><body>" + b"<p>and on</p>" * 4_000_000)
# 20 MB of spaces, gzip-compressed to about 20 KB and sent as gzip.
page("bomb.html", "small")
with gzip.open(os.path.join(root, "bomb.html.gz"), "wb", compresslevel=9) as f:
    f.write(b"<html><head>" + b" " * 20_000_000)

key, cert = os.path.join(origin, "key.pem"), os.path.join(origin, "cert.pem")
subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=127.0.0.2",
                "-keyout", key, "-out", cert], check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

locations = f"""
        root {root};
        gzip_static on;
        # The fetches carry the worker's Via entry, which nginx otherwise takes for a proxy not to compress for.
        gzip_proxied any;
        location = /redirect {{ return 302 /card.html; }}
        location = /relative-redirect {{ return 301 card.html; }}
        location = /chain1 {{ return 302 /chain2; }}
        location = /chain2 {{ return 302 /chain3; }}
        location = /chain3 {{ return 302 /chain4; }}
        location = /chain4 {{ return 302 /chain5; }}
        location = /chain5 {{ return 302 /chain6; }}
        location = /chain6 {{ return 302 /card.html; }}
        location = /loop {{ return 302 /loop; }}
        location = /to-loopback {{ return 302 http://127.0.0.1:{port}/secret.html; }}
        location = /to-localhost {{ return 302 http://localhost:{port}/secret.html; }}
        location = /to-mapped {{ return 302 http://[::ffff:127.0.0.1]:{port}/secret.html; }}
        location = /to-metadata {{ return 302 http://169.254.169.254/latest/meta-data/; }}
        location = /to-credentials {{ return 302 http://user:secret@127.0.0.2:{port}/card.html; }}
        location = /to-ftp {{ return 302 ftp://127.0.0.2/file; }}
        location = /to-other-port {{ return 302 http://127.0.0.2:22/; }}
        # Closed after the answer: the redirect needs a new connection, so a new lookup.
        location = /to-rebind {{ keepalive_timeout 0; return 302 http://rebind.test:{port}/secret.html; }}
        location = /missing {{ return 404; }}
        location = /failing {{ return 503; }}
        location = /latin1.html {{ types {{ }} default_type "text/html; charset=iso-8859-1"; }}
        location = /bom.html {{ types {{ }} default_type "text/html"; }}
        location = /untyped {{ types {{ }} default_type ""; alias {root}/plain.html; }}
        location = /slow.html {{ alias {root}/card.html; limit_rate 20; }}
        location = /endless.html {{ limit_rate 1m; }}
        location = /oembed.json {{ types {{ }} default_type application/json; }}
        location = /not-an-image.jpg {{ types {{ }} default_type image/jpeg; }}
"""
conf = os.path.join(origin, "nginx.conf")
with open(conf, "w") as f:
    f.write(f"""daemon on;
pid {origin}/nginx.pid;
error_log {origin}/error.log;
{"user root;" if os.getuid() == 0 else ""}
events {{ worker_connections 256; }}
http {{
    client_body_temp_path {origin}; proxy_temp_path {origin};
    fastcgi_temp_path {origin}; uwsgi_temp_path {origin}; scgi_temp_path {origin};
    types {{ text/html html; image/png png; image/jpeg jpg; application/json json; text/plain txt; }}
    server {{
        listen 127.0.0.2:{port};
        listen 127.0.0.2:{port + 1} ssl;
        ssl_certificate {cert};
        ssl_certificate_key {key};
        access_log {origin}/access.log;
        {locations}
    }}
    server {{
        listen 127.0.0.1:{port};
        access_log {origin}/loopback.log;
        {locations}
    }}
}}
""")
nginx = shutil.which("nginx") or "/usr/sbin/nginx"
subprocess.run([nginx, "-p", origin, "-c", conf], check=True)
