#!/usr/bin/python3
"""vmm_rpcgen.py: generates what the build needs from one of our .x files.

    vmm_rpcgen.py structs FILE.x OUTPUT
    vmm_rpcgen.py procs-header FILE.x OUTPUT.h
    vmm_rpcgen.py procs-source FILE.x OUTPUT.c PROTOCOL-HEADER
    vmm_rpcgen.py dispatch-header FILE.x OUTPUT.h
    vmm_rpcgen.py dispatch-source FILE.x OUTPUT.c PUBLIC-HEADER-DIR
    vmm_rpcgen.py client-header FILE.x OUTPUT.h PUBLIC-HEADER-DIR
    vmm_rpcgen.py client-source FILE.x OUTPUT.c PUBLIC-HEADER-DIR

The XDR encoders themselves come from rpcgen; this script adds what rpcgen
cannot know: the procedure table with its annotations, the wire summary
that make check diffs, and the server and client glue that map
procedures to the public API (whose prototypes it reads from
PUBLIC-HEADER-DIR). The output is written to a temporary file
and renamed, so an interrupted run never leaves a half file for make to
trust. Exit status 1 with "FILE:LINE: message" on a mistake in the .x.
"""

import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import c_api        # noqa: E402
import gen_client   # noqa: E402
import gen_dispatch  # noqa: E402
import gen_procs    # noqa: E402
import gen_structs  # noqa: E402
from xdr_model import XdrError  # noqa: E402
from xdr_parser import parse_file  # noqa: E402


def _base(path: str) -> str:
    return os.path.splitext(os.path.basename(path))[0]


def _write(path: str, text: str) -> None:
    tmp = path + ".tmp"
    with open(tmp, "w", encoding="utf-8") as f:
        f.write(text)
    os.replace(tmp, path)


def main(argv) -> int:
    usage = ("usage: vmm_rpcgen.py structs|procs-header|procs-source|"
             "dispatch-header|dispatch-source|client-header|client-source "
             "FILE.x OUTPUT [EXTRA]")
    if len(argv) < 4:
        print(usage, file=sys.stderr)
        return 2
    mode, source, output = argv[1:4]
    try:
        protocol = parse_file(source)
        if mode == "structs":
            text = gen_structs.generate(protocol)
        elif mode == "procs-header":
            text = gen_procs.generate_header(protocol, _base(output))
        elif mode == "procs-source" and len(argv) == 5:
            text = gen_procs.generate_source(protocol, _base(output), argv[4])
        elif mode == "dispatch-header":
            text = gen_dispatch.generate_header(protocol, _base(output))
        elif mode == "dispatch-source" and len(argv) == 5:
            text = gen_dispatch.generate_source(
                protocol, _base(output), c_api.parse_headers(argv[4]))
        elif mode == "client-header" and len(argv) == 5:
            text = gen_client.generate_header(
                protocol, _base(output), c_api.parse_headers(argv[4]))
        elif mode == "client-source" and len(argv) == 5:
            text = gen_client.generate_source(
                protocol, _base(output), c_api.parse_headers(argv[4]))
        else:
            print(usage, file=sys.stderr)
            return 2
    except XdrError as e:
        print(e, file=sys.stderr)
        return 1
    _write(output, text)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
