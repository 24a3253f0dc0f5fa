"""polkit_acl_test.py: the access rules of the remote protocol against
what daemon/vmmd_access.c and daemon/org.vmm.policy assume of them.

- Every rule's polkit action (org.vmm.api.OBJECT.PERM, '_' as '-') is
  declared in org.vmm.policy, or polkitd would refuse to answer for it.
- Every flag a rule condition names is in vmmd_access.c's flag table.
- A procedure with a flag condition has "unsigned int flags" as its last
  argument (vmmd_access.c reads it from the end of the payload).
- Where vmmd_access.c looks for a rule's object by the procedure's name
  (first argument, answer of a *_LOOKUP_BY_*, definition of a
  *_CREATE_XML / *_DEFINE_XML*) that is where the .x puts it; the
  procedures for which it is not are in accessUnlocatable, and those
  where a snapshot stands first (its domain is used) in
  accessSnapshotFirst.
Needs no privilege.
"""
import os
import re
import sys
import xml.etree.ElementTree as ET

SRCDIR = os.environ.get("abs_top_srcdir",
                        os.path.join(os.path.dirname(
                            os.path.abspath(__file__)), ".."))
PROTOCOL = os.path.join(SRCDIR, "src", "rpc", "vmm_remote_protocol.x")
ACCESS_C = os.path.join(SRCDIR, "daemon", "vmmd_access.c")
POLICY = os.path.join(SRCDIR, "daemon", "org.vmm.policy")

OBJECTS = {
    "domain": ("DOMAIN_", "remote_nonnull_domain"),
    "network": ("NETWORK_", "remote_nonnull_network"),
    "storage_pool": ("STORAGE_POOL_", "remote_nonnull_storage_pool"),
    "storage_vol": ("STORAGE_VOL_", "remote_nonnull_storage_vol"),
}
XML_PROCS = ("CREATE_XML", "DEFINE_XML", "DEFINE_XML_FLAGS")


def read(path):
    with open(path, encoding="utf-8") as f:
        return f.read()


def parse_protocol():
    """(procedures [(name, number, acl, aclfilter)], structs {name: [member
    declarations]})."""
    text = read(PROTOCOL)
    structs = {}
    for m in re.finditer(r"struct\s+(\w+)\s*\{(.*?)\};", text, re.S):
        structs[m.group(1)] = [" ".join(d.split()) for d in
                               m.group(2).split(";") if d.strip()]
    procs = []
    for m in re.finditer(r"/\*((?:(?!\*/).)*?)\*/\s*REMOTE_PROC_(\w+)\s*="
                         r"\s*(\d+)", text, re.S):
        ann, name, number = m.groups()
        acl = [r for r in re.findall(r"@acl:\s*(\S+)", ann) if r != "none"]
        aclfilter = re.findall(r"@aclfilter:\s*(\S+)", ann)
        procs.append((name, int(number), acl, aclfilter))
    return procs, structs


def c_table(name):
    """The body of the C array @name in vmmd_access.c."""
    m = re.search(r"\b%s\[\]\s*=\s*\{(.*?)\n\};" % name, read(ACCESS_C),
                  re.S)
    if not m:
        raise AssertionError("no table %s in vmmd_access.c" % name)
    return m.group(1)


def action_name(obj, perm):
    return "org.vmm.api.%s.%s" % (obj.replace("_", "-"),
                                  perm.replace("_", "-"))


def check_policy(procs, structs):
    declared = {a.get("id") for a in ET.parse(POLICY).getroot()
                .iter("action")}
    problems = []
    for name, _, acl, aclfilter in procs:
        for rule in acl + aclfilter:
            obj, perm = rule.split(":")[:2]
            if action_name(obj, perm) not in declared:
                problems.append("%s: %s not in org.vmm.policy" %
                                (name, action_name(obj, perm)))
    for needed in ("org.vmm.unix.manage", "org.vmm.unix.monitor"):
        if needed not in declared:
            problems.append(needed + " not in org.vmm.policy")
    return problems


def check_flags(procs, structs):
    known = set(re.findall(r'"(VIR_\w+)"', c_table("accessFlags")))
    problems = []
    for name, _, acl, _ in procs:
        conditions = [r.split(":")[2] for r in acl if r.count(":") == 2]
        if not conditions:
            continue
        args = structs.get("remote_%s_args" % name.lower(), [])
        if not args or args[-1] != "unsigned int flags":
            problems.append("%s: flags is not its last argument" % name)
        for cond in conditions:
            for flag in cond.lstrip("!").split("|"):
                if flag not in known:
                    problems.append("%s: flag %s unknown to vmmd_access.c" %
                                    (name, flag))
    return problems


def first_type(structs, struct):
    members = structs.get(struct, [])
    return members[0].split()[0] if members else None


def check_objects(procs, structs):
    unlocatable = set(re.findall(r"REMOTE_PROC_(\w+)",
                                 c_table("accessUnlocatable")))
    snapshot_first = set(re.findall(r"REMOTE_PROC_(\w+)",
                                    c_table("accessSnapshotFirst")))
    problems = []
    for name, _, acl, _ in procs:
        for obj in {r.split(":")[0] for r in acl} - {"connect"}:
            prefix, wire_type = OBJECTS[obj]
            if obj == "domain" and name in snapshot_first:
                wire_type = "remote_nonnull_domain_snapshot"
            if not name.startswith(prefix) or name in unlocatable:
                continue
            rest = name[len(prefix):]
            if "LOOKUP_BY_" in rest:
                where, found = "answer", first_type(
                    structs, "remote_%s_ret" % name.lower())
            elif rest in XML_PROCS and obj == "storage_vol":
                continue  # made in a pool: refused (no xmlRoot)
            elif rest in XML_PROCS:
                where, found = "definition", first_type(
                    structs, "remote_%s_args" % name.lower())
                wire_type = "remote_nonnull_string"
            else:
                where, found = "first argument", first_type(
                    structs, "remote_%s_args" % name.lower())
            if found != wire_type:
                problems.append("%s: %s rule expects the %s to be %s, the "
                                ".x has %s" % (name, obj, where, wire_type,
                                               found))
    for proc in unlocatable:
        if proc not in {p[0] for p in procs}:
            problems.append("accessUnlocatable names unknown " + proc)
    return problems


def main():
    procs, structs = parse_protocol()
    checks = [
        ("every rule's action is declared in org.vmm.policy", check_policy),
        ("flag conditions: known flags, flags the last argument",
         check_flags),
        ("rule objects are where vmmd_access.c looks", check_objects),
    ]
    print("1..%d" % (len(checks) + 1))
    ok = len(procs) > 100 and any(p[2] for p in procs)
    print("%s 1 - the protocol's annotations parse (%d procedures)" %
          ("ok" if ok else "not ok", len(procs)))
    for i, (name, func) in enumerate(checks, 2):
        problems = func(procs, structs)
        print("%s %d - %s" % ("not ok" if problems else "ok", i, name))
        for p in problems:
            print("# " + p)


if __name__ == "__main__":
    main()
