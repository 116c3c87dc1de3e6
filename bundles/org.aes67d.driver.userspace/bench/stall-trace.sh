#!/usr/bin/env bash
# Stall trace: COMM_REGEX THRESHOLD_MS -- BENCH_SCRIPT ARGS...
#   runs a benchmark (timer-test.sh, platform-test.sh, ...) with the kernel's scheduler and timer events traced,
#   then tells for every late wake-up (the timer test marks its own; real-time threads named COMM_REGEX, such as
#   the engine's aes67d-clock, are found in the trace) later than THRESHOLD_MS where the time went: other tasks
#   held the CPU (named), the vCPU was not running (its timer interrupts came late), or neither. Needs root and
#   tracefs (mounted here if it is not). Examples:
#     bench/stall-trace.sh aes67d- 2 -- bench/platform-test.sh S24_3LE 48000 128 60 48
#     bench/stall-trace.sh aes67d-timer 1 -- bench/timer-test.sh 60 1000
set -euo pipefail
[ $# -ge 4 ] && [ "$3" = "--" ] || { echo "usage: $0 COMM_REGEX THRESHOLD_MS -- COMMAND..." >&2; exit 2; }
comm=$1 threshold=$2
shift 3
T=/sys/kernel/tracing
[ -d "$T/events" ] || mount -t tracefs nodev "$T"
out=${TRACE_OUT:-$(mktemp /tmp/stall-trace.XXXXXX)}
echo 0 > "$T/tracing_on"
echo mono > "$T/trace_clock" # the clock of hrtimer `expires`, so the two can be subtracted
echo 65536 > "$T/buffer_size_kb"
echo > "$T/trace"
echo > "$T/set_event"
for e in sched:sched_switch sched:sched_wakeup timer:hrtimer_start timer:hrtimer_expire_entry; do
    echo "$e" >> "$T/set_event"
done
cat "$T/trace_pipe" > "$out" &
reader=$!
stop() {
    echo 0 > "$T/tracing_on"
    echo > "$T/set_event"
    sleep 0.5 # the reader drains what is buffered (trace_pipe has no end-of-data)
    kill "$reader" 2>/dev/null || true
    wait "$reader" 2>/dev/null || true
}
trap stop EXIT
echo 1 > "$T/tracing_on"
AES67D_TRACE_MARKER="$T/trace_marker" "$@" || true
stop
trap - EXIT
echo "trace: $out ($(du -h "$out" | cut -f1)); lost events: $(grep -c 'LOST' "$out" || true)"
python3 "$(dirname "$0")/analyse-stalls.py" "$out" "$comm" "$threshold"
