#!/usr/bin/python3
"""vsh_progress_test.py: the progress bar of vsh's save, restore and
managedsave ("Save: [ 42 %]" redrawn in place on stderr), and the commands
domjobinfo, domjobabort and save-image-dumpxml.

On a terminal (a private tmux server, skipped when tmux is missing) the
bar shows by itself and ends at 100 %; through pipes it shows only with
--verbose, and never with --json or -q. First against test:///default,
then against a private vmmd (--root) saving and restoring the QEMU test
guest of tests/guest/build-guest.sh (skipped when it cannot be built),
whose save really takes a while and reports its progress.
"""
import itertools
import json
import os
import re
import select
import shlex
import shutil
import subprocess
import sys
import tempfile
import time
import unittest

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import kvmdrv_daemon_test as kvm  # noqa: E402
import kvmsave_daemon_test as kvmsave  # noqa: E402
import tap_unittest  # noqa: E402
from vsh_testlib import VALGRIND, VSH, VshTestCase, vsh_command  # noqa: E402

TMUX = shutil.which("tmux")
BAR = re.compile(r"\r([A-Z][a-z]+(?: [a-z]+)?): \[ *(\d+) %\]")
SERIAL = itertools.count()


class Terminal:
    """One command line on the terminal of a private tmux server: what
    the screen shows, and every byte written to it (tmux pipe-pane,
    started before the command runs). close() kills the server."""

    def __init__(self, tmp, env):
        self.env = dict(env)
        self.env.pop("TMUX", None)
        self.socket = "vsh-progress-%d-%d" % (os.getpid(), next(SERIAL))
        self.log = os.path.join(tmp, "pane-%s.log" % self.socket)
        self.started = False

    def tmux(self, *args):
        return subprocess.run([TMUX, "-L", self.socket] + list(args),
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                              universal_newlines=True, env=self.env)

    def start(self, argv):
        open(self.log, "wb").close()
        # the shell outlives a Ctrl-C to tell vsh's exit status
        line = ("trap : INT; read go; %s; echo VSH-EXIT:$?; sleep 600" %
                " ".join(shlex.quote(a) for a in argv))
        res = self.tmux("-f", "/dev/null", "new-session", "-d", "-x", "150",
                        "-y", "50", "sh", "-c", line)
        if res.returncode != 0:
            raise AssertionError("tmux: " + res.stderr)
        self.started = True
        self.tmux("pipe-pane", "cat >> %s" % shlex.quote(self.log))
        self.keys("Enter")

    def keys(self, *keys):
        self.tmux("send-keys", *keys)

    def screen(self):
        return self.tmux("capture-pane", "-p").stdout

    def raw(self):
        with open(self.log, "rb") as f:
            return f.read().decode(errors="replace")

    def wait_raw(self, predicate, timeout=60):
        """The raw output once @predicate holds for it."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            raw = self.raw()
            if predicate(raw):
                return raw
            time.sleep(0.05)
        raise AssertionError("the terminal never showed what was expected:"
                             "\n%r" % self.raw())

    def wait(self, timeout=120):
        """(screen, raw output, exit status) once the command ended."""
        raw = self.wait_raw(lambda raw: "VSH-EXIT:" in raw, timeout)
        screen = self.screen()
        return screen, raw, int(re.search(r"VSH-EXIT:(\d+)", raw).group(1))

    def close(self):
        if self.started:
            self.tmux("kill-server")
            self.started = False

    def run(self, argv, timeout=120):
        """Runs @argv to its end: (screen, raw output, exit status)."""
        try:
            self.start(argv)
            return self.wait(timeout)
        finally:
            self.close()


def bars(raw):
    """The (label, percent) the bar drew, in order."""
    return [(m.group(1), int(m.group(2))) for m in BAR.finditer(raw)]


def run_raw(args, env):
    """vsh ARGS through pipes: (status, stdout, stderr), with stderr's
    carriage returns kept (text mode would turn them into newlines)."""
    res = subprocess.run(vsh_command(args), stdin=subprocess.PIPE,
                         capture_output=True, timeout=120, env=env)
    return (res.returncode, res.stdout.decode(errors="replace"),
            res.stderr.decode(errors="replace"))


class ProgressAsserts:
    def assertBar(self, raw, label):
        """@label's bar went up, each value drawn once, and ended at 100 %
        on a line of its own."""
        drawn = [p for l, p in bars(raw) if l == label]
        self.assertTrue(drawn, "no %s bar in %r" % (label, raw))
        self.assertEqual(drawn, sorted(set(drawn)), raw)
        self.assertEqual(drawn[-1], 100, raw)
        self.assertIn("\r%s: [100 %%]\r\n" % label, raw)


class TestDriverProgressTest(VshTestCase, ProgressAsserts):
    """test:///default: the save is instant, the bar goes 0 -> 100."""

    def image(self):
        return os.path.join(self.tmp, "test.save")

    def test_domjobinfo_without_job(self):
        self.assertEqual(self.ok("domjobinfo", "test"),
                         "Job type:         None        \n\n")
        doc = json.loads(self.ok("domjobinfo", "test", "--json"))
        self.assertEqual(doc["type"], "none")
        self.assertEqual(doc["data_total_bytes"], 0)
        self.assertEqual(sorted(doc), sorted([
            "type", "time_elapsed_ms", "time_remaining_ms",
            "data_total_bytes", "data_processed_bytes",
            "data_remaining_bytes", "memory_total_bytes",
            "memory_processed_bytes", "memory_remaining_bytes",
            "file_total_bytes", "file_processed_bytes",
            "file_remaining_bytes"]))
        out, err = self.fails("domjobinfo", "nosuch")
        self.assertIn("failed to get domain 'nosuch'", err)

    def test_domjobabort_without_job(self):
        out, err = self.fails("domjobabort", "test")
        self.assertIn("no job is active", err)

    def test_save_image_dumpxml(self):
        out = self.ok("save test %s; save-image-dumpxml %s" %
                      (self.image(), self.image()))
        self.assertIn("Domain 'test' saved to", out)
        self.assertIn("<name>test</name>", out)
        out, err = self.fails("save-image-dumpxml",
                              os.path.join(self.tmp, "missing"))
        self.assertTrue(err.startswith("error: "), err)

    def test_no_bar_through_pipes(self):
        out = self.ok("save test %s; restore %s; managedsave test" %
                      (self.image(), self.image()))
        self.assertIn("Domain restored from", out)
        self.assertIn("Domain 'test' state saved by the driver", out)

    def test_verbose_bar_through_pipes(self):
        rc, out, err = run_raw([
            "-c", "test:///default",
            "save test %s --verbose; restore %s --verbose; "
            "managedsave test --verbose" % (self.image(), self.image())],
            self.env)
        self.assertEqual(rc, 0, err)
        self.assertEqual(err, "\rSave: [  0 %]\rSave: [100 %]\n"
                              "\rRestore: [  0 %]\rRestore: [100 %]\n"
                              "\rManaged save: [  0 %]"
                              "\rManaged save: [100 %]\n")
        self.assertIn("Domain 'test' saved to", out)
        # JSON keeps stderr for errors
        rc, out, err = self.run_vsh("--json", "save", "test", self.image(),
                                    "--verbose")
        self.assertEqual((rc, err), (0, ""))
        self.assertIn("saved to", json.loads(out)["output"])

    def test_failed_save_has_no_100(self):
        rc, out, err = run_raw(["-c", "test:///default", "save", "test",
                                "/nonexistent/dir/x", "--verbose"], self.env)
        self.assertEqual(rc, 1)
        self.assertNotIn("[100 %]", err)
        self.assertIn("\nerror: Failed to save domain 'test'", err)


@unittest.skipIf(TMUX is None, "tmux is not installed")
@unittest.skipIf(VALGRIND, "not run under valgrind")
class TestDriverTerminalTest(VshTestCase, ProgressAsserts):
    def test_bar_on_terminal(self):
        image = os.path.join(self.tmp, "test.save")
        term = Terminal(self.tmp, self.env)
        screen, raw, status = term.run([
            VSH, "-c", "test:///default",
            "save test %s; restore %s; managedsave test" % (image, image)])
        self.assertEqual(status, 0, screen)
        self.assertIn("Save: [100 %]\n", screen)
        self.assertIn("Restore: [100 %]\n", screen)
        self.assertIn("Managed save: [100 %]\n", screen)
        for label in ("Save", "Restore", "Managed save"):
            self.assertBar(raw, label)

    def test_bar_in_interactive_shell(self):
        image = os.path.join(self.tmp, "test.save")
        term = Terminal(self.tmp, self.env)
        try:
            term.start([VSH, "-c", "test:///default"])
            term.wait_raw(lambda raw: "vsh # " in raw)
            term.keys("save test %s" % image, "Enter")
            raw = term.wait_raw(lambda raw: "saved to" in raw)
            self.assertBar(raw, "Save")
            term.keys("restore %s" % image, "Enter")
            raw = term.wait_raw(lambda raw: "Domain restored" in raw)
            self.assertBar(raw, "Restore")
            term.keys("quit", "Enter")
            screen, raw, status = term.wait()
        finally:
            term.close()
        self.assertEqual(status, 0, screen)
        self.assertIn("Save: [100 %]\nDomain 'test' saved to", screen)

    def test_quiet_and_json_on_terminal(self):
        image = os.path.join(self.tmp, "test.save")
        for opt in ("-q", "--json"):
            term = Terminal(self.tmp, self.env)
            screen, raw, status = term.run([
                VSH, opt, "-c", "test:///default",
                "save test %s; restore %s" % (image, image)])
            self.assertEqual(status, 0, screen)
            self.assertEqual(bars(raw), [], raw)


class QemuProgressTest(unittest.TestCase, ProgressAsserts):
    """A private vmmd and the QEMU test guest: the job reports its
    progress while it runs."""
    setUp = kvm.KvmDriverTest.setUp
    tearDown = kvm.KvmDriverTest.tearDown
    virsh = kvm.KvmDriverTest.virsh
    define = kvm.KvmDriverTest.define
    state = kvm.KvmDriverTest.state
    wait_for = kvm.KvmDriverTest.wait_for
    guest = kvmsave.KvmSaveTest.guest
    boot = kvmsave.KvmSaveTest.boot
    console = kvmsave.KvmSaveTest.console

    def uri(self):
        return "qemu+unix:///system?socket=" + self.daemon.sock

    def env(self):
        env = dict(os.environ)
        env.pop("VMM_DEFAULT_URI", None)
        env["LC_ALL"] = "C.UTF-8"
        env["XDG_CACHE_HOME"] = os.path.join(self.root, "cache")
        return env

    def terminal(self, *args):
        """vsh -c URI ARGS on a terminal: (screen, raw output)."""
        tmp = tempfile.mkdtemp(prefix="vsh-progress-")
        self.addCleanup(shutil.rmtree, tmp, True)
        screen, raw, status = Terminal(tmp, self.env()).run(
            [VSH, "-c", self.uri()] + list(args))
        self.assertEqual(status, 0, screen)
        return screen, raw

    def terminal_start(self, *args):
        """vsh -c URI ARGS started on a terminal, left running."""
        tmp = tempfile.mkdtemp(prefix="vsh-progress-")
        self.addCleanup(shutil.rmtree, tmp, True)
        term = Terminal(tmp, self.env())
        self.addCleanup(term.close)
        term.start([VSH, "-c", self.uri()] + list(args))
        return term

    def stalled_reader(self, name):
        """A FIFO for the save image of @name, and its reading end, open
        before the save starts (the driver refuses a FIFO nobody reads)."""
        fifo = os.path.join(self.root, name + ".fifo")
        os.mkfifo(fifo)
        fd = os.open(fifo, os.O_RDONLY | os.O_NONBLOCK)
        self.addCleanup(os.close, fd)
        return fifo, fd

    def drain(self, fd, size, timeout=60):
        """Reads @size bytes of the image, then stops: the job stalls."""
        got = 0
        deadline = time.monotonic() + timeout
        while got < size and time.monotonic() < deadline:
            ready, _, _ = select.select([fd], [], [], 0.1)
            if ready:
                try:
                    got += len(os.read(fd, min(65536, size - got)))
                except BlockingIOError:
                    pass
        self.assertEqual(got, size, "the save wrote too little")

    def stalled_save(self, name):
        """Starts `vsh save NAME FIFO` on a terminal and lets through only
        the first MiBs: returns the terminal once its bar moved, and the
        guest's console (QEMU takes one client at a time)."""
        con = self.boot(name)
        fifo, fd = self.stalled_reader(name)
        term = self.terminal_start("save", name, fifo)
        self.drain(fd, 4 << 20)

        def moved(raw):
            return any(p > 0 for l, p in bars(raw) if l == "Save")
        raw = term.wait_raw(moved)
        self.assertNotIn("[100 %]", raw)
        # the job, seen from another connection
        out, err = self.piped("domjobinfo", name)
        self.assertRegex(out, r"^Job type:         Bounded     \n"
                              r"Time elapsed:     \d+ +ms\n"
                              r"Time remaining:   \d+ +ms\n")
        self.assertRegex(out, r"\nData processed:   \d+\.\d{3} [KMG]?i?B\n"
                              r"Data remaining:   \d+\.\d{3} [KMG]?i?B\n"
                              r"Data total:       \d+\.\d{3} [KMG]?i?B\n")
        doc = json.loads(self.piped("domjobinfo", name, "--json")[0])
        self.assertEqual(doc["type"], "bounded")
        self.assertGreater(doc["data_total_bytes"], 0)
        self.assertGreater(doc["data_processed_bytes"], 0)
        return term, con

    def assertAborted(self, term, con, name):
        screen, raw, status = term.wait()
        self.assertEqual(status, 1, screen)
        self.assertNotIn("[100 %]", raw)
        self.assertIn("error: Failed to save domain '%s'" % name, screen)
        self.assertIn("canceled by client", screen)
        # the guest runs on as before
        self.assertTrue(self.state(name).startswith("running"))
        self.assertTrue(con.echo("after-abort", timeout=30))
        out, err = self.piped("domjobinfo", name)
        self.assertEqual(out, "Job type:         None        \n\n")

    @unittest.skipIf(TMUX is None, "tmux is not installed")
    @unittest.skipIf(VALGRIND, "not run under valgrind")
    def test_ctrl_c_cancels_the_save(self):
        term, con = self.stalled_save("j3")
        term.keys("C-c")
        self.assertAborted(term, con, "j3")

    @unittest.skipIf(TMUX is None, "tmux is not installed")
    @unittest.skipIf(VALGRIND, "not run under valgrind")
    def test_domjobabort_cancels_the_save(self):
        term, con = self.stalled_save("j4")
        out, err = self.piped("domjobabort", "j4")
        self.assertEqual((out, err), ("\n", ""))
        self.assertAborted(term, con, "j4")

    def piped(self, *args):
        """vsh through pipes: (stdout, stderr); it must succeed."""
        rc, out, err = run_raw(["-c", self.uri()] + list(args), self.env())
        self.assertEqual(rc, 0, err)
        return out, err

    @unittest.skipIf(TMUX is None, "tmux is not installed")
    @unittest.skipIf(VALGRIND, "not run under valgrind")
    def test_bar_on_terminal(self):
        self.boot("j1")
        path = os.path.join(self.root, "j1.save")
        screen, raw = self.terminal("save", "j1", path)
        self.assertIn("Save: [100 %]", screen)
        self.assertIn("Domain 'j1' saved to %s" % path, screen)
        self.assertBar(raw, "Save")
        self.assertEqual(self.state("j1"), "shut off (saved)")

        out, err = self.piped("save-image-dumpxml", path)
        self.assertIn("<name>j1</name>", out)

        screen, raw = self.terminal("restore", path)
        self.assertIn("Restore: [100 %]", screen)
        self.assertBar(raw, "Restore")
        self.assertEqual(self.state("j1"), "running (restored)")
        self.assertTrue(self.console("j1").echo("restored", timeout=30))
        out, err = self.piped("domjobinfo", "j1", "--completed")
        self.assertTrue(out.startswith("Job type:         Completed   \n"
                                       "Time elapsed:     "), out)
        self.assertRegex(out, r"\nFile total:       \d+\.\d{3} MiB\n")

        screen, raw = self.terminal("managedsave", "j1")
        self.assertIn("Managed save: [100 %]", screen)
        self.assertBar(raw, "Managed save")
        self.assertEqual(self.state("j1"), "shut off (saved)")

    def test_no_bar_through_pipes(self):
        self.boot("j2")
        path = os.path.join(self.root, "j2.save")
        out, err = self.piped("save", "j2", path)
        self.assertEqual(err, "")
        self.assertIn("Domain 'j2' saved to", out)
        out, err = self.piped("restore", path, "--verbose")
        self.assertEqual(bars(err)[-1], ("Restore", 100), err)
        self.assertEqual(self.state("j2"), "running (restored)")
        out, err = self.piped("domjobinfo", "j2")
        self.assertEqual(out, "Job type:         None        \n\n")
        self.virsh("destroy", "j2")


if __name__ == "__main__":
    tap_unittest.main()
