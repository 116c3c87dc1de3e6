#!/usr/bin/env bash
# The fresh-machine check of docs/operations.md, repeatable: a minimal Debian 12 root (mmdebstrap --variant=minbase
# bookworm), this repository cloned into it with an empty ~/.m2, run as a container would run it: its own network
# namespace (lo, plus a veth to this host with NAT so apt, Maven Central and npm are reachable), its own /proc,
# /sys, /dev (devpts, shm), /run and /tmp. Then, inside, as root with HOME=/root: `cd /src/main && ./scripts/test.sh`
# (or the command given after --). Needs root on a Debian/Ubuntu host; installs mmdebstrap if it is missing.
#
#   scripts/check-minimal-root.sh [--root DIR] [--fresh] [--no-bind-root] [--run] [-- COMMAND...]
#
#   --root DIR       the root (default /var/tmp/aes67d-minimal-root); created when missing, kept afterwards
#   --fresh          delete DIR first: a new root, a new clone, an empty ~/.m2
#   --no-bind-root   leave the root a plain directory (by default it is bind-mounted onto itself, as a container's
#                    root is a mount point); the tests must pass in both cases
#   --run            instead of the tests: start ./scripts/run.sh inside, wait for GET /api/version, stop it (SIGINT)
#   --shared DIR     copied to <root>/src/shared, the ../shared of the clone (default: ../shared of this checkout,
#                    when it exists; NMOS tests use its AMWA schemas and skip, counted, without it)
#
# The clone is of this checkout's HEAD (commit first). Everything the tests need must come from the test command
# itself; the only things put into the root by hand are the clone, shared/ and the host's extra CA certificates
# from /usr/local/share/ca-certificates (a workplace that intercepts TLS; without them HTTPS fails inside), which
# ca-certificates picks up when scripts/setup.sh installs the JDK. The log goes to <root>/../<name>.log too.
# Exit status: the command's.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
root=/var/tmp/aes67d-minimal-root
fresh=0 bind_root=1 mode=test
shared=$(cd "$here/.." && pwd)/shared
while [ $# -gt 0 ]; do
    case $1 in
        --root) root=$2; shift 2 ;;
        --fresh) fresh=1; shift ;;
        --no-bind-root) bind_root=0; shift ;;
        --run) mode=run; shift ;;
        --shared) shared=$2; shift 2 ;;
        --) shift; break ;;
        *) echo "usage: $0 [--root DIR] [--fresh] [--no-bind-root] [--run] [--shared DIR] [-- COMMAND...]" >&2; exit 2 ;;
    esac
done
command=("$@")
[ ${#command[@]} -gt 0 ] || command=(./scripts/test.sh)
[ "$(id -u)" = 0 ] || { echo "check-minimal-root: needs root (mmdebstrap, namespaces, mounts)" >&2; exit 2; }
root=$(realpath -m "$root")
log="$root.log"

# Network: one namespace, a veth pair 10.231.77.1 (host) / .2 (inside), masquerade out of the host's default route.
ns=aes67d-mroot
host_if=vmroot0 inner_if=vmroot1
net_down() {
    for p in $(ip netns pids "$ns" 2>/dev/null); do kill -KILL "$p" 2>/dev/null || true; done
    ip link del "$host_if" 2>/dev/null || true
    ip netns del "$ns" 2>/dev/null || true
    nft delete table ip aes67d_mroot 2>/dev/null || true
}
net_up() {
    net_down
    command -v nft >/dev/null || DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nftables >/dev/null
    ip netns add "$ns"
    ip link add "$host_if" type veth peer name "$inner_if" netns "$ns"
    ip addr add 10.231.77.1/30 dev "$host_if"
    ip link set "$host_if" up
    ip -n "$ns" link set lo up
    ip -n "$ns" addr add 10.231.77.2/30 dev "$inner_if"
    ip -n "$ns" link set "$inner_if" up
    ip -n "$ns" route add default via 10.231.77.1
    sysctl -q -w net.ipv4.ip_forward=1
    nft -f - <<EOF
table ip aes67d_mroot {
    chain postrouting { type nat hook postrouting priority srcnat; policy accept; ip saddr 10.231.77.0/30 ip daddr != 10.231.77.0/30 masquerade; }
    chain forward { type filter hook forward priority filter - 1; policy accept; iifname "$host_if" accept; oifname "$host_if" ct state established,related accept; }
}
EOF
}

if [ "$fresh" = 1 ] && [ -d "$root" ]; then
    if grep -q " $root[/ ]" /proc/mounts; then echo "check-minimal-root: $root has mounts; not deleting" >&2; exit 1; fi
    rm -rf "$root"
fi
if [ ! -d "$root/etc" ]; then
    command -v mmdebstrap >/dev/null || DEBIAN_FRONTEND=noninteractive apt-get install -y -qq mmdebstrap >/dev/null
    echo "check-minimal-root: mmdebstrap --variant=minbase bookworm $root"
    mmdebstrap --quiet --variant=minbase bookworm "$root"
fi
if [ ! -d "$root/src/main" ]; then
    git clone -q "$here" "$root/src/main"
    echo "check-minimal-root: cloned $here ($(git -C "$root/src/main" rev-parse --short HEAD)) into $root/src/main"
fi
if [ -d "$shared" ] && [ ! -d "$root/src/shared" ]; then
    cp -a "$(realpath "$shared")" "$root/src/shared"
fi
if compgen -G "/usr/local/share/ca-certificates/*.crt" >/dev/null; then
    mkdir -p "$root/usr/local/share/ca-certificates"
    cp /usr/local/share/ca-certificates/*.crt "$root/usr/local/share/ca-certificates/"
fi
# Name resolution as on this host, unless it points at a resolver on this host's loopback (not reachable inside).
if grep -q '^nameserver 127\.' /etc/resolv.conf; then
    echo "nameserver 9.9.9.9" >"$root/etc/resolv.conf"
else
    grep '^nameserver\|^search\|^options' /etc/resolv.conf >"$root/etc/resolv.conf"
fi

net_up
trap net_down EXIT

# The mounts of a container, inside `ip netns exec` (a mount namespace of its own: they vanish with it, nothing is
# left mounted on the host). sysfs mounted there shows the namespace's own interfaces.
mounts="set -e
r=$root
[ $bind_root = 1 ] && mount --bind \$r \$r
mount -t proc proc \$r/proc
mount -t sysfs sysfs \$r/sys
mount -t tmpfs -o mode=0755,size=64m dev \$r/dev
for d in null zero full random urandom tty; do touch \$r/dev/\$d; mount --bind /dev/\$d \$r/dev/\$d; done
mkdir \$r/dev/pts \$r/dev/shm
mount -t devpts -o newinstance,ptmxmode=0666,mode=0620 devpts \$r/dev/pts
ln -s pts/ptmx \$r/dev/ptmx
ln -s /proc/self/fd \$r/dev/fd; ln -s /proc/self/fd/0 \$r/dev/stdin
ln -s /proc/self/fd/1 \$r/dev/stdout; ln -s /proc/self/fd/2 \$r/dev/stderr
mount -t tmpfs -o mode=1777 shm \$r/dev/shm
mount -t tmpfs -o mode=0755 run \$r/run
mount -t tmpfs -o mode=1777 tmp \$r/tmp
if mountpoint -q \$r; then echo 'check-minimal-root: root is a mount point'; else echo 'check-minimal-root: root is not a mount point'; fi"
inside() {
    ip netns exec "$ns" /bin/sh -c "$mounts
exec chroot $root /usr/bin/env -i HOME=/root TERM=dumb PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
    /bin/bash -c 'cd /src/main && exec \"\$@\"' bash \"\$@\"" sh "$@"
}

start=$(date +%s)
status=0
if [ "$mode" = test ]; then
    echo "check-minimal-root: $(date -u +%FT%TZ) running ${command[*]} in $root" | tee "$log"
    inside "${command[@]}" 2>&1 | tee -a "$log" || status=${PIPESTATUS[0]}
else
    echo "check-minimal-root: $(date -u +%FT%TZ) ./scripts/run.sh in $root" | tee "$log"
    inside ./scripts/run.sh -p 8080 >>"$log" 2>&1 &
    runner=$!
    up=""
    for _ in $(seq 1 1200); do   # up to 10 min: the first run downloads the JDK, Maven and the dependencies
        if ip netns exec "$ns" curl -sf http://127.0.0.1:8080/api/version >"$root.version" 2>/dev/null; then
            up=$(( $(date +%s) - start )); break
        fi
        kill -0 "$runner" 2>/dev/null || break
        sleep 0.5
    done
    if [ -n "$up" ]; then
        echo "check-minimal-root: daemon answered after $up s: $(cat "$root.version")" | tee -a "$log"
        for p in $(ip netns pids "$ns"); do
            [ "$(cat /proc/"$p"/comm 2>/dev/null)" = java ] && kill -INT "$p"
        done
        wait "$runner" || status=$?
        echo "check-minimal-root: run.sh exited $status after SIGINT" | tee -a "$log"
    else
        status=1
        kill "$runner" 2>/dev/null || true
        echo "check-minimal-root: daemon did not answer; see $log" | tee -a "$log"
    fi
fi
echo "check-minimal-root: exit $status after $(( $(date +%s) - start )) s (log: $log)" | tee -a "$log"
exit "$status"
