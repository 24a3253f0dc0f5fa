#!/usr/bin/python3
"""kvmcontrol_daemon_test.py: reset, domcontrol and dommemstat of a running
QEMU guest on a private vmmd (--root), with stock virsh, python3-libvirt
and vsh:

- reset (QMP system_reset) makes the test guest boot again: it prints
  VMM-TEST-GUEST-READY a second time on its serial port; a guest kept
  crashed (on_crash preserve) is "paused (crashed)" after a reset;
- domcontrol answers "ok" for a guest nobody works on, and "background
  job (N.NNNs)" while a save into a FIFO nobody reads hangs, at once;
- dommemstat shows the balloon size ("actual") and QEMU's resident size
  ("rss"); <memballoon><stats period='N'/></memballoon> is applied at
  start, and dommemstat --period changes it live and in the definition.
  The test guest has no virtio_balloon module, so the guest's own
  statistics (unused, available...) are not checked;
- nodecpustats and freecell from /proc/stat and the host's NUMA nodes;
- dominfo's security lines as libvirtd's without a security driver:
  model "none", DOI "0", no label.

One guest boot for the whole file (the tests run in order on it); the
daemon and every QEMU left are stopped in tearDownClass.
"""
import os
import re
import signal
import subprocess
import unittest

import libvirt

import daemon_testlib as lib
import kvmdrv_daemon_test as kvm
import kvmsave_daemon_test as kvmsave
import tap_unittest
from vsh_testlib import vsh_command

GUEST_XML = """<domain type='qemu'>
  <name>ctl</name>
  <memory unit='MiB'>128</memory>
  <vcpu>1</vcpu>
  <os>
    <type arch='x86_64' machine='pc'>hvm</type>
    <kernel>%(dir)s/vmlinuz</kernel>
    <initrd>%(dir)s/initrd.gz</initrd>
    <cmdline>console=ttyS0 quiet</cmdline>
  </os>
  <features><acpi/></features>
  <on_crash>preserve</on_crash>
  <devices>
    <serial type='unix'>
      <source mode='bind' path='%(sock)s'/>
      <target port='0'/>
    </serial>
    <panic model='isa'/>
    <memballoon model='virtio'>
      <stats period='5'/>
    </memballoon>
  </devices>
</domain>
"""

READY = b"VMM-TEST-GUEST-READY"


class KvmControlTest(unittest.TestCase):
    virsh = kvm.KvmDriverTest.virsh
    define = kvm.KvmDriverTest.define
    wait_for = kvm.KvmDriverTest.wait_for

    @classmethod
    def setUpClass(cls):
        cls.guest_dir = kvm.build_guest()
        if not cls.guest_dir:
            raise unittest.SkipTest("no test guest: %s" % kvm.GUEST_ERROR)
        cls.daemon = lib.Daemon(args=["--timeout", "300"])
        cls.daemon.start()
        cls.root = cls.daemon.root
        cls.con = None
        cls.uri = "qemu+unix:///system?socket=" + cls.daemon.sock

    @classmethod
    def tearDownClass(cls):
        try:
            if cls.con:
                cls.con.close()
            cls.daemon.stop()
        finally:
            for pid in kvm.qemu_pids(cls.root):
                try:
                    os.kill(pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass

    def console(self):
        """The running guest's serial port, answering; boots it first."""
        cls = type(self)
        if cls.con is None:
            sock = os.path.join(self.root, "ctl.serial")
            self.define("ctl", GUEST_XML % {"dir": self.guest_dir,
                                            "sock": sock})
            self.virsh("start", "ctl")
            cls.con = kvmsave.Console(sock)
            self.assertTrue(cls.con.echo("hello", timeout=60),
                            "the guest does not answer")
        return cls.con

    def vsh(self, *args):
        res = subprocess.run(vsh_command(["-q", "-c", self.uri] +
                                         list(args)),
                             capture_output=True, text=True, timeout=60)
        self.assertEqual(res.returncode, 0, res.stderr)
        return res.stdout

    def memstat(self, text):
        """dommemstat output as {name: value}."""
        stats = {}
        for line in text.splitlines():
            if line.strip():
                key, value = line.split()
                stats[key] = int(value)
        return stats

    def reset_seen(self, con, do_reset):
        con.data = b""
        do_reset()
        self.assertTrue(con.read_until(READY, timeout=60),
                        "the guest did not boot again after the reset")
        self.assertTrue(con.echo("again", timeout=60))

    def test_1_domcontrol(self):
        self.console()
        self.assertEqual(self.virsh("domcontrol", "ctl").stdout.strip(),
                         "ok")
        self.assertEqual(self.vsh("domcontrol", "ctl").strip(), "ok")
        conn = libvirt.open(self.uri)
        try:
            self.assertEqual(conn.lookupByName("ctl").controlInfo(),
                             [libvirt.VIR_DOMAIN_CONTROL_OK, 0, 0])
        finally:
            conn.close()

    def test_2_reset(self):
        con = self.console()
        self.reset_seen(con, lambda: self.virsh("reset", "ctl"))
        self.assertEqual(self.virsh("domstate", "ctl").stdout.strip(),
                         "running")

        conn = libvirt.open(self.uri)
        try:
            dom = conn.lookupByName("ctl")
            self.reset_seen(con, lambda: self.assertEqual(dom.reset(0), 0))
        finally:
            conn.close()
        self.reset_seen(con, lambda: self.vsh("reset", "ctl"))

    def test_3_dommemstat(self):
        self.console()
        stats = self.memstat(self.virsh("dommemstat", "ctl").stdout)
        self.assertEqual(stats["actual"], 128 * 1024)
        self.assertGreater(stats["rss"], 0)
        # libvirt's order: the balloon first, QEMU's resident size last.
        names = list(stats)
        self.assertEqual(names[0], "actual")
        self.assertEqual(names[-1], "rss")
        self.assertEqual(self.memstat(self.vsh("dommemstat", "ctl"))
                         ["actual"], 128 * 1024)

        conn = libvirt.open(self.uri)
        try:
            pystats = conn.lookupByName("ctl").memoryStats()
        finally:
            conn.close()
        self.assertEqual(pystats["actual"], 128 * 1024)
        self.assertGreater(pystats["rss"], 0)

    def test_4_period(self):
        self.console()
        self.assertIn("<stats period='5'/>",
                      self.virsh("dumpxml", "ctl").stdout)
        # Set in QEMU at start (qom-set on the balloon), or vmmd says not.
        self.assertNotIn("balloon statistics period",
                         self.daemon.read_log())
        self.virsh("dommemstat", "ctl", "--period", "3", "--live")
        self.assertIn("<stats period='3'/>",
                      self.virsh("dumpxml", "ctl").stdout)
        self.assertIn("<stats period='5'/>",
                      self.virsh("dumpxml", "--inactive", "ctl").stdout)
        self.vsh("dommemstat", "ctl", "--period", "7", "--config")
        self.assertIn("<stats period='7'/>",
                      self.virsh("dumpxml", "--inactive", "ctl").stdout)
        self.assertIn("<stats period='3'/>",
                      self.virsh("dumpxml", "ctl").stdout)
        # Polled, a guest without a balloon driver reports nothing: QEMU's
        # "unknown" values are left out.
        self.assertEqual(sorted(self.memstat(
            self.virsh("dommemstat", "ctl").stdout)), ["actual", "rss"])

    def test_5_host(self):
        self.console()
        for out in (self.virsh("nodecpustats").stdout,
                    self.vsh("nodecpustats", "0")):
            self.assertEqual(sorted(line.split(":")[0] for line in
                                    out.splitlines() if line.strip()),
                             ["idle", "iowait", "system", "user"])
        total = self.virsh("freecell").stdout.strip()
        self.assertRegex(total, r"^Total: [1-9][0-9]* KiB$")
        self.assertRegex(self.virsh("freecell", "0").stdout.strip(),
                         r"^0: [1-9][0-9]* KiB$")
        self.assertRegex(self.vsh("freecell", "--all"),
                         r"^    0: +[1-9][0-9]* KiB\n")
        conn = libvirt.open(self.uri)
        try:
            stats = conn.getCPUStats(-1)
            self.assertEqual(sorted(stats),
                             ["idle", "iowait", "kernel", "user"])
            self.assertGreater(stats["user"], 0)
            self.assertGreater(conn.getFreeMemory(), 0)
            self.assertEqual(len(conn.getCellsFreeMemory(0, 1)), 1)
            self.assertEqual(conn.getSecurityModel(), ["none", "0"])
            self.assertEqual(conn.lookupByName("ctl").securityLabel(),
                             ["", 0])
        finally:
            conn.close()

    def test_6_dominfo_security(self):
        self.console()
        for out in (self.virsh("dominfo", "ctl").stdout,
                    self.vsh("dominfo", "ctl")):
            lines = out.splitlines()
            self.assertIn("Security model: none", lines)
            self.assertIn("Security DOI:   0", lines)
            self.assertFalse([l for l in lines
                              if l.startswith("Security label")])

    def test_7_job(self):
        con = self.console()
        fifo = os.path.join(self.root, "ctl.fifo")
        os.mkfifo(fifo)
        # Open for reading and never read: the save starts and hangs.
        reader = os.open(fifo, os.O_RDONLY | os.O_NONBLOCK)
        self.addCleanup(os.close, reader)
        proc = subprocess.Popen(["virsh", "-q", "-c", self.uri, "save",
                                 "ctl", fifo], stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, text=True)
        try:
            def busy():
                out = self.virsh("domcontrol", "ctl").stdout.strip()
                return re.fullmatch(r"background job \(\d+\.\d{3}s\)", out)
            self.wait_for(busy, timeout=60, what="domcontrol to see the job")
            self.assertRegex(self.vsh("domcontrol", "ctl").strip(),
                             r"^background job \(\d+\.\d{3}s\)$")
            conn = libvirt.open(self.uri)
            try:
                info = conn.lookupByName("ctl").controlInfo()
            finally:
                conn.close()
            self.assertEqual(info[0], libvirt.VIR_DOMAIN_CONTROL_JOB)
            self.virsh("domjobabort", "ctl")
            proc.communicate(timeout=60)
        finally:
            if proc.poll() is None:
                proc.kill()
                proc.communicate()
        self.assertNotEqual(proc.returncode, 0)
        self.wait_for(lambda: self.virsh("domcontrol", "ctl").stdout.strip()
                      == "ok", timeout=30, what="domcontrol ok again")
        self.assertTrue(con.echo("after-job", timeout=30))

    def test_8_reset_crashed(self):
        con = self.console()
        con.sock.sendall(b"panic\n")
        self.wait_for(lambda: self.virsh("domstate", "--reason",
                                         "ctl").stdout.strip() ==
                      "crashed (panicked)", 60, "the guest to crash")
        self.virsh("reset", "ctl")
        self.assertEqual(self.virsh("domstate", "--reason",
                                    "ctl").stdout.strip(),
                         "paused (crashed)")

    def test_9_inactive(self):
        self.console()
        self.virsh("destroy", "ctl")
        type(self).con.close()
        type(self).con = None
        for cmd in (["reset", "ctl"], ["dommemstat", "ctl"],
                    ["domcontrol", "ctl"]):
            res = self.virsh(*cmd, check=False)
            self.assertNotEqual(res.returncode, 0)
            self.assertIn("domain is not running", res.stderr)


if __name__ == "__main__":
    tap_unittest.main()
