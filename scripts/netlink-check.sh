#!/usr/bin/env bash
# The manual checklist of docs/drivers.md, on a machine with the MergingRavennaALSA module loaded and the daemon
# running on it. Prints PASS/FAIL per step; exit status = number of failed steps.
#   scripts/netlink-check.sh [BASE_URL] [--reload /path/to/MergingRavennaALSA.ko]
# --reload also unloads and reloads the module while the daemon runs (root; streams come back by themselves).
set -u
BASE=http://127.0.0.1:8080
KO=""
while [ $# -gt 0 ]; do
    case "$1" in
        --reload) KO="$2"; shift 2 ;;
        *) BASE="$1"; shift ;;
    esac
done
FAILED=0
pass() { echo "PASS $*"; }
fail() { echo "FAIL $*"; FAILED=$((FAILED + 1)); }
check() { # description, command...
    local what="$1"; shift
    if "$@" >/dev/null 2>&1; then pass "$what"; else fail "$what"; fi
}
get() { curl -s --max-time 5 "$BASE$1" | tr -d ' \n'; }
put() { curl -s --max-time 5 -o /tmp/netlink-check.body -w '%{http_code}' -X PUT -d "$2" "$BASE$1"; }
wait_for() { # seconds, path, text
    local end=$((SECONDS + $1))
    while [ $SECONDS -lt "$end" ]; do
        get "$2" | grep -q "$3" && return 0
        sleep 1
    done
    return 1
}
source_json() { # name, map
    echo "{\"enabled\": true, \"name\": \"$1\", \"io\": \"Audio Device\", \"max_samples_per_packet\": 48,
      \"codec\": \"L24\", \"address\": \"\", \"ttl\": 15, \"payload_type\": 98, \"dscp\": 34,
      \"refclk_ptp_traceable\": false, \"map\": $2}"
}

check "module loaded (/sys/module/MergingRavennaALSA)" test -d /sys/module/MergingRavennaALSA
echo "     module version: $(cat /sys/module/MergingRavennaALSA/version 2>/dev/null || echo '?')"
check "ALSA card RAVENNA" sh -c 'aplay -l | grep -q RAVENNA'
check "daemon answers $BASE/api/version" sh -c "curl -sf --max-time 5 $BASE/api/version"
D=$(get /api/driver)
echo "     /api/driver: $D"
check "netlink driver in use" sh -c "echo '$D' | grep -q '\"driver\":\"netlink\"'"
check "module connected" sh -c "echo '$D' | grep -q '\"connected\":true'"
echo "     /api/ptp/status: $(get /api/ptp/status)"
check "PTP locked within 60 s (needs a grandmaster)" wait_for 60 /api/ptp/status '"status":"locked"'

code=$(put /api/source/0 "$(source_json check '[0, 1]')")
check "PUT /api/source/0 -> 200 ($code)" test "$code" = 200
code=$(put /api/sink/0 "{\"name\": \"check\", \"io\": \"Audio Device\", \"use_sdp\": false,
  \"source\": \"$BASE/api/source/sdp/0\", \"sdp\": \"\", \"delay\": 576, \"ignore_refclk_gmid\": false, \"map\": [0, 1]}")
check "PUT /api/sink/0 -> 200 ($code)" test "$code" = 200
check "the module holds 2 streams" sh -c "curl -s $BASE/api/driver | tr -d ' \n' | grep -q '\"streams\":2'"

if command -v speaker-test >/dev/null && command -v arecord >/dev/null; then
    (speaker-test -D plughw:RAVENNA -r 48000 -c 2 -t sine -l 3 >/dev/null 2>&1 &)
    check "sink 0 receives (loop through the module)" wait_for 10 /api/sink/status/0 '"receiving_rtp_packet":true'
    arecord -q -D plughw:RAVENNA -c 2 -f S24_3LE -r 48000 -d 3 /tmp/netlink-check.wav
    check "recording from RAVENNA is not silent" sh -c \
        "od -An -tx1 -j 44 /tmp/netlink-check.wav | tr -d ' \n' | grep -q '[1-9a-f]'"
else
    echo "SKIP audio steps (alsa-utils not installed)"
fi

code=$(put /api/source/1 "$(source_json toobig '[0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]')")
check "a packet over 1460 bytes -> 400 ($code)" test "$code" = 400
check "  with the C++ daemon's text" grep -qx "failed to add source 1 : (driver) command failed" /tmp/netlink-check.body

driver_mode() { curl -s --max-time 5 -o /dev/null -w '%{http_code}' -X POST -d "{\"driver\": \"$1\"}" "$BASE/api/config"; }

if [ -n "$KO" ]; then
    # "netlink": the module always, clear errors while it is away
    check "driver \"netlink\" for the reload" test "$(driver_mode netlink)" = 200
    check "  the module still drives" wait_for 10 /api/driver '"mode":"netlink".*"connected":true'
    sudo rmmod MergingRavennaALSA
    check "module unloaded: driver reports the loss" wait_for 15 /api/driver '"connected":false'
    check "  sink status reads idle" sh -c "curl -s $BASE/api/sink/status/0 | tr -d ' \n' | grep -q '\"receiving_rtp_packet\":false'"
    code=$(put /api/source/2 "$(source_json away '[0, 1]')")
    check "  PUT while away -> 500 ($code)" test "$code" = 500
    sudo insmod "$KO"
    check "module back: Hello again, connected" wait_for 20 /api/driver '"connected":true'
    check "  both streams added again" wait_for 10 /api/driver '"streams":2'
    # "auto": the user-space engine while the module is away, the module again when it is back
    check "driver \"auto\" again" test "$(driver_mode auto)" = 200
    check "  the module drives" wait_for 10 /api/driver '"mode":"auto".*"connected":true'
    sudo rmmod MergingRavennaALSA
    check "auto, module unloaded: the user-space engine takes over" wait_for 20 /api/driver '"driver":"userspace"'
    check "  and says why" wait_for 2 /api/driver 'thekernelmodulewentaway'
    sudo insmod "$KO"
    check "auto, module back: it takes over again" wait_for 20 /api/driver '"driver":"netlink"'
    check "  with both streams" wait_for 10 /api/driver '"streams":2'
fi

curl -s -X DELETE "$BASE/api/sink/0" >/dev/null
curl -s -X DELETE "$BASE/api/source/0" >/dev/null
check "streams removed from the module" wait_for 5 /api/driver '"streams":0'
echo "$FAILED failed"
exit "$FAILED"
