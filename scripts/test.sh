#!/usr/bin/env bash
# Runs every test: unit tests of each bundle, Pax Exam integration tests on the runtime's resolved bundle set,
# the launcher as a real process, and the Web Console end to end in Chromium. Installs the JDK and Maven first if they are missing.
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/setup.sh
start=$(date +%s)
mvn -B -ntp verify "$@"
# The Web Console pages in a real browser (installs Debian's Chromium and playwright-core when missing).
e2e/run.sh
echo "tests: done in $(( $(date +%s) - start )) s"
