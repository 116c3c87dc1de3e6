#!/usr/bin/env bash
# scrape-cost.sh [SCRAPES] - what does a Prometheus scrape of /metrics cost with many streams? Runs the built
# daemon on lo (its own PTP grandmaster) with STREAMS sources (tone:, CHANNELS channels) and as many sinks receiving
# them, waits until every sink receives, then times SCRAPES (default 200) sequential GET /metrics with curl and
# prints the median, 95th percentile and largest time, the size and the number of samples of one scrape, the
# load average before and after, and whether promtool accepts the text. Also times GET /api/levels (the console's
# meter poll) and GET /api/version (the cost of any request on the host at that moment) the same way.
# Environment: STREAMS=64 CHANNELS=2 PORT=18190 DIST=<repo>/runtime/target/dist RUNDIR=/tmp/aes67d-scrape
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
REPO=$(cd "$HERE/../../.." && pwd)
SCRAPES=${1:-200}
STREAMS=${STREAMS:-64}
CHANNELS=${CHANNELS:-2}
PORT=${PORT:-18190}
DIST=${DIST:-$REPO/runtime/target/dist}
RUNDIR=${RUNDIR:-/tmp/aes67d-scrape}
command -v jq >/dev/null || DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends jq >/dev/null
[ -x "$DIST/aes67-daemon" ] || (cd "$REPO" && mvn -B -q -DskipTests package)
rm -rf "$RUNDIR"; mkdir -p "$RUNDIR"
jq --argjson p "$PORT" '.http_port = $p | .rtsp_port = ($p + 1) | .status_file = "" | .mdns_enabled = false
    | .ptp_mode = "master" | .rtp_mcast_base = "239.19.1.1" | .auto_sinks_update = false' "$DIST/daemon.conf" > "$RUNDIR/daemon.conf"
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
map=$(jq -cn --argjson n "$CHANNELS" '[range($n)]')
for i in $(seq 0 $((STREAMS - 1))); do
    api PUT "/source/$i" '{"enabled":true,"name":"tone '$i'","io":"tone:'$((500 + i * 10))'@-18","max_samples_per_packet":48,
        "codec":"L24","address":"","ttl":1,"payload_type":98,"dscp":34,"refclk_ptp_traceable":false,"map":'$map'}' >/dev/null
    api PUT "/sink/$i" '{"name":"sink '$i'","io":"Audio Device","use_sdp":false,"source":"http://127.0.0.1:'$PORT'/api/source/sdp/'$i'",
        "sdp":"","delay":576,"ignore_refclk_gmid":false,"map":'$map'}' >/dev/null
done
receiving=0
for _ in $(seq 300); do
    receiving=$(curl -s "http://127.0.0.1:$PORT/metrics" | grep -c '^aes67d_sink_receiving{.*} 1' || true)
    [ "$receiving" -ge "$STREAMS" ] && break
    sleep 0.2
done
echo "streams: $STREAMS sources + $STREAMS sinks x $CHANNELS channels, $receiving sinks receiving"
for _ in 1 2 3 4 5 6 7 8 9 10; do curl -s -o /dev/null "http://127.0.0.1:$PORT/metrics"; done # JIT warm-up
time_of() { # PATH: SCRAPES sequential GETs, one time (ms) per line, sorted
    for _ in $(seq "$SCRAPES"); do
        curl -s -o /dev/null -w '%{time_total}\n' "http://127.0.0.1:$PORT$1"
    done | awk '{ printf "%.3f\n", $1 * 1000 }' | sort -n
}
report() { # NAME TIMES
    echo "$1: n=$(wc -l <<<"$2") median $(awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}' <<<"$2") ms," \
        "p95 $(awk '{a[NR]=$1} END {print a[int(NR*0.95)]}' <<<"$2") ms, max $(tail -1 <<<"$2") ms"
}
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
metrics=$(time_of /metrics)
levels=$(time_of /api/levels)
baseline=$(time_of /api/version) # what any request costs on this host right now
echo "load average after:  $(cut -d' ' -f1-3 /proc/loadavg)"
report "GET /metrics" "$metrics"
report "GET /api/levels" "$levels"
report "GET /api/version (baseline)" "$baseline"
curl -s "http://127.0.0.1:$PORT/metrics" > "$RUNDIR/metrics.txt"
echo "one scrape: $(wc -c < "$RUNDIR/metrics.txt") bytes, $(grep -vc '^#' "$RUNDIR/metrics.txt") samples," \
    "$(grep -c '^aes67d_' "$RUNDIR/metrics.txt") of them aes67d_*"
if command -v promtool >/dev/null; then
    promtool check metrics < "$RUNDIR/metrics.txt" && echo "promtool check metrics: ok"
fi
