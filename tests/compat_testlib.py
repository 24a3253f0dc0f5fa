"""compat_testlib.py: what the compatibility tests need beyond
daemon_testlib: a private libvirtd (the real one, from Debian's
libvirt-daemon) to compare vmmd with, and stock virsh runs that record
which procedures they called and which of them failed.

Only one libvirtd may run on a machine (every libvirtd uses /run/libvirt
whatever its socket directory): tests of every build directory take one
lock file in turn, `Libvirtd.start()` raises unittest.SkipTest when a
libvirtd that is not ours runs anyway, `Libvirtd.skip_reason()` says why
a test cannot have one at all, and a started one is always stopped and
waited for, even when the test fails. Stdlib only; run with /usr/bin/python3.
"""
import fcntl
import os
import pwd
import re
import shutil
import signal
import subprocess
import tempfile
import time
import unittest

import daemon_testlib

LIBVIRTD = "/usr/sbin/libvirtd"
QEMU_USER = "libvirt-qemu"
# Serializes the private libvirtds of concurrent test runs.
LOCK_PATH = os.path.join(tempfile.gettempdir(), "vmm-test-libvirtd.lock")
LOCK_WAIT = 120

# The client's rpc log: one line per message sent and received.
_TX = re.compile(r"RPC_CLIENT_MSG_TX_QUEUE: .* prog=(\d+) vers=\d+ "
                 r"proc=(\d+) type=(\d+) status=\d+ serial=(\d+)")
_RX = re.compile(r"RPC_CLIENT_MSG_RX: .* prog=(\d+) vers=\d+ "
                 r"proc=(\d+) type=(\d+) status=(\d+) serial=(\d+)")
REMOTE_PROGRAM = 0x20008086
REPLY = 1
STATUS_ERROR = 1


def libvirtd_pids():
    """Pids of live (not zombie) libvirtd processes on this machine."""
    pids = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open("/proc/%s/stat" % entry, encoding="utf-8",
                      errors="replace") as f:
                stat = f.read()
        except OSError:
            continue
        # "pid (comm) state ..."; comm may hold spaces and parentheses.
        comm = stat[stat.find("(") + 1:stat.rfind(")")]
        state = stat[stat.rfind(")") + 2:][:1]
        if comm == "libvirtd" and state != "Z":
            pids.append(int(entry))
    return pids


def _ensure_qemu_user():
    """libvirtd refuses to start without the user its QEMU driver runs
    guests as; a system account with no shell is enough."""
    try:
        pwd.getpwnam(QEMU_USER)
        return None
    except KeyError:
        pass
    if os.geteuid() != 0:
        return "user %s is missing and we are not root" % QEMU_USER
    res = subprocess.run(["useradd", "-r", "-s", "/usr/sbin/nologin",
                          QEMU_USER], capture_output=True, text=True,
                         check=False)
    if res.returncode != 0:
        return "cannot create user %s: %s" % (QEMU_USER, res.stderr.strip())
    return None


class Libvirtd:
    """A libvirtd whose sockets live in a temporary directory. Use as a
    context manager, or start() in setUp and stop() in tearDown."""

    def __init__(self, extra_conf="", listen=False):
        """@extra_conf: more libvirtd.conf lines; @listen: run with
        --listen (the TLS/TCP listeners @extra_conf configures)."""
        self.tmp = None
        self.proc = None
        self.lock = None
        self.extra_conf = extra_conf
        self.listen = listen

    @staticmethod
    def skip_reason():
        """Why no private libvirtd can run here, or None."""
        if not os.access(LIBVIRTD, os.X_OK):
            return "libvirtd is not installed (package libvirt-daemon)"
        if os.geteuid() != 0:
            return "a private libvirtd needs root (it uses /run/libvirt)"
        return _ensure_qemu_user()

    @property
    def dir(self):
        return self.tmp.name

    @property
    def sock(self):
        return os.path.join(self.dir, "libvirt-sock")

    @property
    def sock_ro(self):
        return os.path.join(self.dir, "libvirt-sock-ro")

    @property
    def log(self):
        return os.path.join(self.dir, "libvirtd.log")

    def uri(self, readonly=False):
        return "test+unix:///default?socket=" + (
            self.sock_ro if readonly else self.sock)

    def _take_lock(self):
        self.lock = open(LOCK_PATH, "a", encoding="utf-8")
        deadline = time.monotonic() + LOCK_WAIT
        while True:
            try:
                fcntl.flock(self.lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
                return
            except BlockingIOError:
                if time.monotonic() > deadline:
                    raise unittest.SkipTest("another test run keeps its "
                                            "libvirtd for too long")
                time.sleep(0.1)

    def start(self):
        """Starts libvirtd; raises unittest.SkipTest when another one
        runs (ours are serialized by a lock, others cannot be)."""
        try:
            self._take_lock()
            if libvirtd_pids():
                raise unittest.SkipTest("another libvirtd is running")
        except BaseException:
            self.stop()
            raise
        self.tmp = tempfile.TemporaryDirectory(prefix="libvirtd-test-")
        conf = os.path.join(self.dir, "libvirtd.conf")
        with open(conf, "w", encoding="utf-8") as f:
            f.write('unix_sock_dir = "%s"\n' % self.dir)
            f.write('auth_unix_rw = "none"\nauth_unix_ro = "none"\n')
            f.write(self.extra_conf)
        try:
            self._spawn(conf)
        except BaseException:
            self.stop()
            raise
        return self

    def _spawn(self, conf):
        with open(self.log, "ab") as log:
            # --timeout: a libvirtd whose test died goes by itself.
            self.proc = subprocess.Popen(
                [LIBVIRTD, "-f", conf, "-p",
                 os.path.join(self.dir, "libvirtd.pid"), "--timeout", "60"]
                + (["--listen"] if self.listen else []),
                stdin=subprocess.DEVNULL, stdout=log,
                stderr=subprocess.STDOUT, start_new_session=True)
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError("libvirtd exited with %d: %s" %
                                   (self.proc.returncode, self.read_log()))
            if os.path.exists(self.sock_ro):
                return
            time.sleep(0.02)
        raise RuntimeError("libvirtd did not create its sockets")

    def read_log(self):
        try:
            with open(self.log, encoding="utf-8", errors="replace") as f:
                return f.read()
        except OSError:
            return ""

    def alive(self):
        return self.proc is not None and self.proc.poll() is None

    def stop(self):
        """Stops libvirtd and waits for it; safe to call twice."""
        try:
            if self.proc is not None and self.proc.poll() is None:
                self.proc.send_signal(signal.SIGTERM)
                try:
                    self.proc.wait(10)
                except subprocess.TimeoutExpired:
                    self.proc.kill()
                    self.proc.wait()
        finally:
            self.proc = None
            if self.tmp is not None:
                self.tmp.cleanup()
                self.tmp = None
            if self.lock is not None:
                self.lock.close()
                self.lock = None

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()


class VirshRun:
    """One virsh run: its exit status, output, and from the client's rpc
    log the remote procedures it called and those that got an error."""

    def __init__(self, args, returncode, stdout, stderr, log_text,
                 timed_out=False):
        self.args = args
        self.returncode = returncode
        self.stdout = stdout
        self.stderr = stderr
        self.timed_out = timed_out
        self.called = []
        self.failed = []
        for m in _TX.finditer(log_text):
            if int(m.group(1)) == REMOTE_PROGRAM and int(m.group(3)) == 0:
                self.called.append(int(m.group(2)))
        for m in _RX.finditer(log_text):
            if (int(m.group(1)) == REMOTE_PROGRAM and
                    int(m.group(3)) == REPLY and
                    int(m.group(4)) == STATUS_ERROR):
                self.failed.append(int(m.group(2)))

    @property
    def ok(self):
        return not self.timed_out and self.returncode == 0


def virsh_traced(uri, args, timeout=15, workdir=None):
    """Runs `virsh -q -c URI ARGS` with the client's rpc log on."""
    with tempfile.TemporaryDirectory(prefix="virsh-log-",
                                     dir=workdir) as tmp:
        log = os.path.join(tmp, "client.log")
        env = dict(os.environ, LIBVIRT_LOG_FILTERS="1:rpc",
                   LIBVIRT_LOG_OUTPUTS="1:file:" + log)
        env.pop("LIBVIRT_DEFAULT_URI", None)
        cmd = ["virsh", "-q", "-c", uri] + list(args)
        try:
            res = subprocess.run(cmd, capture_output=True, text=True,
                                 timeout=timeout, env=env,
                                 stdin=subprocess.DEVNULL, check=False)
            code, out, err, timed_out = (res.returncode, res.stdout,
                                         res.stderr, False)
        except subprocess.TimeoutExpired as e:
            code, timed_out = None, True
            out = e.stdout.decode() if isinstance(e.stdout, bytes) else ""
            err = e.stderr.decode() if isinstance(e.stderr, bytes) else ""
        try:
            with open(log, encoding="utf-8", errors="replace") as f:
                text = f.read()
        except OSError:
            text = ""
    return VirshRun(args, code, out, err, text, timed_out)


def hold_test_driver(daemon):
    """A raw connection that keeps @daemon's test:///default open.
    libvirtd's test driver starts afresh when its last connection
    closes, so a series of one-shot clients needs this to see each
    other's changes. Close it when done."""
    client = daemon_testlib.RawClient(daemon.sock)
    try:
        client.open("test:///default")
    except BaseException:
        client.close()
        raise
    return client


def have_virsh():
    return shutil.which("virsh") is not None
