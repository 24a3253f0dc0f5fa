#!/usr/bin/python3
"""compat_tls_test.py: vsh over TLS to a real libvirtd (Debian's
libvirt-daemon with its test driver), with certificates made by certtool:
our TLS client meets libvirt's TLS server. A client certificate from
another CA is refused, and vsh says so.

The private libvirtd listens on 127.0.0.1 and a free port only; it is
stopped in tearDown even when a test fails. Skipped when no private
libvirtd can run here or certtool (gnutls-bin) is missing.
"""
import os
import shutil
import subprocess
import unittest

import compat_testlib as compat
import tap_unittest
import tls_testlib as tls
from vsh_testlib import VSH, vsh_command


def skip_reason():
    if not os.access(VSH, os.X_OK):
        return "tools/vsh/vsh is not built"
    if not shutil.which("certtool"):
        return "certtool is not installed (package gnutls-bin)"
    return compat.Libvirtd.skip_reason()


class VshTlsToLibvirtdTest(unittest.TestCase):
    def setUp(self):
        reason = skip_reason()
        if reason:
            self.skipTest(reason)
        self.pki = tls.PKI()
        self.addCleanup(self.pki.cleanup)
        ca = self.pki.make_ca("ca")
        server = self.pki.make_server("server", ca, host="localhost")
        client = self.pki.make_client("client", ca, "vsh")
        self.good = self.pki.client_dir("good", [ca], client)
        other = self.pki.make_ca("other")
        stranger = self.pki.make_client("stranger", other, "stranger")
        # It trusts both CAs, so only the server's check can refuse it.
        self.bad = self.pki.client_dir("bad", [ca, other], stranger)
        self.port = tls.free_port()
        conf = ('listen_tls = 1\nlisten_tcp = 0\nlisten_addr = "127.0.0.1"\n'
                'tls_port = "%d"\nauth_tls = "none"\n'
                'ca_file = "%s"\ncert_file = "%s"\nkey_file = "%s"\n'
                % (self.port, ca[0], server[0], server[1]))
        self.libvirtd = compat.Libvirtd(extra_conf=conf, listen=True)
        self.addCleanup(self.libvirtd.stop)
        self.libvirtd.start()
        self.hold = compat.hold_test_driver(self.libvirtd)
        self.addCleanup(self.hold.close)

    def vsh(self, pkipath, *args):
        uri = "test+tls://localhost:%d/default?pkipath=%s" % (self.port,
                                                             pkipath)
        env = dict(os.environ, XDG_CACHE_HOME=self.pki.path("cache"))
        return subprocess.run(vsh_command(["-c", uri] + list(args)),
                              env=env, capture_output=True, text=True,
                              timeout=60, stdin=subprocess.DEVNULL)

    def test_list_and_dominfo(self):
        res = self.vsh(self.good, "list", "--all")
        self.assertEqual(res.returncode, 0, res.stderr)
        self.assertRegex(res.stdout, r"\b1\s+test\s+running")
        res = self.vsh(self.good, "dominfo", "test")
        self.assertEqual(res.returncode, 0, res.stderr)
        self.assertRegex(res.stdout, r"State:\s+running")

    def test_certificate_of_another_ca_refused(self):
        res = self.vsh(self.bad, "list", "--all")
        self.assertEqual(res.returncode, 1, res.stdout)
        self.assertIn("error:", res.stderr)
        self.assertTrue(self.libvirtd.alive())


if __name__ == "__main__":
    tap_unittest.main()
