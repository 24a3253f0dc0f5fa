#!/usr/bin/python3
"""daemon_startup_test.py: vmmd as a process: options, configuration
errors, one daemon per root, running in the background, the idle
timeout, and a clean exit on SIGTERM.
"""
import os
import signal
import subprocess
import time
import unittest

import daemon_testlib as lib
import tap_unittest


def run_vmmd(*args, timeout=10):
    return subprocess.run([lib.VMMD] + list(args), capture_output=True,
                          text=True, timeout=timeout)


def wait_gone(path, timeout=10):
    deadline = time.monotonic() + timeout
    while os.path.exists(path) and time.monotonic() < deadline:
        time.sleep(0.02)
    return not os.path.exists(path)


class OptionsTest(unittest.TestCase):
    def test_version(self):
        res = run_vmmd("--version")
        self.assertEqual(res.returncode, 0)
        self.assertRegex(res.stdout, r"^vmmd \(vmm\) \d+\.\d+\.\d+")

    def test_help(self):
        res = run_vmmd("--help")
        self.assertEqual(res.returncode, 0)
        for opt in ("--config", "--pid-file", "--timeout", "--root",
                    "--listen", "--daemon", "--verbose", "--version"):
            self.assertIn(opt, res.stdout)

    def test_bad_option(self):
        res = run_vmmd("--no-such-option")
        self.assertEqual(res.returncode, 1)
        self.assertIn("vmmd: error:", res.stderr)

    def test_listen_without_certificates_refused(self):
        daemon = lib.Daemon(args=["--listen"])
        try:
            res = subprocess.run(daemon.command(), capture_output=True,
                                 text=True, timeout=10)
            self.assertEqual(res.returncode, 1)
            self.assertIn("etc/pki/CA/cacert.pem", res.stderr)
        finally:
            daemon.stop()

    def test_config_error_names_file_and_line(self):
        daemon = lib.Daemon(config="max_workers = 3\nno_such_key = 1\n")
        try:
            res = run_vmmd("--root", daemon.root)
            self.assertEqual(res.returncode, 1)
            self.assertIn(daemon.config_path() + ":2", res.stderr)
            self.assertIn("no_such_key", res.stderr)
        finally:
            daemon.stop()

    def test_missing_explicit_config(self):
        daemon = lib.Daemon(args=["--config", "/nonexistent/vmmd.conf"])
        try:
            res = subprocess.run(daemon.command(), capture_output=True,
                                 text=True, timeout=10)
            self.assertEqual(res.returncode, 1)
            self.assertIn("/nonexistent/vmmd.conf", res.stderr)
        finally:
            daemon.stop()

    def test_unsupported_auth_refused(self):
        daemon = lib.Daemon(config='auth_unix_rw = "sasl"\n')
        try:
            res = run_vmmd("--root", daemon.root)
            self.assertEqual(res.returncode, 1)
            self.assertIn("SASL", res.stderr)
        finally:
            daemon.stop()


class ProcessTest(unittest.TestCase):
    def test_sigterm_removes_sockets_and_pid_file(self):
        daemon = lib.Daemon()
        try:
            daemon.start()
            with open(daemon.pid_file, encoding="utf-8") as f:
                self.assertEqual(int(f.read()), daemon.proc.pid)
            daemon.proc.send_signal(signal.SIGHUP)
            with lib.RawClient(daemon.sock) as client:
                client.open()
                client.send(b"".join(
                    lib.packet(lib.REMOTE_PROGRAM, lib.PROC_CONNECT_GET_TYPE,
                               serial) for serial in range(30)))
                daemon.proc.send_signal(signal.SIGTERM)
                # Calls read before the signal are answered in full, then
                # the connection closes.
                answered = 0
                with self.assertRaises(EOFError):
                    while True:
                        hdr, _ = client.recv_reply()
                        self.assertEqual(hdr["status"], lib.OK)
                        answered += 1
                self.assertLessEqual(answered, 30)
                self.assertEqual(daemon.terminate(), 0)
            for path in (daemon.sock, daemon.sock_ro, daemon.pid_file):
                self.assertFalse(os.path.exists(path), path)
        finally:
            daemon.stop()

    def test_second_daemon_on_same_root_refused(self):
        with lib.Daemon() as first:
            res = run_vmmd("--root", first.root)
            self.assertEqual(res.returncode, 1)
            self.assertIn("already running with pid %d" % first.proc.pid,
                          res.stderr)
            # The first one still serves.
            with lib.RawClient(first.sock) as client:
                hdr, _ = client.call(lib.PROC_AUTH_LIST)
                self.assertEqual(hdr["status"], lib.OK)

    def test_idle_timeout(self):
        daemon = lib.Daemon(args=["--timeout", "1"])
        try:
            daemon.start()
            with lib.RawClient(daemon.sock) as client:
                time.sleep(1.5)
                self.assertTrue(daemon.alive(), "exited with a client")
                client.call(lib.PROC_AUTH_LIST)
            self.assertEqual(daemon.proc.wait(10), 0)
            self.assertFalse(os.path.exists(daemon.sock))
        finally:
            daemon.stop()

    def test_background(self):
        # The timeout ends the daemon even if the test fails before
        # killing it.
        daemon = lib.Daemon(args=["--daemon", "--timeout", "20"])
        pid = None
        try:
            # A file, not a pipe: the daemon (or valgrind around it) may
            # keep the descriptor open long after the parent exited.
            with open(daemon.log, "ab") as log:
                res = subprocess.run(daemon.command(), stdout=log,
                                     stderr=subprocess.STDOUT, timeout=30)
            self.assertEqual(res.returncode, 0, daemon.read_log())
            with open(daemon.pid_file, encoding="utf-8") as f:
                pid = int(f.read())
            with lib.RawClient(daemon.sock) as client:
                hdr, _ = client.call(lib.PROC_AUTH_LIST)
                self.assertEqual(hdr["status"], lib.OK)
            os.kill(pid, signal.SIGTERM)
            self.assertTrue(wait_gone(daemon.pid_file))
            pid = None
        finally:
            if pid is None and os.path.exists(daemon.pid_file):
                # An assertion failed before the pid was read: the daemon
                # may still run in the background.
                try:
                    with open(daemon.pid_file, encoding="utf-8") as f:
                        pid = int(f.read())
                except (OSError, ValueError):
                    pid = None
            if pid is not None:
                try:
                    os.kill(pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass
            daemon.stop()


if __name__ == "__main__":
    tap_unittest.main()
