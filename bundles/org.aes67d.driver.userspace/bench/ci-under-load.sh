#!/usr/bin/env bash
# ci-under-load.sh [RUNS] - the whole CI (`.ci/run`, the README's test command) RUNS times in a row (default 3), each
# on a fresh clone of this repository's HEAD, with `nice -n 10 stress-ng --cpu 2 --timeout 0` running beside all of
# them (issue 10's background load). One line per run: OK/FAIL, the tests' summary line, minutes, load average.
# Each run's clone and log stay in $RUNDIR (default /tmp/aes67d-ci-under-load/runN, removed when the run passed).
# Installs stress-ng when missing (never needed by CI itself).
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
REPO=$(cd "$HERE/../../.." && pwd)
RUNS=${1:-3}
RUNDIR=${RUNDIR:-/tmp/aes67d-ci-under-load}
SHARED=$(cd "$REPO/../shared" && pwd) # .ci/run reads ../shared beside the clone
mkdir -p "$RUNDIR"
command -v stress-ng >/dev/null || apt-get install -y -qq --no-install-recommends stress-ng >/dev/null
nice -n 10 stress-ng --cpu 2 --timeout 0 >/dev/null 2>&1 &
STRESS=$!
trap 'kill $STRESS 2>/dev/null || true' EXIT
echo "HEAD $(git -C "$REPO" rev-parse --short HEAD); stress-ng pid $STRESS (nice 10)"
pass=0
for i in $(seq 1 "$RUNS"); do
    dir="$RUNDIR/run$i"
    rm -rf "$dir" && mkdir -p "$dir"
    ln -s "$SHARED" "$dir/shared"
    git clone -q "$REPO" "$dir/main"
    start=$(date +%s)
    if (cd "$dir/main" && CI=true bash .ci/run) >"$dir/log.txt" 2>&1; then
        result=OK; pass=$((pass + 1))
    else
        result=FAIL
    fi
    minutes=$(( ($(date +%s) - start + 30) / 60 ))
    summary=$(grep -E '^tests:' "$dir/log.txt" | tail -1 || true)
    echo "run $i $result ${summary:-no summary (see $dir/log.txt)}; $minutes min; load $(cut -d' ' -f1-3 /proc/loadavg)"
    grep -E '^FAILED|^SKIPPED' "$dir/log.txt" | head -20 || true
    [ "$result" = OK ] && rm -rf "$dir"
done
echo "$pass of $RUNS passed"
