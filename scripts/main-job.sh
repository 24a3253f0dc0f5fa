#!/bin/sh
# main-job.sh: on a fresh Debian 12 machine, installs what is missing,
# builds vmm, starts vmmd on a private root (its own sockets, nothing
# system-wide) and runs a vsh session through it: list, define, start,
# dominfo, dumpxml on the test driver. vmmd is stopped and its root
# removed at the end, however the session went.
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
builddir=${VMM_BUILDDIR:-$top/build}

"$top/scripts/install-deps.sh"
"$top/scripts/build.sh"

vsh="$builddir/tools/vsh/vsh"
vmmd="$builddir/daemon/vmmd"
root=$(mktemp -d /tmp/vmm-main-job.XXXXXX)
cleanup() {
    [ -f "$root/run/vmm/vmmd.pid" ] && kill "$(cat "$root/run/vmm/vmmd.pid")" 2>/dev/null
    sleep 0.2
    rm -rf "$root"
}
trap cleanup EXIT INT TERM

printf 'auth_unix_rw = "none"\n' > "$root/vmmd.conf"
"$vmmd" --root "$root" --config "$root/vmmd.conf" --daemon
socket="$root/run/vmm/vmm-sock"
for _ in $(seq 50); do [ -S "$socket" ] && break; sleep 0.1; done

echo "vmmd is listening on $socket"
set -x
"$vsh" -c "test+unix:///default?socket=$socket" <<VSH
list --all
define $top/examples/demo-test-domain.xml
start demo
list --all
dominfo demo
dumpxml demo
VSH
set +x
