#!/usr/bin/env bash
# Memory of the HTTP streamer: the daemon's RSS with N sinks of C channels (tone sources on lo), with and without
# the streamer, each sink with one live listener. Needs the built runtime (mvn -pl runtime -am package).
# Usage: rss-8-sinks.sh [SECONDS=30] [SINKS=8] [CHANNELS=8] [FILES_NUM=8] [FILE_DURATION=1]
set -euo pipefail
cd "$(dirname "$0")/../../.."
secs=${1:-30}; sinks=${2:-8}; ch=${3:-8}; files=${4:-8}; dur=${5:-1}
jar=runtime/target/dist/aes67-daemon.jar
[ -f "$jar" ] || { echo "build first: mvn -B -pl runtime -am package -DskipTests"; exit 1; }
map=$(seq -s, 0 $((ch - 1)))
pid=""; listeners=(); dir=""
cleanup() {
    for l in "${listeners[@]}"; do kill "$l" 2>/dev/null || true; done
    [ -n "$pid" ] && kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null || true
    [ -n "$dir" ] && rm -rf "$dir"
    pid=""; listeners=(); dir=""
}
trap cleanup EXIT

run() { # $1 = true|false (streamer_enabled)
    local port
    dir=$(mktemp -d /tmp/aes67d-streamer-bench-XXXX)
    port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
    python3 - "$dir" "$1" "$files" "$dur" <<'PY'
import json, sys
d, enabled, files, dur = sys.argv[1], sys.argv[2] == "true", int(sys.argv[3]), int(sys.argv[4])
c = json.load(open("runtime/target/dist/daemon.conf"))
c.update(streamer_enabled=enabled, streamer_channels=64, streamer_files_num=files, streamer_file_duration=dur,
         rtp_mcast_base="239.14.0.1", rtp_port=5014, ptp_domain=114, mdns_enabled=False)
json.dump(c, open(d + "/daemon.conf", "w"), indent=2)
PY
    (cd "$dir" && exec java -jar "$OLDPWD/$jar" -c daemon.conf -p "$port" >"$dir/out.log" 2>&1) &
    pid=$!
    api="http://127.0.0.1:$port/api"
    until curl -sf "$api/ptp/status" | grep -q '"locked"'; do sleep 1; done
    for i in $(seq 0 $((sinks - 1))); do
        curl -sf -X PUT "$api/source/$i" -d "{\"enabled\": true, \"name\": \"tone $i\", \"io\": \"tone:1000@-18\",
            \"max_samples_per_packet\": 48, \"codec\": \"L24\", \"address\": \"\", \"ttl\": 15, \"payload_type\": 98,
            \"dscp\": 34, \"refclk_ptp_traceable\": false, \"map\": [$map]}"
        curl -sf -X PUT "$api/sink/$i" -d "{\"name\": \"sink $i\", \"io\": \"Audio Device\", \"use_sdp\": false,
            \"source\": \"$api/source/sdp/$i\", \"sdp\": \"\", \"delay\": 960, \"ignore_refclk_gmid\": false,
            \"map\": [$map]}"
    done
    if [ "$1" = true ]; then
        for i in $(seq 0 $((sinks - 1))); do
            until [ "$(curl -sf "$api/streamer/info/$i" | sed 's/.*"status":\([0-9]*\).*/\1/')" = 0 ]; do sleep 1; done
            curl -s -o /dev/null "$api/streamer/stream/$i" & listeners+=($!)
        done
    fi
    sleep "$secs"
    local rss; rss=$(awk '/VmRSS/ {print $2}' "/proc/$pid/status")
    local held=0
    if [ "$1" = true ]; then
        held=$(curl -sf "$api/streamer/status" | python3 -c 'import json,sys; s=json.load(sys.stdin)["sinks"];
print(sum(x["bytes_held"] for x in s), sum(x["dropped_frames"] for x in s), sum(x["live_skips"] for x in s),
      sum(x["encoded_bytes"] for x in s))')
    fi
    echo "streamer_enabled=$1: RSS $((rss / 1024)) MiB after ${secs} s; window+rings bytes, dropped frames, live skips, AAC bytes: $held"
    cleanup
}
echo "$sinks sinks x $ch ch L24 48 kHz, $files files x $dur s, ${secs} s"
run false
run true
