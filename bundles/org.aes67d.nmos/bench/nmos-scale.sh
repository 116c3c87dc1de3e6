#!/usr/bin/env bash
# nmos-scale.sh - scale-out benchmark (not CI): N daemons, each in its own network namespace (i15-0 .. i15-N-1) on
# one bridge, one NMOS test registry, a controller that connects each daemon's sender to the next daemon's receiver
# over IS-05. Prints PATCH-to-first-packet per connection, each daemon's RSS, the registry's load, and checks every
# recording bit-exact against what its sender plays.
#
#   N=8 DURATION=5 bundles/org.aes67d.nmos/bench/nmos-scale.sh     (root; needs the reactor built: mvn -o verify)
#
# PTP: daemon 0 is grandmaster (ptp_mode master), the others lock to it before any connection is made.
# Addresses: bridge i15br 10.15.0.254/24 (registry), daemon K at 10.15.0.(K+1), multicast 239.15.K.1.
set -euo pipefail
N=${N:-8}
DURATION=${DURATION:-5}
# JVM flags of every daemon: empty = the launcher's default (ZGC). Serial GC's stop-the-world young pauses
# (10-50 ms with 8 JVMs on 2 cores) stop the engine too and were what cut the recordings of earlier rounds.
DAEMON_JAVA_OPTS=${DAEMON_JAVA_OPTS:-}
# SIGNAL=file: each sender plays a looped PRBS WAV, each receiver records one, compared with compare-wav.py.
# SIGNAL=prbs: senders `test:prbs`, receivers `verify:` (the built-in verifier checks every sample live; no file
# threads, which at nice 0 starve on a crowded host and then insert silence that shifts a recording).
SIGNAL=${SIGNAL:-file}
case "$SIGNAL" in
    file) TX_IO=file:ref.wav; RX_IO=file:rx.wav ;;
    prbs) TX_IO=test:prbs; RX_IO=verify: ;;
    *) echo "nmos-scale: SIGNAL is file or prbs"; exit 2 ;;
esac
ROOT=$(cd "$(dirname "$0")/../../.." && pwd)
TESTBED=${TESTBED:-$ROOT/../shared/testbed}
LAUNCHER=$ROOT/runtime/target/dist/aes67-daemon
WORK=$(mktemp -d /tmp/i15-scale.XXXXXX)
BR=i15br
PORT=3210
[ "$(id -u)" = 0 ] || { echo "nmos-scale: must run as root (namespaces)"; exit 2; }
[ -x "$LAUNCHER" ] || { echo "nmos-scale: build first: $LAUNCHER missing"; exit 2; }
(cd "$ROOT" && mvn -B -o -q -pl bundles/org.aes67d.nmos -am test-compile dependency:build-classpath \
    -Dmdep.outputFile="$WORK/cp.txt" -Dmdep.includeScope=test >/dev/null)
CP="$ROOT/bundles/org.aes67d.nmos/target/test-classes:$ROOT/bundles/org.aes67d.nmos/target/classes:$(cat "$WORK/cp.txt")"

pids=()
cleanup() {
    for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
    wait 2>/dev/null || true
    for k in $(seq 0 $((N - 1))); do ip netns del "i15-$k" 2>/dev/null || true; ip link del "v15h$k" 2>/dev/null || true; done
    ip link del "$BR" 2>/dev/null || true
    echo "nmos-scale: files in $WORK"
}
trap cleanup EXIT

ip link add "$BR" type bridge mcast_snooping 0
ip addr add 10.15.0.254/24 dev "$BR"
ip link set "$BR" up
for k in $(seq 0 $((N - 1))); do
    ns=i15-$k
    ip netns add "$ns"
    ip link add "v15h$k" type veth peer name e15 netns "$ns"
    ip link set "v15h$k" master "$BR" up
    ip -n "$ns" addr add "10.15.0.$((k + 1))/24" dev e15
    ip -n "$ns" link set e15 up
    ip -n "$ns" link set lo up
    ip -n "$ns" route add 224.0.0.0/4 dev e15
done

java -Dnmos.schemas="$ROOT/../shared/peers/nmos-schemas" -cp "$CP" org.aes67d.nmos.internal.RegistryMain 10.15.0.254 $PORT > "$WORK/registry.log" 2>&1 &
pids+=($!)

for k in $(seq 0 $((N - 1))); do
    d=$WORK/d$k
    mkdir -p "$d/media"
    python3 "$TESTBED/gen-wav.py" "$d/media/ref.wav" --bits 24 --channels 2 --seconds 2 --seed $((k + 1)) >/dev/null
    python3 - "$ROOT/runtime/target/dist/daemon.conf" "$d/daemon.conf" "$k" "$d" <<'PY'
import json, sys
c = json.load(open(sys.argv[1])); k = int(sys.argv[3]); d = sys.argv[4]
c.update({"interface_name": "e15", "ip_addr": f"10.15.0.{k + 1}", "http_port": 8080, "custom_node_id": f"i15-{k}",
          "nmos_enabled": True, "nmos_registry_address": "10.15.0.254", "nmos_registry_port": 3210,
          "nmos_node_port": 3218, "nmos_label": f"i15 daemon {k}", "nmos_dns_sd": False, "mdns_enabled": False,
          "ptp_mode": "master" if k == 0 else "slave", "status_file": f"{d}/status.json", "media_dir": f"{d}/media", "log_severity": 3})
json.dump(c, open(sys.argv[2], "w"), indent=1)
PY
    JAVA_OPTS="$DAEMON_JAVA_OPTS" ip netns exec "i15-$k" "$LAUNCHER" -c "$d/daemon.conf" > "$d/daemon.log" 2>&1 &
    pids+=($!)
done

rest() { echo "http://10.15.0.$(( $1 + 1 )):8080"; }
for k in $(seq 0 $((N - 1))); do
    until ip netns exec "i15-$k" curl -sf "$(rest "$k")/api/version" >/dev/null; do sleep 0.2; done
    ip netns exec "i15-$k" curl -sf -X PUT "$(rest "$k")/api/source/0" -d "{\"enabled\":true,\"name\":\"tx $k\",
        \"io\":\"$TX_IO\",\"max_samples_per_packet\":48,\"codec\":\"L24\",\"address\":\"239.15.$k.1\",\"ttl\":15,
        \"payload_type\":98,\"dscp\":34,\"refclk_ptp_traceable\":false,\"map\":[0,1]}" >/dev/null
    ip netns exec "i15-$k" curl -sf -X PUT "$(rest "$k")/api/sink/0" -d "{\"name\":\"rx $k\",\"io\":\"$RX_IO\",
        \"use_sdp\":false,\"source\":\"\",\"sdp\":\"\",\"delay\":576,\"ignore_refclk_gmid\":true,\"map\":[0,1]}" >/dev/null
done
echo "nmos-scale: $N daemons up; waiting for PTP lock (daemon 0 is the grandmaster)"
for k in $(seq 0 $((N - 1))); do
    until ip netns exec "i15-$k" curl -sf "$(rest "$k")/api/ptp/status" | grep -q '"locked"'; do sleep 0.5; done
done

python3 "$(dirname "$0")/nmos-controller.py" http://10.15.0.254:$PORT "$N" "http://10.15.0.{}:8080"
sleep "$DURATION"  # recording time, not synchronisation

# every sink's verifier (glitches and their kinds since it was made) and each daemon's engine threads' CPU time,
# before anything is stopped
for k in $(seq 0 $((N - 1))); do
    v=$(ip netns exec "i15-$k" curl -sf "$(rest "$k")/api/sink/status/0" | python3 -c '
import json, sys
v = json.load(sys.stdin).get("verifier", {}).get("since_creation", {})
print(v.get("glitches"), {k: n for k, n in v.items() if n and k not in ("received", "glitches")})' || echo "?")
    # per second: arrival margins and glitches of each sink, for a closer look (d<K>/history.json)
    ip netns exec "i15-$k" curl -sf "$(rest "$k")/api/sinks/history" > "$WORK/d$k/history.json" || true
    pid=$(ip netns pids "i15-$k" | head -1)
    cpu=$(for t in /proc/"$pid"/task/*; do
        case "$(cat "$t/comm")" in aes67d-clock | aes67d-rx) echo "$(cat "$t/comm") $(awk '{printf "%.1f", ($14 + $15) / 100}' "$t/stat") s";; esac
    done | paste -sd, -)
    echo "nmos-scale: rx $k glitches $v; engine CPU $cpu"
done
if [ "$SIGNAL" = file ]; then
    # stop every recording (closes rx.wav) before comparing any: a comparison takes seconds of CPU, and a
    # recorder still running meanwhile starves (file threads run at nice 0) past its ring and drops frames
    for k in $(seq 0 $((N - 1))); do
        ip netns exec "i15-$k" curl -sf -X DELETE "$(rest "$k")/api/sink/0" >/dev/null
    done
fi
fails=0
for k in $(seq 0 $((N - 1))); do
    if [ "$SIGNAL" = prbs ]; then # the verifier's check of every sample since the sink locked to the signal
        sig=$(ip netns exec "i15-$k" curl -sf "$(rest "$k")/api/sink/status/0" | python3 -c '
import json, sys
s = json.load(sys.stdin).get("verifier", {}).get("signal", {})
ok = s.get("frames_checked", 0) > 0 and not (s.get("error_frames") or s.get("lost_frames") or s.get("shifts"))
print("ok" if ok else "bad", {k: s.get(k) for k in ("frames_checked", "error_frames", "lost_frames", "shifts")})' || echo "bad ?")
        case "$sig" in
            ok*) echo "nmos-scale: rx $k: bit-exact (verifier) ${sig#ok }" ;;
            *) echo "nmos-scale: rx $k: NOT bit-exact (verifier) ${sig#bad }"; fails=$((fails + 1)) ;;
        esac
        continue
    fi
    from=$(( (k + N - 1) % N ))
    python3 - "$WORK/d$from/media/ref.wav" "$WORK/d$k/ref-loop.wav" <<'PY'
import sys, wave
r = wave.open(sys.argv[1]); frames = r.readframes(r.getnframes())
w = wave.open(sys.argv[2], "wb"); w.setparams(r.getparams()); w.writeframes(frames * 20); w.close()
PY
    if out=$(python3 "$TESTBED/compare-wav.py" "$WORK/d$k/ref-loop.wav" "$WORK/d$k/media/rx.wav" 2>&1); then
        echo "nmos-scale: rx $k (from tx $from): bit-exact: $(echo "$out" | grep -i -m1 match || true)"
    else
        echo "nmos-scale: rx $k (from tx $from): NOT bit-exact: $out"; fails=$((fails + 1))
    fi
done
for k in $(seq 0 $((N - 1))); do
    pid=$(ip netns pids "i15-$k" | head -1)
    # PSS beside RSS: ZGC on JDK 17 maps its heap three times, and RSS counts each mapping
    echo "nmos-scale: daemon $k RSS $(awk '/VmRSS/ {print $2 " " $3}' "/proc/$pid/status"), PSS $(awk '/^Pss:/ {print $2 " " $3}' "/proc/$pid/smaps_rollup")"
done
tail -1 "$WORK/registry.log"
grep 'rejected' "$WORK/registry.log" || true
[ "$fails" -eq 0 ] && echo "nmos-scale: $N/$N recordings bit-exact" || { echo "nmos-scale: $fails recordings differ"; exit 1; }
