#!/usr/bin/env bash
# The package under a real systemd: boots a minimal Debian (debootstrap, cached
# in .cache/) with systemd-nspawn, installs the .deb and checks the service as
# operators use it. Prints one line per check and a summary; leaves nothing
# running (the container is an ephemeral copy of the cached tree).
# Usage: check-systemd.sh PACKAGE.deb
set -uo pipefail
deb=$1
here=$(cd "$(dirname "$0")/.." && pwd)
cache=$here/.cache/debian-bookworm-check
mirror=$(sed -n 's/^URIs: *//p' /etc/apt/sources.list.d/debian.sources 2>/dev/null | head -1)
mirror=${mirror:-http://deb.debian.org/debian}
work=$(mktemp -d)
nspawn=""
failures=0
checks=0

# What the package depends on and the check uses, installed once into the cache.
packages=systemd,systemd-sysv,dbus,nginx,curl,adduser,init-system-helpers,procps,$(dpkg-deb -f "$deb" Depends \
    | tr ',' '\n' | sed 's/(.*)//; s/ //g' | grep -v '^$' | paste -sd, -)
if [ ! -x "$cache/lib/systemd/systemd" ]; then
    echo "debootstrap: a minimal Debian bookworm into $cache (kept for later runs)"
    rm -rf "$cache"
    debootstrap --variant=minbase --include="$packages" bookworm "$cache" "$mirror" > "$work/debootstrap.log" 2>&1 \
        || { tail -20 "$work/debootstrap.log"; exit 1; }
fi

stop_container() {
    [ -n "$nspawn" ] || return 0
    kill -TERM "$nspawn" 2>/dev/null
    for _ in $(seq 1 60); do kill -0 "$nspawn" 2>/dev/null || break; sleep 0.5; done
    kill -KILL "$nspawn" 2>/dev/null
    wait "$nspawn" 2>/dev/null
    nspawn=""
}
trap 'stop_container; rm -rf "$work"' EXIT

# A heavy input, so a request is still in hand when the service is told to stop:
# 100 frames of 480x270, whose animated avatars take seconds.
vips xyz "$work/xy.v" 480 27000 && vips remainder_const "$work/xy.v" "$work/r.v" 256 \
    && vips cast "$work/r.v" "$work/u.v" uchar && vips copy "$work/u.v" "$work/s.v" --interpretation srgb \
    && vips extract_band "$work/s.v" "$work/heavy.v" 0 --n 2 && vips bandjoin_const "$work/heavy.v" "$work/heavy3.v" 90 \
    && vips copy "$work/heavy3.v" "$work/heavy.v" --interpretation srgb && vips gifsave "$work/heavy.v" "$work/heavy.gif" --page-height 270
cp "$deb" "$work/remote-worker.deb"
cp "$here"/TestImages/{plain.png,gps-tagged.jpg,animated-3-frames.gif} "$work/"

started=$(date +%s.%N)
# Landlock's calls pass nspawn's own system-call filter, as they pass a host's.
systemd-nspawn --quiet --boot --ephemeral --register=no --keep-unit --private-network \
    --system-call-filter="landlock_create_ruleset landlock_add_rule landlock_restrict_self" \
    -D "$cache" --machine=remote-worker-check --bind-ro="$work":/check > "$work/console.log" 2>&1 &
nspawn=$!
init=""
for _ in $(seq 1 100); do
    init=$(cat "/proc/$nspawn/task/$nspawn/children" 2>/dev/null | awk '{print $1}')
    [ -n "$init" ] && break
    sleep 0.1
done
[ -n "$init" ] || { echo "the container did not start"; tail -20 "$work/console.log"; exit 1; }
inside() { nsenter -t "$init" -a -- "$@"; }
state=""
for _ in $(seq 1 60); do
    state=$(inside systemctl is-system-running --wait 2>/dev/null)
    case $state in running|degraded) break ;; esac
    sleep 0.5
done
booted=$(echo "$(date +%s.%N) - $started" | bc)
case $state in running|degraded) ;; *) echo "systemd did not finish booting: '$state'"; tail -20 "$work/console.log"; exit 1 ;; esac

check() {  # check NAME COMMAND...: one line, counted
    local name=$1
    shift
    checks=$((checks + 1))
    local output
    if output=$("$@" 2>&1); then
        echo "ok    $name${output:+ ($(echo "$output" | tail -1 | sed 's/^ *//'))}"
    else
        failures=$((failures + 1))
        echo "FAIL  $name"
        echo "$output" | tail -5 | sed 's/^/      /'
    fi
}
curl_inside() { inside curl -s -o /dev/null -w '%{http_code}' --max-time 60 "$@"; }
post() { curl_inside -F "file=@/check/$2" "http://127.0.0.1:8080$1"; }

installs_and_starts() {
    inside dpkg -i /check/remote-worker.deb > /dev/null
    [ "$(inside systemctl is-active remote-worker)" = active ]
    [ "$(inside systemctl show -p Type --value remote-worker)" = notify ]
    inside ln -sf ../sites-available/remote-worker /etc/nginx/sites-enabled/remote-worker
    inside systemctl reload nginx
    echo "status: $(inside systemctl show -p StatusText --value remote-worker)"
}
ready_when_start_returns() {
    inside systemctl stop remote-worker
    inside systemctl start remote-worker
    # No retry: Type=notify, so start returns only once every responder accepts.
    local code
    code=$(curl_inside http://127.0.0.1:8080/ping)
    echo "first request after start: $code"
    [ "$code" = 200 ]
}
every_endpoint_answers() {
    local code
    for path in /ping /hello /status /metrics; do
        code=$(curl_inside "http://127.0.0.1:8080$path"); [ "$code" = 200 ] || { echo "$path: $code"; return 1; }
    done
    for request in "/images/info plain.png" "/images/fit/100 plain.png" "/images/rescale_avatar plain.png" \
                   "/images/resize_avatar animated-3-frames.gif" "/images/fit/50?animated=1 animated-3-frames.gif" \
                   "/images/prepare_jpeg gps-tagged.jpg"; do
        set -- $request
        code=$(post "$1" "$2"); [ "$code" = 200 ] || { echo "$1 $2: $code"; return 1; }
    done
    echo "4 GETs and 6 uploads, all 200"
}
reload_under_load_loses_nothing() {
    inside sh -c 'for i in $(seq 1 3); do (for j in $(seq 1 40); do curl -s -o /dev/null -w "%{http_code}\n" --max-time 60 -F file=@/check/plain.png http://127.0.0.1:8080/images/fit/64; done > /tmp/load.$i) & done; wait' &
    local load=$!
    for _ in 1 2 3; do sleep 0.7; inside systemctl reload remote-worker; done
    wait "$load"
    local codes
    local good
    good=$(inside sh -c 'cat /tmp/load.*' | grep -c '^200$')
    echo "$good of 120 answered 200 across 3 reloads"
    [ "$good" = 120 ]
}
stop_finishes_the_request_in_hand() {
    inside sh -c 'curl -s -o /dev/null -w "%{http_code} %{time_total}" --max-time 60 -F file=@/check/heavy.gif "http://127.0.0.1:8080/images/rescale_avatar?animated=1" > /tmp/heavy' &
    local request=$!
    sleep 0.4
    inside systemctl stop remote-worker
    wait "$request"
    local code seconds
    read -r code seconds < <(inside cat /tmp/heavy)
    inside systemctl start remote-worker
    echo "a ${seconds} s request, stopped 0.4 s in: $code"
    # Still in hand when the stop came, and answered.
    [ "$code" = 200 ] && [ "$(echo "$seconds > 0.5" | bc)" = 1 ]
}
killed_responder_is_replaced() {
    local main victim
    main=$(inside systemctl show -p MainPID --value remote-worker)
    victim=$(inside sh -c "cat /proc/$main/task/$main/children" | awk '{print $1}')
    inside kill -KILL "$victim"
    for tick in $(seq 1 50); do
        local now
        now=$(inside sh -c "cat /proc/$main/task/$main/children")
        if [ "$(echo $now | wc -w)" = 2 ] && ! echo " $now " | grep -q " $victim "; then
            echo "responder $victim replaced within $((tick / 10)).$((tick % 10)) s"
            [ "$(curl_inside http://127.0.0.1:8080/ping)" = 200 ]
            return
        fi
        sleep 0.1
    done
    return 1
}
socket_unit_holds_connections_during_restart() {
    inside systemctl stop remote-worker
    inside systemctl enable --now remote-worker.socket > /dev/null 2>&1
    # The first request starts the service through its socket.
    [ "$(curl_inside http://127.0.0.1:8080/ping)" = 200 ] || return 1
    inside sh -c 'for j in $(seq 1 60); do curl -s -o /dev/null -w "%{http_code}\n" --max-time 60 -F file=@/check/plain.png http://127.0.0.1:8080/images/fit/64; done > /tmp/socket-load' &
    local load=$!
    sleep 0.5
    inside systemctl restart remote-worker
    sleep 0.5
    inside systemctl restart remote-worker
    wait "$load"
    local good
    good=$(inside grep -c '^200$' /tmp/socket-load)
    echo "$good of 60 answered 200 across 2 restarts"
    inside systemctl disable --now remote-worker.socket > /dev/null 2>&1
    inside systemctl restart remote-worker
    [ "$good" = 60 ]
}
journal_has_structured_lines() {
    local lines
    lines=$(inside journalctl -u remote-worker -o cat --no-pager | grep -c '^{"time":".*"request_id":"')
    echo "$lines JSON request lines"
    [ "$lines" -gt 100 ]
}
hardening_holds() {
    local main status responders
    main=$(inside systemctl show -p MainPID --value remote-worker)
    status=$(inside cat "/proc/$main/status")
    echo "$status" | grep -q "^NoNewPrivs:.1" || { echo "supervisor without no_new_privs"; return 1; }
    echo "$status" | grep -q "^Seccomp:.2" || { echo "supervisor without systemd's filter"; return 1; }
    echo "$status" | grep -q "^CapEff:.00000000000000e0" || { echo "supervisor capabilities: $(echo "$status" | grep CapEff)"; return 1; }
    inside awk '$5 == "/" { print $6 }' "/proc/$main/mountinfo" | grep -q '^ro' || { echo "/ is writable (ProtectSystem=strict)"; return 1; }
    [ "$(inside systemctl show -p MemoryMax --value remote-worker)" = 7516192768 ] || { echo "MemoryMax"; return 1; }
    [ "$(inside systemctl show -p OOMPolicy --value remote-worker)" = continue ] || { echo "OOMPolicy"; return 1; }
    local supervisor_uid responder_uid
    supervisor_uid=$(inside id -u remote-worker)
    responder_uid=$(inside id -u remote-worker-responder)
    responders=$(inside sh -c "cat /proc/$main/task/$main/children")
    for pid in $responders; do
        status=$(inside cat "/proc/$pid/status")
        echo "$status" | grep -q "^Uid:.$responder_uid.$responder_uid" || { echo "responder $pid uid"; return 1; }
        [ "$responder_uid" != "$supervisor_uid" ] || return 1
        echo "$status" | grep -q "^CapEff:.0000000000000000" || { echo "responder $pid capabilities"; return 1; }
        echo "$status" | grep -q "^NoNewPrivs:.1" || return 1
        # systemd's filter, the start-up one and the allow-list.
        [ "$(echo "$status" | sed -n 's/^Seccomp_filters:.//p')" -ge 3 ] || { echo "responder $pid filters"; return 1; }
        [ "$(inside stat -c %u "/proc/$pid/mem")" = 0 ] || { echo "responder $pid is dumpable"; return 1; }
    done
    ! grep -q "no Landlock" <<< "$(inside journalctl -u remote-worker -o cat --no-pager)" || { echo "no Landlock"; return 1; }
    echo "supervisor uid $supervisor_uid with CapEff e0, responders uid $responder_uid with none, / read-only"
}

link_previews_run_apart() {
    [ "$(inside systemctl is-active remote-worker-preview)" = active ] \
        || { echo "remote-worker-preview is $(inside systemctl is-active remote-worker-preview)"; return 1; }
    local body main fetcher_uid fetchers=0
    body=$(inside curl -s --max-time 30 'http://127.0.0.1:8080/links/preview?url=http://127.0.0.1/')
    echo "$body" | grep -q '"code":"blocked_address"' || { echo "loopback link: $body"; return 1; }
    body=$(inside curl -s --max-time 30 'http://127.0.0.1:8080/links/preview?url=http://169.254.169.254/latest/meta-data/')
    echo "$body" | grep -q '"code":"blocked_address"' || { echo "metadata link: $body"; return 1; }
    [ "$(curl_inside http://127.0.0.1:8080/links/preview)" = 200 ] || { echo "usage document"; return 1; }
    body=$(inside curl -s --max-time 30 http://127.0.0.1:8080/links/status)
    echo "$body" | grep -q '"pool":"remote-worker-preview"' || { echo "the pool's status page: $body"; return 1; }
    # Read whole, then searched: with pipefail, grep -q leaving a pipe early fails its writer (SIGPIPE).
    body=$(inside curl -s --max-time 30 http://127.0.0.1:8080/links/metrics)
    grep -q 'code="blocked_address",endpoint="preview"' <<< "$body" || { echo "the pool's metrics count no refusal"; return 1; }
    main=$(inside systemctl show -p MainPID --value remote-worker-preview)
    fetcher_uid=$(inside id -u remote-worker-fetcher)
    for pid in $(inside sh -c "cat /proc/$main/task/$main/children"); do
        fetchers=$((fetchers + 1))
        status=$(inside cat "/proc/$pid/status")
        echo "$status" | grep -q "^Uid:.$fetcher_uid.$fetcher_uid" || { echo "fetcher $pid uid"; return 1; }
        echo "$status" | grep -q "^CapEff:.0000000000000000" || { echo "fetcher $pid capabilities"; return 1; }
        [ "$(echo "$status" | sed -n 's/^Seccomp_filters:.//p')" -ge 3 ] || { echo "fetcher $pid filters"; return 1; }
        ! inside grep -q -e libvips -e libjpeg -e libpng "/proc/$pid/maps" || { echo "fetcher $pid has an image library"; return 1; }
    done
    [ "$fetchers" -gt 0 ] || { echo "no fetchers"; return 1; }
    echo "$fetchers fetchers as uid $fetcher_uid, no capability, no image library; internal links refused and counted"
}

check "systemd $state after ${booted%.*} s; the package installs, the unit starts (Type=notify)" installs_and_starts
check "systemctl start returns once the pool answers" ready_when_start_returns
check "nginx answers every endpoint" every_endpoint_answers
check "systemctl reload under load loses no request" reload_under_load_loses_nothing
check "systemctl stop finishes the request in hand" stop_finishes_the_request_in_hand
check "a responder killed with SIGKILL is replaced" killed_responder_is_replaced
check "the socket unit holds connections while the service restarts" socket_unit_holds_connections_during_restart
check "journalctl shows the structured log lines" journal_has_structured_lines
check "hardening holds under the real manager" hardening_holds
check "the link-preview pool runs apart: its own user, no image library" link_previews_run_apart

stop_container
left=$(mount | grep -c "remote-worker-check\|$cache")
[ "$left" = 0 ] || { echo "mounts left behind: $left"; failures=$((failures + 1)); }
systemd_version=$(chroot "$cache" dpkg-query -W -f='${Version}' systemd 2>/dev/null)
echo "check-systemd: $((checks - failures)) of $checks checks passed under systemd $systemd_version in a booted container; nothing left running"
[ "$failures" = 0 ]
