#!/usr/bin/env bash
# One command from a fresh clone to a running daemon: installs the JDK and Maven if missing, builds the runnable
# jar, and starts it in ./run/ on the embedded default config (loopback, user-space driver).
# Extra arguments go to the daemon (e.g. -p 9090). Stop it with Ctrl-C (exit status 0).
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)

scripts/setup.sh
if [ "${AES67D_SKIP_BUILD:-0}" != 1 ]; then
    mvn -B -q -Dstyle.color=never -DskipTests package
fi

# A class-data sharing archive for this JDK and this build: about 0.6 s less start-up (docs/performance.md).
dist=runtime/target/dist
if [ "${AES67D_CDS:-on}" != off ] && ! [ "$dist/aes67-daemon.jsa" -nt "$dist/aes67-daemon.jar" ]; then
    "$dist/aes67-daemon-cds" || echo "aes67-daemon: no CDS archive (see above); starting without it"
fi

mkdir -p run/deploy
[ -f run/daemon.conf ] || cp runtime/target/dist/daemon.conf run/daemon.conf
cd run
echo "aes67-daemon: REST API at http://127.0.0.1:<http_port of run/daemon.conf, or -p>/api/," \
     "Web Console at /system/console (user admin, password in run/webconsole.password once started)"
exec "$root/runtime/target/dist/aes67-daemon" -c daemon.conf "$@"
