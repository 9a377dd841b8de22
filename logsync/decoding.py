"""Bytes to text: the one decoder of every input, read whole (`sources.text_chunks`) or followed
live (`watch.Follower`).

The encoding is sniffed from the first bytes (a BOM, or UTF-16 without one); UTF-8 lines that
hold bytes that are not valid UTF-8 are read as cp1252 and counted; CRLF and stray CR are folded
to `\\n`. The text comes out a piece of complete lines at a time.
"""

from __future__ import annotations

import codecs
import re
from typing import TYPE_CHECKING

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
    """

    def __init__(self, stats: InputStats) -> None:
        self.stats = stats
        self.encoding: str | None = None
        self._head = b""
        self._held = b""
        """The bytes of a UTF-8 line not complete yet."""
        self._held_text = ""
        """The text of a UTF-16 line not complete yet."""
        self._utf16: codecs.IncrementalDecoder | None = None

    def feed(self, data: bytes) -> str:
        if self.encoding is None:
            data = self._head + data
            # a NUL among the first bytes may be UTF-16 without a BOM: wait until it shows
            if len(data) < UTF16_SNIFF and (b"\0" in data or len(data) < 3):
                self._head = data
                return ""
            self._head = b""
            data = self._start(data)
        if self._utf16 is not None:
            return self._text(self._utf16.decode(data))
        return self._utf8(data, final=False)

    def close(self) -> str:
        """The rest of the input (the last line, when it has no break of its own)."""
        if self.encoding is None:
            if not self._head:
                self.stats.encoding = self.stats.encoding or "utf-8"
                return ""
            data = self._start(self._head)
            self._head = b""
        else:
            data = b""
        if self._utf16 is not None:
            held, self._held_text = self._held_text, ""
            return _folded(held + self._utf16.decode(data, final=True))
        return self._utf8(data, final=True)

    def _start(self, data: bytes) -> bytes:
        encoding, bom = sniff_encoding(data)
        self.encoding = self.stats.encoding = encoding
        if encoding.startswith("utf-16"):
            self._utf16 = codecs.getincrementaldecoder(encoding)(errors="backslashreplace")
        return data[bom:]

    def _text(self, block: str) -> str:
        """UTF-16 text: the complete lines of what is held and `block`."""
        text = self._held_text + block if self._held_text else block
        cut = _break_end(text, "\n", "\r")
        self._held_text = text[cut:]
        return _folded(text[:cut])

    def _utf8(self, data: bytes, final: bool) -> str:
        raw = self._held + data if self._held else data
        cut = len(raw) if final else _break_end(raw, b"\n", b"\r")
        self._held = raw[cut:]
        if not cut:
            return ""
        text = _checked(_folded(raw[:cut].decode("utf-8", "surrogateescape")), self.stats)
        if self.stats.fallback_lines and not self.stats.encoding.endswith("+cp1252"):
            self.stats.encoding += "+cp1252"
        return text


def _break_end(block: bytes | str, newline: bytes | str, cr: bytes | str) -> int:
    """Index just past the block's last safe line break, or 0 (a final CR may pair with an LF)."""
    cut = block.rfind(newline)  # type: ignore[arg-type]
    if cut < 0:
        cut = block.rfind(cr, 0, len(block) - 1)  # type: ignore[arg-type]
    return cut + 1


def _folded(text: str) -> str:
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text


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
