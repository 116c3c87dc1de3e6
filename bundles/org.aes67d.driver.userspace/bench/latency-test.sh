#!/usr/bin/env bash
# Latency test: FORMAT RATE CHANNELS DURATION [FRAMES]
#   raises the sink delay one step at a time (from one packet) until DURATION seconds run without loss, and
#   prints the end-to-end latency measured there: from the moment a playback sample is due to the moment it can
#   be read on capture, after source -> RTP on lo -> sink. Example: latency-test.sh S24_3LE 48000 8 10 6
# Environment: BENCH_PROPS="-Ddelay=96" (measure one delay only)  JAVA_FLAGS="..."  REBUILD=1
[ $# -ge 4 ] || { echo "usage: $0 FORMAT RATE CHANNELS DURATION [FRAMES]" >&2; exit 2; }
. "$(dirname "$0")/common.sh"
exec "${JAVA_CMD[@]}" latency "$@"
