#!/usr/bin/env bash
# Checks the running service against docs/openapi.yaml with schemathesis:
# generated requests for every operation, every check but one (below).
# Usage: conformance.sh BINARY
set -euo pipefail
binary=$1
here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")
venv="$root/.build/conformance-venv"
if [ ! -x "$venv/bin/schemathesis" ]; then
    python3 -m venv "$venv"
    "$venv/bin/pip" install -q "schemathesis==4.32.5"
fi
# Generated links must never reach the Internet: as root the preview pool runs in a network
# namespace of its own with nothing but a loopback that is down (its images still reach the
# image pool's Unix socket); otherwise its path is left out.
exclude=()
if [ "$(id -u)" = 0 ]; then
    export PREVIEW_WRAPPER="unshare --net"
else
    exclude=(--exclude-path /links/preview)
fi
run_dir=$(mktemp -d)
port=$((20000 + RANDOM % 20000))
# The stack runs while this script holds the write end of its standard input.
coproc STACK { bash "$here/test-stack.sh" "$binary" "$run_dir" "$port" --responders 2 > /dev/null 2>&1; }
stack=$STACK_PID
lifeline=${STACK[1]}
trap 'eval "exec $lifeline>&-"; wait $stack 2>/dev/null; rm -rf "$run_dir"' EXIT
for _ in $(seq 100); do
    curl -fs "http://127.0.0.1:$port/ping" > /dev/null 2>&1 && break
    sleep 0.1
done
# positive_data_acceptance is left out: a schema cannot say "a decodable image", so
# schema-valid random bytes are rightly refused with 400 unsupported_type.
"$venv/bin/schemathesis" run "$root/docs/openapi.yaml" --url "http://127.0.0.1:$port" \
    --checks all --exclude-checks positive_data_acceptance --max-examples 100 --seed 1 --workers 2 "${exclude[@]}"
