"""pki_tls_test.py: certificates from vmm-pki work in real TLS handshakes.

- gnutls-serv (vmmd's server certificate, client certificates required)
  and gnutls-cli (a client directory from `vmm-pki client`) complete a
  handshake; a client certificate of another CA, an expired one, or a
  host name that is not in the server certificate makes it fail.
  gnutls-serv cannot bind to one address, so when we are root it runs in
  a network namespace of its own (unshare -n) holding only loopback.
- Stock virsh, given the client directory as pkipath=, passes libvirt's
  own checks of the client and server certificates and sends its first
  RPC call to a TLS server on 127.0.0.1 (Python's ssl module, i.e.
  OpenSSL, which checks the client certificate against the CA), which
  then hangs up; with the directory of another CA no call arrives.
"""
import os
import shutil
import socket
import ssl
import struct
import subprocess
import threading
import time
import unittest

import tap_unittest
from pki_testlib import NO_GNUTLS_BIN, PkiTestCase

GNUTLS_SERV = shutil.which("gnutls-serv")
GNUTLS_CLI = shutil.which("gnutls-cli")
VIRSH = shutil.which("virsh")


def can_use_netns():
    """Whether we may make a private network namespace (root, unshare,
    nsenter and ip, and a kernel or container that allows it)."""
    if os.geteuid() != 0 or not all(shutil.which(p) for p in
                                    ("unshare", "nsenter", "ip")):
        return False
    return subprocess.run(["unshare", "--net", "ip", "link", "set", "lo",
                           "up"], stdout=subprocess.DEVNULL,
                          stderr=subprocess.DEVNULL).returncode == 0


USE_NETNS = can_use_netns()
REMOTE_PROGRAM = 0x20008086


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@unittest.skipIf(GNUTLS_SERV is None or GNUTLS_CLI is None, NO_GNUTLS_BIN)
class GnutlsHandshakeTest(PkiTestCase):
    def setUp(self):
        super().setUp()
        self.client_dir = self.make_installation(host="localhost")
        self.port = 16514 if USE_NETNS else free_port()
        self.start_server()

    def start_server(self):
        cmd = [GNUTLS_SERV, "--port", str(self.port),
               "--x509cafile", self.ca_cert,
               "--x509certfile", self.server_cert,
               "--x509keyfile", self.server_key,
               "--require-client-cert", "--verify-client-cert"]
        if USE_NETNS:
            cmd = ["unshare", "--net", "sh", "-c",
                   'ip link set lo up && exec "$@"', "sh"] + cmd
        self.server = subprocess.Popen(cmd, stdin=subprocess.DEVNULL,
                                       stdout=subprocess.DEVNULL,
                                       stderr=subprocess.DEVNULL)
        self.addCleanup(self.stop_server)
        self.wait_listening()

    def stop_server(self):
        self.server.kill()
        self.server.wait()

    def in_server_net(self, cmd):
        """@cmd, run where it reaches the server's 127.0.0.1."""
        if USE_NETNS:
            return ["nsenter", "--target", str(self.server.pid),
                    "--net"] + cmd
        return cmd

    def wait_listening(self):
        probe = self.in_server_net([
            "/usr/bin/python3", "-c",
            "import socket, sys; "
            "socket.create_connection(('127.0.0.1', %d), 1)" % self.port])
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            if self.server.poll() is not None:
                self.fail("gnutls-serv exited with %d" % self.server.returncode)
            if subprocess.run(probe, stderr=subprocess.DEVNULL).returncode == 0:
                return
            time.sleep(0.1)
        self.fail("gnutls-serv does not listen on port %d" % self.port)

    def connect(self, client_dir, host="localhost"):
        """(rc, output) of gnutls-cli connecting with @client_dir's
        files to the server under the name @host."""
        cmd = self.in_server_net([
            GNUTLS_CLI, "--port", str(self.port),
            "--x509cafile", os.path.join(client_dir, "cacert.pem"),
            "--x509certfile", os.path.join(client_dir, "clientcert.pem"),
            "--x509keyfile", os.path.join(client_dir, "clientkey.pem"),
            host])
        proc = subprocess.run(cmd, stdin=subprocess.DEVNULL,
                              capture_output=True, text=True, timeout=60)
        return proc.returncode, proc.stdout + proc.stderr

    def test_handshake_with_issued_certificates(self):
        rc, out = self.connect(self.client_dir)
        self.assertEqual(rc, 0, out)
        self.assertIn("Handshake was completed", out)

    def test_handshake_by_ip_address(self):
        rc, out = self.connect(self.client_dir, host="127.0.0.1")
        self.assertEqual(rc, 0, out)

    def test_name_not_in_certificate_fails(self):
        rc, out = self.connect(self.client_dir, host="127.0.0.2")
        self.assertNotEqual(rc, 0, out)
        self.assertIn("does not match", out)

    def test_client_of_another_ca_is_refused(self):
        other_root = os.path.join(self.tmp, "other-root")
        other_dir = os.path.join(self.tmp, "mallory")
        self.pki_ok("init", root=other_root)
        self.pki_ok("client", "mallory", "--out", other_dir,
                    root=other_root)
        # Trust the right server CA, present the foreign client certificate.
        shutil.copy(self.ca_cert, os.path.join(other_dir, "cacert.pem"))
        rc, out = self.connect(other_dir)
        # Under TLS 1.3 the client may finish its side of the handshake
        # before the server's refusal (an "access denied" alert) arrives.
        self.assertNotEqual(rc, 0, out)
        self.assertIn("Access was denied", out)

    def test_expired_client_is_refused(self):
        old_dir = os.path.join(self.tmp, "old")
        self.pki_ok("client", "old", "--out", old_dir, "--days=-1")
        rc, out = self.connect(old_dir)
        self.assertNotEqual(rc, 0, out)


class RpcServer:
    """A TLS server on 127.0.0.1 in front of which virsh stops: it checks
    the client certificate, sends the byte libvirt's server sends after a
    good handshake, reads the header of the first call, and hangs up."""

    def __init__(self, cert, key, ca):
        self.ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        self.ctx.load_cert_chain(cert, key)
        self.ctx.load_verify_locations(ca)
        self.ctx.verify_mode = ssl.CERT_REQUIRED
        # libvirt's client wants the confirmation byte to be the first
        # thing it reads after the handshake; TLS 1.3 session tickets sent
        # after it would come first.
        self.ctx.num_tickets = 0
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(4)
        self.sock.settimeout(60)
        self.port = self.sock.getsockname()[1]
        self.calls = []
        self.errors = []
        self.thread = threading.Thread(target=self.serve, daemon=True)
        self.thread.start()

    def serve(self):
        try:
            conn, _ = self.sock.accept()
        except OSError as e:
            self.errors.append(str(e))
            return
        with conn:
            try:
                with self.ctx.wrap_socket(conn, server_side=True) as tls:
                    tls.sendall(b"\x01")
                    data = b""
                    while len(data) < 16:
                        chunk = tls.recv(16 - len(data))
                        if not chunk:
                            break
                        data += chunk
                    if len(data) == 16:
                        # length, program, version, procedure
                        self.calls.append(struct.unpack(">IIII", data)[1:])
            except (OSError, ssl.SSLError) as e:
                self.errors.append(str(e))

    def close(self):
        self.sock.close()
        self.thread.join(10)


@unittest.skipIf(VIRSH is None, "virsh (libvirt-clients) is not installed")
class VirshTest(PkiTestCase):
    def virsh_against(self, client_dir):
        """Runs virsh with pkipath=@client_dir against an RpcServer with
        the installed server certificate; returns (server, virsh output)."""
        server = RpcServer(self.server_cert, self.server_key, self.ca_cert)
        self.addCleanup(server.close)
        env = dict(self.env, HOME=self.tmp,
                   XDG_CONFIG_HOME=os.path.join(self.tmp, "config"),
                   XDG_CACHE_HOME=os.path.join(self.tmp, "cache"))
        uri = "qemu+tls://127.0.0.1:%d/system?pkipath=%s" % (server.port,
                                                            client_dir)
        proc = subprocess.run([VIRSH, "-c", uri, "uri"], env=env,
                              stdin=subprocess.DEVNULL, capture_output=True,
                              text=True, timeout=90)
        server.close()
        return server, "exit %d\n%s%s" % (proc.returncode, proc.stdout,
                                         proc.stderr)

    def test_virsh_accepts_the_certificates(self):
        client_dir = self.make_installation(host="localhost")
        server, out = self.virsh_against(client_dir)
        self.assertEqual(server.errors, [], out)
        self.assertEqual(len(server.calls), 1, out)
        program, version, _ = server.calls[0]
        self.assertEqual((program, version), (REMOTE_PROGRAM, 1), out)

    def test_virsh_with_another_ca_sends_nothing(self):
        self.make_installation(host="localhost")
        other_root = os.path.join(self.tmp, "other-root")
        other_dir = os.path.join(self.tmp, "mallory")
        self.pki_ok("init", root=other_root)
        self.pki_ok("client", "mallory", "--out", other_dir,
                    root=other_root)
        server, out = self.virsh_against(other_dir)
        self.assertEqual(server.calls, [], out)
        # virsh either explains the refusal or, when the server hangs up
        # first, dies of SIGPIPE while writing; it never succeeds.
        self.assertFalse(out.startswith("exit 0\n"), out)
        if not out.startswith("exit -13\n"):
            self.assertIn("certificate", out.lower())


if __name__ == "__main__":
    tap_unittest.main()
