#!/bin/sh
# test-all.sh: the whole test suite on a fresh Debian 12 machine: installs
# what is missing, builds with warnings as errors, runs `make check`, and
# ends with one line "N passed, N failed, N skipped". Exit status 0 only
# when nothing failed.
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
builddir=${VMM_BUILDDIR:-$top/build}

"$top/scripts/install-deps.sh" --test || exit 1
"$top/scripts/build.sh" --enable-werror || { echo "0 passed, 1 failed, 0 skipped"; exit 1; }

cd "$builddir"
make -j"$(nproc)" check
status=$?

# Sum the per-test-point results that automake's TAP driver recorded.
pass=0 fail=0 skip=0
for trs in $(find . -name '*.trs'); do
    p=$(grep -c '^:test-result: PASS' "$trs"); pass=$((pass + p))
    x=$(grep -c '^:test-result: XFAIL' "$trs"); pass=$((pass + x))
    f=$(grep -c -E '^:test-result: (FAIL|ERROR|XPASS)' "$trs"); fail=$((fail + f))
    s=$(grep -c '^:test-result: SKIP' "$trs"); skip=$((skip + s))
done
if [ "$status" -ne 0 ] && [ "$fail" -eq 0 ]; then
    fail=1 # make check itself failed (a build or harness error)
fi
[ "$fail" -gt 0 ] && find . -name 'test-suite.log' -exec cat {} \; | tail -n 200
echo "$pass passed, $fail failed, $skip skipped"
[ "$fail" -eq 0 ]
