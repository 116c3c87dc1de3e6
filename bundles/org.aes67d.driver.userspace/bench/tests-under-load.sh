#!/usr/bin/env bash
# tests-under-load.sh [RUNS] [TEST] - runs one of the module's tests RUNS times (default 4) with
# `nice -n 10 stress-ng --cpu 2` beside (the issue's background load), one line per run with the load average
# and the test counts; each run's Maven output stays in $RUNDIR (default /tmp/i10-under-load).
# TEST (surefire syntax) defaults to the GStreamer-receives-our-source cases. Installs stress-ng when missing.
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
REPO=$(cd "$HERE/../../.." && pwd)
RUNS=${1:-4}
TEST=${2:-InteropTest#gstreamerReceivesOurSourceBitExact}
RUNDIR=${RUNDIR:-/tmp/i10-under-load}
mkdir -p "$RUNDIR"
command -v stress-ng >/dev/null || apt-get install -y -qq --no-install-recommends stress-ng >/dev/null
nice -n 10 stress-ng --cpu 2 --timeout 0 >/dev/null 2>&1 &
STRESS=$!
trap 'kill $STRESS 2>/dev/null || true' EXIT
cd "$REPO"
pass=0
for i in $(seq 1 "$RUNS"); do
    log="$RUNDIR/run$i.log"
    if mvn -B -o -q -pl bundles/org.aes67d.driver.userspace -am verify -Dtest="$TEST" \
        -Dsurefire.failIfNoSpecifiedTests=false >"$log" 2>&1; then
        result=OK; pass=$((pass + 1))
    else
        result=FAIL
    fi
    counts=$(grep -h "Tests run:" bundles/org.aes67d.driver.userspace/target/surefire-reports/*.txt 2>/dev/null \
        | tr '\n' ' ')
    echo "run $i $result load $(cut -d' ' -f1-3 /proc/loadavg) $counts"
done
echo "$pass of $RUNS passed ($TEST)"
