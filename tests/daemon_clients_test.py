#!/usr/bin/python3
"""daemon_clients_test.py: stock libvirt clients (virsh from
libvirt-clients, python3-libvirt) manage a private vmmd.

One daemon serves the whole module; each test leaves the test host as it
found it. Every procedure these commands use is implemented, so a
command that stops working fails its test (nothing is skipped for a
missing procedure).
"""
import os
import shutil
import stat
import subprocess
import threading
import time
import unittest

import daemon_testlib as lib
import tap_unittest

try:
    import libvirt
except ImportError:
    libvirt = None

# Rounds of the eight-thread test; each is eight calls and a
# define/undefine pair per thread.
THREAD_ITERATIONS = 25

DOMAIN_XML = """<domain type='test'>
  <name>web1</name>
  <memory unit='KiB'>131072</memory>
  <vcpu>1</vcpu>
  <os><type>hvm</type></os>
</domain>
"""


def setUpModule():
    global DAEMON
    DAEMON = lib.Daemon()
    DAEMON.start()


def tearDownModule():
    DAEMON.stop()


# How `virsh event` prints what DEFINE, START, SUSPEND, RESUME, DESTROY
# and UNDEFINE of web1 cause.
VIRSH_EVENTS = [
    "event 'lifecycle' for domain 'web1': %s" % e for e in (
        "Defined Added", "Started Booted", "Suspended Paused",
        "Resumed Unpaused", "Stopped Destroyed", "Undefined Removed")]


class EventWatcher:
    """A `virsh event --loop --all` process; its output lines are
    collected by a thread. Stopped (and waited for) on exit."""

    def __init__(self):
        self.proc = subprocess.Popen(
            ["virsh", "-q", "-c", DAEMON.uri(), "event", "--loop", "--all",
             "--timeout", "30"], stdin=subprocess.DEVNULL,
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

    def _wait(self, predicate, timeout=10):
        with self.cond:
            self.cond.wait_for(lambda: predicate(self.lines), timeout)
            return predicate(self.lines)

    def wait_until_registered(self):
        """virsh says nothing once it has registered: pause and resume the
        test domain until its events show up."""
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            DAEMON.virsh("suspend", "test", check=True)
            DAEMON.virsh("resume", "test", check=True)
            if self._wait(lambda ls: any("'test': Resumed" in l for l in ls),
                          timeout=0.5):
                return
            if self.proc.poll() is not None:
                break
        raise AssertionError("virsh event saw nothing: %r" % self.lines)

    def lines_for(self, name, count):
        """The first @count lines about domain @name (waits for them)."""
        def mine(lines):
            return [l for l in lines if "domain '%s'" % name in l]
        self._wait(lambda ls: len(mine(ls)) >= count)
        # Anything more would have arrived by now.
        time.sleep(0.2)
        with self.cond:
            return mine(self.lines)

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


@unittest.skipUnless(shutil.which("virsh"), "virsh is not installed")
class VirshTest(unittest.TestCase):
    def test_list_all(self):
        res = DAEMON.virsh("list", "--all", check=True)
        self.assertRegex(res.stdout, r"\b1\s+test\s+running")

    def test_domain_life_cycle(self):
        path = os.path.join(DAEMON.root, "web1.xml")
        with open(path, "w", encoding="utf-8") as f:
            f.write(DOMAIN_XML)
        try:
            DAEMON.virsh("define", path, check=True)
            self.assertRegex(DAEMON.virsh("list", "--all").stdout,
                             r"web1\s+shut off")
            DAEMON.virsh("start", "web1", check=True)
            info = DAEMON.virsh("dominfo", "web1", check=True).stdout
            self.assertRegex(info, r"State:\s+running")
            xml = DAEMON.virsh("dumpxml", "web1", check=True).stdout
            self.assertIn("<name>web1</name>", xml)
            DAEMON.virsh("suspend", "web1", check=True)
            self.assertRegex(DAEMON.virsh("list", "--all").stdout,
                             r"web1\s+paused")
            DAEMON.virsh("resume", "web1", check=True)
            DAEMON.virsh("destroy", "web1", check=True)
            self.assertRegex(DAEMON.virsh("list", "--all").stdout,
                             r"web1\s+shut off")
        finally:
            DAEMON.virsh("destroy", "web1")
            DAEMON.virsh("undefine", "web1")
        self.assertNotIn("web1", DAEMON.virsh("list", "--all").stdout)

    def test_virsh_readonly_flag(self):
        DAEMON.virsh("dominfo", "test", readonly_flag=True, check=True)
        res = DAEMON.virsh("destroy", "test", readonly_flag=True)
        self.assertNotEqual(res.returncode, 0)
        self.assertIn("read only access prevents", res.stderr)
        self.assertRegex(DAEMON.virsh("list").stdout, r"test\s+running")

    def test_readonly_socket(self):
        DAEMON.virsh("dominfo", "test", readonly=True, check=True)
        self.assertIn("test", DAEMON.virsh("list", readonly=True,
                                           check=True).stdout)
        # virsh asks for read-write; the socket decides.
        res = DAEMON.virsh("destroy", "test", readonly=True)
        self.assertNotEqual(res.returncode, 0)
        self.assertIn("operation forbidden: read only access prevents",
                      res.stderr)
        self.assertRegex(DAEMON.virsh("list").stdout, r"test\s+running")

    def test_virsh_event_sees_another_virsh(self):
        """`virsh event --loop` in one process prints, in order, the
        lifecycle events a second virsh causes."""
        path = os.path.join(DAEMON.root, "web1.xml")
        with open(path, "w", encoding="utf-8") as f:
            f.write(DOMAIN_XML)
        with EventWatcher() as watcher:
            watcher.wait_until_registered()
            try:
                for args in (("define", path), ("start", "web1"),
                             ("suspend", "web1"), ("resume", "web1"),
                             ("destroy", "web1"), ("undefine", "web1")):
                    DAEMON.virsh(*args, check=True)
                lines = watcher.lines_for("web1", len(VIRSH_EVENTS))
            finally:
                DAEMON.virsh("destroy", "web1")
                DAEMON.virsh("undefine", "web1")
        self.assertEqual(lines, VIRSH_EVENTS)

    def test_socket_permissions(self):
        # As root, polkit guards the read-write socket by default (as with
        # libvirtd), so anyone may connect and polkit decides.
        rw = 0o777 if os.geteuid() == 0 else 0o700
        self.assertEqual(stat.S_IMODE(os.stat(DAEMON.sock).st_mode), rw)
        self.assertEqual(stat.S_IMODE(os.stat(DAEMON.sock_ro).st_mode),
                         0o777)
        config = 'auth_unix_rw = "none"\n'
        with lib.Daemon(config=config) as daemon:
            self.assertEqual(stat.S_IMODE(os.stat(daemon.sock).st_mode),
                             0o700)


@unittest.skipUnless(libvirt, "python3-libvirt is not installed")
class PythonLibvirtTest(unittest.TestCase):
    def setUp(self):
        self.conn = libvirt.open(DAEMON.uri())

    def tearDown(self):
        self.conn.close()

    def test_lookup_and_info(self):
        dom = self.conn.lookupByName("test")
        state, maxmem, mem, vcpus, _ = dom.info()
        self.assertEqual(state, libvirt.VIR_DOMAIN_RUNNING)
        self.assertGreater(maxmem, 0)
        self.assertGreaterEqual(vcpus, 1)

    def test_missing_domain(self):
        with self.assertRaises(libvirt.libvirtError) as ctx:
            self.conn.lookupByName("no-such-domain")
        self.assertEqual(ctx.exception.get_error_code(),
                         libvirt.VIR_ERR_NO_DOMAIN)

    def test_readonly_open(self):
        ro = libvirt.openReadOnly(DAEMON.uri())
        try:
            dom = ro.lookupByName("test")
            with self.assertRaises(libvirt.libvirtError) as ctx:
                dom.suspend()
            self.assertEqual(ctx.exception.get_error_code(),
                             libvirt.VIR_ERR_OPERATION_DENIED)
        finally:
            ro.close()

    @staticmethod
    def collect_events(conn, dom=None):
        """Registers for lifecycle events on @conn; returns the list they
        are appended to (name, event, detail) and the callback id."""
        events = []

        def on_event(c, d, event, detail, opaque):
            events.append((d.name(), event, detail))

        cid = conn.domainEventRegisterAny(
            dom, libvirt.VIR_DOMAIN_EVENT_ID_LIFECYCLE, on_event, None)
        return events, cid

    @staticmethod
    def wait_for(events, count, timeout=10):
        deadline = time.monotonic() + timeout
        while len(events) < count and time.monotonic() < deadline:
            time.sleep(0.02)

    def test_lifecycle_events_reach_every_client_once_in_order(self):
        E = libvirt
        expected = [
            ("web1", E.VIR_DOMAIN_EVENT_DEFINED,
             E.VIR_DOMAIN_EVENT_DEFINED_ADDED),
            ("web1", E.VIR_DOMAIN_EVENT_STARTED,
             E.VIR_DOMAIN_EVENT_STARTED_BOOTED),
            ("web1", E.VIR_DOMAIN_EVENT_SUSPENDED,
             E.VIR_DOMAIN_EVENT_SUSPENDED_PAUSED),
            ("web1", E.VIR_DOMAIN_EVENT_RESUMED,
             E.VIR_DOMAIN_EVENT_RESUMED_UNPAUSED),
            ("web1", E.VIR_DOMAIN_EVENT_STOPPED,
             E.VIR_DOMAIN_EVENT_STOPPED_DESTROYED),
            ("web1", E.VIR_DOMAIN_EVENT_UNDEFINED,
             E.VIR_DOMAIN_EVENT_UNDEFINED_REMOVED),
        ]
        second = libvirt.open(DAEMON.uri(readonly=True))
        actor = libvirt.open(DAEMON.uri())
        first_events, first_id = self.collect_events(self.conn)
        second_events, second_id = self.collect_events(second)
        try:
            dom = actor.defineXML(DOMAIN_XML)
            dom.create()
            dom.suspend()
            dom.resume()
            dom.destroy()
            dom.undefine()
            for events in (first_events, second_events):
                self.wait_for(events, len(expected))
            # Anything more would have arrived by now.
            time.sleep(0.2)
            self.assertEqual(first_events, expected)
            self.assertEqual(second_events, expected)
        finally:
            self.conn.domainEventDeregisterAny(first_id)
            second.domainEventDeregisterAny(second_id)
            second.close()
            actor.close()

    def test_callbacks_for_changes_made_by_virsh(self):
        """The default event loop implementation (a thread running
        virEventRunDefaultImpl, see the bottom of this file) delivers
        lifecycle callbacks for what another process does."""
        E = libvirt
        path = os.path.join(DAEMON.root, "web1.xml")
        with open(path, "w", encoding="utf-8") as f:
            f.write(DOMAIN_XML)
        events, cid = self.collect_events(self.conn)
        try:
            DAEMON.virsh("define", path, check=True)
            DAEMON.virsh("start", "web1", check=True)
            DAEMON.virsh("destroy", "web1", check=True)
            DAEMON.virsh("undefine", "web1", check=True)
            self.wait_for(events, 4)
            time.sleep(0.2)
        finally:
            self.conn.domainEventDeregisterAny(cid)
            DAEMON.virsh("destroy", "web1")
            DAEMON.virsh("undefine", "web1")
        self.assertEqual(events, [
            ("web1", E.VIR_DOMAIN_EVENT_DEFINED,
             E.VIR_DOMAIN_EVENT_DEFINED_ADDED),
            ("web1", E.VIR_DOMAIN_EVENT_STARTED,
             E.VIR_DOMAIN_EVENT_STARTED_BOOTED),
            ("web1", E.VIR_DOMAIN_EVENT_STOPPED,
             E.VIR_DOMAIN_EVENT_STOPPED_DESTROYED),
            ("web1", E.VIR_DOMAIN_EVENT_UNDEFINED,
             E.VIR_DOMAIN_EVENT_UNDEFINED_REMOVED)])

    def test_eight_threads_pipeline_on_one_connection(self):
        """python3-libvirt drops the GIL around each call, so eight
        threads have calls in flight on one socket at once; every reply
        must reach the thread that asked."""
        test_uuid = self.conn.lookupByName("test").UUIDString()
        errors = []

        def worker(n):
            try:
                for i in range(THREAD_ITERATIONS):
                    self.one_round(n, i, test_uuid)
            except Exception as e:  # reported by the main thread
                errors.append("thread %d: %r" % (n, e))

        threads = [threading.Thread(target=worker, args=(n,))
                   for n in range(8)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(60)
        self.assertFalse([t for t in threads if t.is_alive()],
                         "threads hang")
        self.assertEqual(errors, [])
        names = self.conn.listDefinedDomains()
        self.assertFalse([n for n in names if n.startswith("thr")], names)

    def one_round(self, n, i, test_uuid):
        dom = self.conn.lookupByName("test")
        if dom.UUIDString() != test_uuid:
            raise AssertionError("lookup answered %s" % dom.UUIDString())
        if dom.info()[0] != libvirt.VIR_DOMAIN_RUNNING:
            raise AssertionError("info of test: %r" % (dom.info(),))
        if "<name>test</name>" not in dom.XMLDesc(0):
            raise AssertionError("XMLDesc of test is not test's")
        name = "thr%d-%d" % (n, i)
        mine = self.conn.defineXML(DOMAIN_XML.replace("web1", name))
        try:
            again = self.conn.lookupByName(name)
            if again.UUIDString() != mine.UUIDString():
                raise AssertionError("%s has two uuids" % name)
            if "<name>%s</name>" % name not in again.XMLDesc(0):
                raise AssertionError("XMLDesc of %s is not its own" % name)
            if again.info()[0] != libvirt.VIR_DOMAIN_SHUTOFF:
                raise AssertionError("%s is not shut off" % name)
        finally:
            mine.undefine()

    def assert_error(self, code, call, *args):
        with self.assertRaises(libvirt.libvirtError) as ctx:
            call(*args)
        self.assertEqual(ctx.exception.get_error_code(), code,
                         str(ctx.exception))

    def test_error_codes(self):
        """The daemon's error codes reach python as libvirt's numbers."""
        self.assertEqual(libvirt.VIR_ERR_NO_DOMAIN, 42)
        self.assertEqual(libvirt.VIR_ERR_XML_ERROR, 27)
        self.assertEqual(libvirt.VIR_ERR_OPERATION_INVALID, 55)
        self.assertEqual(libvirt.VIR_ERR_OPERATION_DENIED, 29)
        self.assert_error(42, self.conn.lookupByName, "no-such-domain")
        self.assert_error(42, self.conn.lookupByUUIDString,
                          "d0b5bd42-6b5e-4c8b-9e2f-0123456789ab")
        self.assert_error(27, self.conn.defineXML, "<domain type='test'>")
        self.assert_error(27, self.conn.defineXML, "not xml at all")
        test = self.conn.lookupByName("test")
        self.assert_error(55, test.create)
        ro = libvirt.openReadOnly(DAEMON.uri())
        try:
            self.assert_error(29, ro.defineXML, DOMAIN_XML)
            self.assert_error(29, ro.lookupByName("test").destroy)
        finally:
            ro.close()
        self.assertEqual(test.info()[0], libvirt.VIR_DOMAIN_RUNNING)
        self.assertNotIn("web1", self.conn.listDefinedDomains())

    def test_events_of_one_domain(self):
        dom = self.conn.lookupByName("test")
        events, cid = self.collect_events(self.conn, dom)
        everything, all_id = self.collect_events(self.conn)
        try:
            dom.suspend()
            dom.resume()
            self.wait_for(events, 2)
            self.assertEqual([e[1] for e in events],
                             [libvirt.VIR_DOMAIN_EVENT_SUSPENDED,
                              libvirt.VIR_DOMAIN_EVENT_RESUMED])
            self.assertEqual(everything, events)
        finally:
            self.conn.domainEventDeregisterAny(cid)
            self.conn.domainEventDeregisterAny(all_id)


@unittest.skipUnless(libvirt, "python3-libvirt is not installed")
class KeepaliveTest(unittest.TestCase):
    def test_client_keepalive_keeps_an_idle_connection(self):
        """With the client's keepalive at 1 s x 3 and nothing else to
        send, the connection lives only if vmmd answers every PING (the
        client closes it after about 4 s of silence otherwise)."""
        conn = libvirt.open(DAEMON.uri())
        closed = []
        try:
            conn.registerCloseCallback(
                lambda c, reason, opaque: closed.append(reason), None)
            conn.setKeepAlive(1, 3)
            events, cid = PythonLibvirtTest.collect_events(conn)
            time.sleep(5.5)
            self.assertEqual(closed, [])
            self.assertEqual(conn.isAlive(), 1)
            # Events still flow on the idle connection.
            test = conn.lookupByName("test")
            test.suspend()
            test.resume()
            PythonLibvirtTest.wait_for(events, 2)
            self.assertEqual([e[1] for e in events],
                             [libvirt.VIR_DOMAIN_EVENT_SUSPENDED,
                              libvirt.VIR_DOMAIN_EVENT_RESUMED])
            conn.domainEventDeregisterAny(cid)
        finally:
            conn.unregisterCloseCallback()
            conn.close()

    def test_libvirt_client_answers_our_pings(self):
        config = "keepalive_interval = 1\nkeepalive_count = 1\n"
        with lib.Daemon(config=config, args=["--verbose"]) as daemon:
            conn = libvirt.open(daemon.uri())
            try:
                # The client's own pings are rarer than the daemon's.
                conn.setKeepAlive(30, 5)
                time.sleep(3.5)
                self.assertEqual(conn.isAlive(), 1)
                self.assertEqual(conn.lookupByName("test").name(), "test")
            finally:
                conn.close()
            log = daemon.read_log()
            self.assertIn("sending keepalive request", log)
            self.assertNotIn("did not answer", log)


def run_event_loop():
    while True:
        libvirt.virEventRunDefaultImpl()


if __name__ == "__main__":
    if libvirt:
        libvirt.virEventRegisterDefaultImpl()
        threading.Thread(target=run_event_loop, daemon=True).start()
        # libvirt prints every error it raises to stderr by default.
        libvirt.registerErrorHandler(lambda ctx, err: None, None)
    tap_unittest.main()
