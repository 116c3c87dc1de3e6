#!/usr/bin/env bash
# Discovery benchmark (not part of CI): in a private network namespace (lo + 224/4 route; nothing leaves it), two
# nodes on real jmDNS: announce-to-visible, update-to-visible and delete-to-gone for 1, 16 and 64 sessions, CPU at
# rest with 64 sessions each way, then a flood of distinct mDNS responses (default 100,000) and corrupted packets
# at a browsing node with the retained heap before and after. Needs root; builds the mDNS module's test classes.
#   SIZES=1,16,64 REST=30 FLOOD=100000 MUTATED=20000 scripts/bench-discovery.sh
set -euo pipefail
cd "$(dirname "$0")/.."
[ "$(id -u)" = 0 ] || { echo "bench-discovery: needs root (network namespaces)" >&2; exit 1; }
mvn -B -q -o -pl bundles/org.aes67d.discovery.mdns -am test-compile >/dev/null
M=bundles/org.aes67d.discovery.mdns
CP=$M/target/test-classes:$M/target/classes:bundles/org.aes67d.api/target/classes:bundles/org.aes67d.rtsp/target/classes:bundles/org.aes67d.util/target/classes
for g in org/osgi/org.osgi.util.converter org/osgi/org.osgi.util.function org/slf4j/slf4j-api org/slf4j/slf4j-simple \
         org/jmdns/jmdns org/junit/jupiter/junit-jupiter-api org/opentest4j/opentest4j org/osgi/osgi.core; do
    CP=$CP:$(find ~/.m2/repository/$g -name '*.jar' ! -name '*sources*' | sort -V | tail -1)
done
NS=i11-bench-$$
ip netns add "$NS"
trap 'ip netns del "$NS"' EXIT
ip -n "$NS" link set lo up
ip -n "$NS" route add 224.0.0.0/4 dev lo
J=(ip netns exec "$NS" java -cp "$CP" -Dorg.slf4j.simpleLogger.defaultLogLevel=warn -Dorg.slf4j.simpleLogger.log.javax.jmdns=error)
echo "load: $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) cores"
"${J[@]}" -Dsizes="${SIZES:-1,16,64}" -Drest="${REST:-30}" org.aes67d.discovery.mdns.internal.MdnsBenchProbe \
    | grep -E '^(SCALE|REST)'
"${J[@]}" -Xmx256m -Dflood="${FLOOD:-100000}" -Dmutated="${MUTATED:-20000}" \
    org.aes67d.discovery.mdns.internal.MdnsFloodProbe | grep -E '^(FLOOD|FAIL|DONE)'
echo "load: $(cut -d' ' -f1-3 /proc/loadavg)"
