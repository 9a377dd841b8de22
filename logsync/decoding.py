"""Bytes to text: the one decoder of every input, read whole (`sources.text_chunks`) or followed
live (`follow.Follower`).

The encoding is sniffed from the first bytes (a BOM, or UTF-16 without one); UTF-8 lines that
hold bytes that are not valid UTF-8 are read as cp1252 and counted; CRLF and stray CR are folded
to `\\n`. The text comes out a piece of complete lines at a time.
"""

from __future__ import annotations

import codecs
import io
import re
from typing import TYPE_CHECKING

from .accel import native

if TYPE_CHECKING:
    from .stats import InputStats

UTF16_SNIFF = 8
"""Bytes that tell UTF-16 without a BOM (every other byte NUL) from ASCII."""


def sniff_encoding(head: bytes) -> tuple[str, int]:
    """(encoding name, BOM length) from the first bytes of the data."""
    if head.startswith(codecs.BOM_UTF8):
        return "utf-8-sig", 3
    if head.startswith(codecs.BOM_UTF16_LE):
        return "utf-16-le", 2
    if head.startswith(codecs.BOM_UTF16_BE):
        return "utf-16-be", 2
    # UTF-16 without a BOM: ASCII text with every other byte NUL.
    sample = head[:64]
    if (
        len(sample) >= UTF16_SNIFF
        and sample[1::2].count(0) == len(sample[1::2])
        and sample[0::2].count(0) == 0
    ):
        return "utf-16-le", 0
    if (
        len(sample) >= UTF16_SNIFF
        and sample[0::2].count(0) == len(sample[0::2])
        and sample[1::2].count(0) == 0
    ):
        return "utf-16-be", 0
    return "utf-8", 0


class LineDecoder:
    """Bytes fed a piece at a time -> the text of the complete lines among them.

    `feed` returns the text up to the last line break seen (every break `\\n`, the text ending
    with one) or "" while no line is complete; `close` returns what is left (the last line,
    without a break of its own). The cp1252 fallback lines are counted in `stats`, which also
    gets the encoding.

    UTF-8 is cut into lines as bytes (a `\\n` byte is never part of a longer character) and
    each piece of whole lines decoded at once; UTF-16 goes through an incremental decoder.
    """

    def __init__(self, stats: InputStats) -> None:
        self.stats = stats
        self.encoding: str | None = None
        self._head = b""
        self._held = ""
        """The text of a line not complete yet (UTF-16)."""
        self._rest = b""
        """The bytes of a line not complete yet (UTF-8), or a CR that may begin a CRLF."""
        self._lines: io.IncrementalNewlineDecoder | None = None
        """UTF-16's decoder; None until the encoding is known, and for UTF-8."""

    def feed(self, data: bytes) -> str:
        if self.encoding is None:
            data = self._head + data
            # a NUL among the first bytes may be UTF-16 without a BOM: wait until it shows
            if len(data) < UTF16_SNIFF and (b"\0" in data or len(data) < 3):
                self._head = data
                return ""
            self._head = b""
            data = self._start(data)
        if self._lines is None:
            return self._utf8(self._rest + data, final=False)
        text = self._lines.decode(data)
        cut = text.rfind("\n") + 1
        if not cut:
            self._held += text
            return ""
        lines = self._held + text[:cut] if self._held else text[:cut]
        self._held = text[cut:]
        return self._checked(lines)

    def close(self) -> str:
        """The rest of the input (the last line, when it has no break of its own)."""
        data = b""
        if self.encoding is None:
            if not self._head:
                self.stats.encoding = self.stats.encoding or "utf-8"
                return ""
            data = self._start(self._head)
            self._head = b""
        if self._lines is None:
            return self._utf8(self._rest + data, final=True)
        rest = self._held + self._lines.decode(data, final=True)
        self._held = ""
        return self._checked(rest) if rest else ""

    def _start(self, data: bytes) -> bytes:
        encoding, bom = sniff_encoding(data)
        self.encoding = self.stats.encoding = encoding
        if encoding.startswith("utf-16"):
            # (the BOM is cut here: the decoder would keep it as a character)
            decoder = codecs.getincrementaldecoder(encoding)(errors="backslashreplace")
            self._lines = io.IncrementalNewlineDecoder(decoder, translate=True)
        return data[bom:]

    def _utf8(self, data: bytes, final: bool) -> str:
        """The whole lines of `data` as text, CRLF and a lone CR made `\\n`; the bytes after
        the last break are kept for the next piece (all of them are given when `final`)."""
        if final:
            self._rest = b""
        else:
            end = len(data)
            if data.endswith(b"\r"):  # it may be the first half of a CRLF: it waits
                end -= 1
            cut = max(data.rfind(b"\n", 0, end), data.rfind(b"\r", 0, end)) + 1
            data, self._rest = data[:cut], data[cut:]
        return self._checked(_lines(data)) if data else ""

    def _checked(self, text: str) -> str:
        if self.encoding is not None and self.encoding.startswith("utf-16"):
            return text
        text = _checked(text, self.stats)
        if self.stats.fallback_lines and not self.stats.encoding.endswith("+cp1252"):
            self.stats.encoding += "+cp1252"
        return text


def _text(data: bytes) -> str:
    """UTF-8 bytes of whole lines as text, CRLF and a lone CR made `\\n` (invalid bytes kept
    as lone surrogates for `_checked`)."""
    text = data.decode("utf-8", "surrogateescape")
    if "\r" in text:  # (Python's newline decoder folds faster than two replaces)
        text = io.IncrementalNewlineDecoder(None, translate=True).decode(text, final=True)
    return text


def _native_text(data: bytes) -> str:
    """`_text`, with the native scanner's one pass over ASCII bytes."""
    text = native.ascii_lines(data)  # type: ignore[union-attr]
    return _text(data) if text is None else text


_lines = _text if native is None else _native_text


_ESCAPED_RE = re.compile("[\udc80-\udcff]")
"""Bytes that were not valid UTF-8, kept as lone surrogates by `surrogateescape`."""


def _checked(text: str, stats: InputStats) -> str:
    """Read again as cp1252 each line that held bytes that are not valid UTF-8; drop the
    byte-order mark at the start of a line (of a file pasted after another, `type a b > c`)."""
    if text.isascii():
        return text
    if "\ufeff" in text:
        text = text.replace("\n\ufeff", "\n")
        if text.startswith("\ufeff"):
            text = text[1:]
    if not _ESCAPED_RE.search(text):
        return text
    lines = text.split("\n")
    for index, line in enumerate(lines):
        if _ESCAPED_RE.search(line):
            stats.fallback_lines += 1
            raw = line.encode("utf-8", "surrogateescape")
            lines[index] = raw.decode("cp1252", errors="backslashreplace")
    return "\n".join(lines)
