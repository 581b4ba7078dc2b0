#!/usr/bin/env bash
# Fuzzes each parser of untrusted bytes with libFuzzer, seeded from TestImages/.
# Usage: fuzz.sh [SECONDS_PER_TARGET] [TARGET...]
# The corpus grows in .build/fuzz-corpus/TARGET across runs; anything that
# crashes or breaks a parser's promise is saved in .build/fuzz-findings/ and
# can be replayed with an ordinary build: remote-worker-fuzz TARGET FILE.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-120}
shift || true
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(multipart jpeg-metadata icns ico apng html-metadata oembed-json fastcgi-request)

# FUZZ_ADDRESS=1 adds AddressSanitizer (and its leak check) to the fuzzer, for the C under
# the parsers (libxml2 through its shim, libexif, libjpeg-turbo): slower, and it sees what they free.
if [ -n "${FUZZ_ADDRESS:-}" ]; then
    swift build -c release --sanitize=fuzzer --sanitize=address --product remote-worker-fuzz -Xswiftc -DFUZZING \
        --build-path .build/fuzz-address
    fuzzer=.build/fuzz-address/release/remote-worker-fuzz
else
    swift build -c release --sanitize=fuzzer --product remote-worker-fuzz -Xswiftc -DFUZZING --build-path .build/fuzz
    fuzzer=.build/fuzz/release/remote-worker-fuzz
fi
seeds=$(mktemp -d)
trap 'rm -rf "$seeds"' EXIT

seed() {
    local target=$1
    shift
    mkdir -p "$seeds/$target"
    for file in "$@"; do cp "$file" "$seeds/$target/"; done
}
seed jpeg-metadata TestImages/*.jpg TestImages/location/*.jpg
seed icns TestImages/*.icns
seed ico TestImages/*.ico
seed apng TestImages/*.png
# Multipart bodies around small images. The target reads its boundary from the input's
# first bytes: 0x02 (three characters) then 0x02 0x03 0x00 give "aa-" here.
mkdir -p "$seeds/multipart"
for file in TestImages/tiny-1x1.png TestImages/still.gif TestImages/empty.bin; do
    { printf '\x02\x02\x03\x00'
      printf -- '--aa-\r\nContent-Disposition: form-data; name="file"; filename="a"\r\nContent-Type: image/png\r\n\r\n'
      cat "$file"
      printf -- '\r\n--aa-\r\nContent-Disposition: form-data; name="other"\r\n\r\nvalue\r\n--aa---\r\n'; } > "$seeds/multipart/$(basename "$file").body"
done

# Pages with every tag a card reads; the first byte picks the charset the header names.
mkdir -p "$seeds/html-metadata"
printf '\x00<!doctype html><html><head><meta charset="utf-8"><title>A &amp; B</title><base href="/x/">
<meta property="og:title" content="T"><meta property="og:image" content="i.png"><meta name="twitter:image" content="//cdn.example/p.jpg">
<meta property="og:image:width" content="640"><meta name="description" content="D">
<link rel="canonical" href="https://fuzz.example/c"><link rel="alternate" type="application/json+oembed" href="/o?u=1">
</head><body><p>x</p></body></html>' > "$seeds/html-metadata/card.html"
printf '\x02<html><head><meta http-equiv="Content-Type" content="text/html; charset=iso-8859-1"><title>Caf\xe9</title></head>' \
    > "$seeds/html-metadata/latin1.html"
printf '\x0b<meta content="text/html; charset=x-sjis" http-equiv=content-type><title>\x93\xfa\x96\x7b \x81</title><!-- x -->' \
    > "$seeds/html-metadata/sjis.html"
printf '\x02\xef\xbb\xbf<title>bom \xc3\xa9 \xff</title><link rel=canonical href=http://127.0.0.1/>' > "$seeds/html-metadata/utf8-bom.html"
printf '\x01<head><title>unclosed<meta property=og:description content=x><div><div><table><tr><td>' > "$seeds/html-metadata/broken.html"

# oEmbed answers: a full one, nesting, escapes and numbers at their edges.
mkdir -p "$seeds/oembed-json"
printf '{"type":"video","version":"1.0","title":"T \\u00e9\\ud83d\\ude00","html":"<iframe>","width":640,"height":3.6e2,"thumbnail_url":"https://x.example/t.jpg","author_url":"javascript:1","extra":[{"a":[null,true,false,-0.5e-3]}]}' \
    > "$seeds/oembed-json/video.json"
printf '[[[[[[[[{"type":"link"}]]]]]]]]' > "$seeds/oembed-json/nested.json"

# FastCGI requests as nginx sends them: begin, parameters, body, their ends, an abort.
mkdir -p "$seeds/fastcgi-request"
python3 - "$seeds/fastcgi-request" <<'PY'
import struct, sys
def record(kind, content, request=1):
    padding = (8 - len(content) % 8) % 8
    return struct.pack(">BBHHBB", 1, kind, request, len(content), padding, 0) + content + b"\0" * padding
def pair(name, value):
    size = lambda n: bytes([n]) if n < 128 else struct.pack(">I", n | 0x80000000)
    return size(len(name)) + size(len(value)) + name + value
params = b"".join(pair(k, v) for k, v in [(b"REQUEST_METHOD", b"GET"), (b"DOCUMENT_URI", b"/links/preview"),
                                         (b"QUERY_STRING", b"url=https%3A%2F%2Fexample.org%2F"), (b"HTTP_VIA", b"x" * 200)])
begin = record(1, struct.pack(">HB5x", 1, 1))
get = begin + record(4, params) + record(4, b"") + record(5, b"") + record(2, b"")
post = begin + record(4, params) + record(4, b"") + record(5, b'{"url":"https://example.org/"}') + record(5, b"")
for name, body in [("get", get), ("post", post), ("values", record(9, pair(b"FCGI_MAX_CONNS", b""), 0))]:
    open(f"{sys.argv[1]}/{name}.bin", "wb").write(b"\x07" + body)
PY

mkdir -p .build/fuzz-findings
failed=0
summary=()
for target in "${targets[@]}"; do
    corpus=.build/fuzz-corpus/$target
    mkdir -p "$corpus"
    echo "== $target: ${seconds}s"
    log=$(mktemp)
    # Swift's own crash reporter would end the process before libFuzzer saves the input.
    if SWIFT_BACKTRACE=enable=no FUZZ_TARGET=$target "$fuzzer" "$corpus" "$seeds/$target" -max_total_time="$seconds" -max_len=262144 \
        -rss_limit_mb=2048 -timeout=10 -print_final_stats=1 \
        -artifact_prefix=".build/fuzz-findings/$target-" > "$log" 2>&1; then
        result="no findings"
    else
        result="FINDING (see .build/fuzz-findings/)"
        failed=1
        tail -30 "$log"
    fi
    runs=$(grep -o 'stat::number_of_executed_units: [0-9]*' "$log" | grep -o '[0-9]*$' || echo "?")
    rate=$(( ${runs:-0} / seconds ))
    cov=$(grep -o 'cov: [0-9]*' "$log" | tail -1 | grep -o '[0-9]*$' || echo "?")
    summary+=("$(printf '%-14s %12s executions %8s/s  coverage %6s  corpus %5s files  %s' \
        "$target" "$runs" "$rate" "$cov" "$(ls "$corpus" | wc -l)" "$result")")
    rm -f "$log"
done
echo
printf '%s\n' "${summary[@]}"
exit $failed
