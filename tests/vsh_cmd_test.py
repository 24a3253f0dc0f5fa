#!/usr/bin/python3
"""vsh_cmd_test.py: every vsh command end to end on test:///default, from
argv and from a script on stdin, with virsh's layouts (tables compared
with golden files in tests/vshdata)."""
import os
import re
import signal
import subprocess
import sys
import time
import unittest

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import tap_unittest  # noqa: E402
from vsh_testlib import (VALGRIND, VshTestCase, WEB1_UUID,  # noqa: E402
                         vsh_command)

TEST_UUID = "6695eb01-f6a4-8304-79aa-97f2502e193f"


def catches_sigint(pid):
    """True once process @pid is the vsh binary with a SIGINT handler."""
    try:
        exe = os.path.basename(os.readlink("/proc/%d/exe" % pid))
        with open("/proc/%d/status" % pid) as f:
            for line in f:
                if line.startswith("SigCgt:"):
                    caught = int(line.split()[1], 16)
                    return "vsh" in exe and bool(caught & (1 << (signal.SIGINT - 1)))
    except OSError:
        pass
    return False


class ListTest(VshTestCase):
    def test_list_golden(self):
        self.assertEqual(self.ok("list"), self.golden("list.txt"))

    def test_list_all_golden(self):
        out = self.ok("define %s; list --all" % self.domain_xml())
        self.assertEqual(out[out.index(" Id"):], self.golden("list-all.txt"))

    def test_list_all_quiet_golden(self):
        out = self.ok("-q", "define %s; list --all" % self.domain_xml())
        self.assertEqual(out, self.golden("list-all-quiet.txt"))

    def test_list_title_golden(self):
        out = self.ok("define %s; desc test --title 'The test domain';"
                      " list --all --title" % self.domain_xml())
        self.assertEqual(out[out.index(" Id"):],
                         self.golden("list-all-title.txt"))

    def test_list_unicode_golden(self):
        # wide characters count two columns, as on a terminal
        xml = self.domain_xml(name="wéb日本",
                              uuid="4ab0a2c6-8d7e-4c1e-9a0c-1f2e3d4c5b6a")
        out = self.ok("define '%s'; list --all" % xml)
        self.assertEqual(out[out.index(" Id"):],
                         self.golden("list-unicode.txt"))

    def test_table_escapes_control_characters(self):
        # a title cannot move the cursor or recolour the terminal
        out = self.ok("-q", "desc", "test", "--title", "--new-desc",
                      "a\x1b[31mb\x01\udcff", ";", "list", "--title")
        self.assertEqual(out, " 1   test   running   a\\x1b[31mb\\x01\\xff\n")

    def test_list_bare_columns(self):
        xml = self.domain_xml()
        self.assertEqual(self.ok("-q", "define %s; list --all --name" % xml),
                         "test\nweb1\n")
        self.assertEqual(self.ok("-q", "define %s; list --all --id" % xml),
                         "1\n")
        self.assertEqual(
            self.ok("-q", "define %s; list --all --uuid --name" % xml),
            "%s test\n%s web1\n" % (TEST_UUID, WEB1_UUID))

    def test_list_filters(self):
        xml = self.domain_xml()

        def names(*opts):
            return self.ok("-q", "define %s; list --name %s" %
                           (xml, " ".join(opts))).split()
        self.assertEqual(names(), ["test"])
        self.assertEqual(names("--inactive"), ["web1"])
        self.assertEqual(names("--all", "--persistent"), ["test", "web1"])
        self.assertEqual(names("--all", "--transient"), [])
        self.assertEqual(names("--state-shutoff"), ["web1"])
        self.assertEqual(names("--state-running"), ["test"])
        self.assertEqual(names("--state-paused"), [])
        self.assertEqual(names("--state-other"), [])
        self.assertEqual(names("--all", "--no-autostart"), ["test", "web1"])
        self.assertEqual(names("--all", "--autostart"), [])
        self.assertEqual(names("--all", "--without-managed-save"),
                         ["test", "web1"])
        self.assertEqual(names("--all", "--with-managed-save"), [])
        self.assertEqual(names("--all", "--with-snapshot"), [])
        self.assertEqual(names("--all", "--without-snapshot"),
                         ["test", "web1"])
        out = self.ok("-q", "define %s; list --all --managed-save" % xml)
        self.assertEqual(out, " 1   test   running\n -   web1   shut off\n")
        out = self.ok("-q", "suspend test; list --state-paused --name")
        self.assertEqual(out.split(), ["test"])

    def test_list_states(self):
        out = self.ok("-q", "suspend test; list")
        self.assertEqual(out, " 1   test   paused\n")

    def test_table_and_name_exclusive(self):
        out, err = self.fails("list", "--table", "--name")
        self.assertIn("error: Options --table and --name are mutually "
                      "exclusive", err)


class InfoTest(VshTestCase):
    def test_dominfo(self):
        out = self.ok("define %s; dominfo web1" % self.domain_xml())
        # A shut off test guest's CPU time is the host's clock, as in
        # libvirt's test driver: only its form is compared.
        out = re.sub(r"(CPU time:\s+)\d+\.\ds", r"\1{time}", out)
        self.assertEqual(out[out.index("Id:"):], self.golden("dominfo-web1.txt"))

    def test_dominfo_running(self):
        out = self.ok("dominfo", "test")
        self.assertRegex(out, r"^Id:             1\nName:           test\n"
                              r"UUID:           %s\n" % TEST_UUID)
        self.assertIn("\nState:          running\n", out)
        self.assertIn("\nPersistent:     yes\n", out)

    def test_domain_by_id_uuid_name(self):
        for ref in ("1", TEST_UUID, "test"):
            self.assertEqual(self.ok("domname", ref), "test\n\n")
            self.assertEqual(self.ok("domid", ref), "1\n\n")
            self.assertEqual(self.ok("domuuid", ref), TEST_UUID + "\n\n")

    def test_domid_inactive(self):
        out = self.ok("-q", "define %s; domid web1" % self.domain_xml())
        self.assertEqual(out, "-\n")

    def test_domstate(self):
        self.assertEqual(self.ok("domstate", "test"), "running\n\n")
        self.assertEqual(self.ok("domstate", "test", "--reason"),
                         "running (booted)\n\n")
        out = self.ok("-q", "suspend test; domstate test --reason;"
                      " destroy test; domstate --domain test --reason")
        self.assertEqual(out, "paused (user)\nshut off (destroyed)\n")

    def test_dumpxml(self):
        out = self.ok("dumpxml", "test")
        self.assertTrue(out.startswith("<domain"), out)
        self.assertIn("<name>test</name>", out)
        self.assertIn(TEST_UUID, out)
        inactive = self.ok("dumpxml", "--inactive", "--security-info", "test")
        self.assertIn("<name>test</name>", inactive)

    def test_vcpucount(self):
        self.assertEqual(self.ok("-q", "vcpucount test"),
                         "maximum      config         2\n"
                         "maximum      live           2\n"
                         "current      config         2\n"
                         "current      live           2\n")
        self.assertEqual(self.ok("-q", "vcpucount test --maximum --config"),
                         "2\n")
        out = self.ok("-q", "define %s; vcpucount web1" % self.domain_xml())
        self.assertEqual(out, "maximum      config         2\n"
                              "current      config         2\n")


class LifecycleTest(VshTestCase):
    def test_define_start_stop_undefine(self):
        xml = self.domain_xml()
        out = self.ok("define %s; start web1; suspend web1; resume web1;"
                      " shutdown web1; start web1 --paused; domstate web1;"
                      " reboot web1; destroy web1 --graceful; undefine web1"
                      % xml)
        self.assertEqual(out.split("\n\n"), [
            "Domain 'web1' defined from %s" % xml,
            "Domain 'web1' started",
            "Domain 'web1' suspended",
            "Domain 'web1' resumed",
            "Domain 'web1' is being shutdown",
            "Domain 'web1' started",
            "paused",
            "Domain 'web1' is being rebooted",
            "Domain 'web1' destroyed",
            "Domain 'web1' has been undefined",
            ""])

    def test_define_validate_and_undefine_flags(self):
        xml = self.domain_xml()
        out = self.ok("-q", "define --validate %s; undefine web1"
                      " --managed-save --snapshots-metadata --nvram;"
                      " list --all --name" % xml)
        self.assertEqual(out, "test\n")

    def test_create(self):
        xml = self.domain_xml()
        out = self.ok("create %s --paused; domstate web1; dominfo web1" % xml)
        self.assertTrue(out.startswith(
            "Domain 'web1' created from %s\n\npaused\n\n" % xml), out)
        self.assertIn("Persistent:     no\n", out)

    def test_save_restore(self):
        img = os.path.join(self.tmp, "test.save")
        out = self.ok("save test %s; domstate test; restore %s;"
                      " domstate test --reason" % (img, img))
        self.assertEqual(out.split("\n\n"), [
            "Domain 'test' saved to %s" % img, "shut off",
            "Domain restored from %s" % img, "running (restored)", ""])
        out = self.ok("-q", "save --paused test %s; restore %s --bypass-cache;"
                      " domstate test" % (img, img))
        self.assertEqual(out, "paused\n")

    def test_autostart(self):
        out = self.ok("autostart test; dominfo test; autostart --disable test;"
                      " list --all --autostart --name")
        self.assertIn("Domain 'test' marked as autostarted\n", out)
        self.assertIn("Autostart:      enable\n", out)
        self.assertIn("Domain 'test' unmarked as autostarted\n", out)
        self.assertTrue(out.endswith("unmarked as autostarted\n\n\n"), out)

    def test_memory(self):
        out = self.ok("-q", "setmem test 1G --live; dominfo test;"
                      " setmaxmem test 4194304 --config;"
                      " dumpxml test --inactive")
        self.assertIn("Used memory:    1048576 KiB\n", out)
        self.assertIn("4194304", out)
        out = self.ok("-q", "setmem --domain test --size 512M; dominfo test")
        self.assertIn("Used memory:    524288 KiB\n", out)

    def test_vcpus(self):
        out = self.ok("-q", "setvcpus test 1 --live; vcpucount test --active"
                      " --live; setvcpus test 1 --config --maximum;"
                      " vcpucount test --maximum --config")
        self.assertEqual(out, "1\n1\n")

    def test_desc(self):
        out = self.ok("desc test; desc test a new description;"
                      " desc test; desc test --title --new-desc Title1;"
                      " desc --title test")
        self.assertEqual(out.split("\n\n"), [
            "No description for domain: test",
            "Domain description updated successfully",
            "a new description",
            "Domain title updated successfully",
            "Title1", ""])


class HostTest(VshTestCase):
    def test_uri_hostname(self):
        self.assertEqual(self.ok("uri"), "test:///default\n\n")
        host = self.ok("-q", "hostname")
        self.assertTrue(host.strip())

    def test_version(self):
        lines = self.ok("version").splitlines()
        self.assertEqual(lines[0], "Compiled against library: vmm 0.1.0")
        self.assertEqual(lines[1], "Using library: vmm 0.1.0")
        self.assertEqual(lines[2], "Using API: TEST 0.1.0")
        self.assertRegex(lines[3], r"^Running hypervisor: TEST \d+\.\d+\.\d+$")

    def test_nodeinfo(self):
        out = self.ok("-q", "nodeinfo")
        keys = [line[:21] for line in out.splitlines()]
        self.assertEqual(keys, [
            "CPU model:           ", "CPU(s):              ",
            "CPU frequency:       ", "CPU socket(s):       ",
            "Core(s) per socket:  ", "Thread(s) per core:  ",
            "NUMA cell(s):        ", "Memory size:         "])
        self.assertRegex(out, r"CPU frequency:       \d+ MHz\n")
        self.assertRegex(out, r"Memory size:         \d+ KiB\n")

    def test_capabilities(self):
        out = self.ok("capabilities")
        self.assertIn("<capabilities>", out)

    def test_version_flag(self):
        rc, out, err = self.run_vsh("-v", uri=None)
        self.assertEqual((rc, out), (0, "0.1.0\n"))
        rc, out, err = self.run_vsh("--help", uri=None)
        self.assertEqual(rc, 0)
        self.assertIn("--connect", out)


class ShellTest(VshTestCase):
    def test_help(self):
        out = self.ok("help", uri=None)
        self.assertTrue(out.startswith("Grouped commands:\n\n"
                                       " Domain Management (help keyword"
                                       " 'domain'):\n"), out)
        for group in ("Domain Monitoring (help keyword 'monitor')",
                      "Host and Hypervisor (help keyword 'host')",
                      "Vsh itself (help keyword 'vsh')"):
            self.assertIn(" %s:\n" % group, out)
        self.assertIn("\n    dominfo                        print facts "
                      "about a domain\n", out)

    def test_help_group_and_command(self):
        out = self.ok("-q", "help monitor", uri=None)
        self.assertEqual([line.split()[0] for line in out.splitlines()[1:]],
                         ["domblklist", "domblkstat", "domcontrol",
                          "domiflist", "domifstat", "dominfo", "dommemstat",
                          "domstate", "domstats", "list"])
        out = self.ok("help", "save", uri=None)
        self.assertIn("  SYNOPSIS\n    save <domain> <file> [--bypass-cache]"
                      " [--running] [--paused] [--verbose]\n", out)
        self.assertIn("    [--domain] <string>  the domain: its id, UUID or name\n",
                      out)
        self.assertEqual(self.ok("save", "--help", uri=None), out)

    def test_script_on_stdin(self):
        xml = self.domain_xml()
        script = ("# a comment line\n"
                  "define %s\n"
                  "\n"
                  "start web1 ; domstate web1   # trailing comment\n"
                  "list --all --name\n" % xml)
        out = self.ok("-q", stdin=script)
        self.assertEqual(out, "running\ntest\nweb1\n")

    def test_script_matches_argv(self):
        # The test driver's CPU time follows the clock: not compared.
        def steady(out):
            return re.sub(r"CPU time: .*", "CPU time:", out)

        for cmd in ("list", "dominfo test", "nodeinfo", "vcpucount test",
                    "domstate test --reason", "version"):
            self.assertEqual(steady(self.ok(stdin=cmd + "\n")),
                             steady(self.ok(*cmd.split())), cmd)

    def test_argv_semicolon_word(self):
        out = self.ok("-q", "suspend", "test", ";", "domstate", "test")
        self.assertEqual(out, "paused\n")

    def test_quit_stops_script(self):
        out = self.ok("-q", stdin="domid test\nquit\ndomname 1\n")
        self.assertEqual(out, "1\n")
        out = self.ok("-q", "domid test; exit; domname 1")
        self.assertEqual(out, "1\n")

    def test_connect(self):
        out = self.ok("-q", "connect test:///default; uri", uri=None)
        self.assertEqual(out, "test:///default\n")
        out = self.ok("-q", "connect --name test:///default --readonly;"
                      " list --name", uri=None)
        self.assertEqual(out, "test\n")

    def test_default_uri_from_environment(self):
        self.env["VMM_DEFAULT_URI"] = "test:///default"
        self.assertEqual(self.ok("-q", "uri", uri=None), "test:///default\n")

    def test_readonly(self):
        self.assertEqual(self.ok("-r", "-q", "list", "--name"), "test\n")
        out, err = self.fails("-r", "destroy", "test")
        self.assertIn("error: Failed to destroy domain 'test'\n", err)

    def test_escape_option(self):
        self.assertEqual(self.ok("-e", "^[", "-q", "domid", "test"), "1\n")
        rc, out, err = self.run_vsh("-e", "abc", "list")
        self.assertEqual(rc, 1)
        self.assertIn("error:", err)


class EventTest(VshTestCase):
    def test_event_list(self):
        self.assertEqual(self.ok("-q", "event --list"), "lifecycle\nreboot\n")

    def test_event_timeout(self):
        out = self.ok("event", "--all", "--loop", "--timeout", "1")
        self.assertEqual(out, "event loop timed out\nevents received: 0\n\n")
        out = self.ok("-q", "event --domain test --event lifecycle"
                      " --timeout 1 --timestamp")
        self.assertEqual(out, "event loop timed out\nevents received: 0\n")

    @unittest.skipIf(VALGRIND, "valgrind handles the signals itself")
    def test_event_interrupted(self):
        proc = subprocess.Popen(vsh_command(["-c", "test:///default", "event",
                                             "--all", "--loop"]),
                                stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, env=self.env,
                                universal_newlines=True)
        try:
            # wait until vsh itself (not the libtool wrapper) catches SIGINT
            deadline = time.time() + 10
            while time.time() < deadline and not catches_sigint(proc.pid):
                time.sleep(0.02)
            proc.send_signal(signal.SIGINT)
            out, err = proc.communicate(timeout=10)
        finally:
            if proc.poll() is None:
                proc.kill()
                proc.wait()
        self.assertEqual((proc.returncode, out, err),
                         (0, "event loop interrupted\nevents received: 0\n\n",
                          ""))

    def test_event_needs_a_type(self):
        out, err = self.fails("event")
        self.assertEqual(err, "error: one of --list, --all, or --event <type>"
                              " is required\n")
        out, err = self.fails("event", "--event", "bogus")
        self.assertIn("error: unknown event type bogus\n", err)


if __name__ == "__main__":
    tap_unittest.main()
