#!/usr/bin/env bash
# Platform test: FORMAT RATE CHANNELS DURATION [FRAMES]
#   plays a known signal through Audio Device playback -> sources -> RTP on lo -> sinks -> capture, compares every
#   sample, prints OK/FAIL, samples compared, lost, corrupted, and CPU. FORMAT: S16_LE (L16), S24_3LE (L24),
#   S32_LE (AM824). Channels go 8 per stream. Example (the goal): platform-test.sh S24_3LE 48000 128 600 48
# Environment: BENCH_PROPS="-Ddelay=144 -DgcEvery=5 -Drtprio=0 -Dlegs=2" (legs=2: every stream ST 2022-7)
#   JAVA_FLAGS="..."  REBUILD=1
[ $# -ge 4 ] || { echo "usage: $0 FORMAT RATE CHANNELS DURATION [FRAMES]" >&2; exit 2; }
. "$(dirname "$0")/common.sh"
exec "${JAVA_CMD[@]}" platform "$@"
