#!/usr/bin/python3
"""compat_virsh_test.py: a broad sweep of stock virsh commands against a
private vmmd, each run side by side against a private libvirtd (Debian's
libvirt-daemon, test:///default behind both) when one can run here.

Every command must either work as it does against libvirtd, or fail with
a clean libvirt error ("error: ..." lines, no dropped connection, no
hang) while vmmd stays up. Commands known to fail against vmmd because a
procedure is missing are listed as GAP with the procedures behind them:
they may fail cleanly (the TAP output says which procedures failed) and
may start working, but a command listed as OK that stops working, or
answers differently from libvirtd, fails its test.

The commands run in table order against one daemon of each kind (the
lifecycle part depends on it). libvirtd's test driver forgets its state
when its last connection closes, so the test keeps one open.
"""
import os
import re
import sys
import unittest
import xml.etree.ElementTree as ET

import compat_testlib as compat
import daemon_testlib as lib
import tap_unittest

SRCDIR = os.environ.get("abs_top_srcdir",
                        os.path.join(os.path.dirname(
                            os.path.abspath(__file__)), ".."))

SWEEP_XML = """<domain type='test'>
  <name>sweep1</name>
  <memory unit='KiB'>131072</memory>
  <vcpu>2</vcpu>
  <os><type>hvm</type></os>
</domain>
"""

# What each command is expected to do against vmmd.
OK = "ok"        # works, and like libvirtd
GAP = "gap"      # libvirtd can; vmmd fails cleanly (or differs) for now
FAIL = "fail"    # fails against libvirtd's test driver too; must be clean

# How two successful outputs are compared (after normalize()).
SAME = "same"    # identical text
KEYS = "keys"    # the same "Label:" column
XML = "xml"      # same root element and same child elements
ROOT = "root"    # same root element
WORD = "word"    # same first word (a state without its reason)
RC = "rc"        # only that both succeed
ERR = "err"      # both fail with the same last error line

# (virsh arguments, expectation, comparison, why). {dir} is the daemon's
# private directory. Procedure numbers are those of the remote program.
SWEEP = [
    ("version", OK, KEYS, "same type as libvirtd ('TEST')"),
    ("hostname", OK, SAME, ""),
    ("uri", OK, RC, "socket paths differ"),
    ("sysinfo", OK, ROOT, "the test hosts' smbios data differ"),
    ("nodeinfo", OK, SAME, ""),
    ("capabilities", OK, XML, ""),
    ("domcapabilities", FAIL, RC, "342, not in libvirt's test driver"),
    ("domcapabilities --virttype test", FAIL, RC, "342"),
    ("maxvcpus", OK, SAME, ""),
    ("freecell", OK, SAME, ""),
    ("freecell --all", OK, SAME, ""),
    ("freecell 1", OK, SAME, ""),
    ("freecell 5", FAIL, RC, "no such cell"),
    ("nodecpustats", OK, SAME, ""),
    ("nodecpustats 1", OK, SAME, ""),
    ("nodememstats", FAIL, RC, "228, not in libvirt's test driver"),
    ("list", OK, SAME, ""),
    ("list --all", OK, SAME, ""),
    ("list --inactive", OK, SAME, ""),
    ("list --name --all", OK, SAME, ""),
    ("list --uuid --all", OK, SAME, ""),
    ("list --state-running", OK, SAME, ""),
    ("list --state-paused", OK, SAME, ""),
    ("list --state-shutoff", OK, SAME, ""),
    ("list --persistent", OK, SAME, ""),
    ("list --transient", OK, SAME, ""),
    ("list --autostart", OK, SAME, ""),
    ("list --no-autostart --all", OK, SAME, ""),
    ("list --with-snapshot", OK, SAME, ""),
    ("list --without-snapshot --all", OK, SAME, ""),
    ("list --managed-save --all", OK, SAME, ""),
    ("list --title --all", OK, SAME, ""),
    ("list --table --all", OK, SAME, ""),
    ("dominfo test", OK, KEYS, "CPU times differ"),
    ("domstate test", OK, SAME, ""),
    ("domstate --reason test", OK, WORD,
     "reason 'booted' here, 'unknown' from libvirtd"),
    ("domid test", OK, SAME, ""),
    ("domname 1", OK, SAME, ""),
    ("domuuid test", OK, SAME, ""),
    ("domid 6695eb01-f6a4-8304-79aa-97f2502e193f", OK, SAME, ""),
    ("dumpxml test", OK, XML, "libvirt's test domain has devices"),
    ("dumpxml --inactive test", OK, XML, ""),
    ("dumpxml --security-info test", OK, XML, ""),
    ("vcpucount test", OK, SAME, ""),
    ("vcpucount --maximum --config test", OK, SAME, ""),
    ("vcpuinfo test", OK, KEYS, "CPU numbers and times differ"),
    ("vcpupin test", OK, SAME, ""),
    ("emulatorpin test", GAP, RC, "280 DOMAIN_GET_EMULATOR_PIN_INFO"),
    ("iothreadinfo test", GAP, RC, "351 DOMAIN_GET_IOTHREAD_INFO"),
    ("schedinfo test", GAP, KEYS, "56 DOMAIN_GET_SCHEDULER_TYPE"),
    ("memtune test", GAP, KEYS, "198 DOMAIN_GET_MEMORY_PARAMETERS"),
    ("blkiotune test", GAP, KEYS, "206 DOMAIN_GET_BLKIO_PARAMETERS"),
    ("numatune test", GAP, KEYS, "255 DOMAIN_GET_NUMA_PARAMETERS"),
    ("dommemstat test", OK, SAME, ""),
    ("domblklist test", OK, RC, "libvirt's test domain has a disk"),
    ("domiflist test", OK, RC, "libvirt's test domain has a nic"),
    ("domblkstat test vda", FAIL, RC, "vmmd's test domain has no disk"),
    ("domjobinfo test", FAIL, RC, "163/298, not in libvirt's test driver"),
    ("domjobinfo --completed test", FAIL, RC,
     "298, not in libvirt's test driver"),
    ("domcontrol test", OK, SAME, ""),
    ("domtime test", FAIL, RC, "not in libvirt's test driver"),
    ("domhostname test", FAIL, RC, "not in libvirt's test driver"),
    ("domifaddr test", GAP, RC, "353 DOMAIN_INTERFACE_ADDRESSES"),
    ("domfsinfo test", FAIL, RC, "not in libvirt's test driver"),
    ("domdisplay test", FAIL, RC, "no graphics device"),
    ("perf test", GAP, RC, "365 DOMAIN_GET_PERF_EVENTS"),
    ("desc test", OK, SAME, ""),
    ("desc --title test", OK, SAME, ""),
    ("autostart test", OK, SAME, ""),
    ("dominfo test", OK, KEYS, "autostart on"),
    ("autostart --disable test", OK, SAME, ""),
    ("define {dir}/sweep1.xml", OK, SAME, ""),
    ("dominfo sweep1", OK, KEYS, "CPU times differ"),
    ("domstate --reason sweep1", OK, SAME, ""),
    ("setvcpus sweep1 1 --config", OK, SAME, ""),
    ("setmaxmem sweep1 262144 --config", OK, SAME, ""),
    ("setmem sweep1 200000 --config", OK, SAME, ""),
    ("dumpxml sweep1", OK, XML, ""),
    ("vcpucount sweep1", OK, SAME, ""),
    ("desc sweep1 --config --new-desc hello", OK, SAME, ""),
    ("desc sweep1 --config", OK, SAME, ""),
    ("desc sweep1 --config --title --new-desc title1", OK, SAME, ""),
    ("list --title --all", OK, SAME, ""),
    ("start sweep1", OK, SAME, ""),
    ("start sweep1", FAIL, ERR, "already running"),
    ("domstate --reason sweep1", OK, SAME, ""),
    ("domid sweep1", OK, RC, "ids differ"),
    ("setmem sweep1 100000 --live", OK, SAME, ""),
    ("setvcpus sweep1 2 --live", OK, SAME, ""),
    ("vcpucount sweep1", OK, SAME, ""),
    ("suspend sweep1", OK, SAME, ""),
    ("domstate --reason sweep1", OK, SAME, ""),
    ("list --state-paused", OK, SAME, ""),
    ("resume sweep1", OK, SAME, ""),
    ("reboot sweep1", OK, SAME, ""),
    ("reset sweep1", OK, SAME, ""),
    ("dommemstat sweep1", OK, SAME, "no balloon: no statistics"),
    ("dommemstat sweep1 --period 5 --live", FAIL, ERR, "no balloon"),
    ("domcontrol sweep1", OK, SAME, ""),
    ("save sweep1 {dir}/sweep1.save", OK, SAME, ""),
    ("domstate --reason sweep1", OK, SAME, ""),
    ("restore {dir}/sweep1.save", OK, SAME, ""),
    ("domstate --reason sweep1", OK, SAME, ""),
    ("managedsave sweep1", OK, SAME, ""),
    ("domstate --reason sweep1", OK, SAME, ""),
    ("list --managed-save --all", OK, SAME, ""),
    ("managedsave-remove sweep1", OK, SAME, ""),
    ("start sweep1", OK, SAME, ""),
    ("snapshot-create-as sweep1 snap1", GAP, SAME,
     "185 DOMAIN_SNAPSHOT_CREATE_XML"),
    ("snapshot-list sweep1", GAP, RC, "274 DOMAIN_LIST_ALL_SNAPSHOTS, "
     "no snapshot to list here"),
    ("snapshot-current sweep1", GAP, RC, "190 DOMAIN_HAS_CURRENT_SNAPSHOT"),
    ("snapshot-delete sweep1 snap1", GAP, SAME,
     "189 DOMAIN_SNAPSHOT_LOOKUP_BY_NAME"),
    ("shutdown sweep1", OK, SAME, ""),
    ("destroy sweep1", FAIL, ERR, "not running"),
    ("undefine sweep1", OK, SAME, ""),
    ("dominfo sweep1", FAIL, ERR, "gone"),
    ("create {dir}/sweep1.xml", OK, SAME, ""),
    ("list --transient", OK, SAME, ""),
    ("destroy sweep1", OK, SAME, ""),
    ("dominfo no-such", FAIL, ERR, ""),
    ("undefine no-such", FAIL, ERR, ""),
    ("define {dir}/no-such.xml", FAIL, RC, "file is missing"),
    ("net-list", GAP, SAME, "283 CONNECT_LIST_ALL_NETWORKS, 52"),
    ("net-list --all", GAP, SAME, "283, 52"),
    ("net-info default", GAP, KEYS, "46 NETWORK_LOOKUP_BY_NAME"),
    ("net-dumpxml default", GAP, XML, "46"),
    ("pool-list --all", GAP, SAME, "281 CONNECT_LIST_ALL_STORAGE_POOLS, 71"),
    ("pool-info default-pool", GAP, KEYS, "84 STORAGE_POOL_LOOKUP_BY_NAME"),
    ("vol-list default-pool", GAP, SAME, "84"),
    ("iface-list --all", GAP, SAME, "284 CONNECT_LIST_ALL_INTERFACES, 126"),
    ("nodedev-list", FAIL, RC, "libvirt's test driver refuses its flags"),
    ("secret-list", FAIL, RC, "not in libvirt's test driver"),
    ("nwfilter-list", FAIL, RC, "not in libvirt's test driver"),
    ("nwfilter-binding-list", FAIL, RC, "not in libvirt's test driver"),
    ("list --all", OK, SAME, "the host is back as it was"),
]

# What a client prints when the daemon dropped it or garbled a reply.
BROKEN = ("End of file while reading data", "Cannot recv data",
          "Cannot write data", "client socket is closed",
          "Unable to encode message", "Unable to decode message",
          "An error occurred, but the cause is unknown")

UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-"
                  r"[0-9a-f]{12}")


# Names of procedures virsh uses that our protocol file does not list
# yet (from libvirt's remote protocol), so that the output says which.
MORE_NAMES = {
    126: "CONNECT_NUM_OF_INTERFACES", 185: "DOMAIN_SNAPSHOT_CREATE_XML",
    189: "DOMAIN_SNAPSHOT_LOOKUP_BY_NAME",
    190: "DOMAIN_HAS_CURRENT_SNAPSHOT", 206: "DOMAIN_GET_BLKIO_PARAMETERS",
    255: "DOMAIN_GET_NUMA_PARAMETERS", 274: "DOMAIN_LIST_ALL_SNAPSHOTS",
    280: "DOMAIN_GET_EMULATOR_PIN_INFO", 284: "CONNECT_LIST_ALL_INTERFACES",
    351: "DOMAIN_GET_IOTHREAD_INFO", 353: "DOMAIN_INTERFACE_ADDRESSES",
    365: "DOMAIN_GET_PERF_EVENTS", 426: "DOMAIN_GET_MESSAGES",
}


def procedures_in_our_x():
    """Procedure numbers -> names, as our protocol file lists them."""
    names = {}
    path = os.path.join(SRCDIR, "src", "rpc", "vmm_remote_protocol.x")
    try:
        with open(path, encoding="utf-8") as f:
            text = f.read()
    except OSError:
        return names
    for m in re.finditer(r"REMOTE_PROC_(\w+)\s*=\s*(\d+)", text):
        names[int(m.group(2))] = m.group(1)
    return names


def normalize(text, workdir):
    text = text.replace(workdir, "{dir}")
    text = UUID.sub("{uuid}", text)
    return re.sub(r"(CPU time:\s+)[\d.]+s", r"\1{time}", text)


def keys(text):
    return [line.split(":", 1)[0].strip() for line in text.splitlines()
            if ":" in line]


def xml_shape(text):
    root = ET.fromstring(text)
    return root.tag, sorted(child.tag for child in root)


def compare(how, mine, theirs):
    """None when @mine (vmmd's VirshRun) matches @theirs (libvirtd's)
    under @how, else a description of the difference."""
    a, b = mine.norm_out, theirs.norm_out
    if how == ERR:
        a = mine.norm_err.strip().splitlines()[-1:]
        b = theirs.norm_err.strip().splitlines()[-1:]
    elif how == KEYS:
        a, b = keys(a), keys(b)
    elif how == XML:
        a, b = xml_shape(a), xml_shape(b)
    elif how == ROOT:
        a, b = xml_shape(a)[0], xml_shape(b)[0]
    elif how == WORD:
        a, b = a.split()[:1], b.split()[:1]
    elif how == RC:
        a = b = None
    return None if a == b else "vmmd: %r\nlibvirtd: %r" % (a, b)


def write_domain_xml(workdir):
    with open(os.path.join(workdir, "sweep1.xml"), "w",
              encoding="utf-8") as f:
        f.write(SWEEP_XML)


def setUpModule():
    global VMMD, LIBVIRTD, HOLD, IN_X, DISPATCHED
    IN_X = procedures_in_our_x()
    DISPATCHED = lib.generated_procedures()
    VMMD = lib.Daemon()
    VMMD.start()
    write_domain_xml(VMMD.root)
    LIBVIRTD = HOLD = None
    reason = compat.Libvirtd.skip_reason()
    if reason is not None:
        sys.stdout.write("# no libvirtd to compare with: %s\n" % reason)
        return
    LIBVIRTD = compat.Libvirtd()
    try:
        LIBVIRTD.start()
        write_domain_xml(LIBVIRTD.dir)
        HOLD = compat.hold_test_driver(LIBVIRTD)
    except unittest.SkipTest as e:
        sys.stdout.write("# no libvirtd to compare with: %s\n" % e)
        LIBVIRTD = None
    except BaseException:
        LIBVIRTD.stop()
        VMMD.stop()
        raise


def tearDownModule():
    try:
        if HOLD is not None:
            HOLD.close()
    finally:
        try:
            if LIBVIRTD is not None:
                LIBVIRTD.stop()
        finally:
            VMMD.stop()


def run_virsh(uri, workdir, command):
    args = [a.replace("{dir}", workdir) for a in command.split()]
    res = compat.virsh_traced(uri, args)
    res.norm_out = normalize(res.stdout, workdir)
    res.norm_err = normalize(res.stderr, workdir)
    return res


def describe_procedure(number):
    if number not in IN_X:
        return "%d %s (not in our .x)" % (number,
                                          MORE_NAMES.get(number, "?"))
    if number not in DISPATCHED:
        return "%d %s (not dispatched)" % (number, IN_X[number])
    return "%d %s" % (number, IN_X[number])


def describe(res):
    return ", ".join(describe_procedure(p)
                     for p in sorted(set(res.failed))) or "none"


@unittest.skipUnless(compat.have_virsh(), "virsh is not installed")
class VirshSweepTest(unittest.TestCase):
    maxDiff = None

    def check(self, command, expect, how, why):
        mine = run_virsh(VMMD.uri(), VMMD.root, command)
        theirs = None
        if LIBVIRTD is not None:
            theirs = run_virsh(LIBVIRTD.uri(), LIBVIRTD.dir, command)
        self.assertFalse(mine.timed_out, "virsh %s hangs" % command)
        self.assertTrue(VMMD.alive(), "vmmd died: %s" % VMMD.read_log())
        self.assert_clean(command, mine)
        if expect == OK:
            self.assertTrue(mine.ok, "virsh %s failed (procedures %s): %s" %
                            (command, describe(mine), mine.stderr))
        if mine.ok and theirs is not None and theirs.ok:
            diff = compare(how, mine, theirs)
            if diff and expect == GAP:
                self.note("virsh %s differs (%s):\n%s" % (command, why, diff))
            else:
                self.assertIsNone(diff, "virsh %s differs" % command)
        elif not mine.ok and expect == GAP:
            self.note("virsh %s fails: failed procedures %s; libvirtd %s" %
                      (command, describe(mine),
                       "works" if theirs is not None and theirs.ok
                       else "fails too" if theirs is not None else "absent"))
        elif not mine.ok and theirs is not None and how == ERR:
            self.assertFalse(theirs.ok, "libvirtd can: virsh %s" % command)
            self.assertIsNone(compare(ERR, mine, theirs))
        elif mine.ok and expect == GAP and theirs is not None:
            self.note("virsh %s works here, not against libvirtd (%s)" %
                      (command, why))
        if theirs is not None and expect == OK:
            self.assertTrue(theirs.ok, "libvirtd failed virsh %s: %s" %
                            (command, theirs.stderr))
        if theirs is not None and mine.ok:
            # virsh got over these (it falls back or leaves a line out).
            only = sorted(set(mine.failed) - set(theirs.failed))
            if only:
                self.note("virsh %s: only vmmd fails procedures %s" %
                          (command, ", ".join(map(describe_procedure,
                                                  only))))

    def assert_clean(self, command, res):
        if res.ok:
            return
        err = res.stderr.strip()
        self.assertTrue(err, "virsh %s failed silently" % command)
        for line in err.splitlines():
            self.assertTrue(line.startswith("error: "),
                            "virsh %s: %r" % (command, err))
            for bad in BROKEN:
                self.assertNotIn(bad, line, "virsh %s" % command)

    @staticmethod
    def note(text):
        for line in text.splitlines():
            sys.stdout.write("# %s\n" % line)


def add_sweep_tests():
    """One test per command, numbered so that they run in table order."""
    for i, (command, expect, how, why) in enumerate(SWEEP):
        def test(self, command=command, expect=expect, how=how, why=why):
            self.check(command, expect, how, why)
        name = "test_%03d_%s" % (i, re.sub(r"\W+", "_", command).strip("_"))
        test.__doc__ = "virsh %s" % command
        setattr(VirshSweepTest, name, test)


add_sweep_tests()


if __name__ == "__main__":
    tap_unittest.main()
