#!/usr/bin/env bash
# Benchmark (not part of CI): RSS and GC pauses of the daemon with 64 sources + 64 sinks streaming on loopback.
#   scripts/bench-memory.sh ["JAVA_OPTS"]     e.g. scripts/bench-memory.sh "-XX:+UseZGC -Xms64m -Xmx64m"
# Starts runtime/target/dist/aes67-daemon in a temp folder on a free port, adds 64 tone sources and 64 sinks fed
# by them, lets them stream for ${BENCH_SECONDS:-30} s, then prints VmRSS/VmHWM, the live heap after the last GC
# and the GC pause figures from -Xlog:gc (count, max, mean). JAVA=... picks another JDK.
set -euo pipefail
cd "$(dirname "$0")/.."
opts=${1:--XX:+UseZGC -Xms256m -Xmx256m}
dist=$PWD/runtime/target/dist
work=$(mktemp -d)
port=$((20000 + RANDOM % 20000))
sed "s/\"http_port\": [0-9]*/\"http_port\": $port/; s/\"rtsp_port\": [0-9]*/\"rtsp_port\": $((port + 1))/" \
    "$dist/daemon.conf" >"$work/daemon.conf"
mkdir -p "$work/media"
(cd "$work" && JAVA_OPTS="$opts -Xlog:gc*:file=$work/gc.log:uptime" AES67D_CDS=off exec "$dist/aes67-daemon" \
    -c daemon.conf) >"$work/out.log" 2>&1 &
pid=$!
trap 'kill $pid 2>/dev/null; wait $pid 2>/dev/null; rm -rf "$work"' EXIT
api=http://127.0.0.1:$port/api
for _ in $(seq 1200); do curl -sf "$api/version" >/dev/null && break; sleep 0.1; done
for id in $(seq 0 63); do
    curl -s -m 20 -X PUT -d "{\"enabled\": true, \"name\": \"b$id\", \"io\": \"tone:$((200 + id * 10))@-18\", \"max_samples_per_packet\": 48, \"codec\": \"L24\", \"ttl\": 15, \"payload_type\": 98, \"dscp\": 34, \"refclk_ptp_traceable\": false, \"map\": [0, 1]}" "$api/source/$id" >/dev/null
done
for id in $(seq 0 63); do
    curl -s -m 20 -X PUT -d "{\"name\": \"r$id\", \"io\": \"Audio Device\", \"use_sdp\": false, \"source\": \"$api/source/sdp/$id\", \"delay\": 576, \"ignore_refclk_gmid\": false, \"map\": [0, 1]}" "$api/sink/$id" >/dev/null
done
sleep "${BENCH_SECONDS:-30}"
receiving=0
for id in $(seq 0 63); do
    curl -sf "$api/sink/status/$id" | tr -d ' \n' | grep -q '"receiving_rtp_packet":true' && receiving=$((receiving + 1))
done
echo "JAVA_OPTS: $opts"
echo "sinks receiving: $receiving of 64; PTP: $(curl -sf "$api/ptp/status" | tr -d '\n ')"
# ZGC on JDK 17 maps its heap three times (colored pointers), and RSS counts each mapping: PSS counts a page once.
echo "java: $("${JAVA:-java}" -version 2>&1 | head -1)"
echo "$(grep -E '^Vm(RSS|HWM)' /proc/$pid/status | tr -s ' \t' ' ' | tr '\n' ' ')$(grep -E '^Pss:' /proc/$pid/smaps_rollup | tr -s ' ')"

grep -E 'Garbage Collection|Pause Young|Pause Full' "$work/gc.log" | tail -1
grep -E 'Pause' "$work/gc.log" | grep -oE '[0-9.]+ms$' | awk '{ ms = $1; sub("ms", "", ms); n++; s += ms; if (ms > m) m = ms }
    END { if (n) printf "GC pauses: %d, max %.3f ms, mean %.3f ms\n", n, m, s / n; else print "GC pauses: none" }'
