#!/usr/bin/env bash
# Renders the standalone nginx configuration into RUN_DIR/conf/nginx.conf,
# with the snippets beside it, for pools listening on SOCKET: a Unix socket
# path, or several host:port addresses separated by spaces (one upstream).
# Usage: render-nginx.sh RUN_DIR PORT SOCKET [READ_TIMEOUT]
# PREVIEW_SOCKET in the environment names the link-preview pool's socket
# (default RUN_DIR/preview.sock).
# READ_TIMEOUT (e.g. 2s) replaces fastcgi_read_timeout, for a pool with a short time limit.
# WORKER_BINARY in the environment renders the limits nginx must share with the pool
# (body size, read timeouts) from its settings: `WORKER_BINARY nginx-limits WORKER_FLAGS`.
set -euo pipefail
run_dir=$1 port=$2 socket=$3 read_timeout=${4:-}
here=$(cd "$(dirname "$0")/../nginx" && pwd)
mkdir -p "$run_dir/conf/remote-worker" "$run_dir/logs"
cp "$here"/remote-worker-*.conf "$run_dir/conf/remote-worker/"
if [ -n "${WORKER_BINARY:-}" ]; then
    # shellcheck disable=SC2086
    "$WORKER_BINARY" nginx-limits ${WORKER_FLAGS:-} | while read -r name value; do
        sed -i -e "s/^$name .*/$name $value;/" "$run_dir"/conf/remote-worker/remote-worker-*.conf
    done
fi
if [ -n "$read_timeout" ]; then
    sed -i -e "s/^fastcgi_read_timeout .*/fastcgi_read_timeout $read_timeout;/" \
        -e "s/^fastcgi_next_upstream_timeout .*/fastcgi_next_upstream_timeout $read_timeout;/" \
        "$run_dir/conf/remote-worker/remote-worker-fastcgi.conf"
fi
# nginx started as root would run its workers as nobody, who cannot reach a
# socket in a private directory; a development server keeps the caller's user.
user_line=""
[ "$(id -u)" = 0 ] && user_line="user root;"
servers=""
for address in $socket; do
    case $address in
        /*) servers+="server unix:$address; " ;;
        *) servers+="server $address max_fails=1 fail_timeout=2s; " ;;
    esac
done
preview_socket=${PREVIEW_SOCKET:-$run_dir/preview.sock}
case $preview_socket in
    /*) preview_servers="server unix:$preview_socket; " ;;
    *) preview_servers="server $preview_socket; " ;;
esac
sed -e "s|@RUN_DIR@|$run_dir|g" -e "s|@PORT@|$port|g" -e "s|@SERVERS@|$servers|g" -e "s|@USER_LINE@|$user_line|g" \
    -e "s|@PREVIEW_SERVERS@|$preview_servers|g" \
    "$here/standalone.conf.template" > "$run_dir/conf/nginx.conf"
echo "$run_dir/conf/nginx.conf"
