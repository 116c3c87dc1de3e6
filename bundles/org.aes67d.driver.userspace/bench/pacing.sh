#!/usr/bin/env bash
# pacing.sh [SECONDS] - the sender's pacing as a receiver on another host sees it. Two namespaces joined by a veth
# (the test bed's netns-up.sh), ptp4l grandmaster in $NS_GM, the daemon (the built runtime, PTP slave) in $NS_DUT
# sending source 0 (`test:prbs`, L24, CHANNELS channels, FRAMES frames per packet) to a multicast group; in $NS_GM
# arrivals.py takes the kernel receive timestamp of every packet for SECONDS (default 60) and prints the
# inter-arrival intervals (p50/p99/p99.99/max), the bursts (two packets closer than half a packet time) and the
# intervals longer than the packet time + 100 us. LOAD=1 runs `nice -n 10 stress-ng --cpu 2` beside it. Also
# prints the load average and the hypervisor's steal time over the window.
# Environment: NS_GM=i10-gm NS_DUT=i10-dut VETH_GM=v10g VETH_DUT=v10d ADDR_GM=10.10.0.1/24 ADDR_DUT=10.10.0.2/24
#   CHANNELS=2 FRAMES=48 LOAD=0 TESTBED=/work/shared/testbed DIST=<repo>/runtime/target/dist RUNDIR=/tmp/i10-pacing
# Needs root; installs linuxptp, jq and stress-ng (LOAD=1) when missing.
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
BENCH=pacing
. "$HERE/testbed-common.sh"
SECS=${1:-60}
RUNDIR=${RUNDIR:-/tmp/i10-pacing}
CHANNELS=${CHANNELS:-2}
FRAMES=${FRAMES:-48}
LOAD=${LOAD:-0}
GROUP=239.10.0.2
PORT=5004
need ptp4l linuxptp
need jq jq
[ "$LOAD" != 1 ] || need stress-ng stress-ng
install_needed
rm -rf "$RUNDIR"; mkdir -p "$RUNDIR"

daemon=
load=
cleanup() {
    [ -z "$daemon" ] || kill "$daemon" 2>/dev/null || true
    [ -z "$load" ] || kill "$load" 2>/dev/null || true
    wait 2>/dev/null || true
    NS="$NS_GM" IFACE="$VETH_GM" RUNDIR="$RUNDIR" "$TESTBED/ptp-gm.sh" stop >/dev/null 2>&1 || true
    "$TESTBED/netns-down.sh" >/dev/null 2>&1 || true
}
trap cleanup EXIT
QUIET=1 "$TESTBED/netns-up.sh" >/dev/null
NS="$NS_GM" IFACE="$VETH_GM" RUNDIR="$RUNDIR" "$TESTBED/ptp-gm.sh" start >/dev/null

jq --arg ifc "$VETH_DUT" '.interface_name = $ifc | .ptp_mode = "slave" | .status_file = "" | .mdns_enabled = false' "$DIST/daemon.conf" > "$RUNDIR/daemon.conf"
(cd "$RUNDIR" && exec ip netns exec "$NS_DUT" "$DIST/aes67-daemon" -c daemon.conf > daemon.log 2>&1) &
daemon=$!
end=$((SECONDS + 150))
until api GET /ptp/status 2>/dev/null | grep -q '"status" *: *"locked"'; do
    [ $SECONDS -lt $end ] || die "PTP not locked 150 s after start ($RUNDIR/daemon.log)"
    sleep 0.2
done
map=$(jq -nc --argjson n "$CHANNELS" '[range($n)]')
api PUT /source/0 '{"enabled":true,"name":"pacing","io":"test:prbs","max_samples_per_packet":'$FRAMES',"codec":"L24",
    "address":"'$GROUP'","ttl":15,"payload_type":98,"dscp":34,"refclk_ptp_traceable":false,"map":'$map'}' >/dev/null
sleep 5 # past the engine threads' switch to real-time priority (3 s after the stream starts)
[ "$LOAD" != 1 ] || { nice -n 10 stress-ng --cpu 2 --timeout 0 >/dev/null 2>&1 & load=$!; }
steal() { awk '/^cpu /{print $9}' /proc/stat; }
s0=$(steal)
packet_us=$(awk -v f="$FRAMES" 'BEGIN{print f * 1000000 / 48000}')
echo "pacing: source 0 L24 $CHANNELS ch x $FRAMES frames ($packet_us us) from $NS_DUT, received in $NS_GM for $SECS s, load $LOAD"
ip netns exec "$NS_GM" python3 "$HERE/arrivals.py" "$GROUP" "$PORT" "$SECS" "$packet_us" "$GM_IP"
s1=$(steal)
echo "pacing: load average $(cut -d' ' -f1-3 /proc/loadavg), steal $(( (s1 - s0) * 10 )) ms of CPU time over the window"
