# Shared by the benchmark scripts: builds the module if needed and prints the java command line.
set -euo pipefail
MOD="$(cd "$(dirname "$0")/.." && pwd)"
cd "$MOD"
if [ ! -f target/bench.classpath ] || [ ! -d target/test-classes ] || [ "${REBUILD:-0}" = 1 ]; then
    mvn -B -q -DskipTests install >&2
    mvn -B -q -o test-compile dependency:build-classpath -Dmdep.outputFile=target/bench.classpath \
        -Dmdep.includeScope=test >&2
fi
# ZGC: sub-millisecond pauses (see README "JVM and GC"); AlwaysPreTouch: no page faults on first heap use.
JAVA_FLAGS=${JAVA_FLAGS:-"-XX:+UseZGC -Xms256m -Xmx256m -XX:+AlwaysPreTouch"}
JAVA_CMD=(java $JAVA_FLAGS ${BENCH_PROPS:-} -cp "target/test-classes:target/classes:$(cat target/bench.classpath)"
    org.aes67d.driver.userspace.internal.PlatformBench)
