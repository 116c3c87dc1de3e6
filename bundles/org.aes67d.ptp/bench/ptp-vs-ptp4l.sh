#!/usr/bin/env bash
# ptp-vs-ptp4l.sh - run our PTP slave (org.aes67d.ptp, without OSGi) in namespace aes-dut against
# the ptp4l grandmaster of the shared test bed, next to ptp4l's reference slave in the same
# namespace and the same run, and print both sets of figures.
#
#   bench/ptp-vs-ptp4l.sh            (as root; builds the module if needed)
#   ROLE=master bench/ptp-vs-ptp4l.sh   the other way round: OUR grandmaster (ptp_mode=master) in
#                                       aes-gm, ptp4l's reference slave in aes-dut measuring it
#
# Environment (defaults):
#   DURATION=60          seconds both slaves run
#   TIMESTAMPING=kernel  our receive/transmit timestamps: kernel (SO_TIMESTAMPING) or user
#   TESTBED=/work/shared/testbed  (netns-up.sh, ptp-gm.sh, ptp-slave.sh)
#   ROLE=slave           slave: ours against ptp4l's GM; master: ptp4l's slave against our GM
#   RESTART_GM=1         restart the grandmaster so "lock after GM became master" is measured;
#                        0 keeps a running one
#   KEEP_BED=0           1 leaves the namespaces and the grandmaster running afterwards
#   SKIP=2               seconds after lock (ours) / after the first sample (ptp4l) left out
#   LOCK_NS=10000        our lock threshold (|offset| for 8 samples in a row); the daemon's default
#
# Both namespaces share CLOCK_REALTIME, which is also the grandmaster's time: the true offset is 0,
# any reported offset is measurement error. Our slave steers only its virtual clock, never the host.
set -euo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
MODULE=$(cd "$HERE/.." && pwd)
TESTBED=${TESTBED:-/work/shared/testbed}
DURATION=${DURATION:-60}
TIMESTAMPING=${TIMESTAMPING:-kernel}
RESTART_GM=${RESTART_GM:-1}
KEEP_BED=${KEEP_BED:-0}
SKIP=${SKIP:-2}
RUNDIR=${RUNDIR:-/tmp/aes-testbed}
OURLOG=$RUNDIR/ptp-bench-ours.log
REFLOG=$RUNDIR/ptp-bench-ptp4l.txt
CSV=$RUNDIR/ptp-bench-ours.csv

die() { echo "ptp-vs-ptp4l: ERROR: $*" >&2; exit 1; }
[ "$(id -u)" = 0 ] || die "must run as root (namespaces, ports 319/320)"
[ -x "$TESTBED/netns-up.sh" ] || die "test bed scripts not found in $TESTBED"
if ! command -v ptp4l >/dev/null; then
    echo "ptp-vs-ptp4l: installing linuxptp"
    DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends linuxptp >/dev/null
fi
command -v java >/dev/null || die "java not found"
mkdir -p "$RUNDIR"

# classpath: module classes + test classes (the runner) + JNA, slf4j-api and the API jar
if [ ! -d "$MODULE/target/test-classes/org/aes67d/ptp/bench" ]; then
    (cd "$MODULE" && mvn -B -q install -DskipTests) || die "build failed"
fi
(cd "$MODULE" && mvn -B -q -o dependency:build-classpath -Dmdep.outputFile="$RUNDIR/ptp-bench.cp" \
    -Dmdep.includeScope=test >/dev/null) || die "cannot compute the classpath (mvn dependency:build-classpath)"
CP="$MODULE/target/classes:$MODULE/target/test-classes:$(cat "$RUNDIR/ptp-bench.cp")"

ourpid=
cleanup() {
    [ -n "$ourpid" ] && kill "$ourpid" 2>/dev/null || true
    wait 2>/dev/null || true
    if [ "$KEEP_BED" != 1 ]; then
        "$TESTBED/ptp-gm.sh" stop >/dev/null 2>&1 || true
        "$TESTBED/netns-down.sh" >/dev/null 2>&1 || true
    fi
}
trap cleanup EXIT INT TERM

"$TESTBED/netns-up.sh" >/dev/null

if [ "${ROLE:-slave}" = master ]; then
    "$TESTBED/ptp-gm.sh" stop >/dev/null 2>&1 || true
    echo "ptp-vs-ptp4l: OUR grandmaster ($TIMESTAMPING timestamps) in aes-gm, ptp4l's reference slave in aes-dut, ${DURATION}s"
    ip netns exec aes-gm java -cp "$CP" org.aes67d.ptp.bench.PtpBench --iface veth-gm --mode master \
        --seconds "$((DURATION + 5))" --timestamping "$TIMESTAMPING" > "$OURLOG" 2>&1 &
    ourpid=$!
    for _ in $(seq 100); do grep -q 'ptp-bench: MASTER' "$OURLOG" 2>/dev/null && break; sleep 0.1; done
    grep 'ptp-bench: MASTER' "$OURLOG" || { cat "$OURLOG"; die "our grandmaster did not start"; }
    DURATION=$DURATION SKIP=$SKIP "$TESTBED/ptp-slave.sh" > "$REFLOG" 2>&1 || true
    wait "$ourpid" || true
    ourpid=
    echo "ptp-bench: ---- ptp4l reference slave locked to OUR grandmaster ----"
    cat "$REFLOG"
    grep -E 'foreign master|selected best master|UNCALIBRATED|SLAVE' "$RUNDIR/ptp-slave.log" | head -5
    exit 0
fi
[ "$RESTART_GM" = 1 ] && "$TESTBED/ptp-gm.sh" stop >/dev/null 2>&1 || true

# Start our slave first, then the grandmaster: the lock time then includes master selection.
echo "ptp-vs-ptp4l: our slave ($TIMESTAMPING timestamps) and ptp4l's reference slave, ${DURATION}s, in aes-dut"
ip netns exec aes-dut java -cp "$CP" org.aes67d.ptp.bench.PtpBench --iface veth-dut \
    --seconds "$((DURATION + 10))" --timestamping "$TIMESTAMPING" --skip "$SKIP" --csv "$CSV" \
    --lock-threshold-ns "${LOCK_NS:-10000}" \
    > "$OURLOG" 2>&1 &
ourpid=$!
"$TESTBED/ptp-gm.sh" > "$RUNDIR/ptp-bench-gm.txt"
grep -E '^GMID' "$RUNDIR/ptp-bench-gm.txt" || true
# GM became master: ptp4l's own log line "assuming the grand master role" (its clock is CLOCK_MONOTONIC
# seconds in the log prefix), converted to the epoch through the log's last line written now.
gm_epoch=$(python3 - "$RUNDIR/ptp-gm.log" <<'PY'
import re, sys, time
t_master = None
last = None
for line in open(sys.argv[1]):
    m = re.match(r'ptp4l\[(\d+\.\d+)\]: (.*)', line)
    if not m: continue
    if t_master is None and 'assuming the grand master role' in m.group(2):
        t_master = float(m.group(1))
# ptp4l's prefix is CLOCK_MONOTONIC seconds
mono_now = time.clock_gettime(time.CLOCK_MONOTONIC)
print("%.3f" % (time.time() - (mono_now - t_master)) if t_master else "nan")
PY
)
echo "ptp-vs-ptp4l: grandmaster became master at epoch $gm_epoch"
# the Java runner was given DURATION+10 s; the reference slave runs DURATION s alongside
DURATION=$DURATION SKIP=$SKIP "$TESTBED/ptp-slave.sh" > "$REFLOG" 2>&1 || true
wait "$ourpid" || true
ourpid=

# lock time relative to the GM's master transition (the runner printed it relative to its own start)
python3 - "$OURLOG" "$gm_epoch" <<'PY'
import re, sys
log, gm = sys.argv[1], sys.argv[2]
txt = open(log).read()
print(re.sub(r'^SLF4J.*\n', '', txt, flags=re.M), end='')
m = re.search(r'locked at epoch (\d+\.\d+)', txt)
if m and gm != 'nan':
    print("locked after GM master  : %.2f s" % (float(m.group(1)) - float(gm)))
PY
echo "ptp-bench: ---- ptp4l reference slave (same run, same namespace) ----"
cat "$REFLOG"
