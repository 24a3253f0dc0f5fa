"""daemon_testlib.py: what the daemon's end-to-end tests share: a private
vmmd on its own --root in a temporary directory (always stopped and
removed, even when a test fails), stock virsh against it, and a raw
client that speaks the wire protocol byte by byte.

Stdlib only; run with /usr/bin/python3 (the interpreter python3-libvirt
is installed for). Under `make check-valgrind` (VMM_TEST_VALGRIND=1)
vmmd runs under valgrind and a leak or memory error fails the test that
stops it. VMMD_TEST_WRAPPER, when set, is a command put in front of vmmd
instead, e.g. "valgrind --tool=massif".
"""
import os
import shlex
import signal
import socket
import struct
import subprocess
import tempfile
import time

BUILDDIR = os.environ.get("abs_top_builddir",
                          os.path.join(os.path.dirname(
                              os.path.abspath(__file__)), ".."))
VMMD = os.path.join(BUILDDIR, "daemon", "vmmd")

REMOTE_PROGRAM = 0x20008086
KEEPALIVE_PROGRAM = 0x6b656570
CALL, REPLY, MESSAGE = 0, 1, 2
OK, ERROR = 0, 1

PROC_CONNECT_OPEN = 1
PROC_CONNECT_GET_TYPE = 3
PROC_CONNECT_SUPPORTS_FEATURE = 60
PROC_AUTH_LIST = 66
PING, PONG = 1, 2

# VMMD_CLIENT_OUTPUT_MAX_MESSAGES in daemon/vmmd_client.h.
OUTPUT_MAX_MESSAGES = 4096


def generated_procedures():
    """Procedure numbers src/rpc's generated server table handles."""
    path = os.path.join(BUILDDIR, "src", "rpc", "vmm_remote_dispatch.c")
    numbers = set()
    try:
        with open(path, encoding="utf-8") as f:
            for line in f:
                line = line.strip()
                if line.startswith("{ ") and "remoteDispatch" in line:
                    numbers.add(int(line[2:].split(",")[0]))
    except OSError:
        pass
    return numbers


VALGRIND_ERROR = 99


def wrapper():
    """The command vmmd runs under, if any."""
    if os.environ.get("VMMD_TEST_WRAPPER"):
        return shlex.split(os.environ["VMMD_TEST_WRAPPER"])
    if os.environ.get("VMM_TEST_VALGRIND") == "1":
        return ["valgrind", "-q", "--error-exitcode=%d" % VALGRIND_ERROR,
                "--leak-check=full", "--errors-for-leak-kinds=definite",
                "--suppressions=" + os.path.join(
                    os.path.dirname(os.path.abspath(__file__)),
                    "valgrind.supp")]
    return []


class Daemon:
    """A vmmd on a private root. Use as a context manager."""

    def __init__(self, config=None, args=()):
        self.tmp = tempfile.TemporaryDirectory(prefix="vmmd-test-")
        self.root = self.tmp.name
        self.config = config
        self.args = list(args)
        self.proc = None
        self.log = os.path.join(self.root, "vmmd.log")
        if config is not None:
            os.makedirs(os.path.join(self.root, "etc", "vmm"))
            with open(self.config_path(), "w", encoding="utf-8") as f:
                f.write(config)

    def config_path(self):
        return os.path.join(self.root, "etc", "vmm", "vmmd.conf")

    @property
    def sock(self):
        return os.path.join(self.root, "run", "vmm", "vmm-sock")

    @property
    def sock_ro(self):
        return os.path.join(self.root, "run", "vmm", "vmm-sock-ro")

    @property
    def pid_file(self):
        return os.path.join(self.root, "run", "vmm", "vmmd.pid")

    def uri(self, readonly=False):
        return "test+unix:///default?socket=" + (
            self.sock_ro if readonly else self.sock)

    def command(self):
        # A daemon whose test died goes by itself after a minute alone.
        timeout = [] if "--timeout" in self.args else ["--timeout", "60"]
        return (wrapper() + [VMMD, "--root", self.root] + timeout +
                self.args)

    def start(self):
        with open(self.log, "ab") as log:
            self.proc = subprocess.Popen(self.command(), stdout=log,
                                         stderr=subprocess.STDOUT)
        # Under valgrind on a busy machine vmmd takes far longer to listen.
        deadline = time.monotonic() + (120 if wrapper() else 30)
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError("vmmd exited with %d: %s" %
                                   (self.proc.returncode, self.read_log()))
            if os.path.exists(self.sock_ro):
                return self
            time.sleep(0.02)
        # Kept running for a post-mortem: its log says where it stands.
        raise RuntimeError("vmmd did not create its sockets; its log:\n" +
                           self.read_log()[-4000:])

    def read_log(self):
        try:
            with open(self.log, encoding="utf-8", errors="replace") as f:
                return f.read()
        except OSError:
            return ""

    def alive(self):
        return self.proc is not None and self.proc.poll() is None

    def terminate(self, timeout=60):
        """SIGTERM and wait; returns the exit status."""
        if self.proc is None:
            return None
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
        try:
            return self.proc.wait(timeout)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
            raise

    def stop(self):
        status = None
        try:
            if self.proc is not None:
                status = self.terminate()
        finally:
            self.tmp.cleanup()
        if status == VALGRIND_ERROR:
            raise AssertionError("valgrind found errors in vmmd (see the "
                                 "test log)")

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()

    def virsh(self, *args, readonly=False, readonly_flag=False,
              check=False):
        cmd = ["virsh", "-q", "-c", self.uri(readonly)]
        if readonly_flag:
            cmd.append("-r")
        res = subprocess.run(cmd + list(args), capture_output=True,
                             text=True, timeout=30)
        if check and res.returncode != 0:
            raise AssertionError("virsh %s failed: %s%s" %
                                 (" ".join(args), res.stdout, res.stderr))
        return res


# ---- XDR, just what the tests send and read ----

def xdr_uint(v):
    return struct.pack(">I", v)


def xdr_int(v):
    return struct.pack(">i", v)


def xdr_string(s):
    data = s.encode()
    return xdr_uint(len(data)) + data + b"\0" * (-len(data) % 4)


def xdr_opt_string(s):
    return xdr_uint(0) if s is None else xdr_uint(1) + xdr_string(s)


class Reader:
    def __init__(self, data):
        self.data = data
        self.pos = 0

    def uint(self):
        v = struct.unpack_from(">I", self.data, self.pos)[0]
        self.pos += 4
        return v

    def int(self):
        v = struct.unpack_from(">i", self.data, self.pos)[0]
        self.pos += 4
        return v

    def string(self):
        n = self.uint()
        s = self.data[self.pos:self.pos + n].decode()
        self.pos += n + (-n % 4)
        return s

    def opt_string(self):
        return self.string() if self.uint() else None


def packet(prog, proc, serial, payload=b"", type_=CALL, status=OK, vers=1):
    header = struct.pack(">IIiIIi", prog, vers, proc, type_, serial, status)
    return xdr_uint(4 + len(header) + len(payload)) + header + payload


class RawClient:
    """A client that writes and reads single messages."""

    def __init__(self, path, timeout=10):
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.sock.settimeout(timeout)
        self.sock.connect(path)

    def close(self):
        self.sock.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def send(self, data):
        self.sock.sendall(data)

    def _read_exact(self, n):
        buf = b""
        while len(buf) < n:
            try:
                chunk = self.sock.recv(n - len(buf))
            except ConnectionResetError:
                # How a close that discarded unread calls looks.
                chunk = b""
            if not chunk:
                raise EOFError("connection closed by vmmd")
            buf += chunk
        return buf

    def recv(self):
        """(header dict, payload bytes) of the next message."""
        length = struct.unpack(">I", self._read_exact(4))[0]
        body = self._read_exact(length - 4)
        prog, vers, proc, type_, serial, status = \
            struct.unpack_from(">IIiIIi", body)
        return ({"prog": prog, "vers": vers, "proc": proc, "type": type_,
                 "serial": serial, "status": status}, body[24:])

    def recv_reply(self):
        """The next reply, skipping keepalive and event messages."""
        while True:
            hdr, payload = self.recv()
            if hdr["type"] == REPLY:
                return hdr, payload

    def call(self, proc, payload=b"", serial=1, prog=REMOTE_PROGRAM,
             vers=1):
        self.send(packet(prog, proc, serial, payload, vers=vers))
        return self.recv_reply()

    def open(self, uri="test:///default", flags=0):
        hdr, payload = self.call(PROC_CONNECT_OPEN,
                                 xdr_opt_string(uri) + xdr_uint(flags))
        if hdr["status"] != OK:
            raise AssertionError("CONNECT_OPEN failed: %r" %
                                 (decode_error(payload),))

    def is_closed(self, timeout=5):
        """True once vmmd has closed the connection."""
        self.sock.settimeout(timeout)
        try:
            while True:
                if not self.sock.recv(65536):
                    return True
        except (ConnectionResetError, BrokenPipeError):
            return True
        except socket.timeout:
            return False


def decode_error(payload):
    """(code, domain, message) of an error record."""
    r = Reader(payload)
    code = r.int()
    domain = r.int()
    return code, domain, r.opt_string()
