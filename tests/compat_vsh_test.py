#!/usr/bin/python3
"""compat_vsh_test.py: our shell, vsh, through libvmm's remote driver
against the real libvirtd (Debian's libvirt-daemon, test:///default):
the other half of the compatibility promise, our client speaking to
their daemon. What vsh defines, stock virsh sees, and the other way
round.

Each test starts its own private libvirtd and stops it in tearDown, even
when the test fails; the tests are skipped when no libvirtd can run here
(not installed, not root, or another libvirtd already running).
"""
import os
import subprocess
import unittest

import compat_testlib as compat
import tap_unittest
from vsh_testlib import VSH, vsh_command

DOMAIN_XML = """<domain type='test'>
  <name>vd1</name>
  <memory unit='KiB'>65536</memory>
  <vcpu>1</vcpu>
  <os><type>hvm</type></os>
</domain>
"""
# The default domain of libvirt's test driver.
TEST_UUID = "6695eb01-f6a4-8304-79aa-97f2502e193f"


def skip_reason():
    if not os.access(VSH, os.X_OK):
        return "tools/vsh/vsh is not built"
    return compat.Libvirtd.skip_reason()


class VshAgainstLibvirtdTest(unittest.TestCase):
    maxDiff = None

    def setUp(self):
        reason = skip_reason()
        if reason:
            self.skipTest(reason)
        self.libvirtd = compat.Libvirtd()
        self.addCleanup(self.libvirtd.stop)
        self.libvirtd.start()
        self.hold = compat.hold_test_driver(self.libvirtd)
        self.addCleanup(self.hold.close)
        self.xml = os.path.join(self.libvirtd.dir, "vd1.xml")
        with open(self.xml, "w", encoding="utf-8") as f:
            f.write(DOMAIN_XML)
        self.env = dict(os.environ)
        self.env.pop("VMM_DEFAULT_URI", None)
        self.env.pop("LIBVIRT_DEFAULT_URI", None)
        self.env["XDG_CACHE_HOME"] = os.path.join(self.libvirtd.dir, "cache")
        self.env["LC_ALL"] = "C.UTF-8"

    def vsh(self, *args, readonly=False, check=True):
        res = subprocess.run(
            vsh_command(["-c", self.libvirtd.uri(readonly)] + list(args)),
            capture_output=True, text=True, timeout=30, env=self.env,
            stdin=subprocess.DEVNULL, check=False)
        if check and res.returncode != 0:
            self.fail("vsh %s failed (%d): %s%s" % (" ".join(args),
                                                    res.returncode,
                                                    res.stdout, res.stderr))
        return res

    def virsh(self, *args):
        res = compat.virsh_traced(self.libvirtd.uri(), args)
        self.assertEqual(res.returncode, 0, "virsh %s: %s" %
                         (" ".join(args), res.stderr))
        return res.stdout

    def test_list_all(self):
        out = self.vsh("list", "--all").stdout
        self.assertRegex(out, r"\n\s*1\s+test\s+running")

    def test_dominfo(self):
        out = self.vsh("dominfo", "test").stdout
        self.assertRegex(out, r"Name:\s+test\n")
        self.assertRegex(out, r"UUID:\s+%s\n" % TEST_UUID)
        self.assertRegex(out, r"State:\s+running\n")
        self.assertRegex(out, r"Max memory:\s+8388608 KiB\n")
        self.assertIn("<name>test</name>",
                      self.vsh("dumpxml", "test").stdout)

    def test_host_figures_and_control(self):
        # The hand-written stubs (arrays, char buffers) against libvirtd:
        # vsh prints what virsh prints.
        for cmd in (["nodecpustats"], ["nodecpustats", "1"], ["freecell"],
                    ["freecell", "--all"], ["freecell", "1"],
                    ["dommemstat", "test"], ["domcontrol", "test"],
                    ["reset", "test"]):
            self.assertEqual(self.vsh("-q", *cmd).stdout, self.virsh(*cmd),
                             " ".join(cmd))
        out = self.vsh("dominfo", "test").stdout
        self.assertIn("Security model: testSecurity\nSecurity DOI:   \n"
                      "Security label: libvirt-test (enforcing)\n", out)

    def test_life_cycle_seen_by_virsh(self):
        self.addCleanup(self.vsh, "undefine", "vd1", check=False)
        self.addCleanup(self.vsh, "destroy", "vd1", check=False)
        self.vsh("define", self.xml)
        self.assertRegex(self.virsh("list", "--all"), r"vd1\s+shut off")
        self.vsh("start", "vd1")
        self.assertRegex(self.vsh("list", "--all").stdout,
                         r"\d+\s+vd1\s+running")
        self.assertRegex(self.virsh("domstate", "vd1"), r"running")
        self.vsh("suspend", "vd1")
        self.assertRegex(self.virsh("domstate", "vd1"), r"paused")
        self.vsh("resume", "vd1")
        self.vsh("destroy", "vd1")
        self.assertRegex(self.vsh("dominfo", "vd1").stdout,
                         r"State:\s+shut off")
        self.vsh("undefine", "vd1")
        self.assertNotIn("vd1", self.virsh("list", "--all", "--name"))

    def test_sees_what_virsh_defines(self):
        self.addCleanup(self.virsh, "undefine", "vd1")
        self.virsh("define", self.xml)
        self.assertRegex(self.vsh("list", "--all").stdout,
                         r"-\s+vd1\s+shut off")
        uuid = self.virsh("domuuid", "vd1").strip()
        self.assertRegex(self.vsh("dominfo", "vd1").stdout,
                         r"UUID:\s+%s\n" % uuid)

    def test_errors(self):
        res = self.vsh("dominfo", "no-such", check=False)
        self.assertNotEqual(res.returncode, 0)
        self.assertIn("Domain not found", res.stderr)
        # The read-only socket refuses writes in libvirtd's words.
        res = self.vsh("destroy", "test", readonly=True, check=False)
        self.assertNotEqual(res.returncode, 0)
        self.assertIn("read only access prevents", res.stderr)
        self.assertRegex(self.vsh("list").stdout, r"test\s+running")


if __name__ == "__main__":
    tap_unittest.main()
