"""`jq FILTER` for the examples' pipes on a machine without the jq program: the same filter run
by the jq library's own Python binding (the `jq` package of the test extra), with the flags the
examples use (-r raw strings, -c compact output)."""

from __future__ import annotations

import json
import sys

import jq


def main(argv: list[str]) -> int:
    flags = {arg for arg in argv if arg.startswith("-")}
    unknown = flags - {"-r", "-c", "-rc", "-cr"}
    (program,) = [arg for arg in argv if not arg.startswith("-")]
    if unknown:
        print(f"jq_shim: unsupported flags {sorted(unknown)}", file=sys.stderr)
        return 2
    raw = any("r" in flag for flag in flags)
    compact = any("c" in flag for flag in flags)
    text = sys.stdin.read()
    if not text.strip():
        return 0
    for value in jq.compile(program).input_text(text).all():
        if raw and isinstance(value, str):
            sys.stdout.write(value + "\n")
        elif compact:
            sys.stdout.write(json.dumps(value, ensure_ascii=False, separators=(",", ":")) + "\n")
        else:
            sys.stdout.write(json.dumps(value, ensure_ascii=False, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
