"""vsh_testlib.py: what the end-to-end tests of vsh share: finding the
built vsh, running it against test:///default with a private environment
(no VMM_DEFAULT_URI, a throw-away cache directory for history), under
valgrind when `make check-valgrind` asks for it, and the domain XML the
tests define.
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
VSH = os.path.join(BUILDDIR, "tools", "vsh", "vsh")
DATADIR = os.path.join(SRCDIR, "tests", "vshdata")
URI = "test:///default"
VALGRIND = os.environ.get("VMM_TEST_VALGRIND") == "1"

DOMAIN_XML = """<domain type='test'>
  <name>%(name)s</name>
  <uuid>%(uuid)s</uuid>
  <memory unit='KiB'>131072</memory>
  <currentMemory unit='KiB'>131072</currentMemory>
  <vcpu>2</vcpu>
  <os><type>hvm</type></os>
</domain>
"""
WEB1_UUID = "3ab0a2c6-8d7e-4c1e-9a0c-1f2e3d4c5b6a"


def vsh_command(args):
    """The command line that runs vsh with @args."""
    cmd = [VSH] + list(args)
    if VALGRIND:
        libtool = os.environ.get("LIBTOOL", "libtool")
        cmd = libtool.split() + [
            "--mode=execute", "valgrind", "-q", "--error-exitcode=99",
            "--leak-check=full", "--errors-for-leak-kinds=definite",
            "--suppressions=" + os.path.join(SRCDIR, "tests",
                                             "valgrind.supp")] + cmd
    return cmd


class VshTestCase(unittest.TestCase):
    """Gives each test a scratch directory and a run() helper."""

    maxDiff = None

    def setUp(self):
        self.tmp = tempfile.mkdtemp(prefix="vsh-test-")
        self.env = dict(os.environ)
        self.env.pop("VMM_DEFAULT_URI", None)
        self.env["XDG_CACHE_HOME"] = os.path.join(self.tmp, "cache")
        self.env["LC_ALL"] = "C.UTF-8"
        self.env.setdefault("VMM_SCHEMA_DIR",
                            os.path.join(SRCDIR, "docs", "schemas"))

    def tearDown(self):
        shutil.rmtree(self.tmp, ignore_errors=True)

    def run_vsh(self, *args, stdin=None, uri=URI, timeout=20):
        """Runs vsh [-c uri] ARGS; returns (status, stdout, stderr)."""
        full = (["-c", uri] if uri else []) + list(args)
        proc = subprocess.run(
            vsh_command(full), input=stdin if stdin is not None else "",
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=self.env,
            timeout=timeout, universal_newlines=True, errors="replace")
        return proc.returncode, proc.stdout, proc.stderr

    def ok(self, *args, **kwargs):
        """Runs vsh, asserts success and an empty stderr; returns stdout."""
        rc, out, err = self.run_vsh(*args, **kwargs)
        self.assertEqual((rc, err), (0, ""), "vsh %s: %s" % (args, out))
        return out

    def fails(self, *args, **kwargs):
        """Runs vsh, asserts exit status 1; returns (stdout, stderr)."""
        rc, out, err = self.run_vsh(*args, **kwargs)
        self.assertEqual(rc, 1, "vsh %s: %s%s" % (args, out, err))
        return out, err

    def write(self, name, text):
        path = os.path.join(self.tmp, name)
        with open(path, "w") as f:
            f.write(text)
        return path

    def domain_xml(self, name="web1", uuid=WEB1_UUID):
        return self.write(name + ".xml",
                          DOMAIN_XML % {"name": name, "uuid": uuid})

    def golden(self, name):
        with open(os.path.join(DATADIR, name)) as f:
            return f.read()
