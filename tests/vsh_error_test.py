#!/usr/bin/python3
"""vsh_error_test.py: how vsh fails: virsh's wording on stderr, exit
status 1, nothing half-run, and hostile input (missing or bad files,
10 MB names, names with '/')."""
import os
import sys

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import tap_unittest  # noqa: E402
from vsh_testlib import VshTestCase  # noqa: E402

BIG = 10 * 1024 * 1024


class UsageErrorTest(VshTestCase):
    def test_unknown_command(self):
        out, err = self.fails("frobnicate")
        self.assertEqual((out, err), ("", "error: unknown command: "
                                          "'frobnicate'\n"))

    def test_unknown_option(self):
        out, err = self.fails("list", "--bogus")
        self.assertEqual(err, "error: command 'list' doesn't support option "
                              "--bogus\n")

    def test_missing_argument(self):
        out, err = self.fails("define")
        self.assertEqual(err, "error: command 'define' requires <file> "
                              "option\n")
        out, err = self.fails("save", "test")
        self.assertEqual(err, "error: command 'save' requires <file> option\n")

    def test_missing_value_and_extra_data(self):
        out, err = self.fails("event", "--all", "--timeout")
        self.assertEqual(err, "error: expected syntax: --timeout <number>\n")
        out, err = self.fails("dominfo", "test", "extra")
        self.assertEqual(err, "error: unexpected data 'extra'\n")
        out, err = self.fails("list", "--all=yes")
        self.assertEqual(err, "error: invalid '=' after option --all\n")

    def test_bad_quoting(self):
        out, err = self.fails(stdin="domid 'test\n")
        self.assertEqual(err, "error: missing '\n")
        out, err = self.fails(stdin="domid test\\")
        self.assertEqual(err, "error: dangling \\\n")

    def test_bad_line_runs_nothing(self):
        # one bad command: none of its line runs, later lines do
        out, err = self.fails("-q", stdin="suspend test; bogus\n"
                                          "domstate test\n")
        self.assertEqual(out, "running\n")
        self.assertEqual(err, "error: unknown command: 'bogus'\n")

    def test_failure_in_script_sets_status(self):
        out, err = self.fails("-q", stdin="start test\ndomid test\n")
        self.assertEqual(out, "1\n")
        self.assertEqual(err, "error: Failed to start domain 'test'\n"
                              "error: Requested operation is not valid: "
                              "domain is already running\n")

    def test_bad_numbers(self):
        out, err = self.fails("setmem", "test", "lots")
        self.assertEqual(err, "error: Numeric value 'lots' for <size> option "
                              "is malformed or out of range\n")
        out, err = self.fails("setmem", "test", "1X")
        self.assertIn("malformed", err)
        out, err = self.fails("setvcpus", "test", "-1")
        self.assertIn("Numeric value '-1' for <count> option", err)
        out, err = self.fails("event", "--all", "--timeout", "99999999999")
        self.assertIn("<timeout>", err)

    def test_exclusive_options(self):
        out, err = self.fails("setmem", "test", "1024", "--current", "--live")
        self.assertEqual(err, "error: Options --current and --live are "
                              "mutually exclusive\n")
        out, err = self.fails("save", "test", "/nonexistent/x", "--running",
                              "--paused")
        self.assertIn("mutually exclusive", err)

    def test_unknown_help_topic(self):
        out, err = self.fails("help", "nosuch", uri=None)
        self.assertEqual(err, "error: command or command group 'nosuch' "
                              "doesn't exist\n")

    def test_bad_global_option(self):
        rc, out, err = self.run_vsh("--bogus", uri=None)
        self.assertEqual(rc, 1)
        self.assertIn("error:", err)


class ConnectionErrorTest(VshTestCase):
    def test_no_uri(self):
        out, err = self.fails("list", uri=None)
        self.assertEqual(err, "error: no connection URI: use -c URI, e.g. vsh"
                              " -c test:///default, or set VMM_DEFAULT_URI\n")

    def test_commands_without_connection(self):
        self.ok("-q", "help; help list; connect test:///default; uri",
                uri=None)

    def test_bad_uri(self):
        out, err = self.fails("list", uri="bogus:///nowhere")
        lines = err.splitlines()
        self.assertEqual(lines[0], "error: failed to connect to the "
                                   "hypervisor")
        self.assertTrue(lines[1].startswith("error: "), err)
        self.assertEqual(len(lines), 2)


class DomainErrorTest(VshTestCase):
    def test_unknown_domain(self):
        out, err = self.fails("dominfo", "nosuch")
        self.assertEqual(err, "error: failed to get domain 'nosuch'\n"
                              "error: Domain not found: no domain with "
                              "matching name 'nosuch'\n")
        for cmd in ("domstate", "start", "destroy", "suspend", "undefine",
                    "dumpxml", "domid", "vcpucount", "autostart", "desc"):
            out, err = self.fails(cmd, "nosuch")
            self.assertTrue(err.startswith("error: failed to get domain "
                                           "'nosuch'\n"), err)

    def test_missing_file(self):
        path = os.path.join(self.tmp, "missing.xml")
        for cmd in ("define", "create"):
            out, err = self.fails(cmd, path)
            self.assertEqual(err, "error: Failed to open file '%s': No such "
                                  "file or directory\n" % path)
        out, err = self.fails("restore", path)
        self.assertTrue(err.startswith("error: Failed to restore domain from"
                                       " %s\nerror: " % path), err)

    def test_bad_xml(self):
        path = self.write("bad.xml", "<domain type='test'><name>x</name")
        out, err = self.fails("define", path)
        lines = err.splitlines()
        self.assertEqual(lines[0], "error: Failed to define domain from %s"
                         % path)
        self.assertTrue(lines[1].startswith("error: XML error"), err)
        path = self.write("empty.xml", "")
        out, err = self.fails("define", path)
        self.assertTrue(err.startswith("error: Failed to define domain"), err)

    def test_huge_file(self):
        path = self.write("huge.xml", " " * (BIG + 1))
        out, err = self.fails("define", path)
        self.assertEqual(err, "error: file '%s' is larger than the %d bytes "
                              "allowed\n" % (path, BIG))

    def test_ten_megabyte_name(self):
        # too long for argv (128 KiB per argument): sent as a script line
        name = "n" * BIG
        rc, out, err = self.run_vsh(stdin="dominfo %s\n" % name)
        self.assertEqual(rc, 1)
        first = err.split("\n", 1)[0]
        self.assertEqual(first, "error: failed to get domain '%s...'" %
                         ("n" * 256))
        path = self.write("big.xml", "<domain type='test'><name>%s</name>"
                          "<memory>131072</memory><os><type>hvm</type></os>"
                          "</domain>" % ("n" * (BIG - 200)))
        out, err = self.fails("define", path)
        self.assertTrue(err.startswith("error: Failed to define domain"), err)
        self.assertLess(len(err), 4096)

    def test_name_with_slash(self):
        path = self.write("slash.xml", "<domain type='test'><name>a/b</name>"
                          "<memory>131072</memory><os><type>hvm</type></os>"
                          "</domain>")
        out, err = self.fails("define", path)
        self.assertEqual(err.splitlines()[0],
                         "error: Failed to define domain from %s" % path)
        self.assertIn("/", err.splitlines()[1])
        out, err = self.fails("dominfo", "a/b")
        self.assertTrue(err.startswith("error: failed to get domain 'a/b'"))

    def test_wrong_state(self):
        out, err = self.fails("-q", "resume test")
        self.assertTrue(err.startswith("error: Failed to resume domain "
                                       "'test'\nerror: "), err)


if __name__ == "__main__":
    tap_unittest.main()
