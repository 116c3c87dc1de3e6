#!/usr/bin/env bash
# Benchmark (not part of CI): RSS and GC pauses of the daemon with 64 sources + 64 sinks streaming on loopback.
#   scripts/bench-memory.sh ["JAVA_OPTS"]     e.g. scripts/bench-memory.sh "-XX:+UseZGC -Xms64m -Xmx64m"
# Starts runtime/target/dist/aes67-daemon in a temp folder on a free port, adds 64 tone sources and 64 sinks fed
# by them, lets them stream for ${BENCH_SECONDS:-30} s, then prints VmRSS/VmHWM, the live heap after the last GC
# and the GC pause figures from -Xlog:gc (count, max, mean). JAVA=... picks another JDK. Load average and steal
# time (ms, over the streaming window) are printed beside the figures: on a shared VM they explain loss and pauses.
# BENCH_ALLOC=1: a JFR recording over the streaming window prints the allocation rate per thread (top 5; JFR's own
# buffers add to the RSS, so RSS figures come from runs without it). BENCH_DIST=folder runs another build;
# BENCH_GCLOG=file keeps the GC log.
set -euo pipefail
cd "$(dirname "$0")/.."
opts=${1:-$(sed -n 's/^default_opts="\(.*\)"$/\1/p' runtime/src/main/dist/aes67-daemon)}
streams=${BENCH_STREAMS:-64}
dist=${BENCH_DIST:-$PWD/runtime/target/dist}
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
for id in $(seq 0 $((streams - 1))); do
    curl -s -m 20 -X PUT -d "{\"enabled\": true, \"name\": \"b$id\", \"io\": \"tone:$((200 + id * 10))@-18\", \"max_samples_per_packet\": 48, \"codec\": \"L24\", \"ttl\": 15, \"payload_type\": 98, \"dscp\": 34, \"refclk_ptp_traceable\": false, \"map\": [0, 1]}" "$api/source/$id" >/dev/null
done
for id in $(seq 0 $((streams - 1))); do
    curl -s -m 20 -X PUT -d "{\"name\": \"r$id\", \"io\": \"Audio Device\", \"use_sdp\": false, \"source\": \"$api/source/sdp/$id\", \"delay\": 576, \"ignore_refclk_gmid\": false, \"map\": [0, 1]}" "$api/sink/$id" >/dev/null
done
sleep "${BENCH_WARMUP:-0}" # BENCH_WARMUP=s: measure the steady state, not the minute the streams are set up in
steal() { awk '/^cpu /{ print $9 * 10 }' /proc/stat; }
steal0=$(steal)
t0=$(ps -o etimes= -p $pid | tr -d ' ') # the JVM's uptime (s) when the window starts, as -Xlog's uptime counts
if [ "${BENCH_ALLOC:-0}" = 1 ]; then
    "${JCMD:-jcmd}" $pid JFR.start name=alloc filename="$work/alloc.jfr" >/dev/null
fi
sleep "${BENCH_SECONDS:-30}"
if [ "${BENCH_ALLOC:-0}" = 1 ]; then
    "${JCMD:-jcmd}" $pid JFR.stop name=alloc >/dev/null
    # jdk.ThreadAllocationStatistics: bytes each thread allocated so far, at the recording's start and end
    "${JFR:-jfr}" print --json --events jdk.ThreadAllocationStatistics "$work/alloc.jfr" | python3 -c '
import json, sys, datetime
ev = json.load(sys.stdin)["recording"]["events"]
per = {}
for e in ev:
    v = e["values"]; t = datetime.datetime.fromisoformat(v["startTime"][:26].rstrip("Z"))
    name = (v.get("thread") or {}).get("javaName") or "?"
    per.setdefault(name, []).append((t, v["allocated"]))
rates = []
for name, s in per.items():
    s.sort(); secs = (s[-1][0] - s[0][0]).total_seconds()
    if secs > 0:
        rates.append(((s[-1][1] - s[0][1]) / secs, name))
rates.sort(reverse=True)
print("allocation, MB/s, total %.2f; top: %s" % (sum(r for r, _ in rates) / 1e6,
      ", ".join("%s %.3f" % (n, r / 1e6) for r, n in rates[:5])))'
fi
echo "load average: $(cut -d" " -f1-3 /proc/loadavg); steal over the window: $(( $(steal) - steal0 )) ms of ${BENCH_SECONDS:-30} s x 2 cores"
echo "JAVA_OPTS: $opts${MALLOC_ARENA_MAX:+ (MALLOC_ARENA_MAX=$MALLOC_ARENA_MAX)}"
# Every sink's verifier since it was created: packets lost and late, and all glitches (see docs/streams.md).
for id in $(seq 0 $((streams - 1))); do curl -sf "$api/sink/status/$id"; echo "%%"; done | python3 -c '
import json, sys
n = r = lost = late = glitches = 0
for doc in sys.stdin.read().split("%%"):
    if not doc.strip():
        continue
    s = json.loads(doc); n += 1; r += bool(s.get("sink_flags", {}).get("receiving_rtp_packet"))
    v = s.get("verifier", {}).get("since_creation", {})
    lost += v.get("lost", 0); late += v.get("late", 0); glitches += v.get("glitches", 0)
print(f"sinks receiving: {r} of {n}; packets lost {lost}, late {late}; glitches {glitches}")'
# ZGC on JDK 17 maps its heap three times (colored pointers), and RSS counts each mapping: PSS counts a page once.
echo "java: $("${JAVA:-java}" -version 2>&1 | head -1)"
echo "$(grep -E '^Vm(RSS|HWM)' /proc/$pid/status | tr -s ' \t' ' ' | tr '\n' ' ')$(grep -E '^Pss:' /proc/$pid/smaps_rollup | tr -s ' ')"
echo "threads: $(ls /proc/$pid/task | wc -l) ($(cat /proc/$pid/task/*/comm | sed 's/[0-9]\+/N/g' | sort | uniq -c | sort -rn \
    | awk '{ c = $1; $1 = ""; printf "%s%d%s", sep, c, $0; sep = ", " }'))"
# With -XX:NativeMemoryTracking=summary in JAVA_OPTS: where the memory beyond the heap goes, per JVM area.
case "$opts" in *NativeMemoryTracking*)
    "${JCMD:-jcmd}" $pid VM.native_memory summary | grep -E '^(Total|-  *[A-Z])' | sed 's/(reserved=[0-9]*KB, //' ;;
esac

grep -E 'Collection \(.*->|Pause Young|Pause Full' "$work/gc.log" | tail -1 || true
# ZGC: a thread that allocates while the heap is full waits for the collector (a stall, not a pause); counted for
# the whole run and for the measured window alone (after the set-up and BENCH_WARMUP); not ZGC's statistics table
{ grep -E 'Allocation Stall \(' "$work/gc.log" || true; } | sed 's/^\[\([0-9.]*\)s\].* \([0-9.]*\)ms$/\1 \2/' | awk -v t0="$t0" '
    { n++; if ($2 > m) m = $2; if ($1 >= t0) { w++; if ($2 > wm) wm = $2 } }
    END { printf "allocation stalls: %d, max %.1f ms; in the window: %d, max %.1f ms\n", n, m, w, wm }'
[ -z "${BENCH_GCLOG:-}" ] || cp "$work/gc.log" "$BENCH_GCLOG"
{ grep -E 'Pause' "$work/gc.log" || true; } | grep -oE '[0-9.]+ms$' | awk '{ ms = $1; sub("ms", "", ms); ms += 0; n++; s += ms; if (ms > m) m = ms }
    END { if (n) printf "GC pauses: %d, max %.3f ms, mean %.3f ms\n", n, m, s / n; else print "GC pauses: none" }'
