#!/usr/bin/env bash
# Runs a command with FILE in place of /etc/resolv.conf, in a mount namespace of
# its own (the rest of the machine keeps its resolver): for tests that bring a
# resolver of their own. Needs root.
# Usage: unshare --mount --propagation private with-resolv-conf.sh FILE COMMAND...
set -euo pipefail
file=$1
shift
mount --bind "$file" /etc/resolv.conf
exec "$@"
