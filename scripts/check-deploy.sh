#!/usr/bin/env bash
# Checks the systemd unit: `systemd-analyze verify` must pass and
# `systemd-analyze security` must rate it 2.0 or better.
# Usage: check-deploy.sh BINARY (the unit's ExecStart is pointed at it for the check)
set -euo pipefail
binary=$1
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
sed "s|/usr/local/bin/remote-worker|$binary|" "$(dirname "$0")/../deploy/remote-worker.service" > "$work/remote-worker.service"
cp "$(dirname "$0")/../deploy/remote-worker.socket" "$work/"
systemd-analyze verify "$work/remote-worker.service" "$work/remote-worker.socket"
rating=$(systemd-analyze security --offline=true "$work/remote-worker.service" | sed -n 's/.*Overall exposure level for remote-worker.service: \([0-9.]*\).*/\1/p')
echo "systemd-analyze security: exposure $rating (at most 2.0 wanted)"
awk -v r="$rating" 'BEGIN { exit !(r != "" && r <= 2.0) }'
