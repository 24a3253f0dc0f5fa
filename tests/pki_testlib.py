"""pki_testlib.py: what the tests of vmm-pki share: finding the built
vmm-pki, running it (under valgrind when `make check-valgrind` asks) in a
throw-away root directory that is removed even when a test fails, and
running gnutls-bin's certtool when it is installed.
"""
import os
import shutil
import subprocess
import tempfile
import unittest

BUILDDIR = os.environ.get(
    "abs_top_builddir",
    os.path.abspath(os.path.join(os.path.dirname(__file__), "..")))
SRCDIR = os.environ.get(
    "abs_top_srcdir",
    os.path.abspath(os.path.join(os.path.dirname(__file__), "..")))
VMM_PKI = os.path.join(BUILDDIR, "tools", "vmm-pki", "vmm-pki")
VALGRIND = os.environ.get("VMM_TEST_VALGRIND") == "1"
CERTTOOL = shutil.which("certtool")
NO_GNUTLS_BIN = "gnutls-bin (certtool, gnutls-cli, gnutls-serv) is not " \
                "installed"


def pki_command(args):
    """The command line that runs vmm-pki with @args."""
    cmd = [VMM_PKI] + list(args)
    if VALGRIND:
        # make's LIBTOOL is "$(SHELL) ./libtool": relative to the build
        # directory, and the tests run elsewhere.
        libtool = [os.path.join(BUILDDIR, w) if w.startswith("./") else w
                   for w in os.environ.get("LIBTOOL", "libtool").split()]
        cmd = libtool + [
            "--mode=execute", "valgrind", "-q", "--error-exitcode=99",
            "--leak-check=full", "--errors-for-leak-kinds=definite",
            "--suppressions=" + os.path.join(SRCDIR, "tests",
                                             "valgrind.supp")] + cmd
    return cmd


class PkiTestCase(unittest.TestCase):
    """Gives each test a scratch root (self.root) and helpers to run
    vmm-pki and certtool in it."""

    maxDiff = None

    def setUp(self):
        self.tmp = tempfile.mkdtemp(prefix="pki-test-")
        self.addCleanup(shutil.rmtree, self.tmp, True)
        self.root = os.path.join(self.tmp, "root")
        os.mkdir(self.root)
        self.env = dict(os.environ, LC_ALL="C.UTF-8")

    def path(self, *parts):
        """A path under the scratch root."""
        return os.path.join(self.root, *parts)

    @property
    def ca_cert(self):
        return self.path("etc/pki/CA/cacert.pem")

    @property
    def ca_key(self):
        return self.path("etc/pki/CA/private/cakey.pem")

    @property
    def server_cert(self):
        return self.path("etc/pki/vmm/servercert.pem")

    @property
    def server_key(self):
        return self.path("etc/pki/vmm/private/serverkey.pem")

    def run_pki(self, *args, root=None, cwd=None):
        """Runs `vmm-pki --root ROOT ARGS`; returns (rc, stdout, stderr)."""
        root = self.root if root is None else root
        proc = subprocess.run(pki_command(["--root", root] + list(args)),
                              cwd=cwd or self.tmp, env=self.env,
                              capture_output=True, text=True, timeout=120)
        if proc.returncode == 99:
            self.fail("valgrind found errors:\n" + proc.stderr)
        return proc.returncode, proc.stdout, proc.stderr

    def pki_ok(self, *args, **kwargs):
        """Runs vmm-pki, which must succeed; returns its stdout."""
        rc, out, err = self.run_pki(*args, **kwargs)
        self.assertEqual(rc, 0, "vmm-pki %s failed:\n%s%s" %
                         (" ".join(args), out, err))
        return out

    def pki_fails(self, *args, **kwargs):
        """Runs vmm-pki, which must fail; returns its stdout + stderr."""
        rc, out, err = self.run_pki(*args, **kwargs)
        self.assertEqual(rc, 1, "vmm-pki %s: exit %d, not 1:\n%s%s" %
                         (" ".join(args), rc, out, err))
        return out + err

    def certtool(self, *args, check=True):
        """Runs certtool; returns (rc, stdout + stderr)."""
        proc = subprocess.run([CERTTOOL] + list(args), env=self.env,
                              cwd=self.tmp, capture_output=True, text=True,
                              timeout=60)
        if check:
            self.assertEqual(proc.returncode, 0,
                             "certtool %s failed:\n%s%s" %
                             (" ".join(args), proc.stdout, proc.stderr))
        return proc.returncode, proc.stdout + proc.stderr

    def certtool_info(self, cert):
        """certtool's description of the certificate file @cert."""
        return self.certtool("-i", "--infile", cert)[1]

    def certtool_verify(self, ca, cert):
        """(rc, output) of certtool checking that @ca signed @cert."""
        return self.certtool("--verify", "--load-ca-certificate", ca,
                             "--infile", cert, check=False)

    def make_installation(self, host="localhost", client="alice"):
        """init + server HOST (+ IP 127.0.0.1) + client NAME into
        TMP/NAME; returns the client directory."""
        self.pki_ok("init")
        self.pki_ok("server", host, "--ip", "127.0.0.1")
        out_dir = os.path.join(self.tmp, client)
        self.pki_ok("client", client, "--out", out_dir)
        return out_dir
