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
[ ${#targets[@]} -gt 0 ] || targets=(multipart jpeg-metadata icns ico apng)

swift build -c release --sanitize=fuzzer --product remote-worker-fuzz -Xswiftc -DFUZZING --build-path .build/fuzz
fuzzer=.build/fuzz/release/remote-worker-fuzz
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
