#!/usr/bin/python3
"""kvmdrv_daemon_test.py: qemu:///system of a private vmmd (--root),
driven by stock virsh.

Definitions live as files in ROOT/etc/vmm/qemu and must survive a
restart of vmmd and a kill -9 right after a define; a broken file there
is skipped with a log line and nothing else is lost. With the tiny test
guest of tests/guest/build-guest.sh (skipped when it cannot be built)
QEMU is really started, paused, resumed, shut down and destroyed, also
across a vmmd restart. Every QEMU a test started is killed in tearDown.
"""
import os
import signal
import subprocess
import threading
import time
import unittest

import daemon_testlib as lib
import tap_unittest

SRCDIR = os.environ.get("abs_top_srcdir",
                        os.path.join(os.path.dirname(
                            os.path.abspath(__file__)), ".."))

PLAIN_XML = """<domain type='qemu'>
  <name>%s</name>
  <memory unit='MiB'>128</memory>
  <vcpu>1</vcpu>
  <os><type arch='x86_64'>hvm</type></os>
</domain>
"""

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
    <serial type='file'>
      <source path='%(serial)s'/>
      <target port='0'/>
    </serial>
  </devices>
</domain>
"""

GUEST_DIR = None
GUEST_ERROR = None


def build_guest():
    """The directory of the test guest, or None (GUEST_ERROR says why)."""
    global GUEST_DIR, GUEST_ERROR
    if GUEST_DIR or GUEST_ERROR:
        return GUEST_DIR
    script = os.path.join(SRCDIR, "tests", "guest", "build-guest.sh")
    try:
        res = subprocess.run(["sh", script], capture_output=True, text=True,
                             timeout=600)
    except (OSError, subprocess.TimeoutExpired) as e:
        GUEST_ERROR = str(e)
        return None
    if res.returncode != 0:
        GUEST_ERROR = "build-guest.sh failed: " + res.stderr.strip()[-200:]
        return None
    GUEST_DIR = res.stdout.strip().splitlines()[-1]
    return GUEST_DIR


def qemu_pids(root):
    """QEMU processes whose command line names a path under @root."""
    pids = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open("/proc/%s/cmdline" % entry, "rb") as f:
                cmdline = f.read().decode(errors="replace")
        except OSError:
            continue
        if "qemu-system" in cmdline and root in cmdline:
            pids.append(int(entry))
    return pids


class EventWatcher:
    """`virsh event --loop --all` on qemu:///system; lines are collected
    by a thread. Stopped (and waited for) on exit."""

    def __init__(self, uri):
        self.proc = subprocess.Popen(
            ["virsh", "-q", "-c", uri, "event", "--loop", "--all",
             "--timeout", "120"], stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
            bufsize=1)
        self.lines = []
        self.cond = threading.Condition()
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()

    def _read(self):
        for line in self.proc.stdout:
            with self.cond:
                self.lines.append(line.rstrip("\n"))
                self.cond.notify_all()

    def events_of(self, name, count, timeout=30):
        """What happened to @name, once @count events came (or timeout)."""
        prefix = "event 'lifecycle' for domain '%s': " % name

        def mine():
            return [l[len(prefix):] for l in self.lines
                    if l.startswith(prefix)]
        with self.cond:
            self.cond.wait_for(lambda: len(mine()) >= count, timeout)
        time.sleep(0.3)
        with self.cond:
            return mine()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        if self.proc.poll() is None:
            self.proc.terminate()
        try:
            self.proc.wait(10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        self.reader.join(5)
        self.proc.stdout.close()


class KvmDriverTest(unittest.TestCase):
    def setUp(self):
        self.daemon = lib.Daemon(args=["--timeout", "300"])
        self.daemon.start()
        self.root = self.daemon.root
        self.confdir = os.path.join(self.root, "etc", "vmm", "qemu")

    def tearDown(self):
        try:
            self.daemon.stop()
        finally:
            for pid in qemu_pids(self.root):
                try:
                    os.kill(pid, signal.SIGKILL)
                except OSError:
                    pass

    # ---- helpers ----

    def virsh(self, *args, check=True):
        cmd = ["virsh", "-q", "-c",
               "qemu+unix:///system?socket=" + self.daemon.sock]
        res = subprocess.run(cmd + list(args), capture_output=True,
                             text=True, timeout=60)
        if check and res.returncode != 0:
            self.fail("virsh %s failed: %s%s\nvmmd log:\n%s" %
                      (" ".join(args), res.stdout, res.stderr,
                       self.daemon.read_log()[-3000:]))
        return res

    def define(self, name, xml=None):
        path = os.path.join(self.root, name + "-def.xml")
        with open(path, "w", encoding="utf-8") as f:
            f.write(xml if xml is not None else PLAIN_XML % name)
        return self.virsh("define", path)

    def names(self):
        out = self.virsh("list", "--all", "--name").stdout
        return sorted(line.strip() for line in out.splitlines()
                      if line.strip())

    def state(self, name):
        return self.virsh("domstate", "--reason", name).stdout.strip()

    def restart(self, kill=False):
        if kill:
            self.daemon.proc.kill()
            self.daemon.proc.wait()
            # Stale sockets would make start() return before vmmd listens.
            for path in (self.daemon.sock, self.daemon.sock_ro):
                if os.path.exists(path):
                    os.unlink(path)
        else:
            self.daemon.terminate()
        self.daemon.start()

    def wait_for(self, predicate, timeout=30, what="condition"):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if predicate():
                return
            time.sleep(0.1)
        self.fail("timed out waiting for " + what)

    def guest(self, name):
        """Defines the test guest @name; skips without it."""
        guest_dir = build_guest()
        if not guest_dir:
            self.skipTest("no test guest: %s" % GUEST_ERROR)
        serial = os.path.join(self.root, name + "-serial.log")
        self.define(name, GUEST_XML % {"name": name, "dir": guest_dir,
                                       "serial": serial})
        return serial

    @staticmethod
    def read(path):
        try:
            with open(path, encoding="utf-8", errors="replace") as f:
                return f.read()
        except OSError:
            return ""

    # ---- definitions ----

    def test_connection(self):
        out = self.virsh("version").stdout
        self.assertIn("Running hypervisor: QEMU", out)
        self.assertIn("<domain type='qemu'/>",
                      self.virsh("capabilities").stdout)
        self.assertIn("CPU(s):", self.virsh("nodeinfo").stdout)

    def test_unknown_machine_refused(self):
        path = os.path.join(self.root, "m.xml")
        with open(path, "w", encoding="utf-8") as f:
            f.write((PLAIN_XML % "m").replace(
                "<type arch='x86_64'>", "<type arch='x86_64' machine='nope'>"))
        res = self.virsh("define", path, check=False)
        self.assertNotEqual(res.returncode, 0)
        self.assertIn("does not support machine type 'nope'", res.stderr)

    def test_wrong_type_refused(self):
        path = os.path.join(self.root, "t.xml")
        with open(path, "w", encoding="utf-8") as f:
            f.write((PLAIN_XML % "t").replace("type='qemu'", "type='test'"))
        res = self.virsh("define", path, check=False)
        self.assertNotEqual(res.returncode, 0)
        self.assertIn("not supported by the QEMU driver", res.stderr)
        self.assertEqual(self.names(), [])

    def test_define_list_dumpxml_undefine(self):
        self.define("one")
        self.assertEqual(self.names(), ["one"])
        self.assertIn("shut off", self.virsh("list", "--all").stdout)
        xml = self.virsh("dumpxml", "one").stdout
        self.assertIn("<domain type='qemu'>", xml)
        self.assertIn("<name>one</name>", xml)
        # Filled in from the probed QEMU, as libvirt does.
        self.assertRegex(xml, r"<type arch='x86_64' machine='pc-[^']+'>hvm")
        self.assertRegex(xml, r"<emulator>/.*qemu-system-x86_64</emulator>")
        stored = os.path.join(self.confdir, "one.xml")
        self.assertTrue(os.path.exists(stored))
        self.assertEqual(os.stat(stored).st_mode & 0o777, 0o600)

        self.virsh("autostart", "one")
        link = os.path.join(self.confdir, "autostart", "one.xml")
        self.assertTrue(os.path.islink(link))
        self.assertRegex(self.virsh("dominfo", "one").stdout,
                         r"Autostart:\s+enable")
        self.virsh("autostart", "--disable", "one")
        self.assertFalse(os.path.lexists(link))

        self.virsh("setmem", "one", "65536", "--config")
        self.assertIn("<currentMemory unit='KiB'>65536</currentMemory>",
                      self.read(stored))
        self.virsh("desc", "one", "--config", "--title", "a title")
        self.assertIn("<title>a title</title>", self.read(stored))

        self.virsh("undefine", "one")
        self.assertEqual(self.names(), [])
        self.assertFalse(os.path.exists(stored))

    def test_persist_restart(self):
        self.define("alpha")
        self.define("beta")
        self.virsh("autostart", "beta")
        before = self.virsh("dumpxml", "alpha").stdout
        self.restart()
        self.assertEqual(self.names(), ["alpha", "beta"])
        self.assertEqual(self.virsh("dumpxml", "alpha").stdout, before)

    def test_kill9_after_define(self):
        self.define("survivor")
        self.restart(kill=True)
        self.assertEqual(self.names(), ["survivor"])

    def test_malformed_skipped(self):
        self.define("good")
        self.daemon.terminate()
        broken = os.path.join(self.confdir, "broken.xml")
        with open(broken, "w", encoding="utf-8") as f:
            f.write("<domain type='qemu'><name>broken</name><memo")
        # A temporary left by a writer killed mid-write.
        with open(os.path.join(self.confdir, ".good.xml.X1y2Z3"), "w",
                  encoding="utf-8") as f:
            f.write("<dom")
        self.daemon.start()
        self.assertEqual(self.names(), ["good"])
        self.wait_for(lambda: "broken.xml" in self.daemon.read_log(),
                      timeout=5, what="a log line about broken.xml")
        self.assertTrue(os.path.exists(broken))
        self.virsh("dumpxml", "good")

    # ---- running QEMU ----

    def test_start_destroy(self):
        serial = self.guest("g1")
        self.virsh("start", "g1")
        self.assertEqual(self.state("g1"), "running (booted)")
        self.assertRegex(self.virsh("list").stdout, r"\d+\s+g1\s+running")
        self.assertEqual(len(qemu_pids(self.root)), 1)
        self.wait_for(lambda: "VMM-TEST-GUEST-READY" in self.read(serial),
                      what="the guest's ready marker")
        self.virsh("suspend", "g1")
        self.assertEqual(self.state("g1"), "paused (user)")
        self.virsh("resume", "g1")
        self.assertEqual(self.state("g1"), "running (unpaused)")
        self.virsh("destroy", "g1")
        self.assertEqual(self.state("g1"), "shut off (destroyed)")
        self.assertEqual(qemu_pids(self.root), [])
        self.assertEqual(self.names(), ["g1"])

    def wait_events_registered(self, watcher):
        """virsh says nothing once registered: define probes until one
        is seen."""
        for i in range(50):
            self.define("probe%d" % i)
            self.virsh("undefine", "probe%d" % i)
            if watcher.events_of("probe%d" % i, 1, timeout=0.3):
                return
        self.fail("virsh event saw nothing: %r" % watcher.lines)

    def test_events(self):
        uri = "qemu+unix:///system?socket=" + self.daemon.sock
        with EventWatcher(uri) as watcher:
            self.wait_events_registered(watcher)
            serial = self.guest("ev")
            self.virsh("start", "ev")
            self.wait_for(lambda: "VMM-TEST-GUEST-READY" in self.read(serial),
                          what="the guest's ready marker")
            self.virsh("suspend", "ev")
            self.virsh("resume", "ev")
            self.virsh("destroy", "ev")
            self.virsh("start", "ev")
            self.wait_for(lambda: "VMM-TEST-GUEST-READY" in self.read(serial),
                          what="the guest's ready marker")
            self.virsh("shutdown", "ev")
            self.wait_for(lambda: self.state("ev") == "shut off (shutdown)",
                          what="the guest to power off")
            self.virsh("undefine", "ev")
            expected = ["Defined Added", "Resumed Unpaused", "Started Booted",
                        "Suspended Paused", "Resumed Unpaused",
                        "Stopped Destroyed", "Resumed Unpaused",
                        "Started Booted", "Shutdown Finished",
                        "Stopped Shutdown", "Undefined Removed"]
            self.assertEqual(watcher.events_of("ev", len(expected)), expected)

    def test_undefine_running(self):
        self.guest("u1")
        self.virsh("start", "u1")
        self.virsh("undefine", "u1")
        self.assertFalse(os.path.exists(os.path.join(self.confdir,
                                                     "u1.xml")))
        self.assertIn("Persistent:     no", self.virsh("dominfo", "u1").stdout)
        self.assertEqual(self.state("u1"), "running (booted)")
        self.virsh("destroy", "u1")
        self.assertEqual(self.names(), [])
        self.assertEqual(qemu_pids(self.root), [])

    def test_shutdown(self):
        serial = self.guest("g2")
        self.virsh("start", "g2")
        self.wait_for(lambda: "VMM-TEST-GUEST-READY" in self.read(serial),
                      what="the guest's ready marker")
        self.virsh("shutdown", "g2")
        self.wait_for(lambda: self.state("g2") == "shut off (shutdown)",
                      what="the guest to power off")
        self.wait_for(lambda: qemu_pids(self.root) == [], timeout=10,
                      what="QEMU to exit")

    def test_crash_noticed(self):
        self.guest("g3")
        self.virsh("start", "g3")
        pids = qemu_pids(self.root)
        self.assertEqual(len(pids), 1)
        os.kill(pids[0], signal.SIGKILL)
        self.wait_for(lambda: self.state("g3") == "shut off (crashed)",
                      what="vmmd to notice QEMU died")

    def test_running_guest_survives_restart(self):
        self.guest("g4")
        self.virsh("start", "g4")
        pids = qemu_pids(self.root)
        self.restart()
        self.assertEqual(self.state("g4"), "running (booted)")
        self.assertEqual(qemu_pids(self.root), pids)
        self.virsh("suspend", "g4")
        self.restart(kill=True)
        self.assertEqual(self.state("g4"), "paused (user)")
        self.virsh("resume", "g4")
        self.assertEqual(self.state("g4"), "running (unpaused)")
        self.virsh("destroy", "g4")
        self.assertEqual(qemu_pids(self.root), [])

    def test_timeout_waits_for_running_guests(self):
        """--timeout stops an idle vmmd, but not while a guest runs."""
        self.daemon.stop()
        self.daemon = lib.Daemon(args=["--timeout", "2"])
        self.daemon.start()
        self.root = self.daemon.root
        self.guest("g9")
        self.virsh("start", "g9")
        time.sleep(4)
        self.assertTrue(self.daemon.alive(), "vmmd left a running guest")
        self.virsh("destroy", "g9")
        self.wait_for(lambda: not self.daemon.alive(), timeout=20,
                      what="vmmd to exit once idle")

    def test_autostart_on_daemon_start(self):
        self.guest("auto")
        self.virsh("autostart", "auto")
        self.restart()
        self.assertEqual(self.state("auto"), "running (booted)")
        self.assertEqual(len(qemu_pids(self.root)), 1)
        self.virsh("destroy", "auto")

    def test_create_transient(self):
        guest_dir = build_guest()
        if not guest_dir:
            self.skipTest("no test guest: %s" % GUEST_ERROR)
        path = os.path.join(self.root, "t.xml")
        with open(path, "w", encoding="utf-8") as f:
            f.write(GUEST_XML % {"name": "tr", "dir": guest_dir,
                                 "serial": os.path.join(self.root, "t.log")})
        self.virsh("create", path, "--paused")
        self.assertEqual(self.state("tr"), "paused (user)")
        self.assertFalse(os.path.exists(os.path.join(self.confdir,
                                                     "tr.xml")))
        self.virsh("destroy", "tr")
        self.assertEqual(self.names(), [])


if __name__ == "__main__":
    tap_unittest.main()
