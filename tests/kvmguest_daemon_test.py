#!/usr/bin/python3
"""kvmguest_daemon_test.py: what the test guest itself sees and does, with
stock virsh against a private vmmd (--root) and the guest of
tests/guest/build-guest.sh, spoken to through its serial port (a UNIX
socket):

- a disk attached live appears in the guest ("disks"), and a detached one
  leaves it: ACPI PCI hotplug on the 'pc' machine, PCIe native hotplug
  through a free pcie-root-port on q35 (and a clear error without one);
- a guest panic ("panic", reported through <panic model='isa'/>) under
  each <on_crash> action: destroy, restart, preserve, coredump-destroy;
- a guest-initiated reboot ("reboot") under <on_reboot> destroy / restart;
- type='kvm' refused before QEMU starts where KVM cannot run guests (as
  on hosts with a broken nested KVM), or booted where it can.

Every QEMU left is killed in tearDown; tests needing the guest skip
without it.
"""
import os
import subprocess
import time
import unittest

import kvmdrv_daemon_test as kvm
import kvmsave_daemon_test as kvmsave
import tap_unittest

GUEST_XML = """<domain type='%(type)s'>
  <name>%(name)s</name>
  <memory unit='MiB'>128</memory>
  <vcpu>1</vcpu>
  <os>
    <type arch='x86_64' machine='%(machine)s'>hvm</type>
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
    <panic model='isa'/>
    %(controllers)s
  </devices>
</domain>
"""

READY = b"VMM-TEST-GUEST-READY"


class KvmGuestTest(unittest.TestCase):
    # The private daemon and helpers of kvmdrv_daemon_test.
    setUp = kvm.KvmDriverTest.setUp
    tearDown = kvm.KvmDriverTest.tearDown
    virsh = kvm.KvmDriverTest.virsh
    define = kvm.KvmDriverTest.define
    state = kvm.KvmDriverTest.state
    wait_for = kvm.KvmDriverTest.wait_for
    restart = kvm.KvmDriverTest.restart
    wait_events_registered = kvm.KvmDriverTest.wait_events_registered

    # ---- helpers ----

    def guest(self, name, lifecycle="", virt="qemu", machine="pc",
              controllers=""):
        """Defines the test guest @name; returns its serial socket path.
        Skips without the guest."""
        guest_dir = kvm.build_guest()
        if not guest_dir:
            self.skipTest("no test guest: %s" % kvm.GUEST_ERROR)
        sock = os.path.join(self.root, name + ".serial")
        self.define(name, GUEST_XML % {"name": name, "dir": guest_dir,
                                       "sock": sock, "type": virt,
                                       "lifecycle": lifecycle,
                                       "machine": machine,
                                       "controllers": controllers})
        return sock

    def boot(self, name, **kw):
        """Defines and starts @name; returns its console, answering."""
        sock = self.guest(name, **kw)
        self.virsh("start", name)
        con = kvmsave.Console(sock)
        self.addCleanup(con.close)
        self.assertTrue(con.echo("hello"), "the guest does not answer")
        return con

    def watcher(self):
        w = kvm.EventWatcher("qemu+unix:///system?socket=" +
                             self.daemon.sock)
        self.addCleanup(w.__exit__)
        self.wait_events_registered(w)
        return w

    def guest_disks(self, con, want, timeout=60):
        """The guest's "disks" answer, asked until @want(list) holds."""
        deadline = time.monotonic() + timeout
        disks = None
        while time.monotonic() < deadline:
            con.data = b""
            con.sock.sendall(b"disks\n")
            if con.read_until(b"\n", timeout=5) and \
                    con.read_until(b"disks:", timeout=5):
                con.read_until(b"\n", timeout=5)
                line = con.data[con.data.index(b"disks:"):].split(b"\n")[0]
                # An empty /sys/block comes as the shell's unexpanded "*".
                disks = [d for d in line.decode().split()[1:] if d != "*"]
                if want(disks):
                    return disks
            time.sleep(0.5)
        self.fail("the guest's disks stayed %r" % disks)

    def blklist(self, name):
        out = self.virsh("domblklist", name).stdout
        return [line.split()[0] for line in out.splitlines() if line.strip()]

    def crash(self, name, lifecycle):
        """Boots @name with @lifecycle, watches events, panics it."""
        con = self.boot(name, lifecycle=lifecycle)
        watcher = self.watcher()
        con.sock.sendall(b"panic\n")
        return con, watcher

    # ---- hotplug seen by the guest ----

    def image(self, name):
        img = os.path.join(self.root, name)
        subprocess.run(["qemu-img", "create", "-q", "-f", "qcow2", img,
                        "16M"], check=True, timeout=60)
        return img

    def hotplug_disk(self, name, con):
        """attach-disk / detach-disk of vdb, seen by the guest."""
        self.assertEqual(self.guest_disks(con, lambda d: True), [])
        img = self.image(name + ".qcow2")
        self.virsh("attach-disk", name, img, "vdb", "--subdriver", "qcow2",
                   "--targetbus", "virtio", "--live")
        self.assertIn("vdb", self.blklist(name))
        # The guest names disks in the order it finds them: one new disk.
        self.assertEqual(len(self.guest_disks(con, lambda d: len(d) == 1)),
                         1)
        self.virsh("detach-disk", name, "vdb", "--live")
        self.guest_disks(con, lambda d: d == [])
        self.wait_for(lambda: "vdb" not in self.blklist(name), 30,
                      "vdb to leave domblklist")
        self.assertEqual(self.state(name), "running (booted)")

    def test_disk_hotplug_seen_by_guest(self):
        # 'pc': ACPI hotplug on the root bus.
        self.hotplug_disk("d", self.boot("d"))

    def test_disk_hotplug_q35(self):
        # q35's root bus takes no hotplug: the disk goes to a free
        # pcie-root-port (PCIe native hotplug in the guest).
        ports = "".join("<controller type='pci' index='%d' "
                        "model='pcie-root-port'/>" % i for i in (1, 2))
        con = self.boot("q", machine="q35", controllers=ports)
        self.hotplug_disk("q", con)
        self.assertNotIn("vdb", self.virsh("dumpxml", "q").stdout)

    def test_disk_hotplug_q35_without_port(self):
        self.boot("q0", machine="q35")
        res = self.virsh("attach-disk", "q0", self.image("q0.qcow2"), "vdb",
                         "--subdriver", "qcow2", "--live", check=False)
        self.assertNotEqual(res.returncode, 0)
        self.assertIn("free pcie-root-port", res.stderr)
        self.assertEqual(self.blklist("q0"), [])

    # ---- <on_crash> ----

    def test_on_crash_destroy(self):
        con, watcher = self.crash(
            "c1", "<on_crash>destroy</on_crash>")
        self.wait_for(lambda: self.state("c1") == "shut off (crashed)", 120,
                      "the panicked guest to be destroyed")
        self.assertEqual(watcher.events_of("c1", 2),
                         ["Crashed Panicked", "Stopped Crashed"])
        self.assertEqual(kvm.qemu_pids(self.root), [])

    def test_on_crash_coredump_destroy(self):
        # No dump is written yet (README): it acts as destroy.
        con, watcher = self.crash(
            "c2", "<on_crash>coredump-destroy</on_crash>")
        self.wait_for(lambda: self.state("c2") == "shut off (crashed)", 120,
                      "the panicked guest to be destroyed")
        self.assertEqual(watcher.events_of("c2", 2),
                         ["Crashed Panicked", "Stopped Crashed"])

    def test_on_crash_restart(self):
        con, watcher = self.crash(
            "c3", "<on_crash>restart</on_crash>")
        con.data = con.data.replace(READY, b"")
        self.assertTrue(con.read_until(READY, timeout=60),
                        "the guest did not boot again")
        self.assertEqual(watcher.events_of("c3", 2),
                         ["Crashed Panicked", "Resumed Unpaused"])
        self.assertEqual(self.state("c3"), "running (crashed)")
        self.assertTrue(con.echo("again"))
        self.assertEqual(len(kvm.qemu_pids(self.root)), 1)

    def test_on_crash_preserve(self):
        con, watcher = self.crash(
            "c4", "<on_crash>preserve</on_crash>")
        self.wait_for(lambda: self.state("c4") == "crashed (panicked)", 120,
                      "the guest to be kept crashed")
        self.assertEqual(watcher.events_of("c4", 1), ["Crashed Panicked"])
        self.assertEqual(len(kvm.qemu_pids(self.root)), 1)
        self.assertIn("c4", self.virsh("list", "--name").stdout)
        # A vmmd killed meanwhile finds it still crashed, not just paused.
        self.restart(kill=True)
        self.assertEqual(self.state("c4"), "crashed (panicked)")
        self.virsh("destroy", "c4")
        self.assertEqual(self.state("c4"), "shut off (destroyed)")
        self.assertEqual(kvm.qemu_pids(self.root), [])

    # ---- <on_reboot> ----

    def test_on_reboot_destroy(self):
        con = self.boot("r1", lifecycle="<on_reboot>destroy</on_reboot>")
        con.sock.sendall(b"reboot\n")
        self.wait_for(lambda: self.state("r1").startswith("shut off"), 60,
                      "the rebooting guest to be shut off")
        self.assertEqual(self.state("r1"), "shut off (shutdown)")
        self.assertEqual(kvm.qemu_pids(self.root), [])

    def test_on_reboot_restart(self):
        con = self.boot("r2", lifecycle="<on_reboot>restart</on_reboot>")
        con.data = b""
        con.sock.sendall(b"reboot\n")
        self.assertTrue(con.read_until(READY, timeout=60),
                        "the guest did not boot again")
        self.assertEqual(self.state("r2"), "running (booted)")
        self.assertTrue(con.echo("again"))

    # ---- type='kvm' ----

    def kvm_problem(self):
        """Why vmmd says KVM cannot run guests here, or None."""
        out = self.virsh("capabilities").stdout
        if "<domain type='kvm'" in out:
            return None
        return out

    def test_kvm_refused_or_booted(self):
        self.guest("k", virt="kvm")
        usable = self.kvm_problem() is None
        res = self.virsh("start", "k", check=False)
        if usable:
            self.assertEqual(res.returncode, 0, res.stderr)
            con = kvmsave.Console(os.path.join(self.root, "k.serial"))
            self.addCleanup(con.close)
            self.assertTrue(con.echo("hello"), "the kvm guest does not "
                            "answer")
            return
        self.assertNotEqual(res.returncode, 0)
        self.assertIn("KVM cannot run guests on this host", res.stderr)
        self.assertIn("use domain type 'qemu'", res.stderr)
        self.assertTrue(self.state("k").startswith("shut off"))
        self.assertEqual(kvm.qemu_pids(self.root), [])
        self.assertFalse(os.path.exists(os.path.join(
            self.root, "run", "vmm", "qemu", "k.xml")))
        # Nothing advertises it either.
        res = self.virsh("domcapabilities", "--virttype", "kvm", check=False)
        self.assertNotEqual(res.returncode, 0)
        self.assertIn("<domain>qemu</domain>",
                      self.virsh("domcapabilities").stdout)


if __name__ == "__main__":
    tap_unittest.main()
