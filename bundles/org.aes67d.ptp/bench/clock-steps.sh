#!/usr/bin/env bash
# clock-steps.sh - how PTP locks while something steps the host's CLOCK_REALTIME (an NTP client, a VM
# time-sync agent): runs PtpNodeLoopbackTest (grandmaster and slave on lo, kernel timestamps) RUNS times
# quietly and RUNS times while CLOCK_REALTIME is stepped by +STEP_MS, then -STEP_MS, every PERIOD_S, and
# prints the time to lock, the true error, the rms offset and the spikes of each run.
#
#   bench/clock-steps.sh          (as root, from a built tree: the reactor's first build must have run)
#
# Environment (defaults): RUNS=3, STEP_MS=5, PERIOD_S=0.25
# WARNING: it steps this machine's system clock (the steps cancel out; a time-sync daemon may also react).
set -euo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../../.." && pwd)
RUNS=${RUNS:-3}
STEP_MS=${STEP_MS:-5}
PERIOD_S=${PERIOD_S:-0.25}
[ "$(id -u)" = 0 ] || { echo "clock-steps: must run as root (clock_settime, ports 319/320)" >&2; exit 1; }

stepper() {
    python3 - "$STEP_MS" "$PERIOD_S" <<'PY'
import sys, time
step, period, sign = float(sys.argv[1]) / 1000, float(sys.argv[2]), 1
end = time.monotonic() + 90
while time.monotonic() < end:
    time.sleep(period)
    time.clock_settime(time.CLOCK_REALTIME, time.clock_gettime(time.CLOCK_REALTIME) + sign * step)
    sign = -sign
PY
}

one() {
    cd "$ROOT" && mvn -B -o -q -pl bundles/org.aes67d.ptp -am verify -Dtest=PtpNodeLoopbackTest \
        -Dsurefire.failIfNoSpecifiedTests=false 2>&1 | grep -E '^loopback: grand|ERROR\]   ' \
        | sed -E 's/.*(slave locked [0-9.]+ s later, true error -?[0-9]+ ns).*(offset_rms_ns=[0-9]+).*(samples=[0-9]+, spikes_ignored=[0-9]+).*/\1 \2 \3/' \
        | cut -c1-220 || true
}

for i in $(seq "$RUNS"); do
    echo "quiet clock:   $(one)"
    stepper & pid=$!
    echo "clock stepped: $(one)"
    kill "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
done
