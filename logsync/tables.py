"""A Markdown table of a log's lines or of an excerpt's (a GitHub issue, Confluence, Jira): each
row a line, its cells apart by tabs (`| 9/14/2014 10:23:54 AM | NotifyAccountAddition … |` is
the excerpt's dated line, a row of CMTrace's columns the row it copied); the header and the
row of dashes under it are no part of the log. Its `|` read as e-mail quoting refused the
input ("lines of a quoted excerpt run together")."""

from __future__ import annotations

import re
from collections.abc import Iterable

from .mail import whole_text
from .patterns import deferred, deferred_bytes

_DASHES = r":?-{3,}:?[ \t]*"
_SEPARATOR = r"[ \t]*(?:\|[ \t]*)?" + _DASHES + r"(?:\|[ \t]*" + _DASHES + r")*(?:\|[ \t]*)?"
"""The row under a table's header: a run of dashes (maybe `:` aligned) for each column. (No
two runs of blanks meet: a long line is matched in linear time.)"""
_HEAD_RE = deferred_bytes(
    rb"^[^\r\n|]*\|[^\r\n]*\r?\n(" + _SEPARATOR.encode() + rb")\r?$", re.MULTILINE
)
_SEPARATOR_RE = deferred(_SEPARATOR)
_CELL_RE = deferred(r"(?<!\\)\|")
HEAD = 1 << 12
"""Bytes of an input's start where a table's header is looked for."""


def is_table(head: bytes) -> bool:
    """Whether an input begins with a Markdown table (in its first `HEAD` bytes, text before
    it aside): a row of cells, then the row of dashes under it, with a `|` (between columns, or
    around a single one)."""
    head = head[:HEAD]
    if b"---" not in head or b"|" not in head:  # (most inputs: quick, and nothing compiled)
        return False
    found = _HEAD_RE.search(head)
    return found is not None and b"|" in found[1]


def table_text(blocks: Iterable[bytes], shown: str, told: list[str] | None = None) -> bytes:
    """The lines of such an input (see `is_table`), as UTF-8: a table's rows with their cells
    apart by tabs (without the pipes around them, `\\|` as `|`, a cell's code marks off), its
    header and dashes blank lines (each line of the log where it is in the table, so evidence
    names the table's own line); the text around it as it is."""
    text = whole_text(blocks, shown, "Markdown table larger than {} MB", told).removesuffix("\n")
    lines = [line.removesuffix("\r") for line in text.split("\n")]  # (as the scanner counts)
    out: list[str] = []
    inside = False
    for line in lines:
        if _SEPARATOR_RE.fullmatch(line) and "|" in line and out:
            out[-1] = ""  # (the header's names)
            out.append("")
            inside = True
            continue
        if inside and "|" in line:
            out.append("\t".join(_cell(cell) for cell in _cells(line)))
            continue
        inside = False
        out.append(line)
    return "".join(f"{line}\n" for line in out).encode()


def _cells(row: str) -> list[str]:
    cells = _CELL_RE.split(row.strip(" \t"))
    if cells and not cells[0].strip():
        cells = cells[1:]  # (the pipe before the first)
    if len(cells) > 1 and not cells[-1].strip():
        cells = cells[:-1]  # (the pipe after the last)
    return cells


def _cell(cell: str) -> str:
    text = cell.strip(" \t").replace("\\|", "|")
    if len(text) > 1 and text[0] == text[-1] == "`":
        text = text.strip("`").strip(" ")
    return text
