#!/usr/bin/env bash
# alloc-per-request.sh [SECONDS] - how much garbage one REST request makes, per path. Runs the built daemon on lo
# with STREAMS sources `test:prbs` x 8 channels and as many `verify:` sinks (as bench/rest-hammer.sh of the
# driver), then, under one JFR recording each: SECONDS with no request (the daemon's own allocation), and SECONDS
# of `wrk -t1 -c4` per path. Prints per path the requests, the bytes all threads allocated beyond the idle window,
# and bytes per request. Under a request flood this garbage is what the collector must keep up with: when it falls
# behind, ZGC relocates in place and a thread that reads a moved object, the engine's too, waits
# (docs/performance.md, issue 10).
# Environment: STREAMS=16 PORT=18090 DIST=<repo>/runtime/target/dist RUNDIR=/tmp/rest-alloc
# PATHS="/api/sources /api/sink/status/0 /api/sinks /api/ptp/status /api/version"
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
REPO=$(cd "$HERE/../../.." && pwd)
SECS=${1:-10}
STREAMS=${STREAMS:-16}
PORT=${PORT:-18090}
DIST=${DIST:-$REPO/runtime/target/dist}
RUNDIR=${RUNDIR:-/tmp/rest-alloc}
PATHS=${PATHS:-/api/sources /api/sink/status/0 /api/sinks /api/ptp/status /api/version}
command -v wrk >/dev/null || DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends wrk >/dev/null
command -v jq >/dev/null || DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends jq >/dev/null
[ -x "$DIST/aes67-daemon" ] || (cd "$REPO" && mvn -B -q -DskipTests package)
rm -rf "$RUNDIR"; mkdir -p "$RUNDIR/media"
jq --argjson p "$PORT" '.http_port = $p | .rtsp_port = ($p + 1) | .status_file = "" | .mdns_enabled = false
    | .ptp_mode = "master" | .rtp_mcast_base = "239.10.2.1" | .auto_sinks_update = false' "$DIST/daemon.conf" > "$RUNDIR/daemon.conf"
(cd "$RUNDIR" && exec "$DIST/aes67-daemon" -c daemon.conf > daemon.log 2>&1) &
daemon=$! # the JVM itself: the subshell and the launcher exec it
trap 'kill $daemon 2>/dev/null || true; wait 2>/dev/null || true' EXIT
api() { # METHOD PATH [BODY]
    curl -s -m 5 -X "$1" -H 'Content-Type: application/json' ${3:+-d "$3"} "http://127.0.0.1:$PORT/api$2"
}
for _ in $(seq 600); do api GET /ptp/status 2>/dev/null | grep -q '"locked"' && break; sleep 0.2; done
map='[0,1,2,3,4,5,6,7]'
for i in $(seq 0 $((STREAMS - 1))); do
    api PUT "/source/$i" '{"enabled":true,"name":"prbs '$i'","io":"test:prbs","max_samples_per_packet":48,"codec":"L24",
        "address":"","ttl":1,"payload_type":98,"dscp":34,"refclk_ptp_traceable":false,"map":'$map'}' >/dev/null
    api PUT "/sink/$i" '{"name":"verify '$i'","io":"verify:","use_sdp":false,"source":"http://127.0.0.1:'$PORT'/api/source/sdp/'$i'",
        "sdp":"","delay":480,"ignore_refclk_gmid":false,"map":'$map'}' >/dev/null
done
# warm-up: the JIT compiles the request path, Jetty's pool grows to what wrk needs
for p in $PATHS; do wrk -t1 -c4 -d5s "http://127.0.0.1:$PORT$p" >/dev/null; done
allocated() { # JFR file: bytes all threads allocated between the recording's first and last sample
    jfr print --json --events jdk.ThreadAllocationStatistics "$1" | python3 -c '
import json, sys
per = {}
for e in json.load(sys.stdin)["recording"]["events"]:
    v = e["values"]; per.setdefault((v.get("thread") or {}).get("javaName"), []).append(v["allocated"])
print(sum(max(s) - min(s) for s in per.values()))'
}
window() { # NAME [PATH]: one SECS window under JFR; prints "bytes requests"
    jcmd $daemon JFR.start name="$1" filename="$RUNDIR/$1.jfr" >/dev/null
    if [ $# -gt 1 ]; then
        wrk -t1 -c4 -d"${SECS}s" "http://127.0.0.1:$PORT$2" > "$RUNDIR/$1.wrk"
    else
        sleep "$SECS" # a measuring window, not synchronisation
    fi
    jcmd $daemon JFR.stop name="$1" >/dev/null
    local n=0
    [ $# -gt 1 ] && n=$(awk '/requests in/ {print $1}' "$RUNDIR/$1.wrk")
    echo "$(allocated "$RUNDIR/$1.jfr") $n"
}
read -r idle _ < <(window idle)
echo "alloc-per-request: $STREAMS + $STREAMS streams; $SECS s per window; idle window: $idle bytes"
k=0
for p in $PATHS; do
    k=$((k + 1))
    read -r bytes n < <(window "path$k" "$p")
    echo "  $p: $n requests, $((bytes - idle)) bytes beyond idle, $(( (bytes - idle) / (n > 0 ? n : 1) )) bytes per request"
done
