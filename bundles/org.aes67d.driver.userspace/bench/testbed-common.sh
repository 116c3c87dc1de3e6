# Sourced by the two-namespace benchmarks (testbed-runs.sh, pacing.sh) after they set BENCH (their name) and HERE:
# the test bed's names and addresses (the test bed's scripts read the same variables), the built runtime, root and
# test bed checks, and `need COMMAND PACKAGE...` lines installed in one apt-get run by `install_needed`.
REPO=$(cd "$HERE/../../.." && pwd)
export NS_GM=${NS_GM:-i10-gm} NS_DUT=${NS_DUT:-i10-dut} VETH_GM=${VETH_GM:-v10g} VETH_DUT=${VETH_DUT:-v10d}
export ADDR_GM=${ADDR_GM:-10.10.0.1/24} ADDR_DUT=${ADDR_DUT:-10.10.0.2/24}
TESTBED=${TESTBED:-/work/shared/testbed}
DIST=${DIST:-$REPO/runtime/target/dist}
DUT_IP=${ADDR_DUT%/*}
GM_IP=${ADDR_GM%/*}

die() { echo "$BENCH: ERROR: $*" >&2; exit 1; }
[ "$(id -u)" = 0 ] || die "must run as root (network namespaces)"
[ -x "$TESTBED/netns-up.sh" ] || die "test bed scripts not found in $TESTBED"

needed=()
need() { command -v "$1" >/dev/null || needed+=("${@:2}"); }
install_needed() {
    if [ ${#needed[@]} -gt 0 ]; then
        echo "$BENCH: installing ${needed[*]}"
        DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${needed[@]}" >/dev/null
    fi
    [ -x "$DIST/aes67-daemon" ] || (cd "$REPO" && mvn -B -q -DskipTests package) || die "build failed"
}

# The daemon's REST API in the DUT namespace: api METHOD PATH [BODY]
api() {
    if [ $# -gt 2 ]; then
        ip netns exec "$NS_DUT" curl -s -m 5 -X "$1" -H 'Content-Type: application/json' -d "$3" \
            "http://$DUT_IP:8080/api$2"
    else
        ip netns exec "$NS_DUT" curl -s -m 5 -X "$1" "http://$DUT_IP:8080/api$2"
    fi
}
