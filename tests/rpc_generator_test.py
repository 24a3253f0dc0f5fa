#!/usr/bin/python3
"""rpc_generator_test.py: unit tests of scripts/rpcgen: the tokenizer, the
parser, the model's checks (each mistake it must catch, with its line) and
the generators, plus facts of our real .x files that libvirt clients
depend on. Prints TAP (tests/tap_unittest.py) for automake's driver.
"""

import os
import sys
import unittest

SRCDIR = os.environ.get("abs_top_srcdir", os.path.join(
    os.path.dirname(os.path.abspath(__file__)), ".."))
sys.path.insert(0, os.path.join(SRCDIR, "scripts", "rpcgen"))
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import tap_unittest  # noqa: E402

import c_api        # noqa: E402
import gen_client   # noqa: E402
import gen_dispatch  # noqa: E402
import gen_procs    # noqa: E402
import gen_structs  # noqa: E402
from xdr_model import XdrError  # noqa: E402
from xdr_parser import parse_file, parse_text, tokenize  # noqa: E402


def x_file(name):
    return os.path.join(SRCDIR, "src", "rpc", "vmm_%s_protocol.x" % name)


# A small program in the style of our .x files.
SAMPLE = """
/* header comment, no annotations */
const DEMO_STRING_MAX = 64;
const DEMO_PROGRAM = 0x1234;
const DEMO_VERSION = 2;
typedef string demo_nonnull_string<DEMO_STRING_MAX>;
typedef demo_nonnull_string *demo_string;
struct demo_thing { demo_nonnull_string name; opaque uuid[16]; int id; };
struct demo_get_args { demo_thing t; unsigned flags; };
struct demo_get_ret { unsigned hyper size; demo_string note; int ids<8>; };
struct demo_changed_msg { int callbackID; demo_thing t; };
%#include "passed-to-rpcgen.h"
/* @program: DEMO_PROGRAM DEMO_VERSION */
enum demo_procedure {
    /* @generate: both
     * @readonly: yes
     * @priority: high
     * @acl: thing:read
     */
    DEMO_PROC_GET = 1,

    /* @generate: none
     * @readonly: yes
     * @acl: none
     */
    DEMO_PROC_CHANGED = 3,

    /* @generate: server
     * @readonly: no
     * @stream: write
     * @acl: thing:write
     * @acl: thing:save:DEMO_FLAG
     * @aclfilter: thing:getattr
     */
    DEMO_PROC_PUT = 2
};
"""


class TokenizerTest(unittest.TestCase):
    def test_kinds_and_lines(self):
        toks = tokenize("const A = 0x10;\n/* c */\nenum b { B = -1 };")
        self.assertEqual([t.text for t in toks[:5]],
                         ["const", "A", "=", "0x10", ";"])
        self.assertEqual(toks[0].kind, "keyword")
        self.assertEqual(toks[1].kind, "ident")
        self.assertEqual(toks[3].kind, "number")
        self.assertEqual(toks[5].line, 3)
        self.assertEqual(toks[5].comments, ["/* c */"])
        self.assertIn("-1", [t.text for t in toks])
        self.assertEqual(toks[-1].kind, "eof")

    def test_passthrough_lines_skipped(self):
        toks = tokenize("%#include <x.h>\n  %foo bar\nconst A = 1;")
        self.assertEqual(toks[0].text, "const")
        self.assertEqual(toks[0].line, 3)

    def test_annotations_collected_with_lines(self):
        toks = tokenize("/* @generate: both\n * @acl: a:b */\nX")
        anns = toks[0].annotations
        self.assertEqual([(a.key, a.value, a.line) for a in anns],
                         [("generate", "both", 1), ("acl", "a:b", 2)])

    def test_mid_line_at_is_not_an_annotation(self):
        toks = tokenize('/* write "@key: value" lines */ X')
        self.assertEqual(toks[0].annotations, [])

    def test_errors(self):
        for text, msg in (("const A = 1; $", "unexpected character"),
                          ("/* never closed", "unterminated comment"),
                          ("#define A 1", "preprocessor")):
            with self.assertRaises(XdrError) as cm:
                tokenize(text, "t.x")
            self.assertIn(msg, str(cm.exception))
            self.assertTrue(str(cm.exception).startswith("t.x:1:"))


class ParserTest(unittest.TestCase):
    def setUp(self):
        self.p = parse_text(SAMPLE, "demo.x")

    def test_constants_resolved(self):
        self.assertEqual(self.p.consts["DEMO_PROGRAM"].value.resolved, 0x1234)

    def test_declaration_shapes(self):
        ret = self.p.types["demo_get_ret"]
        size, note, ids = ret.fields
        self.assertEqual((size.type_name, size.shape),
                         ("unsigned hyper", "plain"))
        self.assertEqual((note.type_name, note.shape), ("demo_string",
                                                        "plain"))
        self.assertEqual((ids.type_name, ids.shape, ids.size.resolved),
                         ("int", "var", 8))
        thing = self.p.types["demo_thing"]
        self.assertEqual((thing.fields[1].type_name, thing.fields[1].shape,
                          thing.fields[1].size.resolved),
                         ("opaque", "fixed", 16))
        opt = self.p.types["demo_string"].decl
        self.assertEqual((opt.type_name, opt.shape),
                         ("demo_nonnull_string", "optional"))
        # "unsigned" alone is an unsigned int.
        self.assertEqual(self.p.types["demo_get_args"].fields[1].type_name,
                         "unsigned int")

    def test_program_and_procedures(self):
        prog = self.p.program()
        self.assertEqual((prog.number, prog.version, prog.prefix),
                         (0x1234, 2, "demo"))
        get, put, changed = prog.procedures     # sorted by number
        self.assertEqual((get.number, get.name), (1, "GET"))
        self.assertEqual(get.args.name, "demo_get_args")
        self.assertEqual(get.ret.name, "demo_get_ret")
        self.assertTrue(get.readonly and get.high_priority)
        self.assertEqual(get.acl, ["thing:read"])
        self.assertEqual((put.number, put.args, put.ret), (2, None, None))
        self.assertFalse(put.readonly or put.high_priority)
        self.assertEqual(put.stream, "write")
        self.assertEqual(put.acl, ["thing:write", "thing:save:DEMO_FLAG"])
        self.assertEqual(put.aclfilter, ["thing:getattr"])
        self.assertTrue(changed.is_event)
        self.assertEqual(changed.acl, [])

    def test_numbers_and_names(self):
        p = parse_text("const A = 010;\nconst B = -0x1F;\nconst C = 0;\n"
                       "struct s { unsigned int version; int program; };")
        self.assertEqual([p.consts[n].value.resolved for n in "ABC"],
                         [8, -31, 0])
        self.assertEqual([f.name for f in p.types["s"].fields],
                         ["version", "program"])

    def test_union(self):
        p = parse_text("""
            const K = 2;
            enum kind { KA = 1, KB = K };
            union u switch (kind k) {
            case KA: int a;
            case KB: case 3: string s<>;
            default: void;
            };""")
        u = p.types["u"]
        self.assertEqual([[v.resolved for v in c.values] for c in u.cases],
                         [[1], [2, 3]])
        self.assertTrue(u.default.is_void())
        self.assertIsNone(u.cases[1].decl.size)


class CheckErrorsTest(unittest.TestCase):
    """Each mistake is refused with a message naming it and its line."""

    def assertRefused(self, text, fragment, line=None):
        with self.assertRaises(XdrError) as cm:
            parse_text(text, "bad.x")
        self.assertIn(fragment, cm.exception.msg)
        if line is not None:
            self.assertEqual(cm.exception.line, line)

    def test_syntax(self):
        self.assertRefused("const A = ;", "expected a number or a constant")
        self.assertRefused("const A = 09;", "malformed number '09'")
        self.assertRefused("struct s { int a };", "expected ';'")
        self.assertRefused("struct s { int a; }", "expected ';'")
        self.assertRefused("struct s { };", "is empty")
        self.assertRefused("program P { } = 1;", "not supported")
        self.assertRefused("struct s { struct t { int a; } x; };",
                           "nested type")

    def test_names(self):
        self.assertRefused("const A = 1;\nconst A = 2;", "defined twice", 2)
        self.assertRefused("struct s { foo a; };", "unknown type 'foo'")
        self.assertRefused("struct s { t a; };\ntypedef int t;",
                           "defined before use")
        self.assertRefused("struct s { int a; int a; };", "two fields")
        self.assertRefused("const A = B;", "unknown constant 'B'")
        self.assertRefused("enum e { A = 1, B = 1 };", "same value")

    def test_shapes(self):
        self.assertRefused("struct s { string a; };", "needs a maximum")
        self.assertRefused("struct s { opaque a; };", "needs a size")
        self.assertRefused("struct s { int a[0]; };", "must be positive")
        self.assertRefused("struct s { void; };", "only allowed in a union")
        self.assertRefused("union u switch (hyper h) { case 1: int a; };",
                           "discriminant")
        self.assertRefused("union u switch (int d) { case 1: int a; "
                           "case 1: int b; };", "appears twice")

    def program(self, annotations, extra=""):
        return ("const P = 1;\nconst V = 1;\n%s"
                "/* @program: P V */\nenum x_procedure {\n"
                "/* %s */\nX_PROC_A = 1\n};\n" % (extra, annotations))

    def test_program_annotations(self):
        ok = "@generate: both\n@readonly: yes\n@acl: none"
        parse_text(self.program(ok))
        self.assertRefused(self.program("@generate: both\n@acl: none"),
                           "lacks '@readonly'")
        self.assertRefused(self.program(ok + "\n@colour: red"),
                           "unknown annotation '@colour'")
        self.assertRefused(self.program(ok.replace("both", "all")),
                           "must be one of none|client|server|both")
        self.assertRefused(self.program(ok + "\n@readonly: no"),
                           "given twice")
        self.assertRefused(self.program(ok.replace("none", "Domain-Read")),
                           "malformed access rule")
        self.assertRefused(self.program(ok + "\n@stream: sideways"),
                           "@stream")

    def test_program_payloads(self):
        ok = "@generate: both\n@readonly: yes\n@acl: none"
        self.assertRefused(self.program(ok, "typedef int x_a_args;\n"),
                           "must be a struct")
        self.assertRefused(
            self.program(ok, "struct x_a_msg { int a; };\n"
                             "struct x_a_ret { int a; };\n"),
            "event")
        # A misspelt payload name would silently empty a payload.
        self.assertRefused(self.program(ok, "struct x_b_args { int a; };\n"),
                           "no procedure uses it")

    def test_misplaced_annotations(self):
        self.assertRefused("/* @acl: none */\nconst A = 1;",
                           "does not precede a procedure", 1)
        self.assertRefused("enum e {\n/* @acl: none */\nA = 1 };",
                           "has no @program", 3)
        self.assertRefused("/* @generate: both */\nenum e { A = 1 };",
                           "only annotation an enum takes")
        self.assertRefused("const P = 1;\n/* @program: P */\n"
                           "enum x_procedure { X_PROC_A = 1 };",
                           "a program and a version")
        self.assertRefused("const P = 1;\nconst V = 1;\n"
                           "/* @program: P V */\n"
                           "enum x_procedure {\n/* @generate: both\n"
                           "@readonly: yes\n@acl: none */\nY_PROC_A = 1 };",
                           "must start with X_PROC_")


class GeneratorTest(unittest.TestCase):
    def setUp(self):
        self.p = parse_text(SAMPLE, "demo.x")

    def test_structs_summary(self):
        text = gen_structs.generate(self.p)
        lines = text.splitlines()
        self.assertEqual(lines[0],
                         "# wire summary of demo.x (generated by "
                         "scripts/rpcgen)")
        for expected in (
                "const DEMO_STRING_MAX = 64",
                "typedef demo_nonnull_string: string<DEMO_STRING_MAX=64>",
                "typedef demo_string: *demo_nonnull_string",
                "struct demo_thing.1 uuid: opaque[16]",
                "struct demo_get_ret.2 ids: int<8>",
                "program demo_procedure = 0x00001234 version 2",
                "proc demo 1 GET args=demo_get_args ret=demo_get_ret",
                "proc demo 2 PUT args=void ret=void stream=write",
                "proc demo 3 CHANGED msg=demo_changed_msg"):
            self.assertIn(expected, lines)
        # Stable: the same input gives the same text.
        self.assertEqual(text, gen_structs.generate(
            parse_text(SAMPLE, "demo.x")))

    def test_structs_summary_shows_a_moved_field(self):
        moved = SAMPLE.replace("demo_thing t; unsigned flags;",
                               "unsigned flags; demo_thing t;")
        self.assertNotEqual(gen_structs.generate(self.p),
                            gen_structs.generate(parse_text(moved, "demo.x")))

    def test_procs_table(self):
        header = gen_procs.generate_header(self.p, "demo_procs")
        self.assertIn("extern const rpcProgramInfo demoProgramInfo;", header)
        source = gen_procs.generate_source(self.p, "demo_procs",
                                           "demo_protocol.h")
        self.assertIn('#include "demo_protocol.h"', source)
        self.assertIn("(xdrproc_t)xdr_demo_get_args", source)
        self.assertIn("sizeof(demo_get_ret)", source)
        self.assertIn("RPC_PROC_STREAM_WRITE", source)
        self.assertIn('"thing:save:DEMO_FLAG"', source)
        self.assertIn(".program = DEMO_PROGRAM", source)
        # Sorted by number whatever the file order.
        self.assertLess(source.index('.name = "PUT"'),
                        source.index('.name = "CHANGED"'))
        self.assertEqual(gen_procs.c_ident("vmm_keepalive"), "vmmKeepalive")


class CommandLineTest(unittest.TestCase):
    """vmm_rpcgen.py as make runs it."""

    def setUp(self):
        import tempfile
        self.tmp = tempfile.TemporaryDirectory()
        self.addCleanup(self.tmp.cleanup)

    def run_main(self, x_text, mode="structs"):
        import contextlib
        import io
        import vmm_rpcgen
        source = os.path.join(self.tmp.name, "demo.x")
        output = os.path.join(self.tmp.name, "out")
        with open(source, "w") as f:
            f.write(x_text)
        err = io.StringIO()
        with contextlib.redirect_stderr(err):
            rc = vmm_rpcgen.main(["vmm_rpcgen.py", mode, source, output])
        return rc, err.getvalue(), output

    def test_writes_output(self):
        rc, err, output = self.run_main(SAMPLE)
        self.assertEqual((rc, err), (0, ""))
        with open(output) as f:
            self.assertIn("proc demo 1 GET", f.read())

    def test_mistake_reported_with_line_and_no_output(self):
        rc, err, output = self.run_main("const A = 1;\nstruct s { b x; };")
        self.assertEqual(rc, 1)
        self.assertRegex(err, r"demo\.x:2: unknown type 'b'")
        self.assertFalse(os.path.exists(output))

    def test_usage(self):
        rc, err, _ = self.run_main(SAMPLE, mode="nonsense")
        self.assertEqual(rc, 2)
        self.assertIn("usage:", err)


class RealProtocolTest(unittest.TestCase):
    """Facts of our .x files that libvirt 9.0 clients rely on."""

    @classmethod
    def setUpClass(cls):
        cls.net = parse_file(x_file("net"))
        cls.keepalive = parse_file(x_file("keepalive"))
        cls.remote = parse_file(x_file("remote"))

    def fields(self, protocol, struct):
        return [(f.name, gen_structs.decl_text(f))
                for f in protocol.types[struct].fields]

    def test_header_and_error_record(self):
        self.assertEqual([n for n, _ in self.fields(
            self.net, "vmm_net_message_header")],
            ["prog", "vers", "proc", "type", "serial", "status"])
        self.assertEqual([n for n, _ in self.fields(self.net,
                                                    "vmm_net_error")],
                         ["code", "domain", "message", "level", "dom",
                          "str1", "str2", "str3", "int1", "int2", "net"])
        self.assertEqual(self.net.consts["VMM_NET_MESSAGE_MAX"].value.resolved,
                         32 * 1024 * 1024)

    def test_programs(self):
        self.assertEqual(self.remote.program().number, 0x20008086)
        self.assertEqual(self.keepalive.program().number, 0x6b656570)
        self.assertEqual([(p.number, p.name)
                          for p in self.keepalive.program().procedures],
                         [(1, "PING"), (2, "PONG")])

    def test_procedure_numbers(self):
        procs = {p.number: p.name for p in self.remote.program().procedures}
        for number, name in ((1, "CONNECT_OPEN"), (60,
                             "CONNECT_SUPPORTS_FEATURE"),
                             (66, "AUTH_LIST"), (212, "DOMAIN_GET_STATE"),
                             (273, "CONNECT_LIST_ALL_DOMAINS"),
                             (318, "DOMAIN_EVENT_CALLBACK_LIFECYCLE"),
                             (350, "DOMAIN_DEFINE_XML_FLAGS"),
                             (361, "CONNECT_UNREGISTER_CLOSE_CALLBACK")):
            self.assertEqual(procs.get(number), name)

    def test_layouts(self):
        self.assertEqual(self.fields(self.remote, "remote_nonnull_domain"),
                         [("name", "remote_nonnull_string"),
                          ("uuid", "remote_uuid"), ("id", "int")])
        self.assertEqual(self.fields(self.remote, "remote_domain_get_info_ret"),
                         [("state", "unsigned char"),
                          ("maxMem", "unsigned hyper"),
                          ("memory", "unsigned hyper"),
                          ("nrVirtCpu", "unsigned short"),
                          ("cpuTime", "unsigned hyper")])
        self.assertEqual(
            self.fields(self.remote, "remote_connect_list_all_domains_ret"),
            [("domains", "remote_nonnull_domain<REMOTE_DOMAIN_LIST_MAX=16384>"),
             ("ret", "unsigned int")])
        self.assertEqual(
            self.fields(self.remote, "remote_domain_set_metadata_args"),
            [("dom", "remote_nonnull_domain"), ("type", "int"),
             ("metadata", "remote_string"), ("key", "remote_string"),
             ("uri", "remote_string"), ("flags", "unsigned int")])

    def test_every_write_call_is_refused_read_only(self):
        writes = {p.name for p in self.remote.program().procedures
                  if not p.readonly}
        for name in ("DOMAIN_CREATE", "DOMAIN_DEFINE_XML", "DOMAIN_UNDEFINE",
                     "DOMAIN_DESTROY", "DOMAIN_SET_METADATA",
                     "DOMAIN_OPEN_CONSOLE"):
            self.assertIn(name, writes)
        for name in ("CONNECT_OPEN", "DOMAIN_GET_XML_DESC",
                     "CONNECT_LIST_ALL_DOMAINS", "AUTH_LIST"):
            self.assertNotIn(name, writes)


API_HEADER = """
/* comment with VMM_EXPORT int vmmNotReal(int); inside */
VMM_EXPORT int vmmThingGetState(vmmDomainPtr domain, int *state,
                                int *reason, unsigned int flags);
VMM_EXPORT char *vmmThingGetXMLDesc(vmmDomainPtr domain,
                                    unsigned int flags);
VMM_EXPORT const char *vmmConnectGetType(vmmConnectPtr conn);
VMM_EXPORT vmmDomainPtr vmmThingLookup(vmmConnectPtr conn,
                                       const char *name);
VMM_EXPORT int vmmThingList(vmmConnectPtr conn, char **const names,
                            int maxnames);
VMM_EXPORT int vmmThingCount(void);
"""

DISPATCH_X = """
const P = 1;
const V = 1;
typedef string remote_nonnull_string<64>;
typedef remote_nonnull_string *remote_string;
struct remote_nonnull_domain { remote_nonnull_string name; opaque uuid[16];
                               int id; };
struct remote_thing_get_state_args { remote_nonnull_domain dom;
                                     unsigned int flags; };
struct remote_thing_get_state_ret { int state; int reason; };
struct remote_thing_get_xml_desc_args { remote_nonnull_domain dom;
                                        unsigned int flags; };
struct remote_thing_get_xml_desc_ret { remote_nonnull_string xml; };
struct remote_thing_lookup_args { remote_nonnull_string name; };
struct remote_thing_lookup_ret { remote_nonnull_domain dom; };
struct remote_thing_list_args { int maxnames; };
struct remote_thing_list_ret { remote_nonnull_string names<16>; };
/* @program: P V */
enum remote_procedure {
    /* @generate: both
     * @readonly: yes
     * @acl: none */
    REMOTE_PROC_THING_GET_STATE = 1,
    /* @generate: server
     * @readonly: yes
     * @acl: none */
    REMOTE_PROC_THING_GET_XML_DESC = 2,
    /* @generate: both
     * @readonly: yes
     * @acl: none */
    REMOTE_PROC_THING_LOOKUP = 3,
    /* @generate: none
     * @readonly: yes
     * @acl: none */
    REMOTE_PROC_THING_LIST = 4
};
"""


class CApiTest(unittest.TestCase):
    def setUp(self):
        self.fns = c_api.parse_header_text(API_HEADER)

    def test_prototypes(self):
        self.assertNotIn("vmmNotReal", self.fns)
        fn = self.fns["vmmThingGetState"]
        self.assertEqual(fn.ret, "int")
        self.assertEqual([(p.type, p.name) for p in fn.params],
                         [("vmmDomainPtr", "domain"), ("int *", "state"),
                          ("int *", "reason"), ("unsigned int", "flags")])
        self.assertEqual(self.fns["vmmThingGetXMLDesc"].ret, "char *")
        self.assertEqual(self.fns["vmmConnectGetType"].ret, "const char *")
        self.assertEqual(self.fns["vmmThingList"].params[1].type,
                         "char **const")
        self.assertEqual(self.fns["vmmThingCount"].params, [])

    def test_find_ignores_case(self):
        self.assertIs(c_api.find_function(self.fns, "vmmthinggetxmldesc"),
                      self.fns["vmmThingGetXMLDesc"])
        self.assertIsNone(c_api.find_function(self.fns, "vmmNothing"))

    def test_real_headers(self):
        fns = c_api.parse_headers(os.path.join(SRCDIR, "include", "vmm"))
        self.assertEqual([p.type for p in fns["vmmDomainGetState"].params],
                         ["vmmDomainPtr", "int *", "int *", "unsigned int"])


class DispatchGeneratorTest(unittest.TestCase):
    def generate(self, x_text=DISPATCH_X, header=API_HEADER):
        return gen_dispatch.generate_source(
            parse_text(x_text, "d.x"), "d_dispatch",
            c_api.parse_header_text(header))

    def test_mapping(self):
        out = self.generate()
        self.assertIn("rv = vmmThingGetState(dom, &out_state, &out_reason, "
                      "args->flags);", out)
        self.assertIn("ret->reason = out_reason;", out)
        self.assertIn("ret->xml = str;", out)
        self.assertIn("result = vmmThingLookup(conn, args->name);", out)
        self.assertIn("rpcDispatchDomainToWire(result, &ret->dom);", out)
        # Failure paths release the handle and keep the error.
        self.assertIn("rpcDispatchDomainRelease(dom);\n        return -1;",
                      out)
        # Only server/both procedures, in the table by number.
        self.assertNotIn("vmmThingList", out)
        self.assertIn("{ 1, remoteDispatchThingGetState },", out)
        self.assertIn("{ 3, remoteDispatchThingLookup },", out)

    def assertRefused(self, x_text, header, fragment):
        with self.assertRaises(XdrError) as cm:
            self.generate(x_text, header)
        self.assertIn(fragment, str(cm.exception))

    def test_refusals(self):
        self.assertRefused(DISPATCH_X.replace("unsigned int flags; };\n"
                                              "struct remote_thing_get_state_ret",
                                              "unsigned int flags; int x; };\n"
                                              "struct remote_thing_get_state_ret"),
                           API_HEADER, "args field 'x' is not used")
        # An int return value fills one number left over, nothing else.
        self.assertRefused(DISPATCH_X.replace("int state; int reason;",
                                              "int state; int reason; "
                                              "remote_nonnull_string extra;"),
                           API_HEADER, "'extra' cannot take an int")
        self.assertRefused(DISPATCH_X.replace("int state; int reason;",
                                              "int state; int reason; "
                                              "int extra; int more;"),
                           API_HEADER, "ret field 'more' is not filled")
        self.assertRefused(DISPATCH_X, API_HEADER.replace("vmmThingLookup",
                                                          "vmmThingFind"),
                           "THING_LOOKUP: no public API function")
        self.assertRefused(DISPATCH_X.replace("@generate: none",
                                              "@generate: server"),
                           API_HEADER, "has no mechanical mapping")
        self.assertRefused(DISPATCH_X.replace(
            "struct remote_thing_get_xml_desc_ret { remote_nonnull_string xml; };",
            "struct remote_thing_get_xml_desc_ret { int xml; };"),
            API_HEADER, "'xml' is not a string")

    def test_real_protocol(self):
        out = gen_dispatch.generate_source(
            parse_file(x_file("remote")), "vmm_remote_dispatch",
            c_api.parse_headers(os.path.join(SRCDIR, "include", "vmm")))
        self.assertIn("vmmDomainCreateWithFlags(dom, args->flags)", out)
        self.assertIn("rpcDispatchDomainToWire(dom, &ret->dom);", out)
        self.assertIn("ret->memory = value;", out)


class ClientGeneratorTest(unittest.TestCase):
    def test_stubs(self):
        protocol = parse_text(DISPATCH_X, "d.x")
        fns = c_api.parse_header_text(API_HEADER)
        # Compared with line breaks and indentation folded away.
        out = " ".join(gen_client.generate_source(protocol, "d_client",
                                                  fns).split())
        self.assertIn("int remoteThingGetState(vmmDomainPtr domain, "
                      "int *state, int *reason, unsigned int flags)", out)
        self.assertIn("args.dom.name = domain->name;", out)
        self.assertIn("if (remoteClientCall(domain->conn, "
                      "REMOTE_PROC_THING_GET_STATE,", out)
        self.assertIn("*reason = ret.reason;", out)
        self.assertIn("result = domainHandleNew(conn, ret.dom.name, "
                      "(const unsigned char *)ret.dom.uuid, ret.dom.id);",
                      out)
        self.assertIn("(xdrproc_t)xdr_remote_thing_get_state_ret, &ret) < 0) "
                      "return -1;", out)
        self.assertIn("args.name = (char *)name;", out)
        # Server-only and hand-written procedures get no stub.
        self.assertNotIn("remoteThingGetXMLDesc", out)
        self.assertNotIn("remoteThingList", out)
        header = gen_client.generate_header(protocol, "d_client", fns)
        self.assertIn("vmmDomainPtr remoteThingLookup(vmmConnectPtr conn, "
                      "const char *name);", header)
        self.assertIn("int remoteClientCall(", header)

    def test_static_string_is_not_mechanical(self):
        text = DISPATCH_X.replace(
            "struct remote_thing_lookup_args",
            "struct remote_connect_get_type_ret { remote_nonnull_string t; };"
            "\nstruct remote_thing_lookup_args").replace(
            "REMOTE_PROC_THING_LIST = 4",
            "REMOTE_PROC_THING_LIST = 4,\n/* @generate: both\n"
            "@readonly: yes\n@acl: none */\nREMOTE_PROC_CONNECT_GET_TYPE = 5")
        with self.assertRaises(XdrError) as cm:
            gen_client.generate_source(parse_text(text, "d.x"), "d_client",
                                       c_api.parse_header_text(API_HEADER))
        self.assertIn("'const char *' has no mechanical mapping",
                      str(cm.exception))


# Snapshot handles and handle lists, in the shape of the real snapshot
# procedures.
HANDLE_HEADER = """
VMM_EXPORT vmmDomainSnapshotPtr vmmThingSnapCreate(vmmDomainPtr domain,
                                                   const char *xml,
                                                   unsigned int flags);
VMM_EXPORT char *vmmThingSnapGetXMLDesc(vmmDomainSnapshotPtr snapshot,
                                        unsigned int flags);
VMM_EXPORT int vmmThingSnapRevert(vmmDomainSnapshotPtr snapshot,
                                  unsigned int flags);
VMM_EXPORT vmmDomainSnapshotPtr vmmThingSnapParent(
    vmmDomainSnapshotPtr snapshot, unsigned int flags);
VMM_EXPORT int vmmThingSnapList(vmmDomainPtr domain,
                                vmmDomainSnapshotPtr **snaps,
                                unsigned int flags);
VMM_EXPORT int vmmThingListAll(vmmConnectPtr conn, vmmDomainPtr **domains,
                               unsigned int flags);
"""

HANDLE_X = """
const P = 1;
const V = 1;
const SNAP_MAX = 32;
typedef string remote_nonnull_string<64>;
struct remote_nonnull_domain { remote_nonnull_string name; opaque uuid[16];
                               int id; };
struct remote_nonnull_domain_snapshot { remote_nonnull_string name;
                                        remote_nonnull_domain dom; };
struct remote_thing_snap_create_args { remote_nonnull_domain dom;
    remote_nonnull_string xml; unsigned int flags; };
struct remote_thing_snap_create_ret { remote_nonnull_domain_snapshot snap; };
struct remote_thing_snap_get_xml_desc_args {
    remote_nonnull_domain_snapshot snap; unsigned int flags; };
struct remote_thing_snap_get_xml_desc_ret { remote_nonnull_string xml; };
struct remote_thing_snap_revert_args { remote_nonnull_domain_snapshot snap;
                                       unsigned int flags; };
struct remote_thing_snap_parent_args { remote_nonnull_domain_snapshot snap;
                                       unsigned int flags; };
struct remote_thing_snap_parent_ret { remote_nonnull_domain_snapshot snap; };
struct remote_thing_snap_list_args { remote_nonnull_domain dom;
                                     int need_results; unsigned int flags; };
struct remote_thing_snap_list_ret {
    remote_nonnull_domain_snapshot snaps<SNAP_MAX>; int ret; };
struct remote_thing_list_all_args { int need_results; unsigned int flags; };
struct remote_thing_list_all_ret { remote_nonnull_domain domains<16>;
                                   int ret; };
/* @program: P V */
enum remote_procedure {
    /* @generate: both
     * @readonly: no
     * @acl: none */
    REMOTE_PROC_THING_SNAP_CREATE = 1,
    /* @generate: both
     * @readonly: yes
     * @acl: none */
    REMOTE_PROC_THING_SNAP_GET_XML_DESC = 2,
    /* @generate: both
     * @readonly: no
     * @acl: none */
    REMOTE_PROC_THING_SNAP_REVERT = 3,
    /* @generate: both
     * @readonly: yes
     * @acl: none */
    REMOTE_PROC_THING_SNAP_PARENT = 4,
    /* @generate: both
     * @readonly: yes
     * @acl: none */
    REMOTE_PROC_THING_SNAP_LIST = 5,
    /* @generate: both
     * @readonly: yes
     * @acl: none */
    REMOTE_PROC_THING_LIST_ALL = 6
};
"""


def folded(text):
    """@text with line breaks and indentation folded away."""
    return " ".join(text.split())


class HandleMappingTest(unittest.TestCase):
    def generate(self, module, x_text=HANDLE_X, header=HANDLE_HEADER):
        return folded(module.generate_source(parse_text(x_text, "h.x"), "h",
                                             c_api.parse_header_text(header)))

    def assertRefused(self, module, x_text, header, fragment):
        with self.assertRaises(XdrError) as cm:
            self.generate(module, x_text, header)
        self.assertIn(fragment, str(cm.exception))

    def test_server_snapshot_handles(self):
        out = self.generate(gen_dispatch)
        # A snapshot in args: its domain by UUID, then it by name.
        self.assertIn("vmmDomainSnapshotPtr snap = NULL;", out)
        self.assertIn("if (!(snap = rpcDispatchSnapshotGet(conn, "
                      "&args->snap))) return -1;", out)
        self.assertIn("rv = vmmThingSnapRevert(snap, args->flags); if (rv < 0)"
                      " { rpcDispatchSnapshotRelease(snap); return -1; } "
                      "rpcDispatchSnapshotRelease(snap); return 0;", out)
        self.assertIn("str = vmmThingSnapGetXMLDesc(snap, args->flags);", out)
        # A snapshot returned: converted, then released, before the
        # domain of the args goes.
        self.assertIn("result = vmmThingSnapCreate(dom, args->xml, "
                      "args->flags); if (!result) { "
                      "rpcDispatchDomainRelease(dom); return -1; } "
                      "rpcDispatchSnapshotToWire(result, &ret->snap); "
                      "rpcDispatchSnapshotRelease(result); "
                      "rpcDispatchDomainRelease(dom); return 0;", out)
        self.assertIn("rpcDispatchSnapshotToWire(result, &ret->snap); "
                      "rpcDispatchSnapshotRelease(result); "
                      "rpcDispatchSnapshotRelease(snap);", out)

    def test_server_lists(self):
        out = self.generate(gen_dispatch)
        self.assertIn("vmmDomainSnapshotPtr *list = NULL;", out)
        self.assertIn("rv = vmmThingSnapList(dom, args->need_results ? "
                      "&list : NULL, args->flags);", out)
        # The count, then the list (bounded by the .x's maximum) once the
        # domain is released, so a list too long leaks nothing.
        self.assertIn("ret->ret = rv; rpcDispatchDomainRelease(dom); "
                      "if (rpcDispatchSnapshotListToWire(list, rv, SNAP_MAX, "
                      "&ret->snaps.snaps_val, &ret->snaps.snaps_len) < 0) "
                      "return -1; return 0;", out)
        self.assertIn("rv = vmmThingListAll(conn, args->need_results ? "
                      "&list : NULL, args->flags); if (rv < 0) return -1; "
                      "ret->ret = rv; if (rpcDispatchDomainListToWire(list, "
                      "rv, 16, &ret->domains.domains_val, "
                      "&ret->domains.domains_len) < 0) return -1;", out)

    def test_client_snapshot_handles(self):
        out = self.generate(gen_client)
        self.assertIn("args.snap.name = snapshot->name; "
                      "args.snap.dom.name = snapshot->domain->name; "
                      "memcpy(args.snap.dom.uuid, snapshot->domain->uuid, "
                      "VMM_UUID_BUFLEN); "
                      "args.snap.dom.id = snapshot->domain->id;", out)
        self.assertIn("if (remoteClientCall(snapshot->domain->conn, "
                      "REMOTE_PROC_THING_SNAP_REVERT,", out)
        # A snapshot that comes back hangs on the caller's domain handle.
        self.assertIn("result = snapshotHandleNew(domain, ret.snap.name);",
                      out)
        self.assertIn("result = snapshotHandleNew(snapshot->domain, "
                      "ret.snap.name);", out)
        self.assertIn("vmmDomainSnapshotPtr remoteThingSnapCreate(", out)

    def test_client_lists(self):
        out = self.generate(gen_client)
        self.assertIn("args.need_results = snaps != NULL;", out)
        self.assertIn("result = ret.ret; if (snaps) { "
                      "vmmDomainSnapshotPtr *list = "
                      "g_new0(vmmDomainSnapshotPtr, ret.snaps.snaps_len + 1); "
                      "for (u_int i = 0; i < ret.snaps.snaps_len; i++) "
                      "list[i] = snapshotHandleNew(domain, "
                      "ret.snaps.snaps_val[i].name); *snaps = list; "
                      "result = ret.snaps.snaps_len; } "
                      "xdr_free((xdrproc_t)xdr_remote_thing_snap_list_ret, "
                      "(char *)&ret); return result;", out)
        self.assertIn("list[i] = domainHandleNew(conn, "
                      "ret.domains.domains_val[i].name, (const unsigned char *)"
                      "ret.domains.domains_val[i].uuid, "
                      "ret.domains.domains_val[i].id);", out)

    def test_refusals(self):
        for module in (gen_dispatch, gen_client):
            # The snapshot must be the first args field.
            self.assertRefused(module, HANDLE_X.replace(
                "remote_nonnull_domain_snapshot snap;\n"
                "                                       unsigned int flags; };\n"
                "struct remote_thing_snap_parent_args",
                "unsigned int flags;\n"
                "                                       "
                "remote_nonnull_domain_snapshot snap; };\n"
                "struct remote_thing_snap_parent_args"), HANDLE_HEADER,
                "must come first in args")
            # A list is of the handle's wire struct, and needs a count.
            self.assertRefused(module, HANDLE_X.replace(
                "remote_nonnull_domain domains<16>;",
                "remote_nonnull_string domains<16>;"), HANDLE_HEADER,
                "'domains' is not a list of remote_nonnull_domain")
            self.assertRefused(module, HANDLE_X, HANDLE_HEADER.replace(
                "VMM_EXPORT int vmmThingListAll",
                "VMM_EXPORT char *vmmThingListAll"), "needs an int return")
            self.assertRefused(module, HANDLE_X.replace(
                "struct remote_thing_snap_create_ret { "
                "remote_nonnull_domain_snapshot snap; };",
                "struct remote_thing_snap_create_ret { "
                "remote_nonnull_domain snap; };"), HANDLE_HEADER,
                "'snap' is not a remote_nonnull_domain_snapshot")
        # The client needs a domain handle to hang a snapshot on.
        self.assertRefused(gen_client, HANDLE_X.replace(
            "struct remote_thing_snap_create_args { remote_nonnull_domain dom;",
            "struct remote_thing_snap_create_args { "
            "remote_nonnull_string dom;"), HANDLE_HEADER.replace(
            "vmmThingSnapCreate(vmmDomainPtr domain,",
            "vmmThingSnapCreate(const char *domain,"),
            "no domain to hang it on")

    def test_real_protocol(self):
        protocol = parse_file(x_file("remote"))
        fns = c_api.parse_headers(os.path.join(SRCDIR, "include", "vmm"))
        server = folded(gen_dispatch.generate_source(
            protocol, "vmm_remote_dispatch", fns))
        client = folded(gen_client.generate_source(
            protocol, "vmm_remote_client", fns))
        for proc in ("DomainSnapshotCreateXML", "DomainSnapshotGetXMLDesc",
                     "DomainSnapshotLookupByName", "DomainSnapshotCurrent",
                     "DomainRevertToSnapshot", "DomainSnapshotDelete",
                     "DomainListAllSnapshots"):
            self.assertIn("remoteDispatch%s(" % proc, server)
            self.assertIn("remote%s(" % proc, client)
        self.assertIn("rpcDispatchSnapshotListToWire(list, rv, "
                      "REMOTE_DOMAIN_SNAPSHOT_LIST_MAX,", server)


class StatsMappingTest(unittest.TestCase):
    HEADER = """
VMM_EXPORT int vmmThingStats(vmmDomainPtr domain, const char *path,
                             vmmThingStatsPtr stats, size_t size);
"""
    X = """
const P = 1;
const V = 1;
typedef string remote_nonnull_string<64>;
struct remote_nonnull_domain { remote_nonnull_string name; opaque uuid[16];
                               int id; };
struct remote_thing_stats_args { remote_nonnull_domain dom;
                                 remote_nonnull_string path; };
struct remote_thing_stats_ret { hyper rd; hyper wr; };
/* @program: P V */
enum remote_procedure {
    /* @generate: server
     * @readonly: yes
     * @acl: none */
    REMOTE_PROC_THING_STATS = 1
};
"""

    def test_server_fills_the_struct_by_name(self):
        out = folded(gen_dispatch.generate_source(
            parse_text(self.X, "s.x"), "s",
            c_api.parse_header_text(self.HEADER)))
        self.assertIn("vmmThingStatsStruct info = { 0 };", out)
        self.assertIn("rv = vmmThingStats(dom, args->path, &info, "
                      "sizeof(info));", out)
        self.assertIn("ret->rd = info.rd; ret->wr = info.wr;", out)

    def test_size_alone_is_not_mechanical(self):
        with self.assertRaises(XdrError) as cm:
            gen_dispatch.generate_source(
                parse_text(self.X.replace("remote_nonnull_string path; };",
                                          "unsigned int size; };"), "s.x"),
                "s", c_api.parse_header_text(
                    "VMM_EXPORT int vmmThingStats(vmmDomainPtr domain, "
                    "size_t size);"))
        self.assertIn("'size_t size' has no mechanical mapping",
                      str(cm.exception))

    def test_client_keeps_the_driver_signature(self):
        # The driver slot has no size: the client side stays by hand.
        with self.assertRaises(XdrError) as cm:
            gen_client.generate_source(
                parse_text(self.X.replace("@generate: server",
                                          "@generate: both"), "s.x"),
                "s", c_api.parse_header_text(self.HEADER))
        self.assertIn("has no mechanical mapping", str(cm.exception))


if __name__ == "__main__":
    tap_unittest.main()
