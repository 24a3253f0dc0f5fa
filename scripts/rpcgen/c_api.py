"""c_api.py: reads the prototypes of the public API (include/vmm/*.h), so
the glue generators can match a procedure to the function it stands for
and check that the wire layout and the C signature agree.

Only what the glue needs: every "VMM_EXPORT <type> <name>(<params>);"
declaration, split into a return type and typed parameters. Types are kept
as normalised strings ("const char *", "unsigned long *"); this is not a C
parser and refuses what it does not understand.
"""

import os
import re
from dataclasses import dataclass
from typing import Dict, List

_DECL_RE = re.compile(r"VMM_EXPORT\s+([^;{]*?)\s*\(([^;{]*?)\)\s*;", re.S)
_COMMENT_RE = re.compile(r"/\*.*?\*/|//[^\n]*", re.S)
_NAME_RE = re.compile(r"^(.*?)([A-Za-z_][A-Za-z0-9_]*)$")


@dataclass
class CParam:
    type: str
    name: str


@dataclass
class CFunction:
    name: str
    ret: str
    params: List[CParam]


def normalise_type(text: str) -> str:
    """"const  char*" -> "const char *"; "char **const" -> "char **const"."""
    text = re.sub(r"\s*\*\s*", " *", text.strip())
    text = re.sub(r"\s+", " ", text)
    return text.replace("* *", "**").strip()


def _split_name(decl: str):
    m = _NAME_RE.match(decl.strip())
    if not m or not m.group(1).strip():
        raise ValueError("cannot read declaration '%s'" % decl)
    return normalise_type(m.group(1)), m.group(2)


def parse_header_text(text: str) -> Dict[str, CFunction]:
    functions = {}
    for m in _DECL_RE.finditer(_COMMENT_RE.sub(" ", text)):
        ret, name = _split_name(m.group(1))
        params = []
        for p in m.group(2).split(","):
            p = p.strip()
            if p and p != "void":
                ptype, pname = _split_name(p)
                params.append(CParam(ptype, pname))
        functions[name] = CFunction(name, ret, params)
    return functions


def parse_headers(directory: str) -> Dict[str, CFunction]:
    """Every exported function of the headers in @directory, by name."""
    functions = {}
    for entry in sorted(os.listdir(directory)):
        if entry.endswith(".h"):
            with open(os.path.join(directory, entry), encoding="utf-8") as f:
                functions.update(parse_header_text(f.read()))
    return functions


def find_function(functions: Dict[str, CFunction], wanted: str):
    """The function named @wanted ignoring case (DOMAIN_GET_XML_DESC
    becomes vmmdomaingetxmldesc, which finds vmmDomainGetXMLDesc)."""
    lowered = wanted.lower()
    for name, fn in functions.items():
        if name.lower() == lowered:
            return fn
    return None
