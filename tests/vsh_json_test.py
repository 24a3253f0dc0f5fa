#!/usr/bin/python3
"""vsh_json_test.py: the JSON shapes of `vsh --json` (documented in
docs/vsh.md), read back with Python's json module."""
import json
import os
import sys

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import tap_unittest  # noqa: E402
from vsh_testlib import VshTestCase, WEB1_UUID  # noqa: E402

TEST_UUID = "6695eb01-f6a4-8304-79aa-97f2502e193f"


class JsonTest(VshTestCase):
    def json_ok(self, *args, **kwargs):
        return json.loads(self.ok(*args, **kwargs))

    def test_list(self):
        doc = self.json_ok("--json", "list")
        self.assertEqual(doc, [{"id": 1, "name": "test", "uuid": TEST_UUID,
                                "state": "running", "persistent": True,
                                "autostart": False}])

    def test_list_all_with_title(self):
        doc = self.json_ok("--json", "define %s; list --all --title" %
                           self.domain_xml())
        self.assertEqual([e["command"] for e in doc], ["define", "list"])
        self.assertIn("Domain 'web1' defined from", doc[0]["result"]["output"])
        self.assertEqual(doc[1]["result"][1], {
            "id": None, "name": "web1", "uuid": WEB1_UUID,
            "state": "shut off", "persistent": True, "autostart": False,
            "title": ""})

    def test_dominfo(self):
        doc = self.json_ok("--json", "dominfo", "test")
        self.assertEqual(sorted(doc), sorted([
            "id", "name", "uuid", "os_type", "state", "cpus", "cpu_time_ns",
            "max_memory_kib", "used_memory_kib", "persistent", "autostart",
            "managed_save"]))
        self.assertEqual((doc["id"], doc["name"], doc["uuid"], doc["state"]),
                         (1, "test", TEST_UUID, "running"))
        self.assertIsInstance(doc["max_memory_kib"], int)
        self.assertIs(doc["persistent"], True)
        self.assertIs(doc["managed_save"], False)

    def test_domstate(self):
        self.assertEqual(self.json_ok("--json", "domstate", "test"),
                         {"state": "running", "reason": "booted"})

    def test_identity(self):
        self.assertEqual(self.json_ok("--json", "domid", "test"), {"id": 1})
        self.assertEqual(self.json_ok("--json", "domname", "1"),
                         {"name": "test"})
        self.assertEqual(self.json_ok("--json", "domuuid", "test"),
                         {"uuid": TEST_UUID})
        doc = self.json_ok("--json", "define %s; domid web1" %
                           self.domain_xml())
        self.assertEqual(doc[1], {"command": "domid", "result": {"id": None}})

    def test_vcpucount(self):
        self.assertEqual(self.json_ok("--json", "vcpucount", "test"), {
            "maximum": {"config": 2, "live": 2},
            "current": {"config": 2, "live": 2}})
        self.assertEqual(
            self.json_ok("--json", "vcpucount", "test", "--active", "--live"),
            {"current": {"live": 2}})

    def test_host(self):
        doc = self.json_ok("--json", "nodeinfo")
        self.assertEqual(list(doc), [
            "cpu_model", "cpus", "cpu_frequency_mhz", "cpu_sockets",
            "cores_per_socket", "threads_per_core", "numa_cells",
            "memory_kib"])
        self.assertIsInstance(doc["cpus"], int)
        doc = self.json_ok("--json", "version")
        self.assertEqual(doc["compiled_against"], "0.1.0")
        self.assertEqual(doc["library"], "0.1.0")
        self.assertEqual(doc["api"], {"type": "TEST", "version": "0.1.0"})
        self.assertEqual(doc["hypervisor"]["type"], "TEST")
        self.assertEqual(self.json_ok("--json", "uri"),
                         {"uri": "test:///default"})
        self.assertIn("hostname", self.json_ok("--json", "hostname"))

    def test_per_command_option(self):
        # without the global option only that command prints JSON
        out = self.ok("-q", "domid test; domstate test --json; domname 1")
        first, rest = out.split("\n", 1)
        self.assertEqual(first, "1")
        doc, end = json.JSONDecoder().raw_decode(rest)
        self.assertEqual(doc, {"state": "running", "reason": "booted"})
        self.assertEqual(rest[end:].strip(), "test")
        for cmd in ("list", "dominfo test", "nodeinfo", "version", "uri",
                    "hostname", "vcpucount test", "domuuid test"):
            json.loads(self.ok(*(cmd + " --json").split()))

    def test_text_commands_give_output(self):
        doc = self.json_ok("--json", "capabilities")
        self.assertIn("<capabilities>", doc["output"])
        doc = self.json_ok("--json", "-q", "suspend test")
        self.assertEqual(doc, {"output": ""})
        doc = self.json_ok("--json", "suspend test")
        self.assertEqual(doc, {"output": "Domain 'test' suspended\n"})

    def test_script_is_one_array(self):
        doc = self.json_ok("--json", stdin="list\ndomstate test\n\n"
                                           "suspend test; domstate test\n")
        self.assertEqual([e["command"] for e in doc],
                         ["list", "domstate", "suspend", "domstate"])
        self.assertEqual(doc[3]["result"]["state"], "paused")

    def test_error_object(self):
        rc, out, err = self.run_vsh("--json", "dominfo", "nosuch")
        self.assertEqual(rc, 1)
        self.assertEqual(json.loads(out), {"error": {
            "messages": ["failed to get domain 'nosuch'",
                         "Domain not found: no domain with matching name "
                         "'nosuch'"],
            "code": 42, "domain": 20}})
        self.assertEqual(err, "error: failed to get domain 'nosuch'\n"
                              "error: Domain not found: no domain with "
                              "matching name 'nosuch'\n")

    def test_error_in_script(self):
        rc, out, err = self.run_vsh("--json", stdin="domid test\nbogus\n"
                                                    "start test\ndomid 1\n")
        self.assertEqual(rc, 1)
        doc = json.loads(out)
        self.assertEqual(doc[0], {"command": "domid", "result": {"id": 1}})
        self.assertEqual(doc[1], {"command": None, "error": {
            "messages": ["unknown command: 'bogus'"],
            "code": None, "domain": None}})
        self.assertEqual(doc[2]["command"], "start")
        self.assertEqual(doc[2]["error"]["code"], 55)
        self.assertEqual(doc[3]["result"], {"id": 1})

    def test_strings_are_escaped(self):
        # several argv words are taken as they are, with no quoting
        title = 'q"uote \\ back\ttab\x01ctl\x7f é 日本 \U0001F600'
        doc = self.json_ok("--json", "desc", "test", "--title", "--new-desc",
                           title, ";", "list", "--title")
        self.assertEqual(doc[1]["result"][0]["title"], title)
        # bytes that are not UTF-8 (passed through argv) become U+FFFD
        doc = self.json_ok("--json", "desc", "test", "--title", "--new-desc",
                           "ab\udcffcd\udcc3", ";", "list", "--title")
        self.assertEqual(doc[1]["result"][0]["title"], "ab\ufffdcd\ufffd")
        doc = self.json_ok("--json", "desc", "test", "multi\nline\n\"x\"")
        self.assertEqual(doc["output"],
                         "Domain description updated successfully\n")


if __name__ == "__main__":
    tap_unittest.main()
