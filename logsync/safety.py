"""Make untrusted log text harmless on a terminal.

Control characters (C0, DEL, C1) and the bidirectional-override characters are shown as visible
escapes such as `\\x1b` or `\\u202e`; nothing here ever emits them raw. Rich markup is never
interpreted because human output is built from `rich.text.Text` objects, not markup strings. A
CSV cell is never a spreadsheet's formula.
"""

from __future__ import annotations

import re

_BEYOND_C0 = "\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069"  # DEL, C1, bidi
_UNSAFE_RE = re.compile(f"[\x00-\x1f{_BEYOND_C0}]")
_UNSAFE_BUT_TAB_RE = re.compile(f"[\x00-\x08\x0a-\x1f{_BEYOND_C0}]")
_NAMED = {"\t": "\\t", "\n": "\\n", "\r": "\\r"}


def _escape(match: re.Match[str]) -> str:
    char = match.group()
    named = _NAMED.get(char)
    if named:
        return named
    code = ord(char)
    return f"\\x{code:02x}" if code <= 0xFF else f"\\u{code:04x}"


def visible(text: str) -> str:
    """One line of text with every control character shown as an escape."""
    return _UNSAFE_RE.sub(_escape, text) if _UNSAFE_RE.search(text) else text


def tab_joined(fields: list[str]) -> str:
    """Fields joined by tabs, each with every control character (a tab too) shown as an
    escape: one record of a tab-separated line."""
    line = "\t".join(fields)
    if line.count("\t") == len(fields) - 1 and not _UNSAFE_BUT_TAB_RE.search(line):
        return line  # (most lines: nothing to escape, and no field holds a tab)
    return "\t".join(map(visible, fields))


def csv_text(text: str) -> str:
    """A CSV cell of untrusted text: control characters shown as escapes (`visible`), and a
    leading `'` where a spreadsheet would take the cell for a formula (`=`, `+`, `@`, or `-`
    before anything but a digit: `=HYPERLINK(…)@contoso.com` as a user's name)."""
    text = visible(text)
    if text[:1] in _FORMULA_STARTS or (text[:1] == "-" and len(text) > 1 and not text[1].isdigit()):
        return "'" + text
    return text


_FORMULA_STARTS = frozenset("=+@")
