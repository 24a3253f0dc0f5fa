"""xdr_model.py: the typed model of an XDR protocol file (.x).

The parser (xdr_parser.py) builds these objects; Protocol.check() resolves
names and constants and enforces the rules of our .x files (names defined
before use, procedure annotations, the args/ret/msg naming convention);
the generators (gen_*.py) only ever read a checked model.

Nothing here knows about C or about text formats: a generator decides how
a type is spelled.
"""

import re
from dataclasses import dataclass, field
from typing import Dict, List, Optional, Union


class XdrError(Exception):
    """A mistake in a .x file, with where it is."""

    def __init__(self, msg: str, filename: str = "", line: int = 0):
        self.msg = msg
        self.filename = filename
        self.line = line
        super().__init__(self.__str__())

    def __str__(self) -> str:
        where = self.filename or "<input>"
        if self.line:
            where += ":%d" % self.line
        return "%s: %s" % (where, self.msg)


# Scalar types of XDR as written in a .x file. char and short are rpcgen
# extensions; on the wire each takes 4 bytes like an int.
SCALARS = (
    "int", "unsigned int", "hyper", "unsigned hyper", "char", "unsigned char",
    "short", "unsigned short", "float", "double", "bool",
)


@dataclass
class Value:
    """A number in a .x file: a literal or the name of a constant."""
    literal: Optional[int] = None
    name: Optional[str] = None
    resolved: Optional[int] = None

    def text(self) -> str:
        if self.name is None:
            return str(self.resolved)
        return "%s=%d" % (self.name, self.resolved)


@dataclass
class Declaration:
    """One typed name: a struct field, a union arm, a typedef's target.

    shape is "plain", "fixed" (name[N]), "var" (name<N> or name<>) or
    "optional" (*name). type_name is a scalar, "string", "opaque", "void"
    or the name of a defined type.
    """
    type_name: str
    name: Optional[str]
    shape: str = "plain"
    size: Optional[Value] = None
    line: int = 0

    def is_void(self) -> bool:
        return self.type_name == "void"


@dataclass
class Annotation:
    key: str
    value: str
    line: int


@dataclass
class Definition:
    name: str
    line: int
    annotations: List[Annotation] = field(default_factory=list)

    def annotation_values(self, key: str) -> List[str]:
        return [a.value for a in self.annotations if a.key == key]

    def annotation(self, key: str) -> Optional[str]:
        values = self.annotation_values(key)
        return values[0] if values else None


@dataclass
class ConstDef(Definition):
    value: Value = field(default_factory=Value)


@dataclass
class EnumMember:
    name: str
    value: Value
    line: int
    annotations: List[Annotation] = field(default_factory=list)


@dataclass
class EnumDef(Definition):
    members: List[EnumMember] = field(default_factory=list)


@dataclass
class StructDef(Definition):
    fields: List[Declaration] = field(default_factory=list)


@dataclass
class UnionCase:
    values: List[Value]
    decl: Declaration


@dataclass
class UnionDef(Definition):
    discriminant: Declaration = None
    cases: List[UnionCase] = field(default_factory=list)
    default: Optional[Declaration] = None


@dataclass
class TypedefDef(Definition):
    decl: Declaration = None


TypeDef = Union[EnumDef, StructDef, UnionDef, TypedefDef]


# What each procedure annotation may hold.
GENERATE_VALUES = ("none", "client", "server", "both")
REQUIRED_PROC_KEYS = ("generate", "readonly", "acl")
PROC_KEYS = ("generate", "readonly", "priority", "acl", "aclfilter", "stream")
REPEATABLE_KEYS = ("acl", "aclfilter")
_ACL_RE = re.compile(r"^[a-z_]+:[a-z_]+(:!?[A-Z0-9_]+(\|[A-Z0-9_]+)*)?$")


@dataclass
class Procedure:
    """One procedure of a program, with its payloads and policy."""
    number: int
    name: str                   # short name, e.g. DOMAIN_CREATE
    member: str                 # enum member, e.g. REMOTE_PROC_DOMAIN_CREATE
    args: Optional[StructDef]
    ret: Optional[StructDef]
    msg: Optional[StructDef]    # set for events, which have no args/ret
    generate: str
    readonly: bool
    high_priority: bool
    acl: List[str]
    aclfilter: List[str]
    stream: Optional[str]       # None, "read" or "write"
    line: int

    @property
    def is_event(self) -> bool:
        return self.msg is not None


@dataclass
class Program:
    name: str                   # the procedure enum, e.g. remote_procedure
    prefix: str                 # e.g. remote (from remote_procedure)
    number: int
    version: int
    number_const: str
    version_const: str
    procedures: List[Procedure] = field(default_factory=list)


class Protocol:
    """Every definition of one .x file, in file order."""

    def __init__(self, filename: str, definitions: List[Definition]):
        self.filename = filename
        self.definitions = definitions
        self.consts: Dict[str, ConstDef] = {}
        self.enum_values: Dict[str, int] = {}
        self.types: Dict[str, TypeDef] = {}
        self.programs: List[Program] = []

    def error(self, msg: str, line: int = 0) -> XdrError:
        return XdrError(msg, self.filename, line)

    # ---- checking ----

    def check(self) -> "Protocol":
        """Resolve names and values in file order; raise XdrError at the
        first mistake. Returns self so calls chain."""
        for d in self.definitions:
            self._define(d)
        for d in self.definitions:
            if isinstance(d, EnumDef) and d.annotation("program") is not None:
                self.programs.append(self._check_program(d))
            elif isinstance(d, EnumDef):
                if d.annotations:
                    raise self.error("enum %s: the only annotation an enum "
                                     "takes is @program" % d.name, d.line)
                self._refuse_member_annotations(d)
        return self

    def _claim_name(self, name: str, line: int) -> None:
        if name in self.consts or name in self.types or name in self.enum_values:
            raise self.error("'%s' is defined twice" % name, line)

    def _define(self, d: Definition) -> None:
        if isinstance(d, ConstDef):
            self._claim_name(d.name, d.line)
            self.resolve(d.value, d.line)
            self.consts[d.name] = d
            return
        if isinstance(d, EnumDef):
            self._check_enum(d)
        elif isinstance(d, StructDef):
            self._check_struct(d)
        elif isinstance(d, UnionDef):
            self._check_union(d)
        elif isinstance(d, TypedefDef):
            self.check_decl(d.decl, allow_void=False)
        self._claim_name(d.name, d.line)
        self.types[d.name] = d
        if not isinstance(d, EnumDef) and d.annotations:
            raise self.error("annotations belong on procedures only", d.line)

    def resolve(self, v: Value, line: int) -> int:
        if v.name is None:
            v.resolved = v.literal
        elif v.name in self.consts:
            v.resolved = self.consts[v.name].value.resolved
        elif v.name in self.enum_values:
            v.resolved = self.enum_values[v.name]
        else:
            raise self.error("unknown constant '%s'" % v.name, line)
        return v.resolved

    def _check_enum(self, e: EnumDef) -> None:
        seen = {}
        for m in e.members:
            self._claim_name(m.name, m.line)
            value = self.resolve(m.value, m.line)
            if value in seen:
                raise self.error("%s and %s of enum %s have the same value %d"
                                 % (seen[value], m.name, e.name, value), m.line)
            seen[value] = m.name
            self.enum_values[m.name] = value

    def _check_struct(self, s: StructDef) -> None:
        names = set()
        for f in s.fields:
            self.check_decl(f, allow_void=False)
            if f.name in names:
                raise self.error("struct %s has two fields named '%s'"
                                 % (s.name, f.name), f.line)
            names.add(f.name)

    def _check_union(self, u: UnionDef) -> None:
        disc = u.discriminant
        self.check_decl(disc, allow_void=False)
        if disc.shape != "plain" or not (
                disc.type_name in ("int", "unsigned int", "bool")
                or isinstance(self.types.get(disc.type_name), EnumDef)):
            raise self.error("union %s: the discriminant must be an int, "
                             "unsigned int, bool or enum" % u.name, disc.line)
        seen = set()
        for case in u.cases:
            for v in case.values:
                value = self.resolve(v, case.decl.line)
                if value in seen:
                    raise self.error("union %s: case %d appears twice"
                                     % (u.name, value), case.decl.line)
                seen.add(value)
            self.check_decl(case.decl, allow_void=True)
        if u.default is not None:
            self.check_decl(u.default, allow_void=True)

    def check_decl(self, decl: Declaration, allow_void: bool) -> None:
        if decl.is_void():
            if not allow_void:
                raise self.error("void is only allowed in a union arm",
                                 decl.line)
            return
        t = decl.type_name
        if t not in SCALARS and t not in ("string", "opaque") \
                and t not in self.types:
            raise self.error("unknown type '%s' (types must be defined "
                             "before use)" % t, decl.line)
        if t == "string" and decl.shape != "var":
            raise self.error("string '%s' needs a maximum: name<N> or name<>"
                             % decl.name, decl.line)
        if t == "opaque" and decl.shape not in ("fixed", "var"):
            raise self.error("opaque '%s' needs a size: name[N] or name<N>"
                             % decl.name, decl.line)
        if decl.size is not None:
            size = self.resolve(decl.size, decl.line)
            if size <= 0:
                raise self.error("size of '%s' must be positive" % decl.name,
                                 decl.line)
        elif decl.shape == "fixed":
            raise self.error("fixed array '%s' needs a size" % decl.name,
                             decl.line)

    def _refuse_member_annotations(self, e: EnumDef) -> None:
        for m in e.members:
            if m.annotations:
                raise self.error("annotations on %s, but enum %s has no "
                                 "@program" % (m.name, e.name), m.line)

    # ---- programs and procedures ----

    def _check_program(self, e: EnumDef) -> Program:
        words = (e.annotation("program") or "").split()
        if len(words) != 2:
            raise self.error("@program takes a program and a version "
                             "constant", e.line)
        for w in words:
            if w not in self.consts:
                raise self.error("@program: unknown constant '%s'" % w, e.line)
        if not e.name.endswith("_procedure"):
            raise self.error("a procedure enum is named PREFIX_procedure",
                             e.line)
        prefix = e.name[:-len("_procedure")]
        program = Program(e.name, prefix,
                          self.consts[words[0]].value.resolved,
                          self.consts[words[1]].value.resolved,
                          words[0], words[1])
        member_prefix = prefix.upper() + "_PROC_"
        for m in e.members:
            if not m.name.startswith(member_prefix):
                raise self.error("procedure %s must start with %s"
                                 % (m.name, member_prefix), m.line)
            program.procedures.append(
                self._check_procedure(prefix, member_prefix, m))
        program.procedures.sort(key=lambda p: p.number)
        self._refuse_orphan_payloads(program)
        return program

    def _refuse_orphan_payloads(self, program: Program) -> None:
        """A struct named like a payload that no procedure uses is almost
        certainly a misspelt name, which would silently make a payload
        empty on the wire."""
        used = set()
        for p in program.procedures:
            used.update(s.name for s in (p.args, p.ret, p.msg) if s)
        for d in self.definitions:
            if isinstance(d, StructDef) and d.name not in used \
                    and d.name.startswith(program.prefix + "_") \
                    and d.name.endswith(("_args", "_ret")):
                raise self.error("struct %s is named like a payload but no "
                                 "procedure uses it" % d.name, d.line)

    def _payload(self, struct_name: str, line: int) -> Optional[StructDef]:
        t = self.types.get(struct_name)
        if t is None:
            return None
        if not isinstance(t, StructDef):
            raise self.error("'%s' must be a struct" % struct_name, line)
        return t

    def _check_procedure(self, prefix: str, member_prefix: str,
                         m: EnumMember) -> Procedure:
        ann: Dict[str, List[str]] = {}
        for a in m.annotations:
            if a.key not in PROC_KEYS:
                raise self.error("unknown annotation '@%s' on %s"
                                 % (a.key, m.name), a.line)
            if a.key in ann and a.key not in REPEATABLE_KEYS:
                raise self.error("'@%s' given twice on %s" % (a.key, m.name),
                                 a.line)
            ann.setdefault(a.key, []).append(a.value)
        for key in REQUIRED_PROC_KEYS:
            if key not in ann:
                raise self.error("%s lacks '@%s'" % (m.name, key), m.line)

        def one(key, allowed, default=None):
            value = ann.get(key, [default])[0]
            if value not in allowed:
                raise self.error("@%s of %s must be one of %s, not '%s'"
                                 % (key, m.name,
                                    "|".join(v for v in allowed if v),
                                    value),
                                 m.line)
            return value

        generate = one("generate", GENERATE_VALUES)
        readonly = one("readonly", ("yes", "no")) == "yes"
        priority = one("priority", ("high", "low"), "low")
        stream = one("stream", ("read", "write", None))
        acl = ann["acl"]
        if acl == ["none"]:
            acl = []
        for rule in acl + ann.get("aclfilter", []):
            if not _ACL_RE.match(rule):
                raise self.error("malformed access rule '%s' on %s"
                                 % (rule, m.name), m.line)

        short = m.name[len(member_prefix):]
        base = "%s_%s" % (prefix, short.lower())
        args = self._payload(base + "_args", m.line)
        ret = self._payload(base + "_ret", m.line)
        msg = self._payload(base + "_msg", m.line)
        if msg is not None and (args is not None or ret is not None):
            raise self.error("%s has a _msg (an event) and also _args or "
                             "_ret" % m.name, m.line)
        if msg is not None and stream is not None:
            raise self.error("event %s cannot open a stream" % m.name, m.line)
        return Procedure(m.value.resolved, short, m.name, args, ret, msg,
                         generate, readonly, priority == "high", acl,
                         ann.get("aclfilter", []), stream, m.line)

    # ---- queries for generators ----

    def program(self) -> Program:
        if len(self.programs) != 1:
            raise self.error("expected exactly one program, found %d"
                             % len(self.programs))
        return self.programs[0]
