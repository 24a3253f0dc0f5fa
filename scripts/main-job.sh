#!/bin/sh
# main-job.sh: on a fresh Debian 12 machine, installs what is missing,
# builds vmm, starts vmmd on a private root (its own sockets and state,
# nothing system-wide) and, through vmmd, boots a tiny real guest under
# QEMU (TCG) with vsh: define, start, the guest's console marker, dominfo,
# an ACPI shutdown, undefine. Then vmmd is stopped and its root removed,
# however the session went.
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
builddir=${VMM_BUILDDIR:-$top/build}

"$top/scripts/install-deps.sh"
"$top/scripts/build.sh"

vsh="$builddir/tools/vsh/vsh"
vmmd="$builddir/daemon/vmmd"
guest=$(VMM_TEST_GUEST_DIR="$builddir/tests/guest-cache" \
        "$top/tests/guest/build-guest.sh" | tail -n 1)
root=$(mktemp -d /tmp/vmm-main-job.XXXXXX)
cleanup() {
    if [ -f "$root/run/vmm/vmmd.pid" ]; then
        "$vsh" -q -c "$uri" destroy demo >/dev/null 2>&1 || true
        kill "$(cat "$root/run/vmm/vmmd.pid")" 2>/dev/null || true
        sleep 0.3
    fi
    rm -rf "$root"
}
trap cleanup EXIT INT TERM

printf 'auth_unix_rw = "none"\n' > "$root/vmmd.conf"
"$vmmd" --root "$root" --config "$root/vmmd.conf" --daemon
socket="$root/run/vmm/vmm-sock"
uri="qemu+unix:///system?socket=$socket"
for _ in $(seq 50); do [ -S "$socket" ] && break; sleep 0.1; done
echo "vmmd is listening on $socket"

# The guest: the kernel and busybox initramfs tests/guest/ builds, 128 MiB,
# its serial console in a file so this script can show what it printed.
serial="$root/demo-serial.log"
sed -e "s|@GUEST@|$guest|g" -e "s|@SERIAL@|$serial|g" \
    "$top/examples/demo-guest.xml" > "$root/demo.xml"

wait_for() { # wait_for SECONDS COMMAND...: retries COMMAND until it succeeds
    n=$(($1 * 10)); shift
    while [ "$n" -gt 0 ]; do "$@" && return 0; sleep 0.1; n=$((n - 1)); done
    return 1
}

set -x
"$vsh" -c "$uri" list --all
"$vsh" -c "$uri" define "$root/demo.xml"
"$vsh" -c "$uri" start demo
{ set +x; } 2>/dev/null
wait_for 60 grep -q VMM-TEST-GUEST-READY "$serial"
echo "--- the guest's serial console:"
grep -a VMM-TEST-GUEST-READY "$serial"
set -x
"$vsh" -c "$uri" dominfo demo
"$vsh" -c "$uri" shutdown demo
{ set +x; } 2>/dev/null
wait_for 30 sh -c "'$vsh' -q -c '$uri' domstate demo | grep -q 'shut off'"
set -x
"$vsh" -c "$uri" domstate demo --reason
"$vsh" -c "$uri" undefine demo
"$vsh" -c "$uri" list --all
{ set +x; } 2>/dev/null
