#!/usr/bin/python3
"""kvmsave_daemon_test.py: save / restore, managed save, reboot, the
<on_poweroff> actions and memory through the balloon of QEMU guests, with
stock virsh against a private vmmd (--root) booting the test guest of
tests/guest/build-guest.sh. The guest's serial port is a UNIX socket the
test talks to: a guest that answers a line after a restore kept running
from where it was. Every QEMU left is killed in tearDown.
"""
import os
import socket
import subprocess
import threading
import time
import unittest

import kvmdrv_daemon_test as kvm
import tap_unittest
from vsh_testlib import vsh_command

SAVE_MAGIC = b"VmmQemuSave\n\0\0\0\0"

GUEST_XML = """<domain type='qemu'>
  <name>%(name)s</name>
  <memory unit='MiB'>128</memory>
  <vcpu>1</vcpu>
  <os>
    <type arch='x86_64' machine='pc'>hvm</type>
    <kernel>%(dir)s/vmlinuz</kernel>
    <initrd>%(dir)s/initrd.gz</initrd>
    <cmdline>console=ttyS0 quiet</cmdline>
  </os>
  <features><acpi/></features>
  %(lifecycle)s
  <devices>
    <serial type='unix'>
      <source mode='bind' path='%(sock)s'/>
      <target port='0'/>
    </serial>
    <memballoon model='%(balloon)s'/>
  </devices>
</domain>
"""


class Console:
    """The guest's serial port (a UNIX socket QEMU listens on), read all
    the time by a thread of its own: a guest whose console output nobody
    reads stalls in its UART (a panic's long report never ends), so the
    tests must never leave it unread."""

    def __init__(self, path, timeout=30):
        deadline = time.monotonic() + timeout
        while True:
            self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            try:
                self.sock.connect(path)
                break
            except OSError:
                self.sock.close()
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.1)
        self._data = b""
        self._eof = False
        self._cond = threading.Condition()
        self._reader = threading.Thread(target=self._read_all, daemon=True)
        self._reader.start()

    def _read_all(self):
        while True:
            try:
                chunk = self.sock.recv(4096)
            except OSError:
                chunk = b""
            with self._cond:
                if not chunk:
                    self._eof = True
                    self._cond.notify_all()
                    return
                self._data += chunk
                self._cond.notify_all()

    @property
    def data(self):
        """What the guest printed since the last reset (data = b"")."""
        with self._cond:
            return self._data

    @data.setter
    def data(self, value):
        with self._cond:
            self._data = value

    def close(self):
        try:
            self.sock.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass
        self.sock.close()
        self._reader.join(5)

    def read_until(self, needle, timeout=30):
        with self._cond:
            return self._cond.wait_for(
                lambda: needle in self._data or self._eof, timeout) and \
                needle in self._data

    def echo(self, word, timeout=30):
        """Whether the guest answers @word (sent again every second, as the
        guest may still be booting)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            self.sock.sendall(word.encode() + b"\n")
            if self.read_until(b"echo: " + word.encode(), timeout=1):
                return True
        return False


class KvmSaveTest(unittest.TestCase):
    # The private daemon and helpers of kvmdrv_daemon_test.
    setUp = kvm.KvmDriverTest.setUp
    tearDown = kvm.KvmDriverTest.tearDown
    virsh = kvm.KvmDriverTest.virsh
    define = kvm.KvmDriverTest.define
    state = kvm.KvmDriverTest.state
    wait_for = kvm.KvmDriverTest.wait_for
    wait_events_registered = kvm.KvmDriverTest.wait_events_registered
    restart = kvm.KvmDriverTest.restart

    def guest(self, name, balloon="none", lifecycle=""):
        """Defines the test guest @name; returns its serial socket path.
        Skips without the guest."""
        guest_dir = kvm.build_guest()
        if not guest_dir:
            self.skipTest("no test guest: %s" % kvm.GUEST_ERROR)
        sock = os.path.join(self.root, name + ".serial")
        self.define(name, GUEST_XML % {"name": name, "dir": guest_dir,
                                       "sock": sock, "balloon": balloon,
                                       "lifecycle": lifecycle})
        return sock

    def boot(self, name, **kw):
        """Defines and starts @name; returns its console, answering."""
        sock = self.guest(name, **kw)
        self.virsh("start", name)
        con = Console(sock)
        self.addCleanup(con.close)
        self.assertTrue(con.echo("hello"), "the guest does not answer")
        return con

    def console(self, name):
        con = Console(os.path.join(self.root, name + ".serial"))
        self.addCleanup(con.close)
        return con

    def test_save_restore(self):
        self.boot("s1")
        path = os.path.join(self.root, "s1.save")
        with kvm.EventWatcher("qemu+unix:///system?socket=" +
                              self.daemon.sock) as watcher:
            self.wait_events_registered(watcher)
            self.virsh("save", "s1", path)
            self.assertEqual(self.state("s1"), "shut off (saved)")
            self.assertEqual(kvm.qemu_pids(self.root), [])
            with open(path, "rb") as f:
                head = f.read(4096)
            self.assertTrue(head.startswith(SAVE_MAGIC))
            self.assertIn(b"<name>s1</name>", head)
            self.virsh("restore", path)
            self.assertEqual(self.state("s1"), "running (restored)")
            events = watcher.events_of("s1", 2, timeout=10)
        self.assertIn("Stopped Saved", events)
        self.assertIn("Started Restored", events)
        # The guest goes on where it was: it answers at once, no boot.
        con = self.console("s1")
        self.assertTrue(con.echo("after-restore", timeout=10))
        self.assertNotIn(b"VMM-TEST-GUEST-READY", con.data)
        self.virsh("destroy", "s1")

    def test_restore_paused_and_bad_file(self):
        self.boot("s2")
        path = os.path.join(self.root, "s2.save")
        self.virsh("save", "s2", path)
        self.virsh("restore", path, "--paused")
        self.assertEqual(self.state("s2"), "paused (user)")
        self.virsh("resume", "s2")
        self.assertTrue(self.console("s2").echo("resumed", timeout=10))
        self.virsh("destroy", "s2")
        bad = os.path.join(self.root, "bad.save")
        with open(bad, "wb") as f:
            f.write(b"not a saved guest at all, no, not at all......")
        res = self.virsh("restore", bad, check=False)
        self.assertNotEqual(res.returncode, 0)
        self.assertIn("is not a saved QEMU guest", res.stderr)

    def test_managedsave_start(self):
        self.boot("m1")
        image = os.path.join(self.root, "var", "lib", "vmm", "qemu", "save",
                             "m1.save")
        self.virsh("managedsave", "m1")
        self.assertEqual(self.state("m1"), "shut off (saved)")
        self.assertTrue(os.path.exists(image))
        self.assertRegex(self.virsh("dominfo", "m1").stdout,
                         r"Managed save:\s+yes")
        self.assertEqual(self.virsh("list", "--all", "--name",
                                    "--with-managed-save").stdout.split(),
                         ["m1"])
        # A restarted daemon finds the image again.
        self.restart()
        self.assertEqual(self.virsh("list", "--all", "--name",
                                    "--with-managed-save").stdout.split(),
                         ["m1"])
        res = self.virsh("undefine", "m1", check=False)
        self.assertNotEqual(res.returncode, 0)
        self.assertIn("managed save image", res.stderr)
        self.virsh("start", "m1")
        self.assertEqual(self.state("m1"), "running (restored)")
        self.assertFalse(os.path.exists(image))
        self.assertTrue(self.console("m1").echo("managed", timeout=10))
        # Removed image: the next start boots.
        self.virsh("managedsave", "m1")
        self.virsh("managedsave-remove", "m1")
        self.assertFalse(os.path.exists(image))
        self.assertEqual(self.virsh("list", "--all", "--name",
                                    "--with-managed-save").stdout.split(),
                         [])
        self.virsh("start", "m1")
        self.assertEqual(self.state("m1"), "running (booted)")
        # undefine --managed-save takes the image along.
        self.virsh("managedsave", "m1")
        self.virsh("undefine", "m1", "--managed-save")
        self.assertFalse(os.path.exists(image))

    def test_reboot_keeps_running(self):
        con = self.boot("r1")
        pids = kvm.qemu_pids(self.root)
        con.data = b""
        self.virsh("reboot", "r1")
        self.assertTrue(con.read_until(b"VMM-TEST-GUEST-READY", timeout=60),
                        "the guest did not boot again")
        self.assertTrue(con.echo("rebooted"))
        self.assertEqual(self.state("r1"), "running (booted)")
        self.assertEqual(kvm.qemu_pids(self.root), pids)
        self.virsh("destroy", "r1")

    def test_on_poweroff_restart_and_preserve(self):
        con = self.boot("p1", lifecycle="<on_poweroff>restart</on_poweroff>")
        con.data = b""
        self.virsh("shutdown", "p1")
        self.assertTrue(con.read_until(b"VMM-TEST-GUEST-READY", timeout=60),
                        "the guest did not start again")
        self.assertEqual(self.state("p1"), "running (booted)")
        self.virsh("destroy", "p1")

        self.boot("p2", lifecycle="<on_poweroff>preserve</on_poweroff>")
        self.virsh("shutdown", "p2")
        self.wait_for(lambda: self.state("p2") == "paused (shutting down)",
                      what="the powered-off guest to be kept")
        self.assertEqual(len(kvm.qemu_pids(self.root)), 1)
        self.virsh("destroy", "p2")
        self.assertEqual(self.state("p2"), "shut off (destroyed)")

    def test_setmem_balloon(self):
        self.boot("b1", balloon="virtio")
        self.virsh("setmem", "b1", "98304", "--live")
        self.assertRegex(self.virsh("dominfo", "b1").stdout,
                         r"Used memory:\s+98304 KiB")
        res = self.virsh("setmem", "b1", "262144", "--live", check=False)
        self.assertNotEqual(res.returncode, 0)
        # The stored definition is untouched by --live.
        self.assertIn("131072",
                      self.virsh("dumpxml", "b1", "--inactive").stdout)
        self.virsh("destroy", "b1")

        self.boot("b2", balloon="none")
        res = self.virsh("setmem", "b2", "98304", "--live", check=False)
        self.assertNotEqual(res.returncode, 0)
        self.assertIn("balloon", res.stderr)
        self.virsh("destroy", "b2")

    def vsh(self, *args):
        res = subprocess.run(
            vsh_command(["-c", "qemu+unix:///system?socket=" +
                         self.daemon.sock] + list(args)),
            capture_output=True, text=True, timeout=120)
        if res.returncode != 0:
            self.fail("vsh %s failed: %s%s" % (" ".join(args), res.stdout,
                                                res.stderr))
        return res

    def test_vsh(self):
        """The same through our own shell (libvmm's remote driver)."""
        self.boot("v1", balloon="virtio")
        path = os.path.join(self.root, "v1.save")
        self.vsh("save", "v1", path)
        self.assertEqual(self.state("v1"), "shut off (saved)")
        self.vsh("restore", path)
        self.assertEqual(self.state("v1"), "running (restored)")
        con = self.console("v1")
        self.assertTrue(con.echo("vsh-restored", timeout=10))
        self.vsh("setmem", "v1", "98304", "--live")
        self.assertRegex(self.virsh("dominfo", "v1").stdout,
                         r"Used memory:\s+98304 KiB")
        con.data = b""
        self.vsh("reboot", "v1")
        self.assertTrue(con.read_until(b"VMM-TEST-GUEST-READY", timeout=60))
        self.assertEqual(self.state("v1"), "running (booted)")
        image = os.path.join(self.root, "var", "lib", "vmm", "qemu", "save",
                             "v1.save")
        self.vsh("managedsave", "v1")
        self.assertTrue(os.path.exists(image))
        self.vsh("start", "v1")
        self.assertEqual(self.state("v1"), "running (restored)")
        self.vsh("managedsave", "v1", "--paused")
        self.vsh("managedsave-remove", "v1")
        self.assertFalse(os.path.exists(image))


if __name__ == "__main__":
    tap_unittest.main()
