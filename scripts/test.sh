#!/usr/bin/env bash
# Runs every test: unit tests of each bundle, Pax Exam integration tests on the runtime's resolved bundle set,
# and the launcher as a real process. Installs the JDK and Maven first if they are missing.
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/setup.sh
start=$(date +%s)
mvn -B -ntp verify "$@"
echo "tests: done in $(( $(date +%s) - start )) s"
