#!/usr/bin/env bash
# Checks the systemd units: `systemd-analyze verify` must pass on all three and
# `systemd-analyze security` must rate both services 2.0 or better.
# Usage: check-deploy.sh BINARY (the units' ExecStart is pointed at it for the check)
set -euo pipefail
binary=$1
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
for unit in remote-worker.service remote-worker-preview.service remote-worker.socket; do
    sed "s|/usr/local/bin/remote-worker|$binary|" "$(dirname "$0")/../deploy/$unit" > "$work/$unit"
done
systemd-analyze verify "$work/remote-worker.service" "$work/remote-worker-preview.service" "$work/remote-worker.socket"
status=0
for service in remote-worker remote-worker-preview; do
    rating=$(systemd-analyze security --offline=true "$work/$service.service" \
        | sed -n "s/.*Overall exposure level for $service.service: \([0-9.]*\).*/\1/p")
    echo "systemd-analyze security: $service.service exposure $rating (at most 2.0 wanted)"
    awk -v r="$rating" 'BEGIN { exit !(r != "" && r <= 2.0) }' || status=1
done
exit $status
