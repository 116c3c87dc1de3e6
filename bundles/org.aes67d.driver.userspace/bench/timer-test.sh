#!/usr/bin/env bash
# Timer test: SECONDS [PERIOD_US]
#   how late a thread paced like the engine's clock thread wakes up on this machine (no audio, no network):
#   the floor under the latency a sink delay must cover. Example: timer-test.sh 60 1000
# Environment: BENCH_PROPS="-Drtprio=0" (normal scheduling)
. "$(dirname "$0")/common.sh"
JAVA_CMD[${#JAVA_CMD[@]}-1]=org.aes67d.driver.userspace.internal.TimerBench
exec "${JAVA_CMD[@]}" "$@"
