#!/usr/bin/python3
"""vsh_interactive_test.py: the interactive shell on a real terminal,
driven through tmux (a private server, killed after each test): prompt,
commands, <Tab> completion of commands, options and domain names, and
history kept across sessions. Skipped when tmux is not installed."""
import os
import shlex
import shutil
import subprocess
import sys
import time
import unittest

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import tap_unittest  # noqa: E402
from vsh_testlib import VALGRIND, VSH, VshTestCase  # noqa: E402

TMUX = shutil.which("tmux")


@unittest.skipIf(TMUX is None, "tmux is not installed")
@unittest.skipIf(VALGRIND, "not run under valgrind")
class InteractiveTest(VshTestCase):
    def setUp(self):
        super().setUp()
        self.socket = "vsh-test-%d-%s" % (os.getpid(), self.id().split(".")[-1])
        self.started = False

    def tearDown(self):
        if self.started:
            subprocess.run([TMUX, "-L", self.socket, "kill-server"],
                           stdout=subprocess.DEVNULL,
                           stderr=subprocess.DEVNULL)
        super().tearDown()

    def tmux(self, *args):
        return subprocess.run([TMUX, "-L", self.socket] + list(args),
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                              universal_newlines=True, env=self.env)

    def start(self, *vsh_args):
        cmd = "env XDG_CACHE_HOME=%s LC_ALL=C.UTF-8 %s %s" % (
            shlex.quote(self.env["XDG_CACHE_HOME"]), shlex.quote(VSH),
            " ".join(shlex.quote(a) for a in vsh_args))
        self.env.pop("TMUX", None)
        proc = self.tmux("-f", "/dev/null", "new-session", "-d",
                         "-x", "150", "-y", "50", cmd)
        self.assertEqual(proc.returncode, 0, proc.stderr)
        self.started = True

    def screen(self):
        # capture-pane drops trailing blanks: "vsh # " reads "vsh #"
        return self.tmux("capture-pane", "-p").stdout

    def wait_for(self, text, timeout=5):
        deadline = time.time() + timeout
        while time.time() < deadline:
            screen = self.screen()
            if text in screen:
                return screen
            time.sleep(0.05)
        self.fail("%r never appeared on the screen:\n%s" % (text,
                                                             self.screen()))

    def keys(self, *keys):
        self.tmux("send-keys", *keys)

    def test_prompt_and_command(self):
        self.start("-c", "test:///default")
        self.wait_for("vsh #")
        self.keys("list", "Enter")
        screen = self.wait_for(" 1    test   running")
        self.assertIn("Welcome to vsh", screen)
        self.assertIn(" Id   Name   State\n", screen)
        self.keys("domstate test --reason; domid test", "Enter")
        self.wait_for("running (booted)\n\n1\n")

    def test_complete_command_name(self):
        self.start("-c", "test:///default")
        self.wait_for("vsh #")
        self.keys("capab", "Tab")
        self.wait_for("vsh # capabilities\n")
        self.keys("C-u", "nodei", "Tab", "Enter")
        self.wait_for("Thread(s) per core:")

    def test_complete_option_and_domain(self):
        self.start("-c", "test:///default")
        self.wait_for("vsh #")
        self.keys("list --al", "Tab")
        self.wait_for("vsh # list --all\n")
        self.keys("C-u", "dominfo te", "Tab")
        self.wait_for("vsh # dominfo test\n")
        self.keys("Enter")
        self.wait_for("Name:           test")

    def test_complete_file_name(self):
        xml = self.domain_xml()
        self.start("-c", "test:///default")
        self.wait_for("vsh #")
        self.keys("define %s" % xml[:-6], "Tab")
        self.wait_for("vsh # define %s\n" % xml)
        self.keys("Enter")
        self.wait_for("Domain 'web1' defined from %s" % xml)

    def test_history_and_readonly_prompt(self):
        self.start("-r", "-c", "test:///default")
        self.wait_for("vsh >")
        self.keys("domname 1", "Enter")
        self.wait_for("\ntest\n")
        self.keys("quit", "Enter")
        history = os.path.join(self.env["XDG_CACHE_HOME"], "vsh", "history")
        deadline = time.time() + 10
        while not os.path.exists(history) and time.time() < deadline:
            time.sleep(0.05)
        with open(history) as f:
            self.assertEqual(f.read().split("\n")[:2], ["domname 1", "quit"])
        # a new session finds it with the up arrow
        self.tmux("kill-server")
        self.start("-c", "test:///default")
        self.wait_for("vsh #")
        self.keys("Up", "Up")
        self.wait_for("vsh # domname 1")

    def test_errors_and_eof(self):
        self.start()  # no URI: help works, list says how to connect
        self.wait_for("vsh #")
        self.keys("help domain", "Enter")
        self.wait_for("Domain Management (help keyword 'domain')")
        self.keys("list", "Enter")
        self.wait_for("error: no connection URI")
        self.keys("C-d")
        deadline = time.time() + 10
        while time.time() < deadline:
            if self.tmux("has-session").returncode != 0:
                return
            time.sleep(0.05)
        self.fail("vsh did not exit on EOF")


if __name__ == "__main__":
    tap_unittest.main()
