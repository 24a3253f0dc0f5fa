"""pki_test.py: vmm-pki's commands in a throw-away root: what init, server
and client write and where (modes included), their refusals and error
messages, what show reports for good, expired, mismatched and foreign
certificates, and — with gnutls-bin's certtool, an independent reader —
that the certificates chain and carry the fields vmmd and libvirt clients
look for, and that show understands a certificate certtool made.
"""
import os
import shutil
import stat
import unittest

import tap_unittest
from pki_testlib import CERTTOOL, NO_GNUTLS_BIN, PkiTestCase


def mode(path):
    return stat.S_IMODE(os.stat(path).st_mode)


class InitTest(PkiTestCase):
    def test_init_writes_ca_key_and_cert(self):
        out = self.pki_ok("init", "--cn", "Test CA", "--org", "Example")
        self.assertIn(self.ca_cert, out)
        self.assertEqual(mode(self.ca_cert), 0o644)
        self.assertEqual(mode(self.ca_key), 0o600)
        self.assertEqual(mode(os.path.dirname(self.ca_key)), 0o700)
        self.assertEqual(mode(self.path("etc/pki/CA")), 0o755)
        with open(self.ca_key) as f:
            self.assertIn("-----BEGIN PRIVATE KEY-----", f.read())

    def test_init_refuses_to_replace_a_ca_without_force(self):
        self.pki_ok("init")
        with open(self.ca_cert) as f:
            before = f.read()
        err = self.pki_fails("init")
        self.assertIn("already exists at %s" % self.ca_cert, err)
        self.assertIn("--force", err)
        with open(self.ca_cert) as f:
            self.assertEqual(f.read(), before)
        self.pki_ok("init", "--force")
        with open(self.ca_cert) as f:
            self.assertNotEqual(f.read(), before)

    def test_days_zero_is_refused(self):
        err = self.pki_fails("init", "--days=0")
        self.assertIn("--days", err)
        self.assertFalse(os.path.exists(self.ca_cert))

    def test_unknown_command_and_option(self):
        self.assertIn("unknown command 'frobnicate'",
                      self.pki_fails("frobnicate"))
        self.assertIn("--nope", self.pki_fails("init", "--nope"))

    def test_relative_root(self):
        self.pki_ok("init", root="root")
        self.assertTrue(os.path.exists(self.ca_cert))


class IssueTest(PkiTestCase):
    def test_server_without_ca_says_to_run_init(self):
        err = self.pki_fails("server", "host1")
        self.assertIn("no CA at %s: run 'vmm-pki --root %s init' first" %
                      (self.ca_cert, self.root), err)
        self.assertFalse(os.path.exists(self.server_key))

    def test_server_writes_daemon_paths(self):
        self.pki_ok("init")
        out = self.pki_ok("server", "host1.example.com", "--dns", "host1",
                          "--ip", "192.0.2.1", "--ip", "2001:db8::1")
        self.assertIn("DNS:host1.example.com, DNS:host1, IP:192.0.2.1, "
                      "IP:2001:db8::1", out)
        self.assertEqual(mode(self.server_cert), 0o644)
        self.assertEqual(mode(self.server_key), 0o600)
        self.assertEqual(mode(os.path.dirname(self.server_key)), 0o700)
        self.assertEqual(mode(self.path("etc/pki/vmm")), 0o755)

    def test_server_refuses_to_replace_without_force(self):
        self.pki_ok("init")
        self.pki_ok("server", "host1")
        self.assertIn("--force", self.pki_fails("server", "host1"))
        self.pki_ok("server", "host1", "--force")

    def test_server_out_dir(self):
        self.pki_ok("init")
        out_dir = os.path.join(self.tmp, "srv")
        self.pki_ok("server", "host1", "--out", out_dir)
        self.assertEqual(sorted(os.listdir(out_dir)),
                         ["servercert.pem", "serverkey.pem"])
        self.assertEqual(mode(os.path.join(out_dir, "serverkey.pem")), 0o600)
        self.assertFalse(os.path.exists(self.server_cert))

    def test_server_bad_ip_is_refused(self):
        self.pki_ok("init")
        err = self.pki_fails("server", "host1", "--ip", "300.1.2.3")
        self.assertIn("--ip '300.1.2.3' is not an IPv4 or IPv6 address", err)
        self.assertFalse(os.path.exists(self.server_key))

    def test_client_default_directory_is_its_name(self):
        self.pki_ok("init")
        out = self.pki_ok("client", "alice")
        client_dir = os.path.join(self.tmp, "alice")
        self.assertEqual(sorted(os.listdir(client_dir)),
                         ["cacert.pem", "clientcert.pem", "clientkey.pem"])
        self.assertIn("pkipath=%s" % client_dir, out)
        self.assertEqual(mode(os.path.join(client_dir, "clientkey.pem")),
                         0o600)
        with open(os.path.join(client_dir, "cacert.pem")) as a, \
                open(self.ca_cert) as b:
            self.assertEqual(a.read(), b.read())

    def test_client_into_existing_directory_of_same_ca(self):
        self.pki_ok("init")
        client_dir = os.path.join(self.tmp, "pki")
        os.mkdir(client_dir)
        shutil.copy(self.ca_cert, client_dir)
        self.pki_ok("client", "bob", "--out", client_dir)
        self.assertIn("--force", self.pki_fails("client", "bob", "--out",
                                                client_dir))

    def test_client_refuses_other_ca_in_directory(self):
        self.pki_ok("init")
        client_dir = os.path.join(self.tmp, "pki")
        os.mkdir(client_dir)
        with open(os.path.join(client_dir, "cacert.pem"), "w") as f:
            f.write("another CA\n")
        err = self.pki_fails("client", "bob", "--out", client_dir)
        self.assertIn("holds another CA certificate", err)
        self.assertFalse(os.path.exists(os.path.join(client_dir,
                                                     "clientkey.pem")))

    def test_client_system_paths(self):
        self.pki_ok("init")
        self.pki_ok("client", "root", "--system")
        self.assertEqual(
            mode(self.path("etc/pki/libvirt/private/clientkey.pem")), 0o600)
        self.assertTrue(os.path.exists(
            self.path("etc/pki/libvirt/clientcert.pem")))
        self.assertIn("cannot be used together",
                      self.pki_fails("client", "x", "--system", "--out",
                                     self.tmp))

    def test_client_name_that_is_no_directory(self):
        self.pki_ok("init")
        self.assertIn("give --out DIR", self.pki_fails("client", "a/b"))


class ShowTest(PkiTestCase):
    def test_show_good_installation(self):
        client_dir = self.make_installation()
        out = self.pki_ok("show")
        self.assertIn("CA certificate %s" % self.ca_cert, out)
        self.assertIn("subject:  CN=localhost", out)
        self.assertIn("names:    DNS:localhost, IP:127.0.0.1", out)
        self.assertIn("purpose:  TLS server", out)
        self.assertRegex(out, r"expires in 109[45] days")
        self.assertIn("chain:    signed by the CA %s" % self.ca_cert, out)
        self.assertIn("key:      %s matches" % self.server_key, out)
        self.assertIn("no problem found", out)
        out = self.pki_ok("show", client_dir)
        self.assertIn("purpose:  TLS client", out)
        self.assertIn("clientkey.pem matches", out)

    def test_show_missing_server_certificate(self):
        self.pki_ok("init")
        out = self.pki_fails("show")
        self.assertIn("PROBLEM:  missing", out)
        self.assertIn("fix:      run 'vmm-pki --root %s server HOSTNAME'" %
                      self.root, out)

    def test_show_nothing_installed(self):
        out = self.pki_fails("show")
        self.assertIn("run 'vmm-pki --root %s init'" % self.root, out)
        self.assertIn("2 problems found", out)

    def test_show_expired_certificate(self):
        self.pki_ok("init")
        client_dir = os.path.join(self.tmp, "old")
        self.pki_ok("client", "old", "--out", client_dir, "--days=-3")
        out = self.pki_fails("show", client_dir)
        self.assertIn("EXPIRED 3 days ago", out)
        self.assertIn("PROBLEM:  the certificate has expired", out)
        self.assertIn("fix:      run 'vmm-pki --root %s client old --out %s "
                      "--force'" % (self.root, client_dir), out)

    def test_show_mismatched_key(self):
        client_dir = self.make_installation()
        other_dir = os.path.join(self.tmp, "other")
        self.pki_ok("client", "other", "--out", other_dir)
        shutil.copy(os.path.join(other_dir, "clientkey.pem"), client_dir)
        out = self.pki_fails("show", client_dir)
        self.assertIn("does NOT match the certificate", out)
        self.assertIn("1 problem found", out)

    def test_show_certificate_of_another_ca(self):
        self.make_installation()
        other_root = os.path.join(self.tmp, "other-root")
        self.pki_ok("init", root=other_root)
        self.pki_ok("client", "eve", "--out",
                    os.path.join(self.tmp, "eve"), root=other_root)
        cert = os.path.join(self.tmp, "eve", "clientcert.pem")
        out = self.pki_fails("show", cert)
        self.assertIn("NOT signed by the CA %s" % self.ca_cert, out)
        # Against its own CA it is fine.
        out = self.pki_ok("show", "--ca",
                          os.path.join(self.tmp, "eve", "cacert.pem"), cert)
        self.assertIn("key:      %s matches" %
                      os.path.join(self.tmp, "eve", "clientkey.pem"), out)

    def test_show_key_readable_by_others(self):
        self.make_installation()
        os.chmod(self.server_key, 0o644)
        out = self.pki_fails("show")
        self.assertIn("fix:      chmod 600 %s" % self.server_key, out)

    def test_show_not_a_certificate(self):
        bad = os.path.join(self.tmp, "junk.pem")
        with open(bad, "w") as f:
            f.write("not a certificate\n")
        out = self.pki_fails("show", bad)
        self.assertIn("is not a PEM certificate", out)


@unittest.skipIf(CERTTOOL is None, NO_GNUTLS_BIN)
class CerttoolTest(PkiTestCase):
    """certtool, not vmm-pki, reads what vmm-pki wrote."""

    def test_chains_verify(self):
        client_dir = self.make_installation()
        for cert in (self.ca_cert, self.server_cert,
                     os.path.join(client_dir, "clientcert.pem")):
            rc, out = self.certtool_verify(self.ca_cert, cert)
            self.assertEqual(rc, 0, out)
            self.assertIn("Chain verification output: Verified.", out)

    def test_other_ca_does_not_verify(self):
        self.make_installation()
        other_root = os.path.join(self.tmp, "other-root")
        self.pki_ok("init", root=other_root)
        rc, out = self.certtool_verify(
            os.path.join(other_root, "etc/pki/CA/cacert.pem"),
            self.server_cert)
        self.assertNotEqual(rc, 0, out)

    def test_ca_fields(self):
        self.pki_ok("init", "--cn", "Test CA", "--org", "Example",
                    "--days", "100")
        info = self.certtool_info(self.ca_cert)
        self.assertIn("Subject: CN=Test CA,O=Example", info)
        self.assertIn("Certificate Authority (CA): TRUE", info)
        self.assertIn("Certificate signing.", info)
        self.assertIn("CRL signing.", info)

    def test_server_fields(self):
        self.pki_ok("init")
        self.pki_ok("server", "host1.example.com", "--dns", "host1",
                    "--ip", "192.0.2.1")
        info = self.certtool_info(self.server_cert)
        for want in ("Subject: CN=host1.example.com",
                     "DNSname: host1.example.com", "DNSname: host1",
                     "IPAddress: 192.0.2.1", "TLS WWW Server.",
                     "Digital signature.", "Key encipherment.",
                     "Certificate Authority (CA): FALSE"):
            self.assertIn(want, info)
        self.assertNotIn("TLS WWW Client.", info)

    def test_client_fields(self):
        self.pki_ok("init")
        client_dir = os.path.join(self.tmp, "c")
        self.pki_ok("client", "alice", "--org", "Example", "--out",
                    client_dir)
        info = self.certtool_info(os.path.join(client_dir,
                                               "clientcert.pem"))
        self.assertIn("Subject: CN=alice,O=Example", info)
        out = self.pki_ok("show", client_dir)
        self.assertIn("allow-dn: O=Example,CN=alice (as tls_allowed_dn_list",
                      out)
        self.assertIn("TLS WWW Client.", info)
        self.assertNotIn("TLS WWW Server.", info)

    def test_key_matches_certificate(self):
        self.make_installation()
        _, key_info = self.certtool("-k", "--infile", self.server_key)
        cert_info = self.certtool_info(self.server_cert)
        key_id = [line for line in key_info.splitlines()
                  if line.strip().startswith("sha256:")][0].strip()
        self.assertIn(key_id, cert_info)

    def test_rsa_keys(self):
        self.pki_ok("init", "--key-type", "rsa")
        self.assertIn("Subject Public Key Algorithm: RSA",
                      self.certtool_info(self.ca_cert))

    def test_show_understands_certtool_certificates(self):
        ca_key = os.path.join(self.tmp, "ca-key.pem")
        ca_cert = os.path.join(self.tmp, "ca-cert.pem")
        key = os.path.join(self.tmp, "webkey.pem")
        cert = os.path.join(self.tmp, "webcert.pem")
        ca_tmpl = os.path.join(self.tmp, "ca.info")
        tmpl = os.path.join(self.tmp, "web.info")
        with open(ca_tmpl, "w") as f:
            f.write('cn = "Certtool CA"\nca\ncert_signing_key\n'
                    'expiration_days = 30\n')
        with open(tmpl, "w") as f:
            f.write('cn = "web.example.org"\norganization = "Web"\n'
                    'dns_name = "web.example.org"\nip_address = "10.0.0.5"\n'
                    'tls_www_server\nsigning_key\nencryption_key\n'
                    'expiration_days = 20\n')
        self.certtool("--generate-privkey", "--outfile", ca_key)
        self.certtool("--generate-self-signed", "--load-privkey", ca_key,
                      "--template", ca_tmpl, "--outfile", ca_cert)
        self.certtool("--generate-privkey", "--outfile", key)
        self.certtool("--generate-certificate", "--load-privkey", key,
                      "--load-ca-certificate", ca_cert,
                      "--load-ca-privkey", ca_key, "--template", tmpl,
                      "--outfile", cert)
        out = self.pki_ok("show", "--ca", ca_cert, cert)
        self.assertIn("subject:  CN=web.example.org,O=Web", out)
        self.assertIn("issuer:   CN=Certtool CA", out)
        self.assertIn("names:    DNS:web.example.org, IP:10.0.0.5", out)
        self.assertIn("purpose:  TLS server", out)
        self.assertRegex(out, r"expires in (19|20) days: renew it soon")
        self.assertIn("chain:    signed by the CA %s" % ca_cert, out)
        self.assertIn("key:      %s matches" % key, out)
        out = self.pki_ok("show", ca_cert)
        self.assertIn("chain:    self-signed CA", out)
        # Not by the installed CA (there is none): a note, not a problem.
        out = self.pki_ok("show", cert)
        self.assertIn("chain:    not checked: no CA at %s" % self.ca_cert,
                      out)


if __name__ == "__main__":
    tap_unittest.main()
