#!/usr/bin/env bash
# The .deb as an administrator uses it, on this machine (root; CI runs it from scripts/test.sh): build, dpkg -i
# (apt-get -f install for the Java runtime), check the files, the conffile, the system user, `systemd-analyze
# verify` the unit; then run the installed launcher as the unit's ExecStart would (user aes67d, its capabilities,
# WorkingDirectory, StateDirectory/RuntimeDirectory, NOTIFY_SOCKET and WATCHDOG_USEC) with a listener of our own:
# READY=1 arrives, WATCHDOG=1 keeps arriving, stops while the engine's clock thread is made to hang (suspended
# from outside through the JVM's debug agent), comes back after; SIGTERM gives STOPPING=1 and exit 0 within the
# unit's TimeoutStopSec (10 s). Then remove (the config stays) and purge (config and state go).
# Prints "package: N passed, N failed"; exit 1 when a check failed.
set -uo pipefail
cd "$(dirname "$0")/../.."
passed=0
failed=0
# Results also go to packaging/target/junit.xml, which the summary of scripts/test.sh counts.
report=packaging/target/junit.xml
cases=""
xml() { printf '%s' "$1" | sed 's/&/\&amp;/g; s/</\&lt;/g; s/"/\&quot;/g'; }
ok() { echo "package: ok: $*"; passed=$((passed + 1)); cases+="<testcase classname=\"package\" name=\"$(xml "$*")\"/>"; }
bad() {
    echo "package: FAILED: $*"; failed=$((failed + 1))
    cases+="<testcase classname=\"package\" name=\"$(xml "$*")\"><failure message=\"failed\"/></testcase>"
}
check() { local what=$1; shift; if "$@" >/dev/null; then ok "$what"; else bad "$what"; fi; }
finish() {
    mkdir -p "$(dirname "$report")"
    printf '<?xml version="1.0"?>\n<testsuites><testsuite name="package">%s</testsuite></testsuites>\n' "$cases" >"$report"
    echo "package: $passed passed, $failed failed"
    [ "$failed" = 0 ]
    exit $?
}
skip() {
    echo "package: skipped: $*"
    cases="<testcase classname=\"package\" name=\"install the .deb\"><skipped message=\"$(xml "$*")\"/></testcase>"
    finish
}

if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null; then
    skip "installing a .deb needs root and apt-get"
fi
if dpkg-query -W -f='${Status}' aes67d 2>/dev/null | grep -q "install ok installed"; then
    skip "aes67d is installed on this machine already; not touching it"
fi
deb=$(packaging/deb/build.sh) || { bad "build"; finish; }
ok "built $(basename "$deb")"
if command -v lintian >/dev/null; then
    tags=$(lintian --suppress-tags package-supports-alternative-init-but-no-init.d-script "$deb" 2>&1 \
        | grep -v "running with root privileges" || true)
    if [ -z "$tags" ]; then ok "lintian clean"; else bad "lintian: $tags"; fi
fi

work=$(mktemp -d /tmp/aes67d-pkg-XXXXXX)
chmod 0755 "$work"
pids=()
cleanup() {
    for p in "${pids[@]}"; do kill "$p" 2>/dev/null; done
    dpkg -P aes67d >/dev/null 2>&1
    rm -rf "$work"
}
trap cleanup EXIT

if ! dpkg -i "$deb" >"$work/dpkg.log" 2>&1; then
    DEBIAN_FRONTEND=noninteractive apt-get -f install -y -qq >>"$work/dpkg.log" 2>&1
fi
check "installed" sh -c "dpkg-query -W -f='\${Status}' aes67d | grep -q 'install ok installed'"
check "/usr/bin/aes67-daemon runs" sh -c "/usr/bin/aes67-daemon -v | grep -q ."
check "jar under /usr/share/aes67d" test -f /usr/share/aes67d/aes67-daemon.jar
check "daemon.conf is a conffile" sh -c "dpkg-query -W -f='\${Conffiles}' aes67d | grep -q /etc/aes67d/daemon.conf"
check "system user aes67d" sh -c "getent passwd aes67d | grep -q ':/var/lib/aes67d:'"
check "/var/lib/aes67d belongs to aes67d" sh -c "[ \"\$(stat -c %U /var/lib/aes67d)\" = aes67d ]"
if command -v systemd-analyze >/dev/null; then
    check "systemd-analyze verify" sh -c "systemd-analyze verify /lib/systemd/system/aes67-daemon.service 2>&1 | tee '$work/verify.log' | grep -v -e 'Cannot add dependency job' -e 'Failed to connect' | grep -q . && exit 1 || exit 0"
else
    echo "package: note: no systemd-analyze here (package systemd), unit not verified"
fi

# The service, as systemd would start it.
sock=$work/notify.sock
python3 packaging/deb/notify-listener.py "$sock" "$work/notify.log" &
pids+=($!)
port=$((20000 + RANDOM % 20000))
jdwp=$((40000 + RANDOM % 20000))
rt=$work/runtime
install -d -o aes67d -g aes67d "$rt"
for _ in $(seq 50); do [ -S "$sock" ] && break; sleep 0.1; done
# The launcher's own JVM flags (JAVA_TOOL_OPTIONS only adds the debug agent the hang test needs). stdout is a file
# here; JOURNAL_STREAM names it as systemd names the journal's stream, so the daemon writes journal lines.
: >"$work/daemon.log"
(cd /var/lib/aes67d && exec env -i PATH=/usr/bin:/bin NOTIFY_SOCKET="$sock" WATCHDOG_USEC=4000000 \
    STATE_DIRECTORY=/var/lib/aes67d RUNTIME_DIRECTORY="$rt" JOURNAL_STREAM="$(stat -c %d:%i "$work/daemon.log")" \
    JAVA_TOOL_OPTIONS="-agentlib:jdwp=transport=dt_socket,server=y,suspend=n,address=127.0.0.1:$jdwp" \
    setpriv --reuid=aes67d --regid=aes67d --init-groups --inh-caps=+net_bind_service,+sys_nice,+net_admin \
        --ambient-caps=+net_bind_service,+sys_nice,+net_admin \
    /usr/bin/aes67-daemon -c /etc/aes67d/daemon.conf -p "$port") >>"$work/daemon.log" 2>&1 &
daemon=$!
pids+=($daemon)
# Waits up to $2 s for a line of notify.log matching $1 after epoch ms $3 (default 0); prints its time.
wait_for() {
    local deadline=$((SECONDS + $2))
    while [ $SECONDS -lt $deadline ]; do
        local t
        t=$(awk -v after="${3:-0}" -v re="$1" '$1 > after && $2 ~ re { print $1; exit }' "$work/notify.log" 2>/dev/null)
        [ -n "$t" ] && { echo "$t"; return 0; }
        kill -0 "$daemon" 2>/dev/null || return 1
        sleep 0.2
    done
    return 1
}
count() { awk -v a="$2" -v b="$3" -v re="$1" '$1 > a && $1 < b && $2 ~ re' "$work/notify.log" | wc -l; }

start_ms=$(date +%s%3N)
if ready=$(wait_for '^READY=1$' 180); then
    ok "READY=1 after $((ready - start_ms)) ms"
    check "REST answers once ready" sh -c "curl -sf http://127.0.0.1:$port/api/version >/dev/null"
    check "runs as aes67d" sh -c "[ \"\$(ps -o user= -p $daemon)\" = aes67d ] || [ \"\$(stat -c %U /proc/$daemon)\" = aes67d ]"
    check "log lines carry journal priorities (<6>Logging to stdout, the systemd journal)" grep -q '^<6>INFO .*Logging to stdout, the systemd journal' "$work/daemon.log"
    check "no log line without its priority" sh -c "! grep -E '^[0-9:.]+ (INFO|WARN|ERROR|DEBUG) ' '$work/daemon.log'"
    check "console password under /var/lib/aes67d" sh -c "for i in \$(seq 50); do [ -f /var/lib/aes67d/webconsole.password ] && exit 0; sleep 0.1; done; exit 1"
    w3=$(for i in 1 2 3; do t=$(wait_for '^WATCHDOG=1$' 30 "${t:-$ready}") || exit 1; echo "$t"; done | tail -1)
    if [ -n "$w3" ]; then ok "WATCHDOG=1 keeps arriving (3 after READY)"; else bad "WATCHDOG=1 keeps arriving"; fi

    java packaging/deb/SuspendThread.java 127.0.0.1 "$jdwp" aes67d-clock 12 >"$work/suspend.log" 2>&1 &
    pids+=($!)
    suspender=$!
    if suspended=$(for i in $(seq 100); do awk '/^suspended/ {print $2}' "$work/suspend.log" | grep . && break; sleep 0.2; done); then
        if stalled=$(wait_for '^STATUS=stalled' 20 "$suspended"); then
            ok "engine hang seen after $((stalled - suspended)) ms: $(grep -m1 'STATUS=stalled' "$work/notify.log" | cut -d' ' -f2-)"
            wait "$suspender"
            resumed=$(awk '/^resumed/ {print $2}' "$work/suspend.log")
            check "no WATCHDOG=1 while the engine hangs" [ "$(count '^WATCHDOG=1$' "$stalled" "$resumed")" = 0 ]
            if back=$(wait_for '^WATCHDOG=1$' 30 "$resumed"); then ok "WATCHDOG=1 again $((back - resumed)) ms after the engine resumed"; else bad "WATCHDOG=1 after resume"; fi
        else
            bad "engine hang not seen (no STATUS=stalled within 20 s)"
        fi
    else
        bad "could not suspend the engine thread: $(cat "$work/suspend.log")"
    fi

    t0=$(date +%s%3N)
    kill -TERM "$daemon"
    status=0
    (sleep 10; kill -9 "$daemon" 2>/dev/null) & # TimeoutStopSec: then systemd kills it too
    killer=$!
    wait "$daemon" || status=$?
    elapsed=$(( $(date +%s%3N) - t0 ))
    kill "$killer" 2>/dev/null
    check "STOPPING=1 on SIGTERM" wait_for '^STOPPING=1$' 1 "$t0"
    check "exit 0 within 10 s of SIGTERM (took $elapsed ms; $(grep -m1 'stopped in' "$work/daemon.log"))" [ "$status" = 0 ]
else
    bad "READY=1 (daemon output: $(tail -5 "$work/daemon.log"))"
fi

dpkg -r aes67d >>"$work/dpkg.log" 2>&1
check "remove keeps /etc/aes67d/daemon.conf" test -f /etc/aes67d/daemon.conf
dpkg -P aes67d >>"$work/dpkg.log" 2>&1
check "purge removes /etc/aes67d and /var/lib/aes67d" sh -c "! [ -e /etc/aes67d ] && ! [ -e /var/lib/aes67d ]"
finish
