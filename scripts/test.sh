#!/usr/bin/env bash
# Runs every test: unit tests of each bundle, Pax Exam integration tests on the runtime's resolved bundle set,
# the launcher as a real process, and the Web Console end to end in Chromium. Installs the JDK and Maven first if they are missing.
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/setup.sh
# Real peers for the audio interop tests (they skip with a message where these cannot be installed).
if [ "$(id -u)" -eq 0 ] && ! command -v gst-launch-1.0 >/dev/null 2>&1; then
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
        gstreamer1.0-tools gstreamer1.0-plugins-base gstreamer1.0-plugins-good ffmpeg python3 >/dev/null \
        || echo "test: GStreamer/ffmpeg could not be installed; their interop tests will skip"
fi
# ffprobe/ffmpeg judge what the HTTP streamer serves (libavcodec59, its AAC encoder, comes with them).
if [ "$(id -u)" -eq 0 ] && ! command -v ffprobe >/dev/null 2>&1; then
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends ffmpeg >/dev/null \
        || echo "test: ffmpeg could not be installed; the streamer's decoding tests will skip"
fi
start=$(date +%s)
mvn -B -ntp verify "$@"
# The Web Console pages in a real browser (installs Debian's Chromium and playwright-core when missing).
e2e/run.sh
echo "tests: done in $(( $(date +%s) - start )) s"
