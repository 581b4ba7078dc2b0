#!/usr/bin/env bash
# Builds remote-worker_VERSION_ARCH.deb in the repository's root.
#
# dpkg-deb on a staged tree rather than dpkg-buildpackage: the build is
# `swift build` (with the Swift runtime linked in statically, so the binary
# needs only Debian's libraries), and a debian/rules around it would add a
# second build system and nothing else. What debhelper would generate is
# written out in deploy/debian/ (maintainer scripts, conffiles); Depends comes
# from dpkg-shlibdeps on the binary; lintian must report no error.
# Usage: make-deb.sh VERSION
set -euo pipefail
version=$1
here=$(cd "$(dirname "$0")/.." && pwd)
arch=$(dpkg --print-architecture)
scratch=$here/.build-deb
package=$here/remote-worker_${version}_${arch}.deb

# The man page first: the plugin builds the tool its own way, in its own folder.
swift package --scratch-path "$scratch-manual" generate-manual >/dev/null
# No RUNPATH to the toolchain: the runtime is linked in.
for product in remote-worker remote-worker-preview; do
    swift build -c release --product "$product" --static-swift-stdlib -Xswiftc -no-toolchain-stdlib-rpath --scratch-path "$scratch"
done

stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT
root=$stage/root
install -d "$root/DEBIAN"
# The link fetchers' executable beside the image worker's: it links no image library.
for binary in remote-worker remote-worker-preview; do
    install -D -m 0755 "$scratch/release/$binary" "$root/usr/bin/$binary"
    strip --strip-unneeded --remove-section=.comment --remove-section=.note "$root/usr/bin/$binary"
done
for unit in remote-worker.service remote-worker-preview.service remote-worker.socket; do
    install -d "$root/lib/systemd/system"
    sed 's|/usr/local/bin/remote-worker|/usr/bin/remote-worker|' "$here/deploy/$unit" > "$root/lib/systemd/system/$unit"
    chmod 0644 "$root/lib/systemd/system/$unit"
done
install -D -m 0644 "$here/deploy/remote-worker.default" "$root/etc/default/remote-worker"
install -d "$root/etc/nginx/snippets/remote-worker" "$root/etc/nginx/sites-available"
for snippet in "$here"/nginx/remote-worker-*.conf; do
    # The snippets include each other from Debian's conventional place for them.
    sed 's|include remote-worker/|include snippets/remote-worker/|' "$snippet" \
        > "$root/etc/nginx/snippets/remote-worker/$(basename "$snippet")"
done
chmod 0644 "$root"/etc/nginx/snippets/remote-worker/*
install -m 0644 "$here/deploy/debian/nginx-site" "$root/etc/nginx/sites-available/remote-worker"
doc=$root/usr/share/doc/remote-worker
install -D -m 0644 "$here/deploy/debian/copyright" "$doc/copyright"
sed -e "s/@VERSION@/$version/" -e "s/@DATE@/$(date -R)/" "$here/deploy/debian/changelog" | gzip -9n > "$doc/changelog.gz"
gzip -9n < "$here/README.md" > "$doc/README.md.gz"
install -d "$root/usr/share/man/man1"
gzip -9n < "$scratch-manual/plugins/GenerateManual/outputs/RemoteWorker/remote-worker.1" > "$root/usr/share/man/man1/remote-worker.1.gz"
gzip -9n < "$here/deploy/debian/remote-worker-preview.1" > "$root/usr/share/man/man1/remote-worker-preview.1.gz"
chmod 0644 "$doc"/*.gz "$root"/usr/share/man/man1/*.gz
for script in postinst prerm postrm; do install -m 0755 "$here/deploy/debian/$script" "$root/DEBIAN/$script"; done
install -m 0644 "$here/deploy/debian/conffiles" "$root/DEBIAN/conffiles"

# Depends: the shared libraries the binary links, as dpkg-shlibdeps names their packages.
mkdir -p "$stage/debian"
printf 'Source: remote-worker\n\nPackage: remote-worker\nArchitecture: any\n' > "$stage/debian/control"
depends=$(cd "$stage" && dpkg-shlibdeps -O -e root/usr/bin/remote-worker -e root/usr/bin/remote-worker-preview 2>/dev/null | sed -n 's/^shlibs:Depends=//p')
[ -n "$depends" ] || { echo "dpkg-shlibdeps found no dependencies" >&2; exit 1; }
size=$(du -sk --exclude=DEBIAN "$root" | cut -f1)
sed -e "s/@VERSION@/$version/" -e "s/@ARCH@/$arch/" -e "s/@DEPENDS@/$depends/" -e "s/@SIZE@/$size/" \
    "$here/deploy/debian/control.in" > "$root/DEBIAN/control"
(cd "$root" && find . -path ./DEBIAN -prune -o -type f -print | sed 's|^\./||' | sort | xargs md5sum) > "$root/DEBIAN/md5sums"
chmod 0644 "$root/DEBIAN/md5sums" "$root/DEBIAN/control"

dpkg-deb --build --root-owner-group -Zxz "$root" "$package" >/dev/null
echo "built $(basename "$package") ($(stat -c %s "$package") bytes)"
lintian --fail-on error --tag-display-limit 0 "$package"
echo "lintian: no errors"
