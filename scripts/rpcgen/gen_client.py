"""gen_client.py: the client glue of the remote program: one stub per
procedure annotated "@generate: client" or "both", with the signature of
the public API function it stands for (remoteDomainGetState for
vmmDomainGetState), which packs the arguments, makes the call and unpacks
the result. The remote driver fills its driver table with them.

The matching of C parameters and wire fields is the server glue's (see
gen_dispatch.py), read the other way round. The stubs use the API
layer's handle internals (datatypes.h), so they are compiled with the
driver layer's include path, by the code that supplies
remoteClientCall(): the one function that sends a call and waits for its
reply, declared in the generated header.
"""

from typing import Dict, List

from c_api import CFunction
from gen_dispatch import Handler, api_function, c_call, handle_list_type, \
    HANDLES, NUMBER_FIELDS, NUMBER_OUTPUTS, NUMBER_PARAMS
from xdr_model import Procedure, Protocol

_FAILURE = {"int": "-1", "char *": "NULL", "vmmDomainPtr": "NULL",
            "vmmDomainSnapshotPtr": "NULL", "unsigned long": "0"}


def stub_name(fn: CFunction) -> str:
    """vmmDomainGetXMLDesc -> remoteDomainGetXMLDesc"""
    return "remote" + fn.name[len("vmm"):]


class _Stub(Handler):
    """Builds one client stub; reuses the field matching of Handler."""

    def __init__(self, protocol: Protocol, proc: Procedure, fn: CFunction):
        super().__init__(protocol, proc, fn)
        self.conn = "conn"
        self.dom_param = None
        # The domain handle of the call (a parameter, or a snapshot's),
        # which snapshots the server names belong to.
        self.dom_expr = None

    def domain_to_wire(self, wire: str, dom: str) -> List[str]:
        """Statements filling remote_nonnull_domain @wire from @dom; the
        strings are borrowed, for encoding only."""
        return ["%s.name = %s->name;" % (wire, dom),
                "memcpy(%s.uuid, %s->uuid, VMM_UUID_BUFLEN);" % (wire, dom),
                "%s.id = %s->id;" % (wire, dom)]

    def handle_from_wire(self, ptype: str, wire: str, lhs: str,
                         indent: int = 4) -> str:
        """"LHS = a new handle of type @ptype on what wire struct @wire
        names;"."""
        if ptype == "vmmDomainPtr":
            return c_call(lhs, "domainHandleNew",
                          [self.conn, "%s.name" % wire,
                           "(const unsigned char *)%s.uuid" % wire,
                           "%s.id" % wire], indent=indent)
        if self.dom_expr is None:
            raise self.fail("a snapshot comes back, but the call has no "
                            "domain to hang it on")
        # The caller's domain handle, so the application can keep
        # comparing pointers.
        return c_call(lhs, "snapshotHandleNew",
                      [self.dom_expr, "%s.name" % wire], indent=indent)

    def param(self, index: int, ptype: str, pname: str) -> None:
        if ptype == "vmmConnectPtr":
            self.conn = pname
        elif ptype == "vmmDomainPtr" and index == 0:
            field = self.handle_arg(ptype, pname)
            self.conn = "%s->conn" % pname
            self.dom_param = pname
            self.dom_expr = pname
            self.pre += self.domain_to_wire("args." + field.name, pname)
        elif ptype == "vmmDomainSnapshotPtr" and index == 0:
            field = self.handle_arg(ptype, pname)
            self.conn = "%s->domain->conn" % pname
            self.dom_expr = "%s->domain" % pname
            self.pre.append("args.%s.name = %s->name;" % (field.name, pname))
            self.pre += self.domain_to_wire("args.%s.dom" % field.name,
                                            self.dom_expr)
        elif handle_list_type(ptype):
            handle, need, array = self.list_fields(ptype, pname)
            self.pre.append("args.%s = %s != NULL;" % (need.name, pname))
            vals = "ret.%s.%s_val" % (array.name, array.name)
            count = "ret.%s.%s_len" % (array.name, array.name)
            make = self.handle_from_wire(ptype[:-3], vals + "[i]",
                                         "list[i] = ", indent=12)
            self.late += [
                "if (%s) {" % pname,
                "    %s *list =\n            g_new0(%s, %s + 1);"
                % (ptype[:-3], ptype[:-3], count),
                "    for (u_int i = 0; i < %s; i++)" % count,
                "        " + make,
                "    *%s = list;" % pname,
                "    result = %s;" % count,
                "}"]
        elif ptype in NUMBER_PARAMS:
            field = self.next_arg(pname)
            if self.wire_type(field) not in NUMBER_FIELDS:
                raise self.fail("'%s' is not a number" % field.name)
            self.pre.append("args.%s = %s;" % (field.name, pname))
        elif ptype == "const char *":
            field = self.next_arg(pname)
            kind = self.wire_type(field)
            if kind == "string":
                self.pre.append("args.%s = (char *)%s;" % (field.name, pname))
            elif kind == "optional string":
                self.pre.append("args.%s = %s ? (char **)&%s : NULL;"
                                % (field.name, pname, pname))
            else:
                raise self.fail("'%s' is not a string" % field.name)
        elif ptype == "const unsigned char *":
            field = self.next_arg(pname)
            if self.wire_type(field) != "uuid":
                raise self.fail("'%s' is not a uuid" % field.name)
            self.pre.append("memcpy(args.%s, %s, VMM_UUID_BUFLEN);"
                            % (field.name, pname))
        elif ptype in NUMBER_OUTPUTS:
            field = self.next_ret(pname)
            self.post.append("*%s = ret.%s;" % (pname, field.name))
        elif ptype.endswith("InfoPtr") and ptype.startswith("vmm"):
            for field in self.rets:
                if field.shape == "fixed":
                    self.post.append("memcpy(%s->%s, ret.%s, sizeof(%s->%s));"
                                     % (pname, field.name, field.name, pname,
                                        field.name))
                else:
                    self.post.append("%s->%s = ret.%s;"
                                     % (pname, field.name, field.name))
            self.rets = []
        else:
            raise self.fail("parameter '%s %s' has no mechanical mapping"
                            % (ptype, pname))

    def returned(self) -> List[str]:
        ret = self.fn.ret
        if ret not in _FAILURE:
            raise self.fail("return type '%s' has no mechanical mapping"
                            % ret)
        result = None
        if ret == "int":
            if self.rets and self.rets[0].type_name == \
                    "remote_nonnull_domain" and self.dom_param:
                # The domain again, now with its id: update the handle.
                self.post.append("%s->id = ret.%s.id;"
                                 % (self.dom_param, self.rets.pop(0).name))
                result = "result = 0;"
            elif self.rets:
                field = self.rets.pop(0)
                if self.wire_type(field) not in NUMBER_FIELDS:
                    raise self.fail("'%s' cannot take an int" % field.name)
                result = "result = ret.%s;" % field.name
            else:
                result = "result = 0;"
            self.locals.append("int result;")
        elif ret == "char *":
            field = self.next_ret("the returned string")
            if self.wire_type(field) != "string":
                raise self.fail("'%s' is not a string" % field.name)
            self.locals.append("char *result;")
            result = "result = g_steal_pointer(&ret.%s);" % field.name
        elif ret == "unsigned long":
            field = self.next_ret("the returned number")
            self.locals.append("unsigned long result;")
            result = "result = ret.%s;" % field.name
        elif ret in HANDLES:
            field = self.next_ret("the returned handle")
            if field.type_name != HANDLES[ret].wire:
                raise self.fail("'%s' is not a %s"
                                % (field.name, HANDLES[ret].wire))
            self.locals.append("%s result;" % ret)
            result = self.handle_from_wire(ret, "ret." + field.name,
                                           "result = ")
        p = self.proc
        call_args = [self.conn, p.member]
        for struct, var in ((p.args, "&args"), (p.ret, "&ret")):
            if struct is None:
                call_args += ["RPC_XDR_VOID", "NULL"]
            else:
                call_args += ["(xdrproc_t)xdr_%s" % struct.name, var]
        lines = [c_call("if (", "remoteClientCall", call_args, end=" < 0)")
                 + "\n        return %s;" % _FAILURE[ret]]
        self.post.append(result)
        self.post += self.late
        if p.ret:
            self.post.append("xdr_free((xdrproc_t)xdr_%s, (char *)&ret);"
                             % p.ret.name)
        self.post.append("return result;")
        return lines

    def signature(self, end: str) -> str:
        """The stub's declarator, e.g. "int remoteDomainGetState(...)"."""
        params = ["%s%s%s" % (p.type, "" if p.type.endswith("*") else " ",
                              p.name) for p in self.fn.params]
        ret = self.fn.ret + ("" if self.fn.ret.endswith("*") else " ")
        return c_call(ret, stub_name(self.fn), params or ["void"], indent=0,
                      end=end)

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
        head = [self.signature(""), "{"]
        if p.args:
            head.append("    %s args = { 0 };" % p.args.name)
        if p.ret:
            head.append("    %s ret = { 0 };" % p.ret.name)
        body = ["    " + s for s in self.locals]
        body.append("")
        body += ["    " + s for s in self.pre + call + self.post]
        return "\n".join(head + body) + "\n}\n"

    def prototype(self) -> str:
        return self.signature(";") + "\n"


def client_procedures(protocol: Protocol) -> List[Procedure]:
    return [p for p in protocol.program().procedures
            if p.generate in ("client", "both") and not p.is_event]


def generate_header(protocol: Protocol, base: str,
                    functions: Dict[str, CFunction]) -> str:
    guard = base.upper() + "_H"
    out = ["/* %s.h: client glue of the %s program.\n"
           " * Generated by scripts/rpcgen/vmm_rpcgen.py; do not edit. */\n"
           "#ifndef %s\n#define %s\n\n"
           "#include <vmm/vmm.h>\n\n#include \"rpc_program.h\"\n\n"
           "/* Supplied by the code that compiles these stubs (the remote\n"
           " * driver): sends call @proc with @args encoded by @argsFilter on\n"
           " * @conn's connection and decodes the reply into @ret with\n"
           " * @retFilter; on failure returns -1 with the error set (the\n"
           " * daemon's own, re-raised, when it answered with one). */\n"
           "int remoteClientCall(vmmConnectPtr conn, int proc,\n"
           "                     xdrproc_t argsFilter, void *args,\n"
           "                     xdrproc_t retFilter, void *ret);\n\n"
           % (base, protocol.program().prefix, guard, guard)]
    for p in client_procedures(protocol):
        fn = api_function(protocol, p, functions)
        out.append(_Stub(protocol, p, fn).prototype())
    out.append("\n#endif\n")
    return "".join(out)


def generate_source(protocol: Protocol, base: str,
                    functions: Dict[str, CFunction]) -> str:
    out = ["/* %s.c: client glue of the %s program: one stub per\n"
           " * procedure whose mapping to the public API is mechanical.\n"
           " * Generated by scripts/rpcgen/vmm_rpcgen.py from %s;\n"
           " * do not edit. Compile with the driver layer's include path. */\n"
           "#include <config.h>\n\n#include <string.h>\n\n"
           "#include <glib.h>\n\n#include \"datatypes.h\"\n"
           "#include \"%s.h\"\n#include \"vmm_remote_protocol.h\"\n\n"
           % (base, protocol.program().prefix,
              protocol.filename.rsplit("/", 1)[-1], base)]
    for p in client_procedures(protocol):
        fn = api_function(protocol, p, functions)
        out.append("/* %d %s */\n" % (p.number, p.name))
        out.append(_Stub(protocol, p, fn).build())
        out.append("\n")
    return "".join(out)
