#!/usr/bin/python3
"""kvmsnap_daemon_test.py: internal snapshots of QEMU guests with a qcow2
disk, with stock virsh and python3-libvirt against a private vmmd
(--root) booting the test guest of tests/guest/build-guest.sh.

A running guest is snapshotted and reverted by QEMU (memory included):
a line the guest answers after the revert shows it kept running from the
snapshot. A shut-off guest is snapshotted with qemu-img, which the image
then lists. Undefine is refused while snapshots exist unless their
metadata goes too, and list --with-snapshot follows. Every QEMU left is
killed in tearDown.
"""
import os
import subprocess
import unittest

import kvmdrv_daemon_test as kvm
from kvmsave_daemon_test import Console
import tap_unittest
import vsh_testlib

try:
    import libvirt
except ImportError:
    libvirt = None

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
  <devices>
    <disk type='file' device='disk'>
      <driver name='qemu' type='qcow2'/>
      <source file='%(disk)s'/>
      <target dev='vda' bus='virtio'/>
    </disk>
    <serial type='unix'>
      <source mode='bind' path='%(sock)s'/>
      <target port='0'/>
    </serial>
  </devices>
</domain>
"""


class KvmSnapshotTest(unittest.TestCase):
    # The private daemon and helpers of kvmdrv_daemon_test.
    setUp = kvm.KvmDriverTest.setUp
    tearDown = kvm.KvmDriverTest.tearDown
    virsh = kvm.KvmDriverTest.virsh
    define = kvm.KvmDriverTest.define
    state = kvm.KvmDriverTest.state
    names = kvm.KvmDriverTest.names
    wait_events_registered = kvm.KvmDriverTest.wait_events_registered

    def guest(self, name):
        """Defines the test guest @name with a new qcow2 disk; returns
        (disk path, serial socket path). Skips without the guest."""
        guest_dir = kvm.build_guest()
        if not guest_dir:
            self.skipTest("no test guest: %s" % kvm.GUEST_ERROR)
        disk = os.path.join(self.root, name + ".qcow2")
        subprocess.run(["qemu-img", "create", "-q", "-f", "qcow2", disk,
                        "16M"], check=True, timeout=60)
        sock = os.path.join(self.root, name + ".serial")
        self.define(name, GUEST_XML % {"name": name, "dir": guest_dir,
                                       "disk": disk, "sock": sock})
        return disk, sock

    def boot(self, name):
        """Defines and starts @name; returns (disk, console answering)."""
        disk, sock = self.guest(name)
        self.virsh("start", name)
        con = Console(sock)
        self.addCleanup(con.close)
        self.assertTrue(con.echo("hello"), "the guest does not answer")
        return disk, con

    @staticmethod
    def image_snapshots(disk):
        out = subprocess.run(["qemu-img", "snapshot", "-U", "-l", disk],
                             capture_output=True, text=True, check=True,
                             timeout=60).stdout
        return out

    def snapshot_names(self, name):
        out = self.virsh("snapshot-list", name, "--name").stdout
        return sorted(l.strip() for l in out.splitlines() if l.strip())

    def test_running_create_list_revert_delete(self):
        disk, con = self.boot("r1")
        self.virsh("snapshot-create-as", "r1", "snap1", "--description",
                   "first one")
        self.assertIn("snap1", self.image_snapshots(disk))
        listing = self.virsh("snapshot-list", "r1").stdout
        self.assertRegex(listing, r"snap1\s+.*\s+running")
        xml = self.virsh("snapshot-dumpxml", "r1", "snap1").stdout
        self.assertIn("<description>first one</description>", xml)
        self.assertIn("<state>running</state>", xml)
        self.assertIn("<name>r1</name>", xml)
        self.assertEqual(self.virsh("list", "--with-snapshot",
                                    "--name").stdout.split(), ["r1"])
        self.assertEqual(self.virsh("list", "--without-snapshot",
                                    "--name").stdout.split(), [])
        # Paused now; the snapshot was taken running, so it runs after.
        self.virsh("suspend", "r1")
        self.virsh("snapshot-revert", "r1", "snap1")
        self.assertEqual(self.state("r1"), "running (from snapshot)")
        self.assertTrue(con.echo("after-revert", timeout=15),
                        "the guest does not answer after the revert")
        self.virsh("snapshot-revert", "r1", "snap1", "--paused")
        self.assertEqual(self.state("r1"), "paused (from snapshot)")
        self.virsh("resume", "r1")
        self.virsh("snapshot-delete", "r1", "snap1")
        self.assertEqual(self.snapshot_names("r1"), [])
        self.assertNotIn("snap1", self.image_snapshots(disk))
        res = self.virsh("snapshot-revert", "r1", "snap1", check=False)
        self.assertNotEqual(res.returncode, 0)
        self.assertIn("snap1", res.stderr)

    def test_current_and_parents(self):
        self.guest("c1")
        res = self.virsh("snapshot-current", "c1", check=False)
        self.assertIn("domain 'c1' has no current snapshot", res.stderr)
        for name in ("a", "b", "c"):
            self.virsh("snapshot-create-as", "c1", name)
        self.assertEqual(self.virsh("snapshot-current", "c1",
                                    "--name").stdout.strip(), "c")
        self.assertIn("<parent>\n    <name>b</name>",
                      self.virsh("snapshot-dumpxml", "c1", "c").stdout)
        self.assertEqual(self.virsh("snapshot-list", "c1", "--roots",
                                    "--name").stdout.split(), ["a"])
        self.assertEqual(self.virsh("snapshot-list", "c1", "--leaves",
                                    "--name").stdout.split(), ["c"])
        self.virsh("snapshot-revert", "c1", "a")
        self.assertEqual(self.virsh("snapshot-current", "c1",
                                    "--name").stdout.strip(), "a")
        res = self.virsh("snapshot-delete", "c1", "b", "--children",
                         check=False)
        self.assertIn("not supported", res.stderr)
        # Deleting b hangs c from a.
        self.virsh("snapshot-delete", "c1", "b")
        self.assertIn("<parent>\n    <name>a</name>",
                      self.virsh("snapshot-dumpxml", "c1", "c").stdout)
        self.virsh("snapshot-delete", "c1", "a")
        self.assertNotIn("<parent>",
                         self.virsh("snapshot-dumpxml", "c1", "c").stdout)
        res = self.virsh("snapshot-current", "c1", check=False)
        self.assertIn("domain 'c1' has no current snapshot", res.stderr)
        self.virsh("snapshot-delete", "c1", "c")
        self.assertEqual(self.snapshot_names("c1"), [])

    def test_revert_events(self):
        self.guest("e1")
        self.virsh("snapshot-create-as", "e1", "off")
        self.virsh("start", "e1")
        con = Console(os.path.join(self.root, "e1.serial"))
        self.addCleanup(con.close)
        self.assertTrue(con.echo("hello"), "the guest does not answer")
        self.virsh("snapshot-create-as", "e1", "on")
        with kvm.EventWatcher("qemu+unix:///system?socket=" +
                              self.daemon.sock) as watcher:
            self.wait_events_registered(watcher)
            self.virsh("snapshot-revert", "e1", "on")
            self.assertEqual(watcher.events_of("e1", 2),
                             ["Suspended Snapshot", "Resumed Snapshot"])
            self.virsh("snapshot-revert", "e1", "off")
            self.assertEqual(watcher.events_of("e1", 3)[2:],
                             ["Stopped Snapshot"])
        self.assertEqual(self.state("e1"), "shut off (from snapshot)")
        self.assertEqual(kvm.qemu_pids(self.root), [])

    def test_shutoff_snapshot_and_undefine(self):
        disk, _ = self.guest("o1")
        self.virsh("snapshot-create-as", "o1", "off1")
        self.assertIn("off1", self.image_snapshots(disk))
        self.assertRegex(self.virsh("snapshot-list", "o1").stdout,
                         r"off1\s+.*\s+shutoff")
        res = self.virsh("snapshot-create-as", "o1", "off1", check=False)
        self.assertIn("already exists", res.stderr)
        self.virsh("snapshot-revert", "o1", "off1")
        self.assertEqual(self.state("o1"), "shut off (from snapshot)")
        res = self.virsh("undefine", "o1", check=False)
        self.assertNotEqual(res.returncode, 0)
        self.assertIn("snapshots", res.stderr)
        self.virsh("undefine", "o1", "--snapshots-metadata")
        self.assertEqual(self.names(), [])
        # The image keeps its snapshot; only the record went.
        self.assertIn("off1", self.image_snapshots(disk))
        self.assertFalse(os.path.exists(os.path.join(
            self.root, "var", "lib", "vmm", "qemu", "snapshot", "o1")))

    def test_records_survive_restart(self):
        self.guest("k1")
        self.virsh("snapshot-create-as", "k1", "keep")
        self.daemon.terminate()
        self.daemon.start()
        self.assertEqual(self.snapshot_names("k1"), ["keep"])
        self.assertEqual(self.virsh("list", "--all", "--with-snapshot",
                                    "--name").stdout.split(), ["k1"])

    def test_refused(self):
        guest_dir = kvm.build_guest()
        if not guest_dir:
            self.skipTest("no test guest: %s" % kvm.GUEST_ERROR)
        self.define("nodisk")
        res = self.virsh("snapshot-create-as", "nodisk", "s", check=False)
        self.assertNotEqual(res.returncode, 0)
        self.assertIn("qcow2", res.stderr)
        self.guest("n1")
        res = self.virsh("snapshot-create-as", "n1", "a/b", check=False)
        self.assertIn("invalid snapshot name", res.stderr)
        res = self.virsh("snapshot-create-as", "n1", "ext", "--memspec",
                         "file=" + os.path.join(self.root, "mem"),
                         check=False)
        self.assertNotEqual(res.returncode, 0)

    def vsh(self, *args, check=True):
        cmd = vsh_testlib.vsh_command(
            ["-c", "qemu+unix:///system?socket=" + self.daemon.sock] +
            list(args))
        res = subprocess.run(cmd, capture_output=True, text=True,
                             timeout=60)
        if check and res.returncode != 0:
            self.fail("vsh %s failed: %s%s" % (" ".join(args), res.stdout,
                                                res.stderr))
        return res

    def test_vsh(self):
        disk, con = self.boot("v1")
        res = self.vsh("snapshot-create-as", "v1", "vs1", "--description",
                       "from vsh")
        self.assertEqual(res.stdout.strip(), "Domain snapshot vs1 created")
        self.assertIn("vs1", self.image_snapshots(disk))
        lines = self.vsh("snapshot-list", "v1").stdout.splitlines()
        self.assertRegex(lines[0], r"^ Name\s+Creation Time\s+State$")
        self.assertRegex(lines[2],
                         r"^ vs1\s+\d{4}-\d\d-\d\d \d\d:\d\d:\d\d "
                         r"[+-]\d{4}\s+running$")
        self.assertEqual(self.vsh("snapshot-list", "v1",
                                  "--name").stdout.split(), ["vs1"])
        self.assertEqual(self.vsh("snapshot-current", "v1",
                                  "--name").stdout.strip(), "vs1")
        self.assertIn("<name>vs1</name>",
                      self.vsh("snapshot-current", "v1").stdout)
        # virsh sees what vsh made, and the other way round.
        self.assertEqual(self.snapshot_names("v1"), ["vs1"])
        self.vsh("suspend", "v1")
        self.vsh("snapshot-revert", "v1", "vs1")
        self.assertEqual(self.state("v1"), "running (from snapshot)")
        self.assertTrue(con.echo("vsh-revert", timeout=15))
        res = self.vsh("snapshot-revert", "v1", "nope", check=False)
        self.assertNotEqual(res.returncode, 0)
        self.assertEqual(res.stderr,
                         "error: Domain snapshot not found: no domain "
                         "snapshot with matching name 'nope'\n")
        res = self.vsh("snapshot-delete", "v1", "vs1")
        self.assertEqual(res.stdout.strip(), "Domain snapshot vs1 deleted")
        self.assertEqual(self.vsh("snapshot-list", "v1",
                                  "--name").stdout.split(), [])

    def test_python_libvirt(self):
        if libvirt is None:
            self.skipTest("python3-libvirt is not installed")
        disk, con = self.boot("p1")
        conn = libvirt.open("qemu+unix:///system?socket=" + self.daemon.sock)
        try:
            dom = conn.lookupByName("p1")
            snap = dom.snapshotCreateXML(
                "<domainsnapshot><name>py1</name>"
                "<description>from python</description></domainsnapshot>")
            self.assertEqual(snap.getName(), "py1")
            self.assertEqual([s.getName() for s in dom.listAllSnapshots()],
                             ["py1"])
            self.assertEqual(dom.snapshotNum(), 1)
            self.assertEqual(
                dom.listAllSnapshots(libvirt.VIR_DOMAIN_SNAPSHOT_LIST_INACTIVE),
                [])
            self.assertIn("<description>from python</description>",
                          snap.getXMLDesc())
            dom.suspend()
            dom.revertToSnapshot(snap)
            self.assertEqual(dom.state(),
                             [libvirt.VIR_DOMAIN_RUNNING,
                              libvirt.VIR_DOMAIN_RUNNING_FROM_SNAPSHOT])
            self.assertTrue(con.echo("py-revert", timeout=15))
            again = dom.snapshotLookupByName("py1")
            again.delete()
            self.assertEqual(dom.listAllSnapshots(), [])
            with self.assertRaises(libvirt.libvirtError) as cm:
                dom.snapshotLookupByName("py1")
            self.assertEqual(cm.exception.get_error_code(),
                             libvirt.VIR_ERR_NO_DOMAIN_SNAPSHOT)
        finally:
            conn.close()


if __name__ == "__main__":
    tap_unittest.main()
