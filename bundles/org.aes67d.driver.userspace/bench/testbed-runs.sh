#!/usr/bin/env bash
# testbed-runs.sh [RUNS] - the two-namespace scenario of issue 10, RUNS times (default 20), one line per run:
#   ptp4l grandmaster in $NS_GM; the daemon (the built runtime, PTP slave) in $NS_DUT on $VETH_DUT plays a
#   24-bit PRBS WAV as source 0 (L24/48k/2 ch, 48 frames) and records it with its own sink 0 (use_sdp false, the
#   source's /api/source/sdp/0, delay 576, file:own.wav) for 6 s; GStreamer records the same stream in $NS_GM. Each
#   recording is compared with the reference by the test bed's compare-wav.py; the line also gives the sink's
#   stream verifier counters and the source's skipped packets. A run is OK when both recordings are bit-exact.
#
# Environment (defaults): NS_GM=i10-gm NS_DUT=i10-dut VETH_GM=v10g VETH_DUT=v10d ADDR_GM=10.10.0.1/24
#   ADDR_DUT=10.10.0.2/24 (the test bed's scripts take the same names), TESTBED=/work/shared/testbed,
#   DIST=<repo>/runtime/target/dist (built with `mvn -B -DskipTests package` if missing), RECORD_S=6, WAV_S=14,
#   DELAY=576, LOCK_S=150 (a run whose daemon has not locked by then is skipped), KEEP_BED=0, LOAD=0 (1: stress-ng --cpu 2 niced to 10 beside every run), RUNDIR=/tmp/i10-testbed
# Needs root (namespaces); installs linuxptp, gstreamer and stress-ng when missing.
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
BENCH=testbed-runs
. "$HERE/testbed-common.sh"
RUNS=${1:-20}
RECORD_S=${RECORD_S:-6}
LOCK_S=${LOCK_S:-150}
WAV_S=${WAV_S:-14}
DELAY=${DELAY:-576}
KEEP_BED=${KEEP_BED:-0}
LOAD=${LOAD:-0}
RUNDIR=${RUNDIR:-/tmp/i10-testbed}
GROUP=239.10.0.1
PORT=5004

need ptp4l linuxptp
need gst-launch-1.0 gstreamer1.0-tools gstreamer1.0-plugins-base gstreamer1.0-plugins-good
need jq jq
[ "$LOAD" != 1 ] || need stress-ng stress-ng
install_needed
mkdir -p "$RUNDIR"

daemon=
gst=
load=
cleanup() {
    [ -z "$daemon" ] || kill "$daemon" 2>/dev/null || true
    [ -z "$gst" ] || kill "$gst" 2>/dev/null || true
    [ -z "$load" ] || kill "$load" 2>/dev/null || true
    wait 2>/dev/null || true
    if [ "$KEEP_BED" != 1 ]; then
        NS="$NS_GM" IFACE="$VETH_GM" RUNDIR="$RUNDIR" "$TESTBED/ptp-gm.sh" stop >/dev/null 2>&1 || true
        "$TESTBED/netns-down.sh" >/dev/null 2>&1 || true
    fi
}
trap cleanup EXIT

QUIET=1 "$TESTBED/netns-up.sh" >/dev/null
NS="$NS_GM" IFACE="$VETH_GM" RUNDIR="$RUNDIR" "$TESTBED/ptp-gm.sh" start >/dev/null
# longer than a run's recording, so that the whole recording is compared without a wrap of the looped file
python3 "$TESTBED/gen-wav.py" "$RUNDIR/ref.wav" --bits 24 --channels 2 --seconds "$WAV_S" --pattern prbs >/dev/null

wait_for() { # SECONDS COMMAND...: polls every 0.2 s
    local end=$((SECONDS + $1)); shift
    until "$@" >/dev/null 2>&1; do [ $SECONDS -lt $end ] || return 1; sleep 0.2; done
}
locked() { api GET /ptp/status | grep -q '"status" *: *"locked"'; }
compare() { # REF RX -> one short line
    local out rc=0
    out=$(python3 "$TESTBED/compare-wav.py" "$1" "$2" 2>&1) || rc=$?
    echo "$rc $(echo "$out" | grep -E '^(compared|matched|RESULT|first error)' | tr '\n' ' ' | sed 's/  */ /g; s/ (.*samples)//; s/overlapping the reference//')"
}

ok=0
skipped=0
for run in $(seq 1 "$RUNS"); do
    dir=$RUNDIR/run$run
    rm -rf "$dir"; mkdir -p "$dir/media"
    cp "$RUNDIR/ref.wav" "$dir/media/ref.wav"
    jq --arg ifc "$VETH_DUT" '.interface_name = $ifc | .ptp_mode = "slave" | .status_file = "" | .mdns_enabled = false
        | .media_dir = "./media"' "$DIST/daemon.conf" > "$dir/daemon.conf"
    [ "$LOAD" != 1 ] || { nice -n 10 stress-ng --cpu 2 --timeout 0 >/dev/null 2>&1 & load=$!; }
    (cd "$dir" && exec ip netns exec "$NS_DUT" "$DIST/aes67-daemon" -c daemon.conf >daemon.log 2>&1) &
    daemon=$!
    if ! wait_for "$LOCK_S" locked; then
        # not a verdict on the audio path: the daemon did not start or lock in time (a heavily loaded host)
        echo "run $run: SKIP (PTP not locked $LOCK_S s after start; $dir/daemon.log)"
        skipped=$((skipped + 1))
        kill "$daemon"; wait "$daemon" 2>/dev/null || true; daemon=; continue
    fi
    NS="$NS_GM" IFACE="$VETH_GM" ADDR=$GROUP PORT=$PORT CODEC=L24 CHANNELS=2 PT=98 WAV_OUT="$dir/gst.wav" \
        DURATION=$((RECORD_S + 3)) "$TESTBED/rtp-recv-gst.sh" >"$dir/gst.log" 2>&1 &
    gst=$!
    sleep 1
    api PUT /source/0 '{"enabled":true,"name":"ref","io":"file:ref.wav","max_samples_per_packet":48,"codec":"L24",
        "address":"'$GROUP'","ttl":15,"payload_type":98,"dscp":34,"refclk_ptp_traceable":false,"map":[0,1]}' >/dev/null
    api PUT /sink/0 '{"name":"own","io":"file:own.wav","use_sdp":false,"source":"http://'$DUT_IP':8080/api/source/sdp/0",
        "sdp":"","delay":'$DELAY',"ignore_refclk_gmid":false,"map":[0,1]}' >/dev/null
    sleep "$RECORD_S"
    status=$(api GET /sink/status/0)
    api GET /sinks/history > "$dir/history.json" || true # per second: arrival margins and glitches, for a closer look
    api DELETE /sink/0 >/dev/null
    wait "$gst" 2>/dev/null || true; gst=
    kill "$daemon"; wait "$daemon" 2>/dev/null || true; daemon=
    [ -z "$load" ] || { kill "$load"; wait "$load" 2>/dev/null || true; load=; }
    own=$(compare "$RUNDIR/ref.wav" "$dir/media/own.wav")
    ref=$(compare "$RUNDIR/ref.wav" "$dir/gst.wav")
    v=$(echo "$status" | jq -c '.verifier | {glitches, aligned, c: (.since_creation | with_entries(select(.value != 0)))}' 2>/dev/null || echo "$status")
    if [ "${own%% *}" = 0 ] && [ "${ref%% *}" = 0 ]; then verdict=OK; ok=$((ok + 1)); else verdict=FAIL; fi
    ptp=$(grep -c 'PTP unlocked\|PTP locking' "$dir/daemon.log" || true)
    echo "run $run: $verdict own: ${own#* } | gst: ${ref#* } | verifier: $v | PTP state changes after start: $ptp"
done
echo "testbed-runs: $ok of $((RUNS - skipped)) runs bit-exact (own sink and GStreamer), $skipped skipped (no PTP lock)," \
    "delay $DELAY, load $LOAD; files in $RUNDIR"
[ "$ok" = "$((RUNS - skipped))" ]
