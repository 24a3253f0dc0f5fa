#!/bin/sh
# build.sh: configures and builds vmm out of tree in build/ (or $VMM_BUILDDIR).
# Extra arguments go to configure. Re-running only rebuilds what changed.
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
builddir=${VMM_BUILDDIR:-$top/build}

[ -x "$top/configure" ] || "$top/autogen.sh" >/dev/null
mkdir -p "$builddir"
cd "$builddir"
if [ ! -f Makefile ] || [ "$#" -gt 0 ]; then
    "$top/configure" -q "$@"
fi
make -s -j"$(nproc)"
