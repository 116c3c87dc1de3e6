#!/usr/bin/env bash
# End-to-end browser test of the AES67 Web Console pages: Debian's Chromium driven by playwright-core, against the
# daemon built by Maven (runtime/target/dist). Installs Chromium and the npm packages when missing. Exits 0 with
# "skipped: <reason>" only when no browser can run here; otherwise the exit status is the test runner's.
set -euo pipefail
cd "$(dirname "$0")"

skip() { echo "e2e skipped: $*"; exit 0; }

[ -f ../runtime/target/dist/aes67-daemon.jar ] || { echo "e2e: build first (mvn -B -DskipTests install)" >&2; exit 1; }
command -v node >/dev/null && command -v npm >/dev/null || { echo "e2e: node and npm are needed" >&2; exit 1; }

chromium=${CHROMIUM:-/usr/bin/chromium}
if [ ! -x "$chromium" ]; then
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
        apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium \
            >/dev/null || skip "chromium could not be installed"
    else
        skip "no $chromium, and no root apt-get to install it"
    fi
fi
# A browser that cannot start here (no kernel support, missing libraries) is a skip, not a failure.
"$chromium" --headless --no-sandbox --disable-gpu --disable-background-networking --disable-component-update \
    --disable-sync --no-first-run --user-data-dir="$(mktemp -d)" --dump-dom about:blank >/dev/null 2>&1 \
    || skip "$chromium does not start here"

npm ci --no-audit --no-fund --loglevel=error
rm -rf out
exec node --test --test-concurrency=1 --test-reporter=spec test/console.test.mjs test/crosssite.test.mjs
