#!/usr/bin/env bash
# Runs the pool and a standalone nginx for the integration tests until its
# standard input reaches end of file: the test process holds the only write end,
# and closes it to stop the stack, or the kernel does when that process ends, so
# nothing outlives a test run and no one has to poll for it.
# Usage: test-stack.sh BINARY RUN_DIR PORT [extra serve flags...] < lifeline
# POOL_ADDRESSES="127.0.0.2:9100 127.0.0.3:9100" starts one pool per address behind
# one nginx upstream (logs/pool.log and pool.pid for the first, pool-N.* after)
# instead of a single pool on a Unix socket.
# NGINX_READ_TIMEOUT in the environment shortens nginx's wait for a response;
# SOCKET_ACTIVATE=1 hands the pool its socket the way a systemd socket unit does.
# The link-preview pool (serve --previews) runs beside them on RUN_DIR/preview.sock,
# sending its images to the first pool; PREVIEW_FLAGS adds flags of its own, and
# PREVIEW_WRAPPER a command it runs under (a test's own resolver, say).
set -uo pipefail
binary=$1 run_dir=$2 port=$3
shift 3
mkdir -p "$run_dir"
# The pools' temp directories live in one of the stack's own, removed with it: even a
# pool killed outright, which cannot remove its own, leaves nothing behind. Outside the
# run directory, whose parents the responders' user may not be able to pass through.
export TMPDIR=$(mktemp -d /tmp/rw-stack-tmp.XXXXXX)
chmod 0711 "$TMPDIR"
socket=${POOL_ADDRESSES:-$run_dir/worker.sock}
# nginx lives in /usr/sbin, which an ordinary user's PATH may lack.
nginx_bin=$(command -v nginx || echo /usr/sbin/nginx)
# nginx's limits are rendered from the settings in the environment, not from the flags the
# tests give the pools: the suite checks the responders' own limits behind nginx's larger ones.
conf=$(WORKER_BINARY="$binary" bash "$(dirname "$0")/render-nginx.sh" "$run_dir" "$port" "$socket" "${NGINX_READ_TIMEOUT:-}") || exit 1
if [ -n "${SOCKET_ACTIVATE:-}" ]; then
    # As remote-worker.socket would: systemd binds the socket and passes it as descriptor 3.
    systemd-socket-activate -l "$socket" "$binary" serve "$@" < /dev/null > "$run_dir/logs/pool.log" 2>&1 &
    echo $! > "$run_dir/pool.pid"
else
    index=0
    for address in $socket; do
        index=$((index + 1))
        suffix=$([ $index = 1 ] || echo "-$index")
        # Mode 0666: the link fetchers, another user, hand it images too.
        "$binary" serve --listen "$address" --socket-mode 0666 "$@" < /dev/null > "$run_dir/logs/pool$suffix.log" 2>&1 &
        echo $! > "$run_dir/pool$suffix.pid"
    done
fi
# Previews: two fetchers, on a socket of their own, fitting images in the first pool.
first_pool=${socket%% *}
# (Flags, not variables: a process left behind is then found by its run directory.)
RW_PREVIEW_RESPONDERS=2 ${PREVIEW_WRAPPER:-} "$binary" serve --previews --preview-listen "$run_dir/preview.sock" \
    --preview-images "$first_pool" "$@" ${PREVIEW_FLAGS:-} < /dev/null > "$run_dir/logs/preview.log" 2>&1 &
echo $! > "$run_dir/preview.pid"
# nginx starts once every pool accepts, so it never marks a pool failed at startup.
for _ in $(seq 100); do
    ready=1
    for log in "$run_dir"/logs/pool*.log "$run_dir/logs/preview.log"; do grep -q "pool ready" "$log" 2>/dev/null || ready=0; done
    [ $ready = 1 ] && break
    sleep 0.1
done
"$nginx_bin" -p "$run_dir" -e "$run_dir/logs/nginx-startup.log" -c "$conf" < /dev/null > "$run_dir/logs/nginx.out" 2>&1 &
echo $! > "$run_dir/nginx.pid.launcher"
# Pools finish the requests in hand; whatever has not stopped after 10 s is killed.
stop() {
    pids=$(cat "$run_dir"/pool*.pid "$run_dir/preview.pid" "$run_dir/nginx.pid.launcher" 2>/dev/null)
    kill -TERM $pids 2>/dev/null
    for _ in $(seq 100); do kill -0 $pids 2>/dev/null || break; sleep 0.1; done
    kill -KILL $pids 2>/dev/null
    wait
    rm -rf "$run_dir" "$TMPDIR"
    exit 0
}
trap stop INT TERM
# Blocks without a process or a timer until the test process lets go.
cat > /dev/null
stop
