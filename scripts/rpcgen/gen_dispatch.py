"""gen_dispatch.py: the server glue of the remote program: one handler per
procedure annotated "@generate: server" or "both", which calls the public
API function of the same name and moves values between the wire structs
and the C call, plus the table the daemon finds handlers in.

The mapping is derived, not written down: procedure DOMAIN_GET_STATE
stands for vmmDomainGetState (names compared ignoring case), and the C
parameters are matched in order with the wire fields:

  vmmConnectPtr             the daemon's connection (not on the wire)
  a handle (first)          the next args field, of the handle's wire
                            struct: vmmDomainPtr <-> remote_nonnull_domain
                            (by UUID), vmmDomainSnapshotPtr <->
                            remote_nonnull_domain_snapshot (its domain,
                            then its name); see HANDLES
  int, unsigned int,        the next args field (a number)
  unsigned long
  const char *              the next args field (string or optional
                            string)
  const unsigned char *     the next args field (remote_uuid)
  int *, unsigned int *,    an output: the next ret field
  unsigned long *
  vmmXInfoPtr, vmmXStatsPtr an output struct (vmmXInfo,
                            vmmXStatsStruct): all ret fields, by name
  size_t (after one)        the size of that output struct
  a handle list (H **)      the next args field (a number: need_results)
                            and the next ret field (a variable array of
                            the handle's wire struct); the call returns
                            int, the count

and the return value: int (-1 fails; any ret field left takes the
value), char * (NULL fails; the ret string takes it), const char * (the
same, copied), unsigned long (0 fails), a handle (NULL fails; the next
ret field, of the handle's wire struct, takes it). A ret "dom" left over
after an int-returning call on a domain takes that domain
(DOMAIN_CREATE_WITH_FLAGS answers the domain with its new id).

A procedure marked for server generation that does not fit these rules
is an error, so the annotation stays true; fix the .x or mark it
"client"/"none" and write that handler by hand in the daemon.
"""

from dataclasses import dataclass
from typing import Dict, List, Optional

from c_api import CFunction, find_function
from xdr_model import (
    Declaration, Procedure, Protocol, TypedefDef, XdrError,
)

NUMBER_PARAMS = ("int", "unsigned int", "unsigned long")
NUMBER_OUTPUTS = ("int *", "unsigned int *", "unsigned long *")
NUMBER_FIELDS = ("int", "unsigned int", "hyper", "unsigned hyper")


@dataclass
class HandleType:
    """An API handle that travels as a wire struct. The daemon's helpers
    are rpcDispatch<stem>Get, ToWire, Release and ListToWire
    (rpc_dispatch.h); the client's are in gen_client.py."""
    wire: str       # the wire struct naming one object
    local: str      # the handler's variable for the one in args
    stem: str       # Domain -> rpcDispatchDomainGet ...


HANDLES = {
    "vmmDomainPtr": HandleType("remote_nonnull_domain", "dom", "Domain"),
    "vmmDomainSnapshotPtr": HandleType("remote_nonnull_domain_snapshot",
                                       "snap", "Snapshot"),
}


def handle_list_type(ptype: str) -> Optional[str]:
    """"vmmDomainPtr **" -> "vmmDomainPtr", or None for anything else."""
    if ptype.endswith(" **") and ptype[:-3] in HANDLES:
        return ptype[:-3]
    return None


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
        # Statements after the args handle is released (list conversions,
        # which may fail).
        self.late: List[str] = []
        self.handle: Optional[HandleType] = None  # the one in args
        self.out_struct = False  # an output struct was passed

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

    def handle_arg(self, ptype: str, pname: str) -> Declaration:
        """The args field of the handle parameter @ptype, which must be
        the call's first."""
        handle = HANDLES[ptype]
        field = self.next_arg(pname)
        if field.type_name != handle.wire:
            raise self.fail("the %s (%s) must come first in args"
                            % (pname, handle.wire))
        self.handle = handle
        return field

    def list_fields(self, ptype: str, pname: str):
        """The args field (need_results) and ret field (the array) of the
        handle list parameter of type @ptype."""
        handle = HANDLES[handle_list_type(ptype)]
        need = self.next_arg(pname + " (need_results)")
        if self.wire_type(need) not in NUMBER_FIELDS:
            raise self.fail("'%s' is not a number" % need.name)
        array = self.next_ret(pname)
        if array.shape != "var" or array.type_name != handle.wire:
            raise self.fail("'%s' is not a list of %s"
                            % (array.name, handle.wire))
        if self.fn.ret != "int":
            raise self.fail("a list needs an int return value (the count)")
        return handle, need, array

    def param(self, index: int, ptype: str, pname: str) -> None:
        if ptype == "vmmConnectPtr":
            self.call_args.append("conn")
        elif ptype in HANDLES and index == 0:
            field = self.handle_arg(ptype, pname)
            local = self.handle.local
            self.locals.append("%s %s = NULL;" % (ptype, local))
            self.pre.append("if (!(%s = rpcDispatch%sGet(conn, &args->%s)))"
                            "\n        return -1;"
                            % (local, self.handle.stem, field.name))
            self.call_args.append(local)
        elif handle_list_type(ptype):
            handle, need, array = self.list_fields(ptype, pname)
            self.locals.append("%s *list = NULL;" % handle_list_type(ptype))
            self.call_args.append("args->%s ? &list : NULL" % need.name)
            if array.size is None:
                raise self.fail("list '%s' has no maximum" % array.name)
            self.late.append(
                c_call("if (", "rpcDispatch%sListToWire" % handle.stem,
                       ["list", "rv", array.size.name or
                        str(array.size.resolved),
                        "&ret->%s.%s_val" % (array.name, array.name),
                        "&ret->%s.%s_len" % (array.name, array.name)],
                       end=" < 0)") + "\n        return -1;")
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
        elif ptype == "size_t" and self.out_struct:
            # The API's check that caller and library agree on the size.
            self.call_args.append("sizeof(info)")
        elif ptype.endswith(("InfoPtr", "StatsPtr")) and \
                ptype.startswith("vmm"):
            ctype = ptype[:-3]
            if ptype.endswith("StatsPtr"):
                ctype += "Struct"
            self.out_struct = True
            self.locals.append("%s info = { 0 };" % ctype)
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
            if self.rets and self.handle and \
                    self.rets[0].type_name == self.handle.wire:
                self.post.append("rpcDispatch%sToWire(%s, &ret->%s);"
                                 % (self.handle.stem, self.handle.local,
                                    self.rets.pop(0).name))
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
        elif ret in HANDLES:
            handle = HANDLES[ret]
            field = self.next_ret("the returned handle")
            if field.type_name != handle.wire:
                raise self.fail("'%s' is not a %s" % (field.name, handle.wire))
            self.locals.append("%s result;" % ret)
            lines = [call("result = ")]
            fails = "!result"
            self.post.append("rpcDispatch%sToWire(result, &ret->%s);"
                             % (handle.stem, field.name))
            self.post.append("rpcDispatch%sRelease(result);" % handle.stem)
        else:
            raise self.fail("return type '%s' has no mechanical mapping"
                            % ret)
        if self.handle:
            release = "rpcDispatch%sRelease(%s);" % (self.handle.stem,
                                                     self.handle.local)
            lines.append("if (%s) {\n        %s\n        return -1;\n    }"
                         % (fails, release))
            # A handle handed back is converted before the one in args goes.
            self.post.append(release)
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
        body += ["    " + s for s in self.pre + call + self.post + self.late]
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
