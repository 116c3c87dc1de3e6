#!/usr/bin/env bash
# rest-hammer.sh [SECONDS] - does the control plane disturb audio? Runs the built daemon on lo (its own PTP
# grandmaster) with STREAMS sources `test:prbs` x 8 channels and as many `verify:` sinks (delay DELAY samples), lets
# them settle, then hammers the REST API with wrk (2 threads, 16 connections) on /api/sources and
# /api/sink/status/0 for SECONDS (default 30) while one more source and sink are added and removed in a loop, and
# prints the requests per second, the add/remove cycles and, per sink, the stream verifier's glitches and the
# signal check (errors, lost frames, shifts) since the sink was made.
# auto_sinks_update is off: other daemons on lo announce sources with the same SAP origin (127.0.0.1).
# Environment: STREAMS=16 DELAY=480 CHURN=1 (0: no adding/removing) PORT=18080 DIST=<repo>/runtime/target/dist RUNDIR=/tmp/i10-hammer
# HISTORY=<file> (saves GET /api/sinks/history at the end)
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
REPO=$(cd "$HERE/../../.." && pwd)
SECS=${1:-30}
STREAMS=${STREAMS:-16}
DELAY=${DELAY:-480}
PORT=${PORT:-18080}
DIST=${DIST:-$REPO/runtime/target/dist}
RUNDIR=${RUNDIR:-/tmp/i10-hammer}
command -v wrk >/dev/null || DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends wrk >/dev/null
command -v jq >/dev/null || DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends jq >/dev/null
[ -x "$DIST/aes67-daemon" ] || (cd "$REPO" && mvn -B -q -DskipTests package)
rm -rf "$RUNDIR"; mkdir -p "$RUNDIR/media"
jq --argjson p "$PORT" '.http_port = $p | .rtsp_port = ($p + 1) | .status_file = "" | .mdns_enabled = false
    | .ptp_mode = "master" | .rtp_mcast_base = "239.10.1.1" | .auto_sinks_update = false' "$DIST/daemon.conf" > "$RUNDIR/daemon.conf"
(cd "$RUNDIR" && exec "$DIST/aes67-daemon" -c daemon.conf > daemon.log 2>&1) &
daemon=$!
trap 'kill $daemon 2>/dev/null || true; wait 2>/dev/null || true' EXIT
api() { # METHOD PATH [BODY]
    if [ $# -gt 2 ]; then
        curl -s -m 5 -X "$1" -H 'Content-Type: application/json' -d "$3" "http://127.0.0.1:$PORT/api$2"
    else
        curl -s -m 5 -X "$1" "http://127.0.0.1:$PORT/api$2"
    fi
}
for _ in $(seq 600); do api GET /ptp/status 2>/dev/null | grep -q '"locked"' && break; sleep 0.2; done
map='[0,1,2,3,4,5,6,7]'
add_pair() { # ID: source `test:prbs` ID and sink `verify:` ID fed by it
    api PUT "/source/$1" '{"enabled":true,"name":"prbs '$1'","io":"test:prbs","max_samples_per_packet":48,"codec":"L24",
        "address":"","ttl":1,"payload_type":98,"dscp":34,"refclk_ptp_traceable":false,"map":'$map'}' >/dev/null
    api PUT "/sink/$1" '{"name":"verify '$1'","io":"verify:","use_sdp":false,"source":"http://127.0.0.1:'$PORT'/api/source/sdp/'$1'",
        "sdp":"","delay":'$DELAY',"ignore_refclk_gmid":false,"map":'$map'}' >/dev/null
}
for i in $(seq 0 $((STREAMS - 1))); do
    add_pair "$i"
done
churn() { # PID: adds and removes one more pair (id STREAMS) while PID runs; writes the count
    local n=0
    while [ "${CHURN:-1}" = 1 ] && kill -0 "$1" 2>/dev/null; do
        add_pair "$STREAMS" || true
        api DELETE "/sink/$STREAMS" >/dev/null || true
        api DELETE "/source/$STREAMS" >/dev/null || true
        n=$((n + 1))
    done
    echo "$n" > "$RUNDIR/churn.txt"
}
sleep 3
for i in $(seq 0 $((STREAMS - 1))); do api GET "/sink/status/$i" >/dev/null; done # since_last_read starts here
# sink 0's window is read by wrk itself: its total before the window is subtracted at the end
before0=$(api GET /sink/status/0 | jq '.verifier.glitches')
[ "$before0" = 0 ] || echo "  before the window (streams being added): sink 0 had $before0 glitches already"
echo "rest-hammer: $STREAMS x 8 ch L24 1 ms, delay $DELAY, wrk -t2 -c16 for $SECS s on /api/sources and /api/sink/status/0"
wrk -t2 -c16 -d"${SECS}s" "http://127.0.0.1:$PORT/api/sources" > "$RUNDIR/wrk1.txt" &
w=$!
churn "$w" &
c=$!
wrk -t2 -c16 -d"${SECS}s" "http://127.0.0.1:$PORT/api/sink/status/0" > "$RUNDIR/wrk2.txt"
wait "$w" || true
wait "$c" || true
grep -h "Requests/sec" "$RUNDIR/wrk1.txt" "$RUNDIR/wrk2.txt" | sed 's/^/  /'
echo "  meanwhile source + sink $STREAMS added and removed $(cat "$RUNDIR/churn.txt") times"
total=0
for i in $(seq 0 $((STREAMS - 1))); do
    v=$(api GET "/sink/status/$i")
    g=$(echo "$v" | jq '.verifier.since_last_read.glitches')
    [ "$i" = 0 ] && g=$(($(echo "$v" | jq '.verifier.glitches') - before0))
    total=$((total + g))
    kinds=$(echo "$v" | jq -c '.verifier.since_last_read
        | with_entries(select(.value != 0 and .key != "received" and .key != "glitches"))') # e.g. {"late":4}
    signal=$(echo "$v" | jq -c '.verifier.signal | {error_frames, lost_frames, shifts}')
    echo "  sink $i: glitches $g $kinds, signal since creation $signal"
done
echo "rest-hammer: $total glitches in the hammer window"
if [ -n "${HISTORY:-}" ]; then # each sink's per-second arrival margins and glitches, for a closer look
    api GET /sinks/history > "$HISTORY"
fi
