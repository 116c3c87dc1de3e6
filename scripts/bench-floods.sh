#!/usr/bin/env bash
# Flood benchmark (docs/security.md): the built daemon in a network namespace of its own (so the flood reaches no
# other process on this host), a tone source looped into a recording sink, then N distinct SAP announcements in
# SECONDS seconds and RTSP_CONNS connections held open. Prints the daemon's RSS and heap before and after, the
# browse table size, whether the API still answers and whether the sink still receives. HTTP_CONNS connections to the
# REST port are held for the whole flood, each stuck in the middle of its request headers (a "slow loris"); the
# time a fresh REST request takes during the flood is printed.
# The daemon runs through the launcher (runtime/target/dist/aes67-daemon), so it has the JVM flags a user's daemon has;
# JAVA_OPTS replaces its heap and collector as it does there. The GC's pauses and ZGC's allocation stalls of the
# whole run are printed at the end.
# Usage (root): [JAVA_OPTS=...] scripts/bench-floods.sh [N=100000] [SECONDS=60] [RTSP_CONNS=1000] [HTTP_CONNS=1000]
set -euo pipefail
cd "$(dirname "$0")/.."
N=${1:-100000}; SECS=${2:-60}; CONNS=${3:-1000}; HTTP_CONNS=${4:-1000}
ulimit -n 65536 2>/dev/null || ulimit -n "$(ulimit -Hn)" # the flood's own sockets
NS=i18-bench
LAUNCHER=runtime/target/dist/aes67-daemon
[ -x "$LAUNCHER" ] || { echo "build first: mvn -B -DskipTests verify" >&2; exit 1; }
opts=${JAVA_OPTS:-$(sed -n 's/^default_opts="\(.*\)"$/\1/p' runtime/src/main/dist/aes67-daemon)}
work=$(mktemp -d)
LOG_COPY=${BENCH_LOG:-/tmp/bench-floods-daemon.log}
cleanup() {
    [ -n "${pid:-}" ] && kill "$pid" 2>/dev/null && sleep 2
    cp "$work/daemon.log" "$LOG_COPY" 2>/dev/null || true
    ip netns del "$NS" 2>/dev/null || true
    rm -rf "$work"
}
trap cleanup EXIT
ip netns add "$NS"
ip -n "$NS" link set lo up
cp runtime/target/dist/daemon.conf "$work/"
mkdir -p "$work/media"
in_ns() { ip netns exec "$NS" "$@"; }
repo=$PWD
cd "$work"
JAVA_OPTS="$opts -Xlog:gc*:file=$work/gc.log:uptime" AES67D_CDS=off \
    ip netns exec "$NS" "$repo/$LAUNCHER" -c daemon.conf -p 8080 > daemon.log 2>&1 &
pid=$! # ip netns exec execs the launcher, which execs java: this is the daemon's JVM
cd "$repo"
api() { in_ns curl -s "$@"; }
for _ in $(seq 120); do api -f -o /dev/null http://127.0.0.1:8080/api/version && break; sleep 1; done
api -X PUT -d '{"enabled": true, "name": "tone", "io": "tone:1000@-18", "max_samples_per_packet": 48, "codec": "L24", "ttl": 15, "payload_type": 98, "dscp": 34, "refclk_ptp_traceable": false, "map": [0, 1]}' http://127.0.0.1:8080/api/source/0
sdp=$(api http://127.0.0.1:8080/api/source/sdp/0)
api -X PUT -d "$(python3 -c 'import json,sys; print(json.dumps({"name": "rec", "io": "file:rec.wav", "use_sdp": True,
    "source": "", "sdp": sys.argv[1], "delay": 480, "ignore_refclk_gmid": False, "map": [0, 1]}))' "$sdp")" \
    http://127.0.0.1:8080/api/sink/0
sleep 10
jpid=$pid
figures() {
    echo "$1: rss $(ps -o rss= -p "$jpid" | tr -d ' ') KiB, heap $(jcmd "$jpid" GC.heap_info 2>/dev/null | grep -o 'used [0-9]*K' | head -1)," \
        "browse entries $(api http://127.0.0.1:8080/api/browse/sources/sap | grep -c '"id"'), sink receiving:" \
        "$(api http://127.0.0.1:8080/api/sink/status/0 | tr -d ' \n' | grep -o '"receiving_rtp_packet":[a-z]*')"
}
echo "JAVA_OPTS: $opts; java: $(java -version 2>&1 | head -1)"
figures before
start=$(date +%s.%N)
in_ns python3 - "$N" "$SECS" "$CONNS" "$HTTP_CONNS" <<'PY'
import socket, struct, sys, time
n, secs, conns, http_conns = int(sys.argv[1]), float(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
held = []
for i in range(conns):  # RTSP connections held open for the whole flood
    try:
        c = socket.create_connection(("127.0.0.1", 8854), timeout=2); held.append(c)
    except OSError:
        pass
held_http = []
for i in range(http_conns):  # REST connections stuck in their headers for the whole flood
    try:
        c = socket.create_connection(("127.0.0.1", 8080), timeout=2)
        c.sendall(b"GET /api/version HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ")
        held_http.append(c)
    except OSError:
        pass
def rest_ms():
    t = time.monotonic()
    try:
        c = socket.create_connection(("127.0.0.1", 8080), timeout=10)
        c.sendall(b"GET /api/version HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
        ok = c.recv(64).startswith(b"HTTP/1.1 200")
        c.close()
        return (time.monotonic() - t) * 1000 if ok else None
    except OSError:
        return None
rest_times = []
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.setsockopt(socket.IPPROTO_IP, socket.IP_MULTICAST_IF, socket.inet_aton("127.0.0.1"))
s.bind(("127.0.0.1", 0))
t0 = time.monotonic()
for i in range(n):
    sdp = ("v=0\r\no=- %d 1 IN IP4 127.0.0.1\r\ns=flood %d\r\nt=0 0\r\nm=audio 5004 RTP/AVP 97\r\n"
           "c=IN IP4 239.9.%d.%d/15\r\na=rtpmap:97 L24/48000/2\r\n" % (100000 + i, i, (i >> 8) & 255, i & 255)).encode()
    pkt = struct.pack("!BBH4s", 0x20, 0, i & 0xFFFF, socket.inet_aton("127.0.0.1")) + b"application/sdp\0" + sdp
    s.sendto(pkt, ("239.255.255.255", 9875))
    if i % max(1, n // 20) == 0:
        rest_times.append(rest_ms())
    ahead = (i + 1) * secs / n - (time.monotonic() - t0)
    if ahead > 0:
        time.sleep(ahead)
print("sent %d SAP announcements in %.1f s; RTSP connections opened and held: %d of %d (the server keeps 512)"
      % (n, time.monotonic() - t0, len(held), conns))
answered = [t for t in rest_times if t is not None]
print("REST connections held in their headers: %d of %d; a fresh REST request during the flood: %d of %d answered, "
      "slowest %.0f ms" % (len(held_http), http_conns, len(answered), len(rest_times), max(answered or [0])))
open_after = 0
for c in held_http:  # which of the stuck connections the daemon has closed by now (its idle timeout)
    c.setblocking(False)
    try:
        open_after += 0 if c.recv(1) == b"" else 1
    except BlockingIOError:
        open_after += 1
    except OSError:
        pass
print("stuck REST connections still open at the end: %d" % open_after)
PY
figures after
# Every pause of -Xlog:gc* over the whole run, and ZGC's allocation stalls (a control thread waiting for the collector).
python3 - "$work/gc.log" <<'PY'
import re, sys
pauses, stalls = [], []
for line in open(sys.argv[1], errors="replace"):
    m = re.search(r"Pause.* ([0-9.]+)ms$", line.strip())
    if m:
        pauses.append(float(m.group(1)))
    m = re.search(r"Allocation Stall \((.*)\) ([0-9.]+)ms", line)
    if m:
        stalls.append((float(m.group(2)), m.group(1)))
print("GC pauses: %d, max %.3f ms; allocation stalls: %d%s" % (len(pauses), max(pauses or [0]), len(stalls),
      ", max %.1f ms (%s)" % max(stalls) if stalls else ""))
PY
echo "elapsed $(echo "$(date +%s.%N) - $start" | bc) s; daemon log lines: $(wc -l < "$work/daemon.log"), warnings: $(grep -c WARN "$work/daemon.log") (log kept in $LOG_COPY)"
