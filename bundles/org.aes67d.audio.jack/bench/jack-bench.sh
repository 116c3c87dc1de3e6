#!/usr/bin/env bash
# CPU per bound JACK channel (64 in + 64 out on a private dummy jackd) and the resampler's cost; prints figures.
# Usage: bench/jack-bench.sh [SECONDS=20] [PERIOD=256]. Needs jackd (apt-get install jackd2). Builds in the
# reactor (no install): sibling modules resolve to their target/classes.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ ! -f target/bench.classpath ] || [ "${REBUILD:-0}" = 1 ]; then
    (cd ../.. && mvn -B -q -o -pl bundles/org.aes67d.audio.jack -am test-compile dependency:build-classpath \
        -Dmdep.outputFile=target/bench.classpath -Dmdep.includeScope=test >&2)
fi
exec java ${JAVA_FLAGS:-} -cp "target/test-classes:target/classes:$(cat target/bench.classpath)" \
    org.aes67d.audio.jack.internal.JackBench "$@"
