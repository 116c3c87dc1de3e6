#!/usr/bin/env bash
# CPU cost of the AAC encoder, one thread: prints real-time factor and channels per core for 2 and 8 channels.
# Usage: encoder-speed.sh [SECONDS=20]
set -euo pipefail
cd "$(dirname "$0")/.."
if [ ! -f target/bench.classpath ]; then
    # inside the reactor (never mvn install): each module of -am writes its own target/bench.classpath
    (cd ../.. && mvn -B -q -o -pl bundles/org.aes67d.streamer -am test-compile dependency:build-classpath \
        -Dmdep.outputFile=target/bench.classpath -Dmdep.includeScope=test >&2)
fi
exec java -cp "target/classes:target/test-classes:$(cat target/bench.classpath)" \
    org.aes67d.streamer.internal.EncoderBench "${1:-20}"
