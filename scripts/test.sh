#!/usr/bin/env bash
# Runs every test: unit tests of each bundle, Pax Exam integration tests on the runtime's resolved bundle set,
# the launcher as a real process, and the Web Console end to end in Chromium. Installs what it needs first (a JDK
# and Maven, the Debian packages below, Node.js 20 for the browser test), so it runs on a minimal Debian 12.
# Ends with one summary line, "tests: N passed, N failed, N skipped", after the reason of every skip.
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/setup.sh

# Debian packages the tests use, one line each: a command, then the packages that bring it. Installed (quietly,
# in one apt-get run) only when the command is missing; a test whose peer is still missing skips with its reason.
need=()
want() { command -v "$1" >/dev/null 2>&1 || need+=("${@:2}"); }
want gst-launch-1.0 gstreamer1.0-tools gstreamer1.0-plugins-base gstreamer1.0-plugins-good   # RTP interop
want ffprobe ffmpeg                                                 # RTP interop, streamer decoding (ffmpeg + ffprobe)
want python3 python3                                                # shared/testbed SAP tools
want ip iproute2                                                    # network namespaces (mDNS, testbed)
want nft nftables                                                   # driver.userspace: ST 2022-7 loss on veth legs
want chromium chromium                                              # e2e/: the browser
want npm nodejs npm                                                 # e2e/: npm fetches playwright-core and Node 20
want lintian lintian                                                # packaging/: checks the .deb
want systemd-analyze systemd                                        # packaging/: verifies the unit
want promtool prometheus                                            # itests/: checks /metrics
want avahi-browse avahi-daemon avahi-utils dbus                     # mDNS interop (run per namespace, never as a service)
want aplay alsa-utils                                               # audio.alsa: aplay/arecord interop
want jackd jackd2                                                   # audio.jack: a dummy jackd
want jack_capture jack-capture                                      # audio.jack: an independent recorder
[ -e /usr/lib/x86_64-linux-gnu/alsa-lib/libasound_module_pcm_jack.so ] || need+=(libasound2-plugins) # ALSA "type jack"
if [ ${#need[@]} -gt 0 ]; then
    if [ "$(id -u)" -eq 0 ]; then
        echo "test: installing ${need[*]}"
        # policy-rc.d keeps the packages' own services (prometheus, avahi-daemon, ...) from starting here.
        printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d && chmod +x /usr/sbin/policy-rc.d
        apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
            "${need[@]}" >/dev/null || echo "test: some of ${need[*]} could not be installed; their tests will skip"
        rm -f /usr/sbin/policy-rc.d
    else
        echo "test: not root, cannot install ${need[*]}; the tests that need them will skip"
    fi
fi

start=$(date +%s)
status=0
rm -f e2e/out/junit.xml packaging/target/junit.xml # results of an earlier run must not be counted again
mvn -B -ntp verify "$@" || status=$?
# The Web Console pages in a real browser (needs the reactor built; writes e2e/out/junit.xml, even when it skips).
if [ "$status" = 0 ]; then
    e2e/run.sh || status=$?
fi
# The .deb: build, install on this machine, the installed launcher under a NOTIFY_SOCKET of its own, purge.
if [ "$status" = 0 ]; then
    packaging/deb/test-install.sh || status=$?
fi
echo "tests: done in $(( $(date +%s) - start )) s"
# Every skip with its reason, and the totals of every runner (Surefire, Failsafe, node's runner, the package test);
# its last line, "tests: N passed, N failed, N skipped", is the last line of the run.
java scripts/TestSummary.java . || status=$?
exit "$status"
