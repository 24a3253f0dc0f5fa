"""tls_testlib.py: what the TLS tests share: a throw-away x509 PKI made
with gnutls' certtool (CAs, server and client certificates with chosen
names and validity dates, a CRL) in a temporary directory, client pkipath
directories laid out as libvirt clients expect them, and free loopback
ports.

Stdlib only; run with /usr/bin/python3. certtool comes from Debian's
gnutls-bin package; without it the tests skip.
"""
import os
import shutil
import socket
import subprocess
import tempfile

CERTTOOL = shutil.which("certtool")


def free_port():
    """A TCP port nobody listens on at the moment, on 127.0.0.1."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class PKI:
    """Keys and certificates under one temporary directory; cleanup()
    removes it."""

    def __init__(self):
        self.dir = tempfile.mkdtemp(prefix="vmm-tls-pki-")

    def cleanup(self):
        shutil.rmtree(self.dir, ignore_errors=True)

    def path(self, name):
        return os.path.join(self.dir, name)

    def _certtool(self, *args):
        subprocess.run([CERTTOOL] + list(args), check=True,
                       stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                       timeout=60)

    def _key(self, name):
        key = self.path(name + "-key.pem")
        # RSA: libvirt clients insist on the key encipherment usage,
        # which ECDSA keys cannot carry.
        self._certtool("--generate-privkey", "--key-type", "rsa",
                       "--bits", "2048", "--outfile", key)
        return key

    def _template(self, name, lines, activation=None, expiration=None):
        if activation:
            lines.append('activation_date = "%s"' % activation)
        if expiration:
            lines.append('expiration_date = "%s"' % expiration)
        elif not any(line.startswith("expiration_days") for line in lines):
            lines.append("expiration_days = 30")
        tmpl = self.path(name + ".info")
        with open(tmpl, "w", encoding="utf-8") as f:
            f.write("\n".join(lines) + "\n")
        return tmpl

    def make_ca(self, name, **dates):
        """(cert, key) of a self-signed CA."""
        key = self._key(name)
        cert = self.path(name + "-cert.pem")
        tmpl = self._template(name, ["cn = vmm test %s" % name, "ca",
                                     "cert_signing_key", "crl_signing_key"],
                              **dates)
        self._certtool("--generate-self-signed", "--load-privkey", key,
                       "--template", tmpl, "--outfile", cert)
        return cert, key

    def make_cert(self, name, ca, lines, **dates):
        """(cert, key) signed by @ca (a make_ca result); @lines are
        certtool template lines (names, usage)."""
        key = self._key(name)
        cert = self.path(name + "-cert.pem")
        tmpl = self._template(name, list(lines) + ["signing_key",
                                                   "encryption_key"],
                              **dates)
        self._certtool("--generate-certificate", "--load-privkey", key,
                       "--load-ca-certificate", ca[0],
                       "--load-ca-privkey", ca[1], "--template", tmpl,
                       "--outfile", cert)
        return cert, key

    def make_server(self, name, ca, host="localhost", **dates):
        return self.make_cert(name, ca, ["organization = vmm test",
                                         "cn = %s" % host,
                                         "dns_name = %s" % host,
                                         "tls_www_server"], **dates)

    def make_client(self, name, ca, cn, **dates):
        return self.make_cert(name, ca, ["country = GB",
                                         "organization = vmm test",
                                         "cn = %s" % cn, "tls_www_client"],
                              **dates)

    def make_crl(self, name, ca, revoked):
        """A CRL of @ca listing the certificate files @revoked."""
        crl = self.path(name + ".pem")
        bundle = self.path(name + "-revoked.pem")
        with open(bundle, "w", encoding="utf-8") as out:
            for cert in revoked:
                with open(cert, encoding="utf-8") as f:
                    out.write(f.read())
        tmpl = self._template(name, ["crl_next_update = 30",
                                     "crl_number = 1"])
        self._certtool("--generate-crl", "--load-ca-privkey", ca[1],
                       "--load-ca-certificate", ca[0],
                       "--load-certificate", bundle, "--template", tmpl,
                       "--outfile", crl)
        return crl

    def client_dir(self, name, cas, client=None):
        """A pkipath directory: cacert.pem holding every CA certificate
        of @cas, clientcert.pem / clientkey.pem from @client when given."""
        d = self.path(name)
        os.mkdir(d)
        with open(os.path.join(d, "cacert.pem"), "w",
                  encoding="utf-8") as out:
            for ca in cas:
                with open(ca[0], encoding="utf-8") as f:
                    out.write(f.read())
        if client:
            shutil.copy(client[0], os.path.join(d, "clientcert.pem"))
            shutil.copy(client[1], os.path.join(d, "clientkey.pem"))
        return d
