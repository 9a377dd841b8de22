"""Regular expressions compiled when first used. A pattern that only some inputs or options need
(a time given on the command line, text pasted from a mail) would otherwise be compiled at the
start of every command."""

from __future__ import annotations

import re
from typing import Any, cast


class _Deferred:
    """A pattern compiled at the first use of any of its attributes; each attribute used is
    then kept on the object, so that later uses cost what the compiled pattern's do."""

    def __init__(self, source: str | bytes, flags: int) -> None:
        self._source = source
        self._flags = flags

    def __getattr__(self, name: str) -> Any:  # (called for attributes not kept yet)
        if name.startswith("_") and name != "_compiled":  # (`copy` of one made without its
            raise AttributeError(name)  # `__init__`: no `_source` to compile from)
        if name == "_compiled":
            compiled = self._compiled = re.compile(self._source, self._flags)
            return compiled
        value = self.__dict__[name] = getattr(self._compiled, name)
        return value


def deferred(source: str, flags: int = 0) -> re.Pattern[str]:
    """`re.compile(source, flags)`, done when the pattern is first used."""
    return cast("re.Pattern[str]", _Deferred(source, flags))


def deferred_bytes(source: bytes, flags: int = 0) -> re.Pattern[bytes]:
    """`deferred` of a pattern of bytes."""
    return cast("re.Pattern[bytes]", _Deferred(source, flags))


DASH = "(?:-{1,2}|[\u2010-\u2015\u2212\ufe58\ufe63\uff0d])"
"""A message's ` - `, as a page or a document may have it set: `--`, a hyphen, an en or em
dash, a minus sign (WordPress, Confluence, Word and Markdown's typography)."""


def words(text: str) -> str:
    """The source of a pattern of a message's fixed words: each single space may be any run
    of spaces, and each ` - ` any `DASH` between them."""
    return " +".join(DASH if word == "-" else word for word in text.split(" "))
