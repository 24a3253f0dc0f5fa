#!/usr/bin/python3
"""kvmvcpu_daemon_test.py: the vCPUs of a running QEMU guest on a private
vmmd (--root): hot-plug and unplug with setvcpus up to the maximum of
<vcpu current='1'>3</vcpu>, vcpucount, vcpuinfo and vcpupin, with stock
virsh, python3-libvirt and vsh, and the count kept across a vmmd restart.
The test guest says what it sees on its console ("cpus" answers
"cpus: present=N online=M"; a hot-plugged CPU comes up offline there, as
nothing onlines it, so "present" is what is checked). One guest boot for
the live part; QEMUs left are killed in tearDown.
"""
import os
import re
import subprocess
import time
import unittest

import libvirt

import kvmdrv_daemon_test as kvm
import kvmsave_daemon_test as kvmsave
import tap_unittest
from vsh_testlib import vsh_command

GUEST_XML = """<domain type='qemu'>
  <name>%(name)s</name>
  <memory unit='MiB'>128</memory>
  <vcpu current='1'>3</vcpu>
  <os>
    <type arch='x86_64' machine='pc'>hvm</type>
    <kernel>%(dir)s/vmlinuz</kernel>
    <initrd>%(dir)s/initrd.gz</initrd>
    <cmdline>console=ttyS0 quiet</cmdline>
  </os>
  <features><acpi/></features>
  <devices>
    <serial type='unix'>
      <source mode='bind' path='%(sock)s'/>
      <target port='0'/>
    </serial>
  </devices>
</domain>
"""


class KvmVcpuTest(unittest.TestCase):
    setUp = kvm.KvmDriverTest.setUp
    tearDown = kvm.KvmDriverTest.tearDown
    virsh = kvm.KvmDriverTest.virsh
    define = kvm.KvmDriverTest.define
    wait_for = kvm.KvmDriverTest.wait_for
    restart = kvm.KvmDriverTest.restart

    @property
    def uri(self):
        return "qemu+unix:///system?socket=" + self.daemon.sock

    def boot(self, name):
        """Defines and starts the test guest @name; its console."""
        guest_dir = kvm.build_guest()
        if not guest_dir:
            self.skipTest("no test guest: %s" % kvm.GUEST_ERROR)
        sock = os.path.join(self.root, name + ".serial")
        self.define(name, GUEST_XML % {"name": name, "dir": guest_dir,
                                       "sock": sock})
        self.virsh("start", name)
        return self.console(name)

    def console(self, name):
        con = kvmsave.Console(os.path.join(self.root, name + ".serial"))
        self.addCleanup(con.close)
        self.assertTrue(con.echo("hello", timeout=60),
                        "the guest does not answer")
        return con

    def guest_cpus(self, con, present, timeout=60):
        """Waits until the guest reports @present CPUs; its last answer."""
        deadline = time.monotonic() + timeout
        answer = None
        while time.monotonic() < deadline:
            con.data = b""
            con.sock.sendall(b"cpus\n")
            if con.read_until(b"online=", timeout=5):
                m = re.search(rb"cpus: present=(\d+) online=(\d+)",
                              con.data)
                if m:
                    answer = (int(m.group(1)), int(m.group(2)))
                    if answer[0] == present:
                        return answer
            time.sleep(0.5)
        self.fail("the guest sees %s CPUs, not %d present" %
                  (answer, present))

    def count(self, name, *flags):
        return int(self.virsh("vcpucount", name, *flags).stdout.strip())

    def vcpuinfo(self, name):
        """virsh vcpuinfo as a list of {label: value} per vCPU."""
        out = self.virsh("vcpuinfo", name).stdout
        vcpus = []
        for line in out.splitlines():
            if ":" not in line:
                continue
            key, value = (s.strip() for s in line.split(":", 1))
            if key == "VCPU":
                vcpus.append({})
            vcpus[-1][key] = value
        return vcpus

    def qemu_cmdline(self):
        pids = kvm.qemu_pids(self.root)
        self.assertEqual(len(pids), 1)
        with open("/proc/%d/cmdline" % pids[0], "rb") as f:
            return f.read().split(b"\0")

    def test_hotplug(self):
        con = self.boot("h")
        argv = self.qemu_cmdline()
        self.assertEqual(argv[argv.index(b"-smp") + 1], b"1,maxcpus=3")
        self.assertEqual(self.count("h", "--live", "--active"), 1)
        self.assertEqual(self.count("h", "--live", "--maximum"), 3)
        self.guest_cpus(con, 1)

        # Plug with virsh; the live definition follows, the stored stays.
        self.virsh("setvcpus", "h", "2", "--live")
        self.assertEqual(self.count("h", "--live", "--active"), 2)
        self.assertEqual(self.count("h", "--config", "--active"), 1)
        self.assertIn("<vcpu placement='static' current='2'>3</vcpu>",
                      self.virsh("dumpxml", "h").stdout)
        info = self.vcpuinfo("h")
        self.assertEqual([v["VCPU"] for v in info], ["0", "1"])
        self.assertIn("CPU time", info[0])
        ncpus = os.cpu_count()
        for v in info:
            self.assertEqual(v["State"], "running")
            # virsh leaves out a time of 0 (the new vCPU, offline).
            self.assertRegex(v.get("CPU time", "0.0s"), r"^\d+\.\ds$")
            self.assertEqual(len(v["CPU Affinity"]), ncpus)
        self.guest_cpus(con, 2)

        # Above the maximum: libvirt's words, nothing changes.
        res = self.virsh("setvcpus", "h", "4", "--live", check=False)
        self.assertNotEqual(res.returncode, 0)
        self.assertIn("requested vcpus is greater than max allowable vcpus "
                      "for the live domain: 4 > 3", res.stderr)
        self.assertEqual(self.count("h", "--live", "--active"), 2)

        # python3-libvirt: plain setvcpus on a running guest is live.
        # Errors are checked as exceptions; libvirt need not print them.
        libvirt.registerErrorHandler(lambda ctx, err: None, None)
        conn = libvirt.open(self.uri)
        try:
            dom = conn.lookupByName("h")
            dom.setVcpus(3)
            self.assertEqual(dom.vcpusFlags(libvirt.VIR_DOMAIN_VCPU_LIVE), 3)
            infos, maps = dom.vcpus()
            self.assertEqual([i[0] for i in infos], [0, 1, 2])
            self.assertEqual(len(maps), 3)
            self.assertTrue(all(len(m) == ncpus and all(m) for m in maps))
            # Pinning: vCPU 2 on host CPU 0 only.
            pin = tuple(i == 0 for i in range(ncpus))
            dom.pinVcpuFlags(2, pin, libvirt.VIR_DOMAIN_AFFECT_LIVE)
            self.assertEqual(dom.vcpus()[1][2], pin)
            self.assertEqual(dom.vcpuPinInfo(libvirt.VIR_DOMAIN_AFFECT_LIVE)
                             [2], pin)
            with self.assertRaises(libvirt.libvirtError) as cm:
                dom.pinVcpuFlags(2, pin, libvirt.VIR_DOMAIN_AFFECT_CONFIG)
            self.assertIn("live only", str(cm.exception))
        finally:
            conn.close()
        self.guest_cpus(con, 3)
        if ncpus > 1:
            # virsh vcpupin moves vCPU 1; vcpuinfo sees it.
            self.virsh("vcpupin", "h", "1", str(ncpus - 1))
            info = self.vcpuinfo("h")
            self.assertEqual(info[1]["CPU Affinity"],
                             "-" * (ncpus - 1) + "y")
            self.assertEqual(info[2]["CPU Affinity"],
                             "y" + "-" * (ncpus - 1))
            out = self.virsh("vcpupin", "h").stdout
            self.assertRegex(out, r"(?m)^ *1 +%d$" % (ncpus - 1))

        # A restart of vmmd keeps the plugged vCPUs.
        con.close()
        self.restart()
        self.assertEqual(self.count("h", "--live", "--active"), 3)
        con = self.console("h")

        self.check_vsh("h")

        # Unplug, live and stored at once: the guest ejects through ACPI.
        # (Last: QEMU 7.2 under TCG crashes plugging a slot again.)
        self.virsh("setvcpus", "h", "1", "--live", "--config")
        self.assertEqual(self.count("h", "--live", "--active"), 1)
        self.assertEqual(self.count("h", "--config", "--active"), 1)
        self.assertEqual(len(self.vcpuinfo("h")), 1)
        self.guest_cpus(con, 1)

    def check_vsh(self, name):
        """The same through vsh on the running guest (3 vCPUs now)."""
        def run(*args):
            return subprocess.run(vsh_command(["-q", "-c", self.uri] +
                                              list(args)),
                                  capture_output=True, text=True,
                                  timeout=120)

        def vsh(*args):
            res = run(*args)
            self.assertEqual(res.returncode, 0, res.stdout + res.stderr)
            return res.stdout
        self.assertEqual(vsh("vcpucount", name, "--live", "--active")
                         .strip(), "3")
        out = vsh("vcpuinfo", name)
        self.assertEqual(re.sub(r"CPU time: .*", "", out),
                         re.sub(r"CPU time: .*", "",
                                self.virsh("vcpuinfo", name).stdout))
        vsh("vcpupin", name, "0", "0")
        self.assertEqual(self.vcpuinfo(name)[0]["CPU Affinity"][0], "y")
        self.assertEqual(vsh("vcpupin", name),
                         self.virsh("vcpupin", name).stdout)
        res = run("setvcpus", name, "9", "--live")
        self.assertNotEqual(res.returncode, 0)
        self.assertIn("greater than max allowable", res.stderr)
        # --config alone leaves the running guest alone.
        vsh("setvcpus", name, "2", "--config")
        self.assertEqual(self.count(name, "--config", "--active"), 2)
        self.assertEqual(self.count(name, "--live", "--active"), 3)

    def test_config_only(self):
        """A shut off guest: setvcpus edits the stored definition;
        vcpupin has nothing to change there."""
        self.define("c", GUEST_XML % {"name": "c", "dir": "/nonexistent",
                                      "sock": "/nonexistent"})
        # Plain setvcpus is live (libvirt's too); --current is the config.
        res = self.virsh("setvcpus", "c", "2", check=False)
        self.assertIn("domain is not running", res.stderr)
        self.virsh("setvcpus", "c", "2", "--current")
        self.assertEqual(self.count("c", "--config", "--active"), 2)
        res = self.virsh("setvcpus", "c", "2", "--live", check=False)
        self.assertNotEqual(res.returncode, 0)
        res = self.virsh("vcpupin", "c", "0", "0", check=False)
        self.assertIn("domain is not running", res.stderr)
        res = self.virsh("vcpupin", "c", "0", "0", "--current", check=False)
        self.assertIn("live only", res.stderr)
        out = self.virsh("vcpupin", "c").stdout
        self.assertEqual(len([l for l in out.splitlines() if l.strip()]), 3)
        # vcpuinfo of a shut off guest: its stored pinning, "N/A".
        out = self.virsh("vcpuinfo", "c").stdout
        self.assertIn("N/A", out)
        res = subprocess.run(vsh_command(["-q", "-c", self.uri, "vcpuinfo",
                                          "c"]),
                             capture_output=True, text=True, timeout=120)
        self.assertEqual(res.stdout, out)


if __name__ == "__main__":
    tap_unittest.main()
