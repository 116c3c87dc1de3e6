#!/usr/bin/env bash
# Installs what the build needs when it is missing: a JDK (17 or newer) and Maven, from Debian/Ubuntu packages.
# Safe to run again: it does nothing when both are present.
set -euo pipefail

need=()
java_major() { java -version 2>&1 | sed -n 's/.*version "\([0-9]*\).*/\1/p' | head -1; }
if ! command -v javac >/dev/null 2>&1 || [ "$(java_major)" -lt 17 ] 2>/dev/null; then
    need+=(openjdk-17-jdk-headless)
fi
command -v mvn >/dev/null 2>&1 || need+=(maven)
command -v curl >/dev/null 2>&1 || need+=(curl)
# The HTTP streamer's AAC encoder (optional: without it the streamer says so and the daemon runs on).
if ! ldconfig -p 2>/dev/null | grep -q 'libavcodec\.so\.'; then
    apt-cache show libavcodec59 >/dev/null 2>&1 && need+=(libavcodec59)
fi

if [ ${#need[@]} -gt 0 ]; then
    echo "setup: installing ${need[*]}"
    sudo_cmd=""
    [ "$(id -u)" -ne 0 ] && sudo_cmd="sudo"
    $sudo_cmd apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi
