#!/usr/bin/python3
"""remote_vsh_test.py: vsh through libvmm's remote driver against a real
vmmd on a private --root (test:///default behind it): the everyday
commands, the daemon's errors, the read-only socket, and lifecycle events
seen by one vsh process while another one causes them. Each test starts
its own vmmd and kills it in tearDown; without a built daemon/vmmd the
tests are skipped.
"""
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import tap_unittest  # noqa: E402
from vsh_testlib import BUILDDIR, VALGRIND, vsh_command  # noqa: E402

VMMD = os.path.join(BUILDDIR, "daemon", "vmmd")
WAIT = 10

D1_XML = """<domain type='test'>
  <name>d1</name>
  <memory unit='KiB'>65536</memory>
  <vcpu>1</vcpu>
  <os><type>hvm</type></os>
</domain>
"""


@unittest.skipUnless(os.access(VMMD, os.X_OK), "daemon/vmmd is not built")
class RemoteVshTest(unittest.TestCase):
    maxDiff = None

    def setUp(self):
        self.root = tempfile.mkdtemp(prefix="remote-vsh-")
        self.addCleanup(shutil.rmtree, self.root, True)
        self.env = dict(os.environ)
        self.env.pop("VMM_DEFAULT_URI", None)
        self.env["XDG_CACHE_HOME"] = os.path.join(self.root, "cache")
        self.env["LC_ALL"] = "C.UTF-8"
        self.daemon = subprocess.Popen([VMMD, "--root", self.root],
                                       stdout=subprocess.DEVNULL,
                                       stderr=subprocess.PIPE)
        self.addCleanup(self.stop_daemon)
        run = os.path.join(self.root, "run", "vmm")
        self.sock = os.path.join(run, "vmm-sock")
        self.sock_ro = os.path.join(run, "vmm-sock-ro")
        deadline = time.monotonic() + WAIT
        while not os.path.exists(self.sock_ro):
            if time.monotonic() > deadline or self.daemon.poll() is not None:
                self.fail("vmmd did not start: %s"
                          % self.daemon.stderr.read().decode())
            time.sleep(0.02)
        self.uri = "test+unix:///default?socket=" + self.sock
        self.xml = os.path.join(self.root, "d1.xml")
        with open(self.xml, "w") as f:
            f.write(D1_XML)

    def stop_daemon(self):
        if self.daemon.poll() is None:
            self.daemon.terminate()
            try:
                self.daemon.wait(timeout=WAIT)
            except subprocess.TimeoutExpired:
                self.daemon.kill()
                self.daemon.wait()
        self.daemon.stderr.close()

    def vsh(self, *args, uri=None, ro=False):
        cmd = vsh_command((["-r"] if ro else []) +
                          ["-c", uri or self.uri] + list(args))
        proc = subprocess.run(cmd, env=self.env, capture_output=True,
                              text=True, timeout=60)
        return proc.returncode, proc.stdout, proc.stderr

    def ok(self, *args, **kw):
        rc, out, err = self.vsh(*args, **kw)
        self.assertEqual((rc, err), (0, ""), out)
        return out

    def fails(self, *args, **kw):
        rc, out, err = self.vsh(*args, **kw)
        self.assertNotEqual(rc, 0, out)
        return err

    def test_list_all(self):
        out = self.ok("list", "--all")
        self.assertRegex(out, r"\n 1 +test +running\n")

    def test_dominfo(self):
        out = self.ok("dominfo", "test")
        self.assertRegex(out, r"Name: +test\n")
        self.assertRegex(out, r"State: +running\n")
        self.assertRegex(out, r"Persistent: +yes\n")

    def test_lifecycle(self):
        self.assertIn("Domain 'd1' defined", self.ok("define", self.xml))
        self.assertRegex(self.ok("list", "--all"), r"\n -  +d1 +shut off\n")
        self.assertIn("Domain 'd1' started", self.ok("start", "d1"))
        self.assertRegex(self.ok("dominfo", "d1"), r"State: +running\n")
        self.assertIn("Domain 'd1' destroyed", self.ok("destroy", "d1"))
        self.assertIn("Domain 'd1' has been undefined",
                      self.ok("undefine", "d1"))
        self.assertNotIn("d1", self.ok("list", "--all"))

    def test_daemon_error(self):
        err = self.fails("dominfo", "nosuch")
        self.assertIn("error: Domain not found: ", err)
        self.assertIn("'nosuch'", err)

    def test_read_only_socket(self):
        uri = "test+unix:///default?socket=" + self.sock_ro
        self.assertRegex(self.ok("list", uri=uri, ro=True), r"test +running")
        err = self.fails("destroy", "test", uri=uri, ro=True)
        self.assertIn("read only", err)

    def test_events_between_processes(self):
        cmd = vsh_command(["-c", self.uri, "event", "--all", "--loop",
                           "--timeout", "20"])
        listener = subprocess.Popen(cmd, env=self.env, text=True,
                                    stdout=subprocess.PIPE,
                                    stderr=subprocess.PIPE)
        try:
            # vsh prints nothing once it listens: give it time to
            # connect and register (much more under valgrind).
            time.sleep(8 if VALGRIND else 1.5)
            self.ok("define", self.xml)
            self.ok("start", "d1")
            self.ok("destroy", "d1")
            self.ok("undefine", "d1")
            time.sleep(4 if VALGRIND else 1)
            listener.send_signal(signal.SIGINT)
            out, err = listener.communicate(timeout=WAIT)
        finally:
            if listener.poll() is None:
                listener.kill()
                listener.communicate()
        events = [line.split(": ", 1)[1] for line in out.splitlines()
                  if "event 'lifecycle' for domain 'd1'" in line]
        self.assertEqual([e.split()[-2] for e in events],
                         ["Defined", "Started", "Stopped", "Undefined"],
                         out + err)


if __name__ == "__main__":
    tap_unittest.main()
