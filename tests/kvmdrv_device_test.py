#!/usr/bin/python3
"""kvmdrv_device_test.py: disks and interfaces of a QEMU guest on a
private vmmd, changed with stock virsh and python3-libvirt: attach-disk /
detach-disk of a qcow2 made with qemu-img while the test guest runs
(domblklist, domblkstat), attach-interface / detach-interface of a
user-mode interface (domiflist, domifstat's error), duplicate targets and
MACs refused, --config changes of the stored definition,
attachDeviceFlags / blockStats from python, domstats (virsh and
getAllDomainStats), domcapabilities, and the same through vsh. Every
QEMU a test started is killed in tearDown; tests that need the guest
skip without it.
"""
import os
import signal
import subprocess
import time
import unittest
import xml.etree.ElementTree as ET

import daemon_testlib as lib
import kvmdrv_daemon_test as kvmt
import tap_unittest
VSH = os.path.join(lib.BUILDDIR, "tools", "vsh", "vsh")

DISK_XML = """<disk type='file' device='disk'>
  <driver name='qemu' type='qcow2'/>
  <source file='%s'/>
  <target dev='%s' bus='virtio'/>
</disk>
"""

USER_NET_XML = """<interface type='user'>
  <mac address='%s'/>
  <model type='%s'/>
</interface>
"""

TAP_NET_XML = """<interface type='ethernet'>
  <mac address='%s'/>
  <target dev='%s'/>
  <model type='virtio'/>
</interface>
"""


class KvmDeviceTest(unittest.TestCase):
    def setUp(self):
        self.daemon = lib.Daemon(args=["--timeout", "300"])
        self.daemon.start()
        self.root = self.daemon.root
        self.uri = "qemu+unix:///system?socket=" + self.daemon.sock

    def tearDown(self):
        try:
            self.daemon.stop()
        finally:
            for pid in kvmt.qemu_pids(self.root):
                try:
                    os.kill(pid, signal.SIGKILL)
                except OSError:
                    pass

    # ---- helpers ----

    def virsh(self, *args, check=True):
        res = subprocess.run(["virsh", "-q", "-c", self.uri] + list(args),
                             capture_output=True, text=True, timeout=90)
        if check and res.returncode != 0:
            self.fail("virsh %s failed: %s%s\nvmmd log:\n%s" %
                      (" ".join(args), res.stdout, res.stderr,
                       self.daemon.read_log()[-3000:]))
        return res

    def image(self, name, size="16M"):
        path = os.path.join(self.root, name)
        subprocess.run(["qemu-img", "create", "-q", "-f", "qcow2", path,
                        size], check=True, timeout=60)
        return path

    def define_guest(self, name):
        guest_dir = kvmt.build_guest()
        if not guest_dir:
            self.skipTest("no test guest: %s" % kvmt.GUEST_ERROR)
        serial = os.path.join(self.root, name + "-serial.log")
        path = os.path.join(self.root, name + "-def.xml")
        with open(path, "w", encoding="utf-8") as f:
            f.write(kvmt.GUEST_XML % {"name": name, "dir": guest_dir,
                                      "serial": serial})
        self.virsh("define", path)
        return serial

    def start_guest(self, name):
        serial = self.define_guest(name)
        self.virsh("start", name)
        # Hotplug wants a guest that has booted (ACPI answers unplug).
        deadline = time.monotonic() + 60
        while "VMM-TEST-GUEST-READY" not in kvmt.KvmDriverTest.read(serial):
            if time.monotonic() > deadline:
                self.fail("the test guest did not boot")
            time.sleep(0.2)

    def blklist(self, name, *extra):
        out = self.virsh("domblklist", name, *extra).stdout
        return [line.split() for line in out.splitlines() if line.strip()]

    def iflist(self, name):
        out = self.virsh("domiflist", name).stdout
        return [line.split() for line in out.splitlines() if line.strip()]

    # ---- disks ----

    def test_disk_live(self):
        self.start_guest("g")
        img = self.image("data.qcow2")
        self.virsh("attach-disk", "g", img, "vdb", "--driver", "qemu",
                   "--subdriver", "qcow2", "--targetbus", "virtio")
        self.assertIn(["vdb", img], self.blklist("g"))
        self.assertIn(["file", "disk", "vdb", img],
                      self.blklist("g", "--details"))
        xml = self.virsh("dumpxml", "g").stdout
        self.assertIn("<target dev='vdb' bus='virtio'/>", xml)
        # Live only: the stored definition does not have it.
        self.assertNotIn(img, self.virsh("dumpxml", "--inactive",
                                         "g").stdout)

        out = self.virsh("domblkstat", "g", "vdb").stdout
        self.assertRegex(out, r"vdb rd_req \d+")
        self.assertRegex(out, r"vdb wr_bytes \d+")
        self.assertEqual(out.replace("vdb ", img + " "),
                         self.virsh("domblkstat", "g", img).stdout)

        res = self.virsh("attach-disk", "g", self.image("other.qcow2"),
                         "vdb", "--subdriver", "qcow2", check=False)
        self.assertNotEqual(res.returncode, 0)
        self.assertIn("target vdb already exists", res.stderr)

        self.virsh("detach-disk", "g", "vdb")
        self.assertNotIn("vdb", [r[0] for r in self.blklist("g")])
        res = self.virsh("domblkstat", "g", "vdb", check=False)
        self.assertNotEqual(res.returncode, 0)
        # QEMU freed the back end: the same image can come back.
        self.virsh("attach-disk", "g", img, "vdc", "--subdriver", "qcow2")
        self.assertIn(["vdc", img], self.blklist("g"))

    def test_disk_config(self):
        self.define_guest("c")
        img = self.image("cfg.qcow2")
        self.virsh("attach-disk", "c", img, "vdb", "--subdriver", "qcow2",
                   "--config")
        self.assertIn(["vdb", img], self.blklist("c", "--inactive"))
        stored = os.path.join(self.root, "etc", "vmm", "qemu", "c.xml")
        with open(stored, encoding="utf-8") as f:
            self.assertIn(img, f.read())
        res = self.virsh("attach-disk", "c", img, "vdb", "--config",
                         check=False)
        self.assertIn("target vdb already exists", res.stderr)
        res = self.virsh("attach-disk", "c", img, "vdc", "--live",
                         check=False)
        self.assertNotEqual(res.returncode, 0)
        self.assertIn("not running", res.stderr)
        self.virsh("detach-disk", "c", "vdb", "--config")
        self.assertEqual(self.blklist("c", "--inactive"), [])
        res = self.virsh("detach-disk", "c", "vdb", "--config", check=False)
        self.assertNotEqual(res.returncode, 0)

    # ---- interfaces ----

    def attach_xml(self, name, xml, *flags, command="attach-device",
                   check=True):
        path = os.path.join(self.root, "dev.xml")
        with open(path, "w", encoding="utf-8") as f:
            f.write(xml)
        return self.virsh(command, name, path, *flags, check=check)

    def test_interface_user_live(self):
        # virsh 9.0's attach-interface has no type 'user': attach-device.
        self.start_guest("n")
        mac = "52:54:00:aa:bb:01"
        self.attach_xml("n", USER_NET_XML % (mac, "virtio"))
        rows = self.iflist("n")
        self.assertEqual(rows, [["-", "user", "-", "virtio", mac]])
        self.assertIn("<mac address='%s'/>" % mac,
                      self.virsh("dumpxml", "n").stdout)
        self.assertNotIn(mac, self.virsh("dumpxml", "--inactive",
                                         "n").stdout)

        res = self.attach_xml("n", USER_NET_XML % (mac, "e1000"),
                              check=False)
        self.assertNotEqual(res.returncode, 0)
        self.assertIn("MAC address %s already exists" % mac, res.stderr)

        res = self.virsh("domifstat", "n", mac, check=False)
        self.assertNotEqual(res.returncode, 0)
        self.assertIn("not available for interfaces of type 'user'",
                      res.stderr)

        # A second one gets the next free ids in QEMU; after a detach the
        # freed ids are used again.
        self.attach_xml("n", USER_NET_XML % ("52:54:00:aa:bb:02", "e1000"))
        self.assertEqual(len(self.iflist("n")), 2)
        self.virsh("detach-interface", "n", "user", "--mac", mac)
        self.assertEqual([r[-1] for r in self.iflist("n")],
                         ["52:54:00:aa:bb:02"])
        self.attach_xml("n", USER_NET_XML % (mac, "virtio"))
        self.assertEqual(len(self.iflist("n")), 2)
        self.attach_xml("n", USER_NET_XML % (mac, "virtio"),
                        command="detach-device")
        self.assertEqual(len(self.iflist("n")), 1)

    def test_interface_tap_live(self):
        self.start_guest("t")
        mac = "52:54:00:aa:bb:04"
        tap = "vmmtap%d" % (os.getpid() % 10000)
        # virsh 9.0's attach-interface has no type 'ethernet' either.
        self.attach_xml("t", TAP_NET_XML % (mac, tap))
        self.assertEqual(self.iflist("t"),
                         [[tap, "ethernet", "-", "virtio", mac]])
        out = self.virsh("domifstat", "t", tap).stdout
        self.assertRegex(out, r"%s rx_bytes \d+" % tap)
        self.assertRegex(out, r"%s tx_drop \d+" % tap)
        self.virsh("detach-interface", "t", "ethernet", "--mac", mac)
        self.assertEqual(self.iflist("t"), [])
        self.assertFalse(os.path.exists("/sys/class/net/" + tap))

    def test_interface_config(self):
        self.define_guest("ic")
        mac = "52:54:00:aa:bb:03"
        self.attach_xml("ic", USER_NET_XML % (mac, "virtio"), "--config")
        out = self.virsh("domiflist", "ic", "--inactive").stdout
        self.assertIn(mac, out)
        self.virsh("detach-interface", "ic", "user", "--mac", mac,
                   "--config")
        self.assertNotIn(mac, self.virsh("domiflist", "ic",
                                         "--inactive").stdout)

    def test_unsupported_device(self):
        self.define_guest("u")
        path = os.path.join(self.root, "video.xml")
        with open(path, "w", encoding="utf-8") as f:
            f.write("<video><model type='vga'/></video>")
        res = self.virsh("attach-device", "u", path, "--config",
                         check=False)
        self.assertNotEqual(res.returncode, 0)
        self.assertIn("only one <disk> or <interface>", res.stderr)

    # ---- statistics ----

    def test_domstats(self):
        self.start_guest("s")
        self.define_guest("off")
        img = self.image("st.qcow2")
        self.attach_xml("s", DISK_XML % (img, "vdb"))
        tap = "vmmst%d" % (os.getpid() % 10000)
        self.attach_xml("s", TAP_NET_XML % ("52:54:00:aa:bb:05", tap))

        out = self.virsh("domstats", "s").stdout
        self.assertIn("Domain: 's'", out)
        fields = dict(line.strip().split("=", 1) for line in
                      out.splitlines() if "=" in line)
        self.assertEqual(fields["state.state"], "1")
        self.assertGreater(int(fields["cpu.time"]), 0)
        self.assertIn("cpu.user", fields)
        self.assertEqual(fields["balloon.maximum"], "131072")
        self.assertEqual(fields["vcpu.current"], "1")
        self.assertEqual(fields["vcpu.maximum"], "1")
        self.assertEqual(fields["vcpu.0.state"], "1")
        self.assertGreater(int(fields["vcpu.0.time"]), 0)
        self.assertEqual(fields["net.count"], "1")
        self.assertEqual(fields["net.0.name"], tap)
        self.assertIn("net.0.rx.bytes", fields)
        self.assertEqual(fields["block.count"], "1")
        self.assertEqual(fields["block.0.name"], "vdb")
        self.assertEqual(fields["block.0.path"], img)
        self.assertIn("block.0.rd.reqs", fields)

        # Only some groups; every domain, including a shut off one.
        out = self.virsh("domstats", "--state", "--block").stdout
        self.assertIn("Domain: 'off'", out)
        self.assertIn("state.state=5", out)
        self.assertNotIn("cpu.time", out)
        self.assertIn("block.0.name=vdb", out)
        out = self.virsh("domstats", "--list-shutoff", "--state").stdout
        self.assertIn("Domain: 'off'", out)
        self.assertNotIn("Domain: 's'", out)

        script = """
import sys, libvirt
conn = libvirt.open(sys.argv[1])
recs = conn.getAllDomainStats(libvirt.VIR_DOMAIN_STATS_STATE |
                              libvirt.VIR_DOMAIN_STATS_VCPU)
names = sorted(d.name() for d, _ in recs)
assert names == ['off', 's'], names
st = dict((d.name(), p) for d, p in recs)
assert st['s']['state.state'] == libvirt.VIR_DOMAIN_RUNNING, st
assert st['s']['vcpu.current'] == 1, st
one = conn.domainListGetStats([conn.lookupByName('s')],
                              libvirt.VIR_DOMAIN_STATS_BLOCK)
assert one[0][1]['block.0.name'] == 'vdb', one
print('ok')
"""
        res = subprocess.run(["/usr/bin/python3", "-c", script, self.uri],
                             capture_output=True, text=True, timeout=120)
        self.assertEqual(res.returncode, 0, res.stdout + res.stderr)

    # ---- domain capabilities ----

    def test_domcapabilities(self):
        out = self.virsh("domcapabilities", "--virttype", "qemu").stdout
        caps = ET.fromstring(out)
        self.assertEqual(caps.tag, "domainCapabilities")
        self.assertRegex(caps.findtext("path"), r"/qemu-system-x86_64$")
        self.assertEqual(caps.findtext("domain"), "qemu")
        self.assertEqual(caps.findtext("arch"), "x86_64")
        self.assertRegex(caps.findtext("machine"), r"^pc-i440fx-")
        self.assertGreaterEqual(int(caps.find("vcpu").get("max")), 1)
        loader = caps.find("os/loader")
        self.assertEqual(loader.get("supported"), "yes")
        self.assertEqual([v.text for v in loader.findall(
            "enum[@name='type']/value")], ["rom", "pflash"])
        modes = {m.get("name"): m.get("supported")
                 for m in caps.findall("cpu/mode")}
        self.assertEqual(modes["maximum"], "yes")
        self.assertIn("qemu64", [m.text for m in caps.findall(
            "cpu/mode[@name='custom']/model")])
        buses = [v.text for v in caps.findall(
            "devices/disk/enum[@name='bus']/value")]
        self.assertIn("virtio", buses)
        self.assertIn("ide", buses)
        self.assertIn("vga", [v.text for v in caps.findall(
            "devices/video/enum[@name='modelType']/value")])
        self.assertIn("vnc", [v.text for v in caps.findall(
            "devices/graphics/enum[@name='type']/value")])
        self.assertEqual(caps.find("devices/hostdev").get("supported"), "no")

        q35 = ET.fromstring(self.virsh("domcapabilities", "--virttype",
                                       "qemu", "--machine", "q35").stdout)
        self.assertRegex(q35.findtext("machine"), r"^pc-q35-")
        self.assertNotIn("ide", [v.text for v in q35.findall(
            "devices/disk/enum[@name='bus']/value")])
        res = self.virsh("domcapabilities", "--machine", "nope",
                         "--virttype", "qemu", check=False)
        self.assertNotEqual(res.returncode, 0)
        self.assertIn("machine 'nope' is not supported", res.stderr)
        res = self.virsh("domcapabilities", "--arch", "aarch64", check=False)
        self.assertNotEqual(res.returncode, 0)
        self.assertIn("does not support arch 'aarch64'", res.stderr)

    # ---- our own shell ----

    def vsh(self, *args, check=True):
        res = subprocess.run([VSH, "-q", "-c", self.uri] + list(args),
                             capture_output=True, text=True, timeout=90)
        if check and res.returncode != 0:
            self.fail("vsh %s failed: %s%s" % (" ".join(args), res.stdout,
                                                res.stderr))
        return res

    def test_vsh(self):
        self.start_guest("v")
        img = self.image("vsh.qcow2")
        self.vsh("attach-disk", "v", img, "vdb", "--subdriver", "qcow2",
                 "--targetbus", "virtio")
        # The same layout as virsh's.
        self.assertEqual(self.vsh("domblklist", "v").stdout,
                         self.virsh("domblklist", "v").stdout)
        self.assertEqual(self.vsh("domblklist", "v", "--details").stdout,
                         self.virsh("domblklist", "v", "--details").stdout)
        # The guest probes the new disk by itself, so its counters may move
        # between the two calls: compare once they hold still.
        deadline = time.monotonic() + 30
        while True:
            ours = self.vsh("domblkstat", "v", "vdb").stdout
            theirs = self.virsh("domblkstat", "v", "vdb").stdout
            if ours == theirs or time.monotonic() > deadline:
                break
            time.sleep(0.5)
        self.assertEqual(ours, theirs)
        res = self.vsh("attach-disk", "v", img, "vdb", check=False)
        self.assertNotEqual(res.returncode, 0)
        self.assertIn("target vdb already exists", res.stderr)

        mac = "52:54:00:aa:bb:06"
        self.vsh("attach-interface", "v", "user", "-", "--mac", mac,
                 "--model", "virtio")
        self.assertEqual(self.vsh("domiflist", "v").stdout,
                         self.virsh("domiflist", "v").stdout)
        res = self.vsh("domifstat", "v", mac, check=False)
        self.assertIn("not available for interfaces of type 'user'",
                      res.stderr)

        out = self.vsh("domstats", "v").stdout
        self.assertIn("Domain: 'v'", out)
        for field in ("state.state=1", "cpu.time=", "balloon.current=",
                      "vcpu.current=1", "net.count=1", "block.0.name=vdb"):
            self.assertIn(field, out)
        self.assertEqual(self.vsh("domstats", "--state").stdout,
                         self.virsh("domstats", "--state").stdout)
        self.define_guest("w")
        self.assertEqual(self.vsh("domstats", "--state", "--balloon").stdout,
                         self.virsh("domstats", "--state",
                                    "--balloon").stdout)

        self.vsh("detach-interface", "v", "user")
        self.vsh("detach-disk", "v", "vdb")
        self.assertEqual(self.vsh("domblklist", "v").stdout.strip(), "")
        self.assertEqual(self.vsh("domiflist", "v").stdout.strip(), "")

        caps = ET.fromstring(self.vsh("domcapabilities", "--virttype",
                                      "qemu").stdout)
        self.assertEqual(caps.findtext("domain"), "qemu")

    # ---- python3-libvirt ----

    def test_python(self):
        self.start_guest("p")
        img = self.image("py.qcow2")
        script = """
import sys, libvirt
conn = libvirt.open(sys.argv[1])
dom = conn.lookupByName('p')
dom.attachDeviceFlags(sys.argv[2], libvirt.VIR_DOMAIN_AFFECT_LIVE)
st = dom.blockStats('vdd')
assert len(st) == 5 and st[0] >= 0 and st[4] == -1, st
try:
    dom.blockStats('vdz')
    raise SystemExit('no error for vdz')
except libvirt.libvirtError as e:
    assert 'invalid path' in str(e), str(e)
dom.detachDeviceFlags(sys.argv[2], libvirt.VIR_DOMAIN_AFFECT_LIVE)
print('ok', st)
"""
        res = subprocess.run(["/usr/bin/python3", "-c", script, self.uri,
                              DISK_XML % (img, "vdd")],
                             capture_output=True, text=True, timeout=120)
        self.assertEqual(res.returncode, 0, res.stdout + res.stderr +
                         self.daemon.read_log()[-2000:])
        self.assertNotIn("vdd", [r[0] for r in self.blklist("p")])


if __name__ == "__main__":
    tap_unittest.main()
