# Shared by the benchmark scripts: builds the module if needed and prints the java command line.
set -euo pipefail
MOD="$(cd "$(dirname "$0")/.." && pwd)"
REPO="$(cd "$MOD/../.." && pwd)"
cd "$MOD"
if [ ! -f target/bench.classpath ] || [ ! -d target/test-classes ] || [ "${REBUILD:-0}" = 1 ]; then
    # Inside the reactor (nothing installed into ~/.m2); the module's build writes target/bench.classpath itself.
    # Offline first (a machine that has built once), online where a plugin or dependency was never downloaded.
    (cd "$REPO" && { mvn -B -q -o -pl bundles/org.aes67d.driver.userspace -am test-compile >&2 2>/dev/null \
        || mvn -B -q -pl bundles/org.aes67d.driver.userspace -am test-compile >&2; })
fi
# ZGC: sub-millisecond pauses (see README "JVM and GC"); AlwaysPreTouch: no page faults on first heap use.
JAVA_FLAGS=${JAVA_FLAGS:-"-XX:+UseZGC -Xms256m -Xmx256m -XX:+AlwaysPreTouch"}
JAVA_CMD=(java $JAVA_FLAGS ${BENCH_PROPS:-} -cp "target/test-classes:target/classes:$(cat target/bench.classpath)"
    org.aes67d.driver.userspace.internal.PlatformBench)
