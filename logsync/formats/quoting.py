"""E-mail quoting of pasted text (`> `, `>> `, `| `, `: `, `# `, indented or not): told from the
lines and taken off (see `aspasted.Pasting`)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from itertools import pairwise

QUOTE_RE = re.compile(r"[ \t]*(?:(?:\||>(?!<[^!]))[ \t]?|[:#][ \t])+")
"""E-mail quoting at the start of a line, maybe indented (`  > `, as some clients quote): one
space (or tab) after each marker is the quoting's own; more stays with the text (an excerpt's
indentation). A `>` right before a `<` (but for a CMTrace record's `<![LOG[`) is no quoting: it
is where an SMS-trace trailer was cut (`><11-24-`, `><thread=`). `:` and `#` (a ticket's or a
script's comment) quote only with their space (`::` and `#1` are text)."""
QUOTED_RE = re.compile(r"^[ \t]*(?:[>|]|[:#][ \t])", re.MULTILINE)


def unquoted_lines(lines: Iterator[str], prefix: str | None) -> Iterator[str]:
    """The lines without their quoting (`prefix`, or each line's own when None). A line that is
    only `>` is an empty line quoted, or the last character of a trailer still open above it."""
    open_trailer = False
    for line in lines:
        text = unquote(line) if prefix is None else _unquoted(line, prefix)
        if not text and open_trailer and line.rstrip(" \t") == ">":
            text = ">"
        if text:
            ended = text.rstrip(" \t").endswith(">")
            open_trailer = (open_trailer or "$$<" in text) and not ended
        yield text


def unquote(line: str) -> str:
    """The line without its e-mail quoting."""
    match = QUOTE_RE.match(line)
    return line[match.end() :] if match else line


def _unquoted(line: str, prefix: str) -> str:
    """The line without its e-mail quoting, in a text most of whose quoted lines carry `prefix`
    (`> `): taken off exactly, and deeper quoting only where its last marker has its space. A
    line that is only `>` (or `>` and no space: `>` then text) is the piece of a record cut
    there, after it was quoted. A byte order mark after the quoting (a file quoted whole, its
    mark and all) goes with it, as deep as it is quoted."""
    if line.startswith(prefix):
        line = line[len(prefix) :].removeprefix("\ufeff")
    elif line.rstrip(" \t") == prefix.rstrip(" \t"):
        return ""  # a quoted empty line (its trailing space dropped by the mail client)
    match = QUOTE_RE.match(line)
    if match and match.group()[-1] in " \t":
        return line[match.end() :].removeprefix("\ufeff")  # (a reply to the reply)
    return line


def quoted_starts(lines: list[str]) -> bool:
    """Whether SMS trace was quoted, then wrapped narrow (each record's first piece quoted, its
    other pieces not: fewer than a fifth of the lines): the lines after half the trailers' ends
    carry quoting (an end is the thread's, `(0x15F0)>`), three at least."""
    after_end = [b for a, b in pairwise(lines) if a.rstrip(" \t").endswith(")>")]
    quoted = sum(1 for line in after_end if QUOTE_RE.match(line))
    return quoted >= 3 and quoted * 2 >= len(after_end) and any("$$<" in line for line in lines)
