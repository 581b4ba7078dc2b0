#!/usr/bin/env bash
# Starts the image pool, the link-preview pool and a standalone nginx in the
# foreground; Ctrl-C stops them all.
# Usage: run-local.sh BINARY RUN_DIR PORT
set -euo pipefail
binary=$1 run_dir=$2 port=$3
mkdir -p "$run_dir"
socket="$run_dir/worker.sock"
# nginx lives in /usr/sbin, which an ordinary user's PATH may lack.
nginx_bin=$(command -v nginx || echo /usr/sbin/nginx)
conf=$(WORKER_BINARY="$binary" bash "$(dirname "$0")/render-nginx.sh" "$run_dir" "$port" "$socket")

# Mode 0666: the link fetchers, which run as another user when started as root, hand it images.
"$binary" serve --listen "$socket" --socket-mode 0666 &
pool=$!
RW_PREVIEW_LISTEN="$run_dir/preview.sock" RW_PREVIEW_IMAGES="$socket" "$binary" serve --previews &
previews=$!
"$nginx_bin" -p "$run_dir" -e "$run_dir/logs/nginx-startup.log" -c "$conf" &
web=$!
stop() { kill -TERM "$web" "$pool" "$previews" 2>/dev/null || true; wait "$web" "$pool" "$previews" 2>/dev/null || true; }
trap stop INT TERM EXIT

for _ in $(seq 50); do
    curl -fs "http://127.0.0.1:$port/ping" >/dev/null 2>&1 && break
    sleep 0.1
done
echo "remote-worker is serving on http://127.0.0.1:$port (logs: $run_dir/logs, Ctrl-C stops)"
# Whichever ends first ends both.
wait -n "$pool" "$previews" "$web" || true
