#!/usr/bin/python3
"""rpc_structs_test.py: the wire summaries generated from src/rpc/*.x at
build time must equal the reviewed copies in tests/rpcdata/.

A difference means the bytes on the wire changed: a field moved, a type or
a limit changed, a procedure was renumbered. That breaks stock libvirt
clients unless it is exactly what libvirt does, so the test fails and shows
the diff. When the change is meant (a procedure added, say), update the
copy and let the diff be reviewed with the change:

    VMM_TEST_REGENERATE=1 make check TESTS=tests/rpc_structs_test.py
"""

import difflib
import os
import shutil
import sys

PROTOCOLS = ("net", "keepalive", "remote")


def paths(name):
    src = os.environ.get("abs_top_srcdir", os.path.join(
        os.path.dirname(os.path.abspath(__file__)), ".."))
    build = os.environ.get("abs_top_builddir", src)
    return (os.path.join(build, "src", "rpc", "vmm_%s_protocol.structs" % name),
            os.path.join(src, "tests", "rpcdata", "%s_protocol.structs" % name))


def check(number, name):
    generated, reviewed = paths(name)
    label = "%s protocol wire summary unchanged" % name
    if os.environ.get("VMM_TEST_REGENERATE") == "1":
        shutil.copyfile(generated, reviewed)
        print("ok %d - %s # regenerated %s" % (number, label, reviewed))
        return True
    with open(generated, encoding="utf-8") as f:
        new = f.readlines()
    with open(reviewed, encoding="utf-8") as f:
        old = f.readlines()
    if new == old:
        print("ok %d - %s" % (number, label))
        return True
    print("not ok %d - %s" % (number, label))
    for line in difflib.unified_diff(old, new, reviewed, generated):
        print("# " + line.rstrip("\n"))
    print("# The wire format of src/rpc/vmm_%s_protocol.x changed. If that "
          "is intended, update the reviewed copy:" % name)
    print("#   VMM_TEST_REGENERATE=1 make check "
          "TESTS=tests/rpc_structs_test.py")
    print("# (or cp %s %s) and commit it with the change." % (generated,
                                                             reviewed))
    return False


def main():
    print("1..%d" % len(PROTOCOLS))
    results = [check(i + 1, name) for i, name in enumerate(PROTOCOLS)]
    return 0 if all(results) else 1


if __name__ == "__main__":
    sys.exit(main())
