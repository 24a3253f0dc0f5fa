#!/bin/sh
# main-job.sh: on a fresh Debian 12 machine, installs what is missing,
# builds vmm, and runs a short vsh session against the in-process test
# driver: list, define, start, dominfo, dumpxml.
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
builddir=${VMM_BUILDDIR:-$top/build}

"$top/scripts/install-deps.sh"
"$top/scripts/build.sh"

vsh="$builddir/tools/vsh/vsh"
set -x
"$vsh" -c test:///default <<VSH
list --all
define $top/examples/demo-test-domain.xml
start demo
list --all
dominfo demo
dumpxml demo
VSH
