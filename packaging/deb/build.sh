#!/usr/bin/env bash
# Builds packaging/target/aes67d_<version>_all.deb from the reactor's runnable jar (runtime/target/dist), with
# dpkg-deb: Debian's own tool, always installed with dpkg, no build dependency beyond it.
#   packaging/deb/build.sh          (runs `mvn -B -DskipTests package` first when the jar is not built yet)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
dist=$repo/runtime/target/dist
if [ ! -f "$dist/aes67-daemon.jar" ]; then
    (cd "$repo" && mvn -B -q -ntp -DskipTests package)
fi
version=$(sed -n 's:^ *<version>\([^<]*\)</version>.*:\1:p' "$repo/pom.xml" | head -1)
out=$repo/packaging/target
root=$out/aes67d_${version}_all
rm -rf "$root"
mkdir -p "$root/DEBIAN" "$root/usr/bin" "$root/usr/share/aes67d" "$root/etc/aes67d" \
    "$root/lib/systemd/system" "$root/usr/share/doc/aes67d" "$root/usr/share/man/man1"

install -m 0644 "$dist/aes67-daemon.jar" "$root/usr/share/aes67d/"
install -m 0755 "$dist/aes67-daemon" "$dist/aes67-daemon-cds" "$root/usr/share/aes67d/"
ln -s ../share/aes67d/aes67-daemon "$root/usr/bin/aes67-daemon"
install -m 0644 "$dist/daemon.conf" "$root/etc/aes67d/daemon.conf"
install -m 0644 "$here/aes67-daemon.service" "$root/lib/systemd/system/"
install -m 0644 "$here/copyright" "$root/usr/share/doc/aes67d/copyright"
install -m 0644 "$repo/docs/operations.md" "$root/usr/share/doc/aes67d/operations.md"
sed "s/@VERSION@/$version/" "$here/changelog" | gzip -9n >"$root/usr/share/doc/aes67d/changelog.gz"
gzip -9n <"$here/aes67-daemon.1" >"$root/usr/share/man/man1/aes67-daemon.1.gz"
chmod 0644 "$root/usr/share/doc/aes67d/changelog.gz" "$root/usr/share/man/man1/aes67-daemon.1.gz"

echo /etc/aes67d/daemon.conf >"$root/DEBIAN/conffiles"
install -m 0755 "$here/postinst" "$here/prerm" "$here/postrm" "$root/DEBIAN/"
size=$(du -sk --exclude=DEBIAN "$root" | cut -f1)
sed "s/@VERSION@/$version/; s/@SIZE@/$size/" "$here/control.in" >"$root/DEBIAN/control"
(cd "$root" && find . -type f ! -path './DEBIAN/*' ! -path './etc/*' -printf '%P\0' | sort -z | xargs -0 md5sum) \
    >"$root/DEBIAN/md5sums"
chmod 0644 "$root/DEBIAN/control" "$root/DEBIAN/conffiles" "$root/DEBIAN/md5sums"
find "$root" -type d -exec chmod 0755 {} +
deb=$out/aes67d_${version}_all.deb
dpkg-deb --root-owner-group -Zxz --build "$root" "$deb" >/dev/null
echo "$deb"
