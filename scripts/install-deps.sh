#!/bin/sh
# install-deps.sh: installs the Debian 12 packages vmm needs that are not
# installed yet: those of the build, and QEMU for the main job's guest.
# `--test` adds what the test suite needs (valgrind, tmux, the stock libvirt
# clients and daemon the compatibility tests drive, gnutls-bin whose
# certtool and gnutls-cli/-serv check certificates, a private polkit).
# Runs apt-get update at most once, and only when something is missing.
set -eu

build_pkgs="autoconf automake libtool pkg-config make gcc libc6-dev
libglib2.0-dev libxml2-dev libxml2-utils libyajl-dev libgnutls28-dev
libtirpc-dev libreadline-dev rpcsvc-proto python3"
# What the main job needs to boot its guest: QEMU, and the pieces
# tests/guest/build-guest.sh makes the tiny guest from.
run_pkgs="qemu-system-x86 qemu-utils busybox-static xz-utils"
# libvirt-daemon: a private libvirtd the compatibility tests compare vmmd
# with. It and its dependencies ship no maintainer scripts that start a
# service (libvirt-daemon-system, not installed, holds the units), so no
# policy-rc.d is needed around the install. polkitd, dbus-daemon and
# dbus-bin (dbus-send): the private polkit of tests/polkit_daemon_test.py.
test_pkgs="valgrind tmux libvirt-clients python3-libvirt procps
libvirt-daemon gnutls-bin polkitd dbus-daemon dbus-bin"

pkgs="$build_pkgs $run_pkgs"
[ "${1:-}" = "--test" ] && pkgs="$pkgs $test_pkgs"

missing=
for p in $pkgs; do
    status=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)
    case "$status" in
        *" installed") ;;
        *) missing="$missing $p" ;;
    esac
done
[ -z "$missing" ] && exit 0

if [ "$(id -u)" -eq 0 ]; then
    sudo=
elif command -v sudo >/dev/null 2>&1; then
    sudo=sudo
else
    echo "install-deps: missing packages:$missing; run this as root" >&2
    exit 1
fi
echo "install-deps: installing$missing"
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -q
# shellcheck disable=SC2086
$sudo apt-get install -y -q --no-install-recommends $missing
