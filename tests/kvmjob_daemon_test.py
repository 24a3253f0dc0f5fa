#!/usr/bin/python3
"""kvmjob_daemon_test.py: jobs of QEMU guests in vmmd, with stock virsh
and python3-libvirt against a private vmmd (--root) booting the test guest
of tests/guest/build-guest.sh.

The slow job is real: the running guest is saved into a FIFO whose
reading end the test holds open and never reads, so QEMU's migration
stalls once the pipe and socket buffers are full. While it hangs, list,
dominfo, domstate, domjobinfo and domstats --nowait must answer at once
(a generous bound: this checks that they do not wait for the job, it is
no benchmark),
domjobinfo must show the save's progress, domjobabort must end it with
the guest running on, and destroy must end it and the guest at once.
A normal save / restore then leaves its completed statistics, and
save-image-dumpxml reads the definition from the image. Every QEMU left
is killed in tearDown.
"""
import os
import re
import subprocess
import time
import unittest

import libvirt

import kvmdrv_daemon_test as kvm
import kvmsave_daemon_test as save
import tap_unittest

# "Answers at once": far above what an idle call takes even on a busy
# two-core machine running TCG guests (or vmmd under valgrind), while the
# job itself would never end.
PROMPT_S = 30 if os.environ.get("VMM_TEST_VALGRIND") == "1" else 5


class KvmJobTest(unittest.TestCase):
    setUp = kvm.KvmDriverTest.setUp
    tearDown = kvm.KvmDriverTest.tearDown
    virsh = kvm.KvmDriverTest.virsh
    define = kvm.KvmDriverTest.define
    state = kvm.KvmDriverTest.state
    wait_for = kvm.KvmDriverTest.wait_for
    guest = save.KvmSaveTest.guest
    boot = save.KvmSaveTest.boot
    console = save.KvmSaveTest.console

    def uri(self):
        return "qemu+unix:///system?socket=" + self.daemon.sock

    def timed_virsh(self, *args):
        """virsh @args, which must succeed within PROMPT_S seconds."""
        start = time.monotonic()
        res = self.virsh(*args)
        elapsed = time.monotonic() - start
        self.assertLess(elapsed, PROMPT_S,
                        "virsh %s took %.1f s while a job ran" %
                        (" ".join(args), elapsed))
        return res

    def hanging_save(self, name):
        """Starts `virsh save @name FIFO` into a FIFO nobody reads and
        waits until domjobinfo shows the save under way. Returns the virsh
        process (its end is the test's to wait for)."""
        fifo = os.path.join(self.root, name + ".fifo")
        os.mkfifo(fifo)
        # The reading end stays open and unread: the save can open the
        # FIFO but never finish writing it.
        reader = os.open(fifo, os.O_RDONLY | os.O_NONBLOCK)
        self.addCleanup(os.close, reader)
        cmd = ["virsh", "-q", "-c", self.uri(), "save", name, fifo]
        proc = subprocess.Popen(cmd, stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, text=True)
        self.addCleanup(self.reap, proc)

        def saving():
            out = self.virsh("domjobinfo", name).stdout
            return "Bounded" in out and self.processed(out) > 0
        self.wait_for(saving, timeout=60, what="the save to be under way")
        return proc

    @staticmethod
    def reap(proc):
        if proc.poll() is None:
            proc.kill()
        proc.communicate()

    @staticmethod
    def processed(jobinfo):
        """The "Data processed" of `virsh domjobinfo`, in bytes (0: none)."""
        m = re.search(r"Data processed:\s+([\d.]+) (\w+)", jobinfo)
        if not m:
            return 0
        units = {"B": 1, "bytes": 1, "KiB": 1 << 10, "MiB": 1 << 20,
                 "GiB": 1 << 30}
        return float(m.group(1)) * units.get(m.group(2), 1)

    def finished(self, proc, timeout=60):
        """(returncode, stderr) of @proc once it ended."""
        try:
            _, err = proc.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.fail("the save did not end")
        return proc.returncode, err

    def test_slow_save_readers_and_abort(self):
        con = self.boot("j1")
        proc = self.hanging_save("j1")
        # Readers answer while the job hangs.
        self.assertIn("j1", self.timed_virsh("list", "--all").stdout)
        self.assertRegex(self.timed_virsh("dominfo", "j1").stdout,
                         r"Name:\s+j1")
        self.timed_virsh("domstate", "--reason", "j1")
        self.timed_virsh("dumpxml", "j1")
        # domstats, all groups, as libvirt's --nowait: what QEMU itself
        # must tell (vCPU threads, block counters) is left out while the
        # job holds its monitor, the rest is there.
        stats = self.timed_virsh("domstats", "--nowait", "j1").stdout
        for key in ("state.state=", "cpu.time=", "vcpu.current=",
                    "block.count="):
            self.assertIn(key, stats)
        self.assertNotIn("vcpu.0.time=", stats)
        info = self.timed_virsh("domjobinfo", "j1").stdout
        self.assertRegex(info, r"Job type:\s+Bounded")
        self.assertRegex(info, r"Operation:\s+Save")
        self.assertRegex(info, r"Memory total:")
        # The same through python3-libvirt (GetJobInfo and GetJobStats).
        conn = libvirt.open(self.uri())
        try:
            dom = conn.lookupByName("j1")
            start = time.monotonic()
            job = dom.jobInfo()
            stats = dom.jobStats()
            dom.info()
            self.assertLess(time.monotonic() - start, PROMPT_S)
            self.assertEqual(job[0], libvirt.VIR_DOMAIN_JOB_BOUNDED)
            self.assertGreater(job[4], 0)  # dataProcessed
            self.assertEqual(stats["type"], libvirt.VIR_DOMAIN_JOB_BOUNDED)
            self.assertEqual(stats["operation"],
                             libvirt.VIR_DOMAIN_JOB_OPERATION_SAVE)
            self.assertGreater(stats["memory_total"], 0)
            self.assertGreater(stats["memory_processed"], 0)
        finally:
            conn.close()
        # Abort: the save fails as libvirt says, the guest runs on.
        self.timed_virsh("domjobabort", "j1")
        rc, err = self.finished(proc)
        self.assertNotEqual(rc, 0)
        self.assertIn("operation aborted", err)
        self.assertIn("canceled by client", err)
        self.assertEqual(self.state("j1"), "running (save canceled)")
        self.assertTrue(con.echo("after-abort", timeout=30))
        self.assertRegex(self.virsh("domjobinfo", "j1").stdout,
                         r"Job type:\s+None")
        self.assertRegex(self.virsh("domjobinfo", "--completed",
                                    "j1").stdout,
                         r"Job type:\s+Cancelled")
        res = self.virsh("domjobabort", "j1", check=False)
        self.assertNotEqual(res.returncode, 0)
        self.assertIn("no job is active on the domain", res.stderr)
        # With the job free, QEMU's own figures are back.
        self.assertIn("vcpu.0.time=",
                      self.virsh("domstats", "--nowait", "j1").stdout)
        self.virsh("destroy", "j1")

    def test_destroy_during_slow_save(self):
        self.boot("j2")
        proc = self.hanging_save("j2")
        start = time.monotonic()
        self.virsh("destroy", "j2")
        elapsed = time.monotonic() - start
        self.assertLess(elapsed, PROMPT_S + 3,  # + SIGTERM's grace
                        "destroy waited %.1f s behind the save" % elapsed)
        rc, _ = self.finished(proc)
        self.assertNotEqual(rc, 0)
        self.assertEqual(self.state("j2"), "shut off (destroyed)")
        self.assertEqual(kvm.qemu_pids(self.root), [])

    def test_save_restore_completed_stats(self):
        self.boot("j3")
        path = os.path.join(self.root, "j3.save")
        self.virsh("save", "j3", path)
        info = self.virsh("domjobinfo", "--completed", "j3").stdout
        self.assertRegex(info, r"Job type:\s+Completed")
        self.assertRegex(info, r"Operation:\s+Save")
        self.assertGreater(self.processed(info), 0)
        # The definition stored in the image.
        xml = self.virsh("save-image-dumpxml", path).stdout
        self.assertIn("<name>j3</name>", xml)
        conn = libvirt.open(self.uri())
        try:
            self.assertIn("<name>j3</name>", conn.saveImageGetXMLDesc(path))
        finally:
            conn.close()
        res = self.virsh("save-image-dumpxml", "/nonexistent.save",
                         check=False)
        self.assertNotEqual(res.returncode, 0)
        self.virsh("restore", path)
        self.assertEqual(self.state("j3"), "running (restored)")
        info = self.virsh("domjobinfo", "--completed", "j3").stdout
        self.assertRegex(info, r"Job type:\s+Completed")
        self.assertRegex(info, r"Operation:\s+Restore")
        # The whole image was read.
        size = os.path.getsize(path)
        m = re.search(r"File processed:\s+([\d.]+) (\w+)", info)
        self.assertIsNotNone(m, info)
        self.assertTrue(self.console("j3").echo("restored", timeout=30))
        # The completed statistics were handed out: gone now.
        self.assertRegex(self.virsh("domjobinfo", "--completed",
                                    "j3").stdout, r"Job type:\s+None")
        self.assertGreater(size, 0)
        self.virsh("destroy", "j3")

    def test_test_driver(self):
        """test:///default through vmmd: never a job, as libvirt's."""
        uri = "test+unix:///default?socket=" + self.daemon.sock

        def virsh(*args):
            return subprocess.run(["virsh", "-q", "-c", uri] + list(args),
                                  capture_output=True, text=True, timeout=60)
        for args in (["test"], ["--completed", "test"]):
            res = virsh("domjobinfo", *args)
            self.assertEqual(res.returncode, 0, res.stderr)
            self.assertRegex(res.stdout, r"Job type:\s+None")
        res = virsh("domjobabort", "test")
        self.assertNotEqual(res.returncode, 0)
        self.assertIn("no job is active on the domain", res.stderr)
        path = os.path.join(self.root, "test.save")
        self.assertEqual(virsh("save", "test", path).returncode, 0)
        res = virsh("save-image-dumpxml", path)
        self.assertEqual(res.returncode, 0, res.stderr)
        self.assertIn("<name>test</name>", res.stdout)
        conn = libvirt.open(uri)
        try:
            self.assertIn("<name>test</name>",
                          conn.saveImageGetXMLDesc(path))
        finally:
            conn.close()


if __name__ == "__main__":
    tap_unittest.main()
