"""xdr_parser.py: reads the subset of the XDR language (RFC 4506, plus
rpcgen's char/short) that our .x files use, into the model of
xdr_model.py.

Two stages: a tokenizer that keeps comments (they carry annotations) and
line numbers, and a recursive-descent parser with one function per rule.
Supported: const, enum, struct, union (switch/case/default), typedef,
"%" pass-through lines (ignored: they are for rpcgen), /* */ and //
comments. Not supported, and refused with a message: rpcgen's program
blocks, preprocessor lines, nested type definitions.

Annotations are "@key: value" lines in the comment just before an enum
(the procedure enum's @program) or an enum member (a procedure). An
annotated comment anywhere else is an error, so a misplaced annotation
never goes unnoticed.
"""

import re
from dataclasses import dataclass, field
from typing import List, Optional

from xdr_model import (
    Annotation, ConstDef, Declaration, Definition, EnumDef, EnumMember,
    Protocol, StructDef, TypedefDef, UnionCase, UnionDef, Value, XdrError,
)

# The XDR language's reserved words (RFC 4506) and rpcgen's char/short.
# The RPC language's "program" and "version" stay ordinary names, so a
# field may be called "version".
KEYWORDS = {
    "bool", "case", "char", "const", "default", "double", "enum", "float",
    "hyper", "int", "opaque", "quadruple", "short", "string", "struct",
    "switch", "typedef", "union", "unsigned", "void",
}

_TOKEN_RE = re.compile(r"""
    (?P<space>[ \t\r\f\v]+)
  | (?P<newline>\n)
  | (?P<comment>/\*.*?\*/)
  | (?P<linecomment>//[^\n]*)
  | (?P<number>-?(0[xX][0-9a-fA-F]+|[0-9]+))
  | (?P<ident>[A-Za-z_][A-Za-z0-9_]*)
  | (?P<punct>[{}()\[\]<>;,=:*])
""", re.VERBOSE | re.DOTALL)

_ANNOTATION_RE = re.compile(r"^@([A-Za-z_][A-Za-z0-9_-]*):\s*(.*?)\s*$")


@dataclass
class Token:
    kind: str                   # ident, keyword, number, punct, eof
    text: str
    line: int
    comments: List[str] = field(default_factory=list)
    annotations: List[Annotation] = field(default_factory=list)
    claimed: bool = False


def parse_annotations(comment: str, line: int) -> List[Annotation]:
    """The "@key: value" lines of one comment, each with its line."""
    body = comment[2:-2] if comment.startswith("/*") else comment[2:]
    found = []
    for offset, raw in enumerate(body.split("\n")):
        text = raw.strip()
        if text.startswith("*"):
            text = text[1:].strip()
        m = _ANNOTATION_RE.match(text)
        if m:
            found.append(Annotation(m.group(1), m.group(2), line + offset))
    return found


def tokenize(text: str, filename: str = "") -> List[Token]:
    """Splits @text into tokens; comments are attached to the token that
    follows them. The list ends with an eof token."""
    tokens: List[Token] = []
    comments: List[str] = []
    annotations: List[Annotation] = []
    line = 1
    pos = 0
    at_line_start = True
    while pos < len(text):
        if at_line_start and text[pos] in "%#":
            end = text.find("\n", pos)
            end = len(text) if end < 0 else end
            if text[pos] == "#":
                raise XdrError("preprocessor lines are not supported",
                               filename, line)
            pos = end           # "%" lines are for rpcgen alone
            continue
        m = _TOKEN_RE.match(text, pos)
        if not m and text.startswith("/*", pos):
            raise XdrError("unterminated comment", filename, line)
        if not m:
            raise XdrError("unexpected character %r" % text[pos],
                           filename, line)
        kind = m.lastgroup
        value = m.group(kind)
        if kind == "newline":
            at_line_start = True
        elif kind != "space":
            at_line_start = False
        if kind in ("comment", "linecomment"):
            comments.append(value)
            annotations.extend(parse_annotations(value, line))
        elif kind not in ("space", "newline"):
            if kind == "ident" and value in KEYWORDS:
                kind = "keyword"
            tokens.append(Token(kind, value, line, comments, annotations))
            comments, annotations = [], []
        line += value.count("\n")
        pos = m.end()
    tokens.append(Token("eof", "", line, comments, annotations))
    return tokens


def parse_number(text: str) -> int:
    """A C integer literal: decimal, 0x hexadecimal or 0 octal."""
    digits = text.lstrip("-")
    sign = -1 if text.startswith("-") else 1
    if digits[:2].lower() == "0x":
        return sign * int(digits[2:], 16)
    if len(digits) > 1 and digits.startswith("0"):
        return sign * int(digits[1:], 8)
    return sign * int(digits)


class Parser:
    """Recursive descent over the token list; one method per rule."""

    def __init__(self, text: str, filename: str = ""):
        self.filename = filename
        self.tokens = tokenize(text, filename)
        self.pos = 0

    # ---- helpers ----

    def error(self, msg: str, tok: Optional[Token] = None) -> XdrError:
        tok = tok or self.peek()
        return XdrError(msg, self.filename, tok.line)

    def peek(self) -> Token:
        return self.tokens[self.pos]

    def advance(self) -> Token:
        tok = self.tokens[self.pos]
        if tok.kind != "eof":
            self.pos += 1
        return tok

    def accept(self, text: str) -> Optional[Token]:
        tok = self.peek()
        if tok.kind in ("punct", "keyword") and tok.text == text:
            return self.advance()
        return None

    def expect(self, text: str) -> Token:
        tok = self.accept(text)
        if tok is None:
            found = self.peek().text or "end of file"
            raise self.error("expected '%s', found '%s'" % (text, found))
        return tok

    def expect_ident(self, what: str) -> Token:
        tok = self.peek()
        if tok.kind != "ident":
            found = tok.text or "end of file"
            raise self.error("expected %s, found '%s'" % (what, found))
        return self.advance()

    @staticmethod
    def claim(tok: Token) -> List[Annotation]:
        tok.claimed = True
        return tok.annotations

    # ---- grammar ----

    def parse(self) -> Protocol:
        """specification: definition* EOF"""
        definitions: List[Definition] = []
        while self.peek().kind != "eof":
            definitions.append(self.definition())
        for tok in self.tokens:
            if tok.annotations and not tok.claimed:
                raise XdrError("annotation '@%s' does not precede a "
                               "procedure or a procedure enum"
                               % tok.annotations[0].key, self.filename,
                               tok.annotations[0].line)
        return Protocol(self.filename, definitions)

    def definition(self) -> Definition:
        tok = self.peek()
        rules = {"const": self.const_def, "enum": self.enum_def,
                 "struct": self.struct_def, "union": self.union_def,
                 "typedef": self.typedef_def}
        if tok.kind == "keyword" and tok.text in rules:
            return rules[tok.text]()
        if tok.kind == "ident" and tok.text == "program":
            raise self.error("program blocks are not supported: number "
                             "procedures with an annotated enum")
        raise self.error("expected a definition, found '%s'" % tok.text)

    def value(self) -> Value:
        """value: NUMBER | IDENT"""
        tok = self.advance()
        if tok.kind == "number":
            try:
                return Value(literal=parse_number(tok.text))
            except ValueError:
                raise self.error("malformed number '%s'" % tok.text, tok)
        if tok.kind == "ident":
            return Value(name=tok.text)
        raise self.error("expected a number or a constant, found '%s'"
                         % tok.text, tok)

    def const_def(self) -> ConstDef:
        """const: 'const' IDENT '=' value ';'"""
        self.expect("const")
        name = self.expect_ident("a constant name")
        self.expect("=")
        value = self.value()
        self.expect(";")
        return ConstDef(name.text, name.line, value=value)

    def enum_def(self) -> EnumDef:
        """enum: 'enum' IDENT '{' member (',' member)* '}' ';'"""
        kw = self.expect("enum")
        name = self.expect_ident("an enum name")
        enum = EnumDef(name.text, name.line, self.claim(kw))
        self.expect("{")
        while True:
            member = self.expect_ident("an enum member")
            self.expect("=")
            enum.members.append(EnumMember(member.text, self.value(),
                                           member.line, self.claim(member)))
            if not self.accept(","):
                break
        self.expect("}")
        self.expect(";")
        return enum

    def struct_def(self) -> StructDef:
        """struct: 'struct' IDENT '{' (declaration ';')+ '}' ';'"""
        self.expect("struct")
        name = self.expect_ident("a struct name")
        struct = StructDef(name.text, name.line)
        self.expect("{")
        while not self.accept("}"):
            struct.fields.append(self.declaration())
            self.expect(";")
        if not struct.fields:
            raise self.error("struct %s is empty" % name.text, name)
        self.expect(";")
        return struct

    def union_def(self) -> UnionDef:
        """union: 'union' IDENT 'switch' '(' declaration ')'
                  '{' case+ ['default' ':' declaration ';'] '}' ';'
           case: ('case' value ':')+ declaration ';'"""
        self.expect("union")
        name = self.expect_ident("a union name")
        union = UnionDef(name.text, name.line)
        self.expect("switch")
        self.expect("(")
        union.discriminant = self.declaration()
        self.expect(")")
        self.expect("{")
        while self.peek().text == "case":
            values = []
            while self.accept("case"):
                values.append(self.value())
                self.expect(":")
            union.cases.append(UnionCase(values, self.declaration()))
            self.expect(";")
        if self.accept("default"):
            self.expect(":")
            union.default = self.declaration()
            self.expect(";")
        if not union.cases:
            raise self.error("union %s has no case" % name.text, name)
        self.expect("}")
        self.expect(";")
        return union

    def typedef_def(self) -> TypedefDef:
        """typedef: 'typedef' declaration ';'"""
        self.expect("typedef")
        decl = self.declaration()
        self.expect(";")
        if decl.is_void():
            raise self.error("typedef of void", self.tokens[self.pos - 1])
        return TypedefDef(decl.name, decl.line, decl=decl)

    def type_specifier(self) -> str:
        """type: ['unsigned'] ('int'|'hyper'|'char'|'short') | 'unsigned'
               | 'float' | 'double' | 'bool' | 'string' | 'opaque' | IDENT"""
        tok = self.peek()
        if self.accept("unsigned"):
            nxt = self.peek()
            if nxt.kind == "keyword" and nxt.text in ("int", "hyper", "char",
                                                      "short"):
                return "unsigned " + self.advance().text
            return "unsigned int"
        if tok.kind == "keyword" and tok.text in ("int", "hyper", "char",
                                                  "short", "float", "double",
                                                  "bool", "string", "opaque"):
            return self.advance().text
        if tok.kind == "keyword" and tok.text in ("struct", "enum", "union"):
            raise self.error("nested type definitions are not supported: "
                             "define %s at top level" % tok.text)
        return self.expect_ident("a type").text

    def declaration(self) -> Declaration:
        """declaration: 'void'
                      | type IDENT
                      | type IDENT '[' value ']'
                      | type IDENT '<' [value] '>'
                      | type '*' IDENT"""
        first = self.peek()
        if self.accept("void"):
            return Declaration("void", None, line=first.line)
        type_name = self.type_specifier()
        if self.accept("*"):
            name = self.expect_ident("a name")
            return Declaration(type_name, name.text, "optional",
                               line=name.line)
        name = self.expect_ident("a name")
        decl = Declaration(type_name, name.text, line=name.line)
        if self.accept("["):
            decl.shape, decl.size = "fixed", self.value()
            self.expect("]")
        elif self.accept("<"):
            decl.shape = "var"
            if not self.accept(">"):
                decl.size = self.value()
                self.expect(">")
        return decl


def parse_text(text: str, filename: str = "") -> Protocol:
    """Parses and checks the text of a .x file."""
    return Parser(text, filename).parse().check()


def parse_file(path: str) -> Protocol:
    with open(path, encoding="utf-8") as f:
        return parse_text(f.read(), path)
