"""pki_vmmd_test.py: the five commands of README.md's TLS section, for real, on a
private root: `vmm-pki init`, `vmm-pki server localhost`, `vmm-pki client
alice --out DIR`, vmmd --listen (TLS on 127.0.0.1 and a free port), then
stock virsh and our vsh connect over TLS with pkipath=DIR.
"""
import os
import shutil
import subprocess
import time
import unittest

import tap_unittest
from daemon_testlib import Daemon
from pki_testlib import BUILDDIR, PkiTestCase
from pki_tls_test import free_port

VIRSH = shutil.which("virsh")
VSH = os.path.join(BUILDDIR, "tools", "vsh", "vsh")


class FiveCommandsTest(PkiTestCase):
    def setUp(self):
        super().setUp()
        self.port = free_port()
        self.daemon = Daemon(config='listen_addr = "127.0.0.1"\n'
                                    'tls_port = "%d"\n' % self.port,
                             args=["--listen"])
        self.addCleanup(self.daemon.stop)
        self.root = self.daemon.root
        self.client_dir = os.path.join(self.tmp, "alice")
        self.pki_ok("init")
        self.pki_ok("server", "localhost", "--ip", "127.0.0.1")
        self.pki_ok("client", "alice", "--out", self.client_dir)
        try:
            self.daemon.start()
        except RuntimeError as e:
            # A vmmd from before its TLS listener says so and exits.
            if "no TCP or TLS listener" in str(e):
                self.skipTest("this vmmd has no TLS listener")
            raise

    def uri(self, host="localhost"):
        return "test+tls://%s:%d/default?pkipath=%s" % (host, self.port,
                                                         self.client_dir)

    def run_client(self, cmd):
        env = dict(self.env, HOME=self.tmp,
                   XDG_CONFIG_HOME=os.path.join(self.tmp, "config"),
                   XDG_CACHE_HOME=os.path.join(self.tmp, "cache"))
        env.pop("VMM_DEFAULT_URI", None)
        # The listener may come up a moment after the unix sockets.
        for _ in range(50):
            proc = subprocess.run(cmd, env=env, stdin=subprocess.DEVNULL,
                                  capture_output=True, text=True, timeout=60)
            if "Connection refused" not in proc.stderr:
                break
            time.sleep(0.1)
        return proc

    @unittest.skipIf(VIRSH is None, "virsh (libvirt-clients) is not installed")
    def test_virsh_lists_domains_over_tls(self):
        for host in ("localhost", "127.0.0.1"):
            proc = self.run_client([VIRSH, "-q", "-c", self.uri(host),
                                    "list", "--all"])
            self.assertEqual(proc.returncode, 0, proc.stderr +
                             self.daemon.read_log())
            self.assertIn("test", proc.stdout)

    def test_vsh_lists_domains_over_tls(self):
        proc = self.run_client([VSH, "-q", "-c", self.uri(), "list",
                                "--all"])
        self.assertEqual(proc.returncode, 0, proc.stderr +
                         self.daemon.read_log())
        self.assertIn("test", proc.stdout)


if __name__ == "__main__":
    tap_unittest.main()
