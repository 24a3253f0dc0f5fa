#!/bin/sh
# install_test.sh: `make install` gives the files scripts and users rely on
# (README, "Contracts"): bin/vsh, sbin/vmmd, lib/libvmm.so.0,
# include/vmm/vmm.h, lib/pkgconfig/libvmm.pc, the vsh man page and the
# schemas. Installs into a temporary DESTDIR, removed afterwards.
set -u
builddir=${abs_top_builddir:?}
dest=$(mktemp -d /tmp/vmm-install-test.XXXXXX)
trap 'rm -rf "$dest"' EXIT INT TERM

prefix=$(sed -n 's/^prefix = //p' "$builddir/Makefile")
exec_prefix=$(sed -n 's/^exec_prefix = //p' "$builddir/Makefile" | sed "s|\${prefix}|$prefix|")

files="bin/vsh sbin/vmmd lib/libvmm.so.0 include/vmm/vmm.h
include/vmm/vmm-common.h include/vmm/vmm-error.h include/vmm/vmm-host.h
include/vmm/vmm-domain.h lib/pkgconfig/libvmm.pc share/man/man1/vsh.1
share/vmm/schemas/domain.rng"
count=$(echo $files | wc -w)
echo "1..$((count + 2))"

if make -s -C "$builddir" install DESTDIR="$dest" >"$dest.log" 2>&1; then
    echo "ok 1 - make install DESTDIR=..."
else
    echo "not ok 1 - make install DESTDIR=..."
    sed 's/^/# /' "$dest.log"
fi
rm -f "$dest.log"

n=2
for f in $files; do
    case $f in
        bin/* | sbin/* | lib/*) path=$dest$exec_prefix/$f ;;
        *) path=$dest$prefix/$f ;;
    esac
    if [ -e "$path" ]; then
        echo "ok $n - installs $f"
    else
        echo "not ok $n - installs $f (no $path)"
    fi
    n=$((n + 1))
done

# The installed pkg-config file must point a compiler at the headers.
pc=$dest$exec_prefix/lib/pkgconfig/libvmm.pc
if grep -q '^Libs: .*-lvmm' "$pc" 2>/dev/null && grep -q '^Cflags:' "$pc"; then
    echo "ok $n - libvmm.pc names -lvmm and the include dir"
else
    echo "not ok $n - libvmm.pc names -lvmm and the include dir"
fi
