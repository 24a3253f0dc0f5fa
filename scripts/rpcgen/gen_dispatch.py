"""gen_dispatch.py: the server glue of the remote program: one handler per
procedure annotated "@generate: server" or "both", which calls the public
API function of the same name and moves values between the wire structs
and the C call, plus the table the daemon finds handlers in.

The mapping is derived, not written down: procedure DOMAIN_GET_STATE
stands for vmmDomainGetState (names compared ignoring case), and the C
parameters are matched in order with the wire fields:

  vmmConnectPtr             the daemon's connection (not on the wire)
  vmmDomainPtr (first)      args field "dom" (remote_nonnull_domain)
  int, unsigned int,        the next args field (a number)
  unsigned long
  const char *              the next args field (string or optional
                            string)
  const unsigned char *     the next args field (remote_uuid)
  int *, unsigned int *,    an output: the next ret field
  unsigned long *
  vmmXInfoPtr               an output struct: all ret fields, by name

and the return value: int (-1 fails; any ret field left takes the
value), char * (NULL fails; the ret string takes it), const char * (the
same, copied), unsigned long (0 fails), vmmDomainPtr (NULL fails; ret
"dom" takes it). A ret "dom" left over after an int-returning call on a
domain takes that domain (DOMAIN_CREATE_WITH_FLAGS answers the domain
with its new id).

A procedure marked for server generation that does not fit these rules
is an error, so the annotation stays true; fix the .x or mark it
"client"/"none" and write that handler by hand in the daemon.
"""

from typing import Dict, List

from c_api import CFunction, find_function
from xdr_model import (
    Declaration, Procedure, Protocol, TypedefDef, XdrError,
)

NUMBER_PARAMS = ("int", "unsigned int", "unsigned long")
NUMBER_OUTPUTS = ("int *", "unsigned int *", "unsigned long *")
NUMBER_FIELDS = ("int", "unsigned int", "hyper", "unsigned hyper")


def c_call(lhs: str, fn: str, args: List[str], indent: int = 4,
           limit: int = 80, end: str = ";") -> str:
    """A call such as "rv = f(a, b);" (@end follows the parenthesis),
    broken after commas and aligned under the parenthesis when it would
    pass @limit columns. Continuation lines carry their own
    indentation."""
    one = "%s%s(%s)%s" % (lhs, fn, ", ".join(args), end)
    if indent + len(one) <= limit or not args:
        return one
    pad = "\n" + " " * (indent + len(lhs) + len(fn) + 1)
    text = line = "%s%s(" % (lhs, fn)
    for i, arg in enumerate(args):
        piece = arg + ("," if i < len(args) - 1 else ")" + end)
        if line.endswith("("):
            text += piece
            line += piece
        elif indent + len(line) + 1 + len(piece) <= limit:
            text += " " + piece
            line += " " + piece
        else:
            text += pad + piece
            line = pad[1:] + piece
    return text


def handler_name(fn: CFunction) -> str:
    """vmmDomainGetXMLDesc -> remoteDispatchDomainGetXMLDesc"""
    return "remoteDispatch" + fn.name[len("vmm"):]


def api_function(protocol: Protocol, proc: Procedure,
                 functions: Dict[str, CFunction]) -> CFunction:
    """The public API function procedure @proc stands for."""
    fn = find_function(functions, "vmm" + proc.name.replace("_", ""))
    if fn is None:
        raise protocol.error("%s: no public API function matches it"
                             % proc.name, proc.line)
    return fn


class Handler:
    """Builds the body of one handler, statement by statement."""

    def __init__(self, protocol: Protocol, proc: Procedure, fn: CFunction):
        self.protocol = protocol
        self.proc = proc
        self.fn = fn
        self.args: List[Declaration] = list(proc.args.fields) \
            if proc.args else []
        self.rets: List[Declaration] = list(proc.ret.fields) \
            if proc.ret else []
        self.locals: List[str] = []
        self.pre: List[str] = []
        self.call_args: List[str] = []
        self.post: List[str] = []
        self.domain = False

    def fail(self, why: str) -> XdrError:
        return self.protocol.error("%s cannot be generated for %s: %s"
                                   % (self.proc.name, self.fn.name, why),
                                   self.proc.line)

    def next_arg(self, what: str) -> Declaration:
        if not self.args:
            raise self.fail("no args field left for %s" % what)
        return self.args.pop(0)

    def next_ret(self, what: str) -> Declaration:
        if not self.rets:
            raise self.fail("no ret field left for %s" % what)
        return self.rets.pop(0)

    def typedef(self, name: str):
        t = self.protocol.types.get(name)
        return t.decl if isinstance(t, TypedefDef) else None

    def wire_type(self, decl: Declaration) -> str:
        """What a field is for the mapping, typedefs looked through:
        a number type, "string", "optional string", "uuid" (opaque[16])
        or "SHAPE TYPE" for anything else."""
        t, shape, size = decl.type_name, decl.shape, decl.size
        while shape == "plain" and self.typedef(t) is not None:
            inner = self.typedef(t)
            t, shape, size = inner.type_name, inner.shape, inner.size
        if shape == "optional" and self.typedef(t) is not None and \
                self.typedef(t).type_name == "string":
            return "optional string"
        if shape == "var" and t == "string":
            return "string"
        if shape == "fixed" and t == "opaque" and size.resolved == 16:
            return "uuid"
        return t if shape == "plain" else "%s %s" % (shape, t)

    # ---- parameters ----

    def param(self, index: int, ptype: str, pname: str) -> None:
        if ptype == "vmmConnectPtr":
            self.call_args.append("conn")
        elif ptype == "vmmDomainPtr" and index == 0:
            field = self.next_arg(pname)
            if field.type_name != "remote_nonnull_domain":
                raise self.fail("the domain must come first in args")
            self.domain = True
            self.locals.append("vmmDomainPtr dom = NULL;")
            self.pre.append("if (!(dom = rpcDispatchDomainGet(conn, "
                            "&args->%s)))\n        return -1;" % field.name)
            self.call_args.append("dom")
        elif ptype in NUMBER_PARAMS:
            field = self.next_arg(pname)
            if self.wire_type(field) not in NUMBER_FIELDS:
                raise self.fail("'%s' is not a number" % field.name)
            self.call_args.append("args->%s" % field.name)
        elif ptype == "const char *":
            field = self.next_arg(pname)
            kind = self.wire_type(field)
            if kind == "string":
                self.call_args.append("args->%s" % field.name)
            elif kind == "optional string":
                self.call_args.append("args->%s ? *args->%s : NULL"
                                      % (field.name, field.name))
            else:
                raise self.fail("'%s' is not a string" % field.name)
        elif ptype == "const unsigned char *":
            field = self.next_arg(pname)
            if self.wire_type(field) != "uuid":
                raise self.fail("'%s' is not a uuid" % field.name)
            self.call_args.append("(const unsigned char *)args->%s"
                                  % field.name)
        elif ptype in NUMBER_OUTPUTS:
            field = self.next_ret(pname)
            local = "out_" + field.name
            self.locals.append("%s %s = 0;" % (ptype[:-2], local))
            self.call_args.append("&" + local)
            self.post.append("ret->%s = %s;" % (field.name, local))
        elif ptype.endswith("InfoPtr") and ptype.startswith("vmm"):
            self.locals.append("%s info = { 0 };" % ptype[:-3])
            self.call_args.append("&info")
            for field in self.rets:
                if field.shape == "fixed":
                    self.post.append("memcpy(ret->%s, info.%s, "
                                     "sizeof(ret->%s));"
                                     % (field.name, field.name, field.name))
                else:
                    self.post.append("ret->%s = info.%s;"
                                     % (field.name, field.name))
            self.rets = []
        else:
            raise self.fail("parameter '%s %s' has no mechanical mapping"
                            % (ptype, pname))

    # ---- return value ----

    def returned(self) -> List[str]:
        def call(lhs):
            return c_call(lhs, self.fn.name, self.call_args)

        ret = self.fn.ret
        if ret == "int":
            self.locals.append("int rv;")
            lines = [call("rv = ")]
            fails = "rv < 0"
            if self.rets and self.rets[0].type_name == "remote_nonnull_domain" \
                    and self.domain:
                self.post.append("rpcDispatchDomainToWire(dom, &ret->%s);"
                                 % self.rets.pop(0).name)
            elif self.rets:
                field = self.rets.pop(0)
                if self.wire_type(field) not in NUMBER_FIELDS:
                    raise self.fail("'%s' cannot take an int" % field.name)
                self.post.append("ret->%s = rv;" % field.name)
        elif ret in ("char *", "const char *"):
            field = self.next_ret("the returned string")
            if self.wire_type(field) != "string":
                raise self.fail("'%s' is not a string" % field.name)
            self.locals.append("%sstr;" % ret)
            lines = [call("str = ")]
            fails = "!str"
            copy = "g_strdup(str)" if ret.startswith("const") else "str"
            self.post.append("ret->%s = %s;" % (field.name, copy))
        elif ret == "unsigned long":
            field = self.next_ret("the returned number")
            self.locals.append("unsigned long value;")
            lines = [call("value = ")]
            fails = "value == 0"
            self.post.append("ret->%s = value;" % field.name)
        elif ret == "vmmDomainPtr":
            field = self.next_ret("the returned domain")
            if field.type_name != "remote_nonnull_domain":
                raise self.fail("'%s' is not a domain" % field.name)
            self.locals.append("vmmDomainPtr result;")
            lines = [call("result = ")]
            fails = "!result"
            self.post.append("rpcDispatchDomainToWire(result, &ret->%s);"
                             % field.name)
            self.post.append("rpcDispatchDomainRelease(result);")
        else:
            raise self.fail("return type '%s' has no mechanical mapping"
                            % ret)
        if self.domain:
            lines.append("if (%s) {\n        rpcDispatchDomainRelease(dom);"
                         "\n        return -1;\n    }" % fails)
            # A domain handed back is converted before the handle goes.
            self.post.append("rpcDispatchDomainRelease(dom);")
        else:
            lines.append("if (%s)\n        return -1;" % fails)
        return lines

    def build(self) -> str:
        for i, p in enumerate(self.fn.params):
            self.param(i, p.type, p.name)
        call = self.returned()
        if self.args:
            raise self.fail("args field '%s' is not used by the call"
                            % self.args[0].name)
        if self.rets:
            raise self.fail("ret field '%s' is not filled by the call"
                            % self.rets[0].name)
        p = self.proc
        head = ["static int",
                "%s(vmmConnectPtr conn, void *argsp,\n%svoid *retp)"
                % (handler_name(self.fn),
                   " " * (len(handler_name(self.fn)) + 1)), "{"]
        if p.args:
            head.append("    %s *args = argsp;" % p.args.name)
        if p.ret:
            head.append("    %s *ret = retp;" % p.ret.name)
        body = ["    " + s for s in self.locals]
        body.append("")
        body += ["    " + s for s in self.pre + call + self.post]
        body.append("    return 0;")
        return "\n".join(head + body) + "\n}\n"




def server_procedures(protocol: Protocol) -> List[Procedure]:
    return [p for p in protocol.program().procedures
            if p.generate in ("server", "both") and not p.is_event]


def generate_header(protocol: Protocol, base: str) -> str:
    prefix = protocol.program().prefix
    guard = base.upper() + "_H"
    return ("/* %s.h: server glue of the %s program.\n"
            " * Generated by scripts/rpcgen/vmm_rpcgen.py; do not edit. */\n"
            "#ifndef %s\n#define %s\n\n#include \"rpc_dispatch.h\"\n\n"
            "extern const rpcDispatchTable %sDispatchTable;\n\n#endif\n"
            % (base, prefix, guard, guard, prefix))


def generate_source(protocol: Protocol, base: str,
                    functions: Dict[str, CFunction]) -> str:
    prefix = protocol.program().prefix
    procs = server_procedures(protocol)
    out = ["/* %s.c: server glue of the %s program: one handler per\n"
           " * procedure whose mapping to the public API is mechanical.\n"
           " * Generated by scripts/rpcgen/vmm_rpcgen.py from %s;\n"
           " * do not edit. */\n"
           "#include <config.h>\n\n#include <string.h>\n\n"
           "#include <glib.h>\n\n#include \"%s.h\"\n\n"
           % (base, prefix, protocol.filename.rsplit("/", 1)[-1], base)]
    entries = []
    for p in procs:
        fn = api_function(protocol, p, functions)
        out.append("/* %d %s */\n" % (p.number, p.name))
        out.append(Handler(protocol, p, fn).build())
        out.append("\n")
        entries.append("    { %d, %s },\n" % (p.number, handler_name(fn)))
    out.append("static const rpcDispatchEntry %sDispatchEntries[] = {\n"
               % prefix)
    out.extend(entries)
    out.append("};\n\nconst rpcDispatchTable %sDispatchTable = {\n"
               "    .entries = %sDispatchEntries,\n"
               "    .nentries = G_N_ELEMENTS(%sDispatchEntries),\n};\n"
               % (prefix, prefix, prefix))
    return "".join(out)
