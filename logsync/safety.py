"""Make untrusted log text harmless on a terminal.

Control characters (C0, DEL, C1) and the bidirectional-override characters are shown as visible
escapes such as `\\x1b` or `\\u202e`; nothing here ever emits them raw. Rich markup is never
interpreted because human output is built from `rich.text.Text` objects, not markup strings.
"""

from __future__ import annotations

import re

_UNSAFE_RE = re.compile("[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")
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
