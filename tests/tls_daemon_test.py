#!/usr/bin/python3
"""tls_daemon_test.py: vmmd --listen end to end on loopback: stock virsh,
python3-libvirt and our vsh over test+tls:// with certificates made here
by certtool; the server refusing client certificates (another CA, a DN
outside tls_allowed_dn_list, expired, not yet valid, revoked, none) and
plaintext on the TLS port while it keeps serving others; 200 idle
connections that must not lock a good client out; the client's own
checks (host name, missing files, no_verify); start-up sanity checks of
the server certificate; plain TCP with auth_tcp = "none"; records that
hold more than one read's worth, on both sides (data gnutls has decrypted
is invisible to poll).

Every vmmd is stopped and every temporary directory removed, also when a
test fails. Skips without certtool (Debian: gnutls-bin) or daemon/vmmd.
"""
import os
import shutil
import socket
import ssl
import struct
import subprocess
import sys
import time
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import tap_unittest  # noqa: E402
from daemon_testlib import (CALL, KEEPALIVE_PROGRAM, MESSAGE,  # noqa
                            OK, PING, PROC_AUTH_LIST, PROC_CONNECT_GET_TYPE,
                            PROC_CONNECT_OPEN, REMOTE_PROGRAM, REPLY, VMMD,
                            Daemon, RawClient, packet, xdr_opt_string,
                            xdr_uint)
from tls_testlib import CERTTOOL, PKI, free_port  # noqa: E402
from vsh_testlib import vsh_command  # noqa: E402

try:
    import libvirt
except ImportError:
    libvirt = None

TIMEOUT = 60
IDLE_CONNECTIONS = 200
# VMMD_TLS_HANDSHAKE_TIMEOUT_MS in daemon/vmmd_tls.h, in seconds.
HANDSHAKE_TIMEOUT = 10


class TLSRawClient(RawClient):
    """RawClient over TLS (Python's own ssl module, so a third TLS
    implementation talks to vmmd), after the server's one-byte "yes"."""

    def __init__(self, port, pkidir, timeout=10, first=b""):
        ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
        ctx.load_verify_locations(os.path.join(pkidir, "cacert.pem"))
        ctx.load_cert_chain(os.path.join(pkidir, "clientcert.pem"),
                            os.path.join(pkidir, "clientkey.pem"))
        raw = socket.create_connection(("127.0.0.1", port), timeout=timeout)
        try:
            self.sock = ctx.wrap_socket(raw, server_hostname="localhost")
        except BaseException:
            raw.close()
            raise
        # @first goes before the server's verdict is read, as a client
        # that does not wait for it would send it.
        if first:
            self.sock.sendall(first)
        if self._read_exact(1) != b"\x01":
            self.close()
            raise AssertionError("no 0x01 from the server")


def server_config(pki, port, extra=""):
    return ("listen_addr = \"127.0.0.1\"\n"
            "tls_port = \"%d\"\n"
            "ca_file = \"%s\"\n"
            "cert_file = \"%s\"\n"
            "key_file = \"%s\"\n" % (port, pki.ca[0], pki.server[0],
                                     pki.server[1]) + extra)


def virsh(uri, *args):
    return subprocess.run(["virsh", "-q", "-c", uri] + list(args),
                          capture_output=True, text=True, timeout=TIMEOUT)


def wait_for_log(daemon, text, timeout=10):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if text in daemon.read_log():
            return True
        time.sleep(0.05)
    return False


def make_pki():
    """Every certificate the tests use, in one PKI."""
    pki = PKI()
    try:
        pki.ca = pki.make_ca("ca")
        pki.ca2 = pki.make_ca("ca2")
        pki.server = pki.make_server("server", pki.ca)
        pki.server_other_ca = pki.make_server("server-ca2", pki.ca2)
        pki.server_expired = pki.make_server(
            "server-old", pki.ca, activation="2019-01-01 00:00:00",
            expiration="2020-01-01 00:00:00")
        good = pki.make_client("client", pki.ca, "client1")
        revoked = pki.make_client("revoked", pki.ca, "client5")
        pki.crl = pki.make_crl("crl", pki.ca, [revoked[0]])
        pki.dirs = {
            "good": pki.client_dir("good", [pki.ca], good),
            "other-ca": pki.client_dir(
                "other-ca", [pki.ca, pki.ca2],
                pki.make_client("other", pki.ca2, "client2")),
            "bad-dn": pki.client_dir(
                "bad-dn", [pki.ca], pki.make_client("mallory", pki.ca,
                                                    "mallory")),
            "expired": pki.client_dir(
                "expired", [pki.ca],
                pki.make_client("expired", pki.ca, "client3",
                                activation="2019-01-01 00:00:00",
                                expiration="2020-01-01 00:00:00")),
            "future": pki.client_dir(
                "future", [pki.ca],
                pki.make_client("future", pki.ca, "client4",
                                activation="2090-01-01 00:00:00",
                                expiration="2091-01-01 00:00:00")),
            "revoked": pki.client_dir("revoked", [pki.ca], revoked),
            "no-cert": pki.client_dir("no-cert", [pki.ca]),
        }
    except BaseException:
        pki.cleanup()
        raise
    return pki


@unittest.skipUnless(CERTTOOL, "certtool is missing (apt-get install "
                     "gnutls-bin)")
@unittest.skipUnless(os.access(VMMD, os.X_OK), "daemon/vmmd is not built")
class TLSServerTest(unittest.TestCase):
    """One daemon with a CRL and a DN allow list, shared by the tests."""

    @classmethod
    def setUpClass(cls):
        cls.pki = make_pki()
        cls.addClassCleanup(cls.pki.cleanup)
        cls.port = free_port()
        cls.daemon = Daemon(server_config(
            cls.pki, cls.port,
            "crl_file = \"%s\"\n"
            "tls_allowed_dn_list = [\"C=GB,O=vmm test,CN=client*\"]\n" %
            cls.pki.crl), args=["--listen"])
        cls.addClassCleanup(cls.daemon.stop)
        cls.daemon.start()

    def uri(self, kind="good", host="localhost", extra=""):
        return "test+tls://%s:%d/default?pkipath=%s%s" % (
            host, self.port, self.pki.dirs[kind], extra)

    def assertServes(self):
        res = virsh(self.uri(), "list", "--all")
        self.assertEqual(res.returncode, 0, res.stderr)
        self.assertRegex(res.stdout, r"1 +test +running")

    def vsh(self, uri, *args):
        return subprocess.run(vsh_command(["-c", uri] + list(args)),
                              capture_output=True, text=True,
                              timeout=TIMEOUT)

    def assertRefused(self, kind, why, client=virsh):
        res = client(self.uri(kind), "list", "--all")
        self.assertNotEqual(res.returncode, 0, res.stdout)
        self.assertTrue(wait_for_log(self.daemon, why),
                        "'%s' not in the log:\n%s" %
                        (why, self.daemon.read_log()))
        self.assertTrue(self.daemon.alive())
        self.assertServes()
        return res.stderr

    def test_virsh(self):
        self.assertServes()

    @unittest.skipUnless(libvirt, "python3-libvirt is missing")
    def test_python_libvirt(self):
        libvirt.registerErrorHandler(lambda *args: None, None)
        conn = libvirt.open(self.uri())
        try:
            self.assertEqual(conn.isEncrypted(), 1)
            names = [d.name() for d in conn.listAllDomains()]
            self.assertIn("test", names)
        finally:
            conn.close()

    def test_vsh(self):
        res = self.vsh(self.uri(), "list", "--all")
        self.assertEqual((res.returncode, res.stderr), (0, ""), res.stdout)
        self.assertRegex(res.stdout, r"1 +test +running")

    def test_refuses_other_ca(self):
        # The client trusts both CAs, so only the server's check stands
        # between it and the daemon.
        self.assertRefused("other-ca", "refused: its certificate is not "
                           "signed by a trusted CA")

    def test_refuses_dn_outside_allow_list(self):
        self.assertRefused("bad-dn", "certificate DN 'C=GB,O=vmm test,"
                           "CN=mallory' is not in tls_allowed_dn_list")

    # Stock virsh would not even send these (libvirt checks its own
    # certificate first); vsh does, so the server's check is tested.
    def test_refuses_expired(self):
        self.assertRefused("expired", "its certificate has expired",
                           client=self.vsh)

    def test_refuses_not_yet_valid(self):
        self.assertRefused("future", "its certificate is not valid yet",
                           client=self.vsh)

    def test_refuses_revoked(self):
        self.assertRefused("revoked", "its certificate is revoked")

    def test_refuses_missing_client_cert(self):
        err = self.assertRefused("no-cert", "it sent no certificate",
                                 client=self.vsh)
        self.assertIn(os.path.join(self.pki.dirs["no-cert"],
                                   "clientcert.pem"), err)

    def test_plaintext_rpc_dropped(self):
        data = b""
        with socket.create_connection(("127.0.0.1", self.port),
                                      timeout=15) as s:
            s.sendall(packet(REMOTE_PROGRAM, PROC_AUTH_LIST, 1))
            try:
                while True:
                    chunk = s.recv(65536)
                    if not chunk:
                        break
                    data += chunk
            except ConnectionResetError:
                pass
        # A TLS alert at most, never an RPC reply.
        self.assertNotIn(struct.pack(">I", REMOTE_PROGRAM), data)
        self.assertTrue(wait_for_log(self.daemon, "TLS handshake with"))
        self.assertServes()

    def test_pipelined_calls_in_one_record(self):
        # More calls in one TLS record than the server reads at once
        # (max_client_requests 5): the rest waits decrypted inside gnutls,
        # where poll cannot see it, and must still be answered.
        count = 60
        with TLSRawClient(self.port, self.pki.dirs["good"]) as client:
            client.open()
            client.send(b"".join(packet(REMOTE_PROGRAM,
                                        PROC_CONNECT_GET_TYPE, 100 + i)
                                 for i in range(count)))
            serials = set()
            while len(serials) < count:
                hdr, _ = client.recv_reply()
                self.assertEqual(hdr["status"], OK)
                serials.add(hdr["serial"])
        self.assertEqual(serials, set(range(100, 100 + count)))

    def test_calls_right_after_handshake(self):
        # Calls that may arrive together with the end of the handshake.
        # Two that do not depend on each other's order.
        calls = (packet(REMOTE_PROGRAM, PROC_AUTH_LIST, 1) +
                 packet(REMOTE_PROGRAM, PROC_CONNECT_OPEN, 2,
                        xdr_opt_string("test:///default") + xdr_uint(0)))
        with TLSRawClient(self.port, self.pki.dirs["good"],
                          first=calls) as client:
            replies = {}
            while len(replies) < 2:
                hdr, _ = client.recv_reply()
                replies[hdr["serial"]] = hdr["status"]
        self.assertEqual(replies, {1: OK, 2: OK})

    def test_handshake_timeout(self):
        with socket.create_connection(("127.0.0.1", self.port),
                                      timeout=HANDSHAKE_TIMEOUT * 3) as s:
            start = time.monotonic()
            try:
                data = s.recv(1)
            except ConnectionResetError:
                data = b""
            self.assertEqual(data, b"")
            self.assertGreater(time.monotonic() - start,
                               HANDSHAKE_TIMEOUT - 1)
        self.assertTrue(wait_for_log(self.daemon, "no handshake within"))
        self.assertServes()

    def test_idle_connections_do_not_lock_out(self):
        idle = []
        try:
            for _ in range(IDLE_CONNECTIONS):
                idle.append(socket.create_connection(("127.0.0.1",
                                                      self.port),
                                                     timeout=10))
            start = time.monotonic()
            self.assertServes()
            self.assertLess(time.monotonic() - start, 8)
            # The daemon holds at most max_anonymous_clients (20) of them.
            time.sleep(0.5)
            closed = 0
            for s in idle:
                s.setblocking(False)
                try:
                    closed += s.recv(1) == b""
                except BlockingIOError:
                    pass
                except ConnectionResetError:
                    closed += 1
            self.assertGreaterEqual(closed, IDLE_CONNECTIONS - 20)
        finally:
            for s in idle:
                s.close()
        self.assertServes()

    def test_client_checks_host_name(self):
        res = self.vsh(self.uri(host="127.0.0.1"), "list")
        self.assertNotEqual(res.returncode, 0)
        self.assertIn("server certificate is for 'localhost', not "
                      "'127.0.0.1'", res.stderr)
        res = virsh(self.uri(host="127.0.0.1"), "list")
        self.assertNotEqual(res.returncode, 0)

    def test_client_no_verify(self):
        uri = self.uri(host="127.0.0.1", extra="&no_verify=1")
        res = virsh(uri, "list", "--all")
        self.assertEqual(res.returncode, 0, res.stderr)
        res = self.vsh(uri, "list", "--all")
        self.assertEqual(res.returncode, 0, res.stderr)

    def test_client_names_missing_ca(self):
        missing = os.path.join(self.pki.dir, "nowhere")
        res = self.vsh("test+tls://localhost:%d/default?pkipath=%s" %
                       (self.port, missing), "list")
        self.assertNotEqual(res.returncode, 0)
        self.assertIn(os.path.join(missing, "cacert.pem"), res.stderr)

    @unittest.skipUnless(os.geteuid() == 0 and shutil.which("setpriv"),
                         "needs root and setpriv to act as another user")
    def test_user_default_paths(self):
        # Without pkipath a non-root client looks in ~/.pki/libvirt.
        home = os.path.join(self.pki.dir, "home")
        pki = os.path.join(home, ".pki", "libvirt")
        shutil.copytree(self.pki.dirs["good"], pki)
        for d, _, files in os.walk(home):
            os.chmod(d, 0o755)
            for f in files:
                os.chmod(os.path.join(d, f), 0o644)
        os.chmod(self.pki.dir, 0o755)
        uri = "test+tls://localhost:%d/default" % self.port
        res = subprocess.run(
            ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups",
             "env", "HOME=" + home] + vsh_command(["-c", uri, "list",
                                                   "--all"]),
            capture_output=True, text=True, timeout=TIMEOUT)
        self.assertEqual((res.returncode, res.stderr), (0, ""), res.stdout)
        self.assertRegex(res.stdout, r"1 +test +running")

    def test_vsh_refused_says_why(self):
        res = self.vsh(self.uri("other-ca"), "list")
        self.assertNotEqual(res.returncode, 0)
        self.assertIn("did not accept the client certificate", res.stderr)


@unittest.skipUnless(CERTTOOL, "certtool is missing (apt-get install "
                     "gnutls-bin)")
@unittest.skipUnless(os.access(VMMD, os.X_OK), "daemon/vmmd is not built")
class TLSConfigTest(unittest.TestCase):
    """Daemons with one setting each."""

    @classmethod
    def setUpClass(cls):
        cls.pki = make_pki()
        cls.addClassCleanup(cls.pki.cleanup)

    def start(self, extra="", server=None, args=("--listen",)):
        pki = self.pki
        saved = pki.server
        if server:
            pki.server = server
        port = free_port()
        try:
            daemon = Daemon(server_config(pki, port, extra), args=args)
        finally:
            pki.server = saved
        self.addCleanup(daemon.stop)
        daemon.start()
        return daemon, port

    def assertStartFails(self, text, **kw):
        with self.assertRaises(RuntimeError) as cm:
            self.start(**kw)
        self.assertIn(text, str(cm.exception))

    def test_no_verify_certificate(self):
        daemon, port = self.start("tls_no_verify_certificate = 1\n")
        res = virsh("test+tls://localhost:%d/default?pkipath=%s" %
                    (port, self.pki.dirs["other-ca"]), "list", "--all")
        self.assertEqual(res.returncode, 0, res.stderr)

    def test_server_cert_from_other_ca(self):
        self.assertStartFails("server certificate '%s' is not signed by "
                              "the CA" % self.pki.server_other_ca[0],
                              server=self.pki.server_other_ca)

    def test_server_cert_expired(self):
        self.assertStartFails("server certificate '%s' expired" %
                              self.pki.server_expired[0],
                              server=self.pki.server_expired)

    def test_no_sanity_certificate(self):
        self.start("tls_no_sanity_certificate = 1\n",
                   server=self.pki.server_expired)

    def test_missing_key(self):
        self.assertStartFails(
            "cannot read server key '/nonexistent/key.pem'",
            server=(self.pki.server[0], "/nonexistent/key.pem"))

    def test_plain_tcp(self):
        tcp = free_port()
        daemon, _ = self.start("listen_tls = 0\nlisten_tcp = 1\n"
                               "auth_tcp = \"none\"\n"
                               "tcp_port = \"%d\"\n" % tcp)
        self.assertIn("neither authenticated nor encrypted",
                      daemon.read_log())
        res = virsh("test+tcp://localhost:%d/default" % tcp, "list",
                    "--all")
        self.assertEqual(res.returncode, 0, res.stderr)
        self.assertRegex(res.stdout, r"1 +test +running")
        res = subprocess.run(
            vsh_command(["-c", "test+tcp://127.0.0.1:%d/default" % tcp,
                         "list", "--all"]),
            capture_output=True, text=True, timeout=TIMEOUT)
        self.assertEqual((res.returncode, res.stderr), (0, ""), res.stdout)

    def test_tcp_needs_auth_none(self):
        self.assertStartFails(
            "auth_tcp = \"polkit\"",
            extra="listen_tcp = 1\nauth_tcp = \"polkit\"\n")

    def test_without_listen_no_network(self):
        port = free_port()
        daemon = Daemon(server_config(self.pki, port), args=[])
        self.addCleanup(daemon.stop)
        daemon.start()
        with self.assertRaises(ConnectionRefusedError):
            socket.create_connection(("127.0.0.1", port), timeout=5).close()


@unittest.skipUnless(CERTTOOL, "certtool is missing (apt-get install "
                     "gnutls-bin)")
class TLSClientTest(unittest.TestCase):
    """Our client (vsh) against a TLS server written here with Python's
    ssl module, which sends what vmmd would not."""

    @classmethod
    def setUpClass(cls):
        cls.pki = make_pki()
        cls.addClassCleanup(cls.pki.cleanup)

    def serve(self, listener, handle):
        """Accepts one vsh connection on @listener and answers its calls
        with handle(client, header) until it returns True (done)."""
        ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        ctx.load_cert_chain(self.pki.server[0], self.pki.server[1])
        conn, _ = listener.accept()
        client = RawClient.__new__(RawClient)
        client.sock = ctx.wrap_socket(conn, server_side=True)
        client.sock.settimeout(5)
        with client:
            client.send(b"\x01")
            while True:
                hdr, _ = client.recv()
                if hdr["type"] == CALL and handle(client, hdr):
                    return

    def test_burst_beyond_read_batch(self):
        # The reply to CONNECT_OPEN comes after 100 PINGs in one TLS
        # record: more than the client's I/O thread reads in one go, so
        # the reply waits inside gnutls where poll cannot see it.
        listener = socket.create_server(("127.0.0.1", 0))
        self.addCleanup(listener.close)
        port = listener.getsockname()[1]
        vsh = subprocess.Popen(
            vsh_command(["-c", "test+tls://localhost:%d/default?pkipath=%s"
                         % (port, self.pki.dirs["good"]), "list"]),
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        self.addCleanup(vsh.wait)
        self.addCleanup(vsh.kill)
        seen = []

        def handle(client, hdr):
            proc, serial = hdr["proc"], hdr["serial"]
            if seen and seen[-1] == PROC_CONNECT_OPEN:
                seen.append(proc)
                return True
            seen.append(proc)
            if proc == PROC_CONNECT_OPEN:
                pings = packet(KEEPALIVE_PROGRAM, PING, 0, type_=MESSAGE)
                client.send(pings * 100 + packet(REMOTE_PROGRAM, proc,
                                                 serial, type_=REPLY))
            else:
                # AUTH_LIST: no authentication; SUPPORTS_FEATURE: no.
                client.send(packet(REMOTE_PROGRAM, proc, serial,
                                   xdr_uint(0), type_=REPLY))
            return False

        listener.settimeout(TIMEOUT)
        self.serve(listener, handle)
        self.assertEqual(seen[-2], PROC_CONNECT_OPEN)
        self.assertEqual(len(seen), seen.index(PROC_CONNECT_OPEN) + 2)


if __name__ == "__main__":
    tap_unittest.main()
