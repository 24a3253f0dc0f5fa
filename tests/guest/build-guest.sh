#!/bin/sh
# build-guest.sh: builds the tiny guest that QEMU tests boot under TCG, from
# Debian packages, and caches it. Prints the cache directory on success.
#
#   $DIR/vmlinuz     the kernel of linux-image-cloud-amd64's versioned package
#   $DIR/initrd.gz   busybox-static, the modules below and an init script
#
# DIR is $VMM_TEST_GUEST_DIR, else $abs_top_builddir/tests/guest-cache, else
# ./guest-cache. The guest prints "VMM-TEST-GUEST-READY" on ttyS0 once up
# and powers off at once on an ACPI power button press (system_powerdown).
# It answers each line read from ttyS0:
#
#   disks    "disks: vda vdb" -- the block devices it sees (virtio-blk), so a
#            test can tell that a hot-plugged disk reached the guest
#   cpus     "cpus: present=N online=M" -- its CPUs, hot-plugged ones too
#   panic    panics the kernel (sysrq c); with <panic model='isa'/> QEMU
#            reports GUEST_PANICKED through the pvpanic device
#   reboot   reboots at once (QEMU's RESET event)
#   other    "echo: LINE"
#
# Idempotent: when both files exist the script only prints DIR. The kernel
# is fetched with `apt-get download` (never installed), so it needs apt's
# access to the Debian mirror on the first run only.
set -eu

dir=${VMM_TEST_GUEST_DIR:-${abs_top_builddir:-.}/tests/guest-cache}
[ -n "${VMM_TEST_GUEST_DIR:-}" ] || [ -n "${abs_top_builddir:-}" ] ||
    dir=./guest-cache

# The stamp ties the cache to this script: editing it rebuilds the guest.
stamp=$(sha256sum "$0" | cut -d' ' -f1)
if [ -s "$dir/vmlinuz" ] && [ -s "$dir/initrd.gz" ] &&
   [ "$(cat "$dir/stamp" 2>/dev/null)" = "$stamp" ]; then
    echo "$dir"
    exit 0
fi

busybox=/bin/busybox
if ! "$busybox" --list 2>/dev/null | grep -qx acpid; then
    echo "build-guest: $busybox (busybox-static) with acpid is needed" >&2
    exit 1
fi

mkdir -p "$dir"
work=$(mktemp -d "$dir/build.XXXXXX")
trap 'rm -rf "$work"' EXIT INT TERM

# The meta package depends on exactly one versioned kernel package.
kpkg=$(apt-cache depends linux-image-cloud-amd64 |
       sed -n 's/^ *Depends: \(linux-image-[0-9].*-cloud-amd64\)$/\1/p' |
       head -n 1)
if [ -z "$kpkg" ]; then
    echo "build-guest: cannot resolve linux-image-cloud-amd64" >&2
    exit 1
fi
# As root apt downloads as user _apt, who cannot write into $work.
sandbox=
[ "$(id -u)" -eq 0 ] && sandbox="-o APT::Sandbox::User=root"
# shellcheck disable=SC2086
(cd "$work" && apt-get download -q $sandbox "$kpkg" >/dev/null)
dpkg-deb -x "$work"/"$kpkg"_*.deb "$work/kernel"

kver=${kpkg#linux-image-}
mods="$work/kernel/lib/modules/$kver/kernel"
root="$work/root"
mkdir -p "$root/bin" "$root/proc" "$root/sys" "$root/dev" "$root/tmp" \
         "$root/lib/modules" "$root/etc/acpi/PWRF" "$root/var/log"
cp "$busybox" "$root/bin/busybox"
# Loaded in this order by init: dependencies first.
guestmods="drivers/acpi/button.ko drivers/input/evdev.ko
  drivers/virtio/virtio_ring.ko drivers/virtio/virtio.ko
  drivers/virtio/virtio_pci_modern_dev.ko
  drivers/virtio/virtio_pci_legacy_dev.ko drivers/virtio/virtio_pci.ko
  drivers/block/virtio_blk.ko drivers/misc/pvpanic/pvpanic.ko
  drivers/misc/pvpanic/pvpanic-mmio.ko"
for m in $guestmods; do
    if [ -f "$mods/$m.xz" ]; then
        xz -dc "$mods/$m.xz" >"$root/lib/modules/$(basename "$m")"
    else
        cp "$mods/$m" "$root/lib/modules/"
    fi
done

cat >"$root/etc/acpi/PWRF/00000080" <<'ACPI'
#!/bin/sh
poweroff -f
ACPI
chmod 755 "$root/etc/acpi/PWRF/00000080"

cat >"$root/init" <<'INIT'
#!/bin/busybox sh
/bin/busybox --install -s /bin
mount -t proc proc /proc
mount -t sysfs sys /sys
mount -t devtmpfs dev /dev
exec </dev/ttyS0 >/dev/ttyS0 2>&1
# evdev first, so the power button's event device exists for acpid.
insmod /lib/modules/evdev.ko
insmod /lib/modules/button.ko
# busybox acpid quits at start without its default log directory.
mkdir -p /var/log
# acpid only watches the event devices present when it starts, and a
# power button pressed before it watches is lost: wait for the devices,
# then until acpid has one open, before saying we are ready.
i=0
while ! ls /dev/input/event* >/dev/null 2>&1 && [ $i -lt 200 ]; do
    usleep 10000; i=$((i + 1))
done
acpid -f &
i=0
while ! ls -l /proc/$!/fd 2>/dev/null | grep -q /dev/input/event &&
      [ $i -lt 200 ]; do
    usleep 10000; i=$((i + 1))
done
# Devices for the "disks" and "panic" commands (see the top comment).
for m in virtio_ring virtio virtio_pci_modern_dev virtio_pci_legacy_dev \
         virtio_pci virtio_blk pvpanic pvpanic-mmio; do
    insmod /lib/modules/$m.ko
done
stty -echo 2>/dev/null
echo VMM-TEST-GUEST-READY
while read -r line; do
    case $line in
    disks)
        set --
        for d in /sys/block/*; do
            case ${d##*/} in loop*|ram*) ;; *) set -- "$@" "${d##*/}" ;; esac
        done
        echo "disks: $*" ;;
    cpus)
        present=$(ls -d /sys/devices/system/cpu/cpu[0-9]* | wc -l)
        online=$(grep -c ^processor /proc/cpuinfo)
        echo "cpus: present=$present online=$online" ;;
    panic) echo c >/proc/sysrq-trigger ;;
    reboot) reboot -f ;;
    *) echo "echo: $line" ;;
    esac
done
# Input closed: nothing left to do but wait for the power button.
while :; do sleep 3600; done
INIT
chmod 755 "$root/init"

cp "$work/kernel/boot/vmlinuz-$kver" "$work/vmlinuz"
(cd "$root" && find . | "$busybox" cpio -o -H newc 2>/dev/null) |
    gzip -9 >"$work/initrd.gz"
mv "$work/vmlinuz" "$dir/vmlinuz.new"
mv "$work/initrd.gz" "$dir/initrd.gz"
mv "$dir/vmlinuz.new" "$dir/vmlinuz"
echo "$stamp" >"$dir/stamp"
echo "$dir"
