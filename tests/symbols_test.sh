#!/bin/sh
# symbols_test.sh: the ABI is exactly what src/api/libvmm.syms says.
#   1. the functions the public headers mark VMM_EXPORT are the names listed
#      in libvmm.syms;
#   2. the built libvmm.so.0 defines exactly those names, nothing more
#      (skipped when the library is not built yet).
# TAP output; the differences are printed on failure.

srcdir=${abs_top_srcdir:-$(cd "$(dirname "$0")/.." && pwd)}
builddir=${abs_top_builddir:-$srcdir}
syms=$srcdir/src/api/libvmm.syms
lib=${VMM_TEST_LIBVMM:-$builddir/src/.libs/libvmm.so.0}

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
failed=0

# "name;" lines of the version script, without comments.
sed -e 's/#.*//' "$syms" |
    grep -oE '^[[:space:]]*[A-Za-z_][A-Za-z0-9_]*[[:space:]]*;' |
    tr -d ' \t;' | sort -u >"$tmp/syms"

# The function name of every VMM_EXPORT declaration, which may span lines:
# the identifier right before the first '('.
for h in "$srcdir"/include/vmm/*.h; do
    awk '/VMM_EXPORT/ && !/#[[:space:]]*define/ {
             buf = $0
             while (buf !~ /\(/ && (getline line) > 0)
                 buf = buf " " line
             sub(/\(.*/, "", buf)
             if (match(buf, /[A-Za-z_][A-Za-z0-9_]*[[:space:]]*$/)) {
                 name = substr(buf, RSTART, RLENGTH)
                 gsub(/[[:space:]]/, "", name)
                 print name
             }
         }' "$h"
done | sort -u >"$tmp/headers"

# Report the difference of two sorted lists as TAP test $1.
compare() {
    num=$1 desc=$2 left=$3 right=$4 lname=$5 rname=$6
    comm -23 "$left" "$right" >"$tmp/only-left"
    comm -13 "$left" "$right" >"$tmp/only-right"
    if [ -s "$tmp/only-left" ] || [ -s "$tmp/only-right" ]; then
        echo "not ok $num - $desc"
        sed "s|^|#   only in $lname: |" "$tmp/only-left"
        sed "s|^|#   only in $rname: |" "$tmp/only-right"
        failed=1
    else
        echo "ok $num - $desc"
    fi
}

echo "1..2"
if [ ! -s "$tmp/syms" ]; then
    echo "not ok 1 - libvmm.syms lists the VMM_EXPORT functions"
    echo "#   no symbol found in $syms"
    failed=1
else
    compare 1 "libvmm.syms lists the VMM_EXPORT functions" \
        "$tmp/syms" "$tmp/headers" "libvmm.syms" "include/vmm"
fi

if [ ! -e "$lib" ]; then
    echo "ok 2 # SKIP $lib is not built"
    exit $failed
fi
# Defined dynamic symbols, without version suffixes and without the version
# nodes themselves (absolute symbols, type A).
nm -D --defined-only "$lib" |
    awk '$2 != "A" { sub(/@.*/, "", $3); print $3 }' | sort -u >"$tmp/lib"
compare 2 "libvmm.so.0 exports exactly libvmm.syms" \
    "$tmp/syms" "$tmp/lib" "libvmm.syms" "libvmm.so.0"
exit $failed
