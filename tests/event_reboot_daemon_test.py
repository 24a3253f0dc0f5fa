#!/usr/bin/python3
"""event_reboot_daemon_test.py: libvirt's REBOOT domain event
(VIR_DOMAIN_EVENT_ID_REBOOT) from a private vmmd (--root) to stock
clients: python3-libvirt's domainEventRegisterAny, `virsh event --event
reboot` and our vsh.

One daemon serves the whole module. On test:///default the test driver's
reboot sends the event. Under qemu:///system the tiny test guest of
tests/guest/build-guest.sh (skipped when it cannot be built) is booted
once, then rebooted by `virsh reboot` and by itself (`reboot` typed on its
serial console): each reset is exactly one REBOOT event, and the guest
comes up again. vmmd logs each event registration (log_filters below), so
the tests know when a watching virsh or vsh is ready without sleeping.
"""
import os
import signal
import subprocess
import threading
import time
import unittest

import daemon_testlib as lib
import kvmdrv_daemon_test as kvm
import kvmsave_daemon_test as save
import tap_unittest
from vsh_testlib import vsh_command

try:
    import libvirt
except ImportError:
    libvirt = None

# Debug lines of daemon/vmmd_remote_event.c only: one per registration.
CONFIG = 'log_filters = "1:daemon.remote.event"\n'
REGISTERED = "event %d registered as callback" % 1  # VIR_DOMAIN_EVENT_ID_REBOOT

READY = b"VMM-TEST-GUEST-READY"

DAEMON = None


def setUpModule():
    global DAEMON
    DAEMON = lib.Daemon(config=CONFIG, args=["--timeout", "600"])
    DAEMON.start()


def tearDownModule():
    try:
        DAEMON.stop()
    finally:
        for pid in kvm.qemu_pids(DAEMON.root):
            try:
                os.kill(pid, signal.SIGKILL)
            except OSError:
                pass


def wait_for(predicate, timeout=30):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.05)
    return predicate()


class RebootCollector:
    """python3-libvirt callbacks for REBOOT on @conn (every domain): the
    names of the domains, in order."""

    def __init__(self, conn):
        self.conn = conn
        self.names = []
        self.cid = conn.domainEventRegisterAny(
            None, libvirt.VIR_DOMAIN_EVENT_ID_REBOOT, self._on_reboot, None)

    def _on_reboot(self, conn, dom, opaque):
        self.names.append(dom.name())

    def close(self):
        self.conn.domainEventDeregisterAny(self.cid)


class Watcher:
    """A command that waits for one REBOOT event (virsh or vsh `event`
    without --loop); started once vmmd logged its registration."""

    def __init__(self, argv):
        before = DAEMON.read_log().count(REGISTERED)
        self.proc = subprocess.Popen(argv, stdin=subprocess.DEVNULL,
                                     stdout=subprocess.PIPE,
                                     stderr=subprocess.PIPE, text=True)
        if not wait_for(lambda: DAEMON.read_log().count(REGISTERED) > before
                        or self.proc.poll() is not None):
            self.close()
            raise AssertionError("%s did not register" % argv[0])

    def output(self, timeout=60):
        try:
            out, err = self.proc.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.close()
            raise
        return self.proc.returncode, out, err

    def close(self):
        if self.proc.poll() is None:
            self.proc.kill()
        self.proc.communicate()


def virsh_event(uri, *args):
    return Watcher(["virsh", "-c", uri, "event", "--event", "reboot",
                    "--timeout", "120"] + list(args))


def virsh(uri, *args):
    res = subprocess.run(["virsh", "-q", "-c", uri] + list(args),
                         capture_output=True, text=True, timeout=60)
    if res.returncode != 0:
        raise AssertionError("virsh %s failed: %s%s\nvmmd log:\n%s" % (
            " ".join(args), res.stdout, res.stderr,
            DAEMON.read_log()[-3000:]))
    return res


class TestDriverRebootTest(unittest.TestCase):
    """test:///default behind vmmd."""

    def test_vsh_lists_reboot(self):
        res = subprocess.run(vsh_command(["-q", "-c", "test:///default",
                                          "event --list"]),
                             capture_output=True, text=True, timeout=60)
        self.assertEqual(res.stdout.split(), ["lifecycle", "reboot"])

    @unittest.skipUnless(libvirt, "python3-libvirt is not installed")
    def test_python_libvirt_gets_one_event(self):
        conn = libvirt.open(DAEMON.uri())
        self.addCleanup(conn.close)
        collector = RebootCollector(conn)
        self.addCleanup(collector.close)
        virsh(DAEMON.uri(), "reboot", "test")
        self.assertTrue(wait_for(lambda: collector.names))
        time.sleep(0.3)
        self.assertEqual(collector.names, ["test"])

    def test_virsh_event_line(self):
        watcher = virsh_event(DAEMON.uri(), "--domain", "test")
        virsh(DAEMON.uri(), "reboot", "test")
        rc, out, err = watcher.output()
        self.assertEqual((rc, out, err),
                         (0, "event 'reboot' for domain 'test'\n"
                             "events received: 1\n\n", ""))

    def test_vsh_event_over_vmmd(self):
        watcher = Watcher(vsh_command(["-c", DAEMON.uri(), "event",
                                       "--event", "reboot", "--timestamp",
                                       "--timeout", "120"]))
        virsh(DAEMON.uri(), "reboot", "test")
        rc, out, err = watcher.output()
        self.assertEqual((rc, err), (0, ""))
        lines = out.splitlines()
        self.assertRegex(lines[0], r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{3}"
                         r"\+0000: event 'reboot' for domain 'test'$")
        self.assertEqual(lines[1:], ["events received: 1", ""])


def boot_guest(uri, name, lifecycle=""):
    """Defines and starts the test guest @name; returns its console,
    answering. Raises SkipTest without the guest."""
    guest_dir = kvm.build_guest()
    if not guest_dir:
        raise unittest.SkipTest("no test guest: %s" % kvm.GUEST_ERROR)
    sock = os.path.join(DAEMON.root, name + ".serial")
    path = os.path.join(DAEMON.root, name + ".xml")
    with open(path, "w", encoding="utf-8") as f:
        f.write(save.GUEST_XML % {"name": name, "dir": guest_dir,
                                  "sock": sock, "balloon": "none",
                                  "lifecycle": lifecycle})
    virsh(uri, "define", path)
    virsh(uri, "start", name)
    console = save.Console(sock)
    if not console.echo("hello", timeout=60):
        console.close()
        raise AssertionError("the test guest does not answer")
    return console


class QemuRebootTest(unittest.TestCase):
    """The test guest under qemu:///system, booted once for the class
    (and once more, with <on_poweroff>restart, for that case)."""

    @classmethod
    def setUpClass(cls):
        cls.uri = "qemu+unix:///system?socket=" + DAEMON.sock
        cls.name = "rb1"
        cls.console = boot_guest(cls.uri, cls.name)

    @classmethod
    def tearDownClass(cls):
        # (A failed setUpClass leaves QEMU to tearDownModule.)
        cls.console.close()
        subprocess.run(["virsh", "-q", "-c", cls.uri, "destroy", cls.name],
                       capture_output=True, timeout=60)

    def setUp(self):
        if not libvirt:
            self.skipTest("python3-libvirt is not installed")
        self.conn = libvirt.open(self.uri)
        self.addCleanup(self.conn.close)
        self.collector = RebootCollector(self.conn)
        self.addCleanup(self.collector.close)
        self.console.data = b""

    def assert_rebooted_once(self, console=None, name=None):
        """The guest came up again, with exactly one REBOOT event."""
        console = console or self.console
        name = name or self.name
        self.assertTrue(console.read_until(READY, timeout=90),
                        "the guest did not boot again")
        self.assertTrue(console.echo("again"))
        self.assertTrue(wait_for(lambda: self.collector.names))
        time.sleep(0.5)
        self.assertEqual(self.collector.names, [name])
        self.assertEqual(virsh(self.uri, "domstate", name).stdout.strip(),
                         "running")

    def test_virsh_reboot(self):
        watcher = virsh_event(self.uri, "--domain", self.name)
        try:
            virsh(self.uri, "reboot", self.name)
            self.assert_rebooted_once()
            rc, out, err = watcher.output()
        finally:
            watcher.close()
        self.assertEqual((rc, out, err),
                         (0, "event 'reboot' for domain 'rb1'\n"
                             "events received: 1\n\n", ""))

    def test_guest_reboots_itself(self):
        self.console.sock.sendall(b"reboot\n")
        self.assert_rebooted_once()

    def test_poweroff_restart(self):
        """<on_poweroff>restart: the guest's power-off becomes a reset."""
        console = boot_guest(self.uri, "rb2",
                             "<on_poweroff>restart</on_poweroff>")
        self.addCleanup(subprocess.run,
                        ["virsh", "-q", "-c", self.uri, "destroy", "rb2"],
                        capture_output=True, timeout=60)
        self.addCleanup(console.close)
        console.data = b""
        virsh(self.uri, "shutdown", "rb2")
        self.assert_rebooted_once(console, "rb2")


def run_event_loop():
    while True:
        libvirt.virEventRunDefaultImpl()


if __name__ == "__main__":
    if libvirt:
        libvirt.virEventRegisterDefaultImpl()
        threading.Thread(target=run_event_loop, daemon=True).start()
        # libvirt prints every error it raises to stderr by default.
        libvirt.registerErrorHandler(lambda ctx, err: None, None)
    tap_unittest.main()
