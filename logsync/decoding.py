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
        self._odd = b""
        """UTF-16 bytes not given to its decoder yet: half a character, or a line's break
        followed by what may begin a UTF-8 BOM."""
        self._break16 = b""
        self._at_break16 = False
        """Whether the UTF-16 bytes given so far end with a line break."""

    def feed(self, data: bytes) -> str:
        if self.encoding is None:
            data = self._head + data
            # a NUL among the first bytes may be UTF-16 without a BOM: wait until it shows
            if len(data) < UTF16_SNIFF and (b"\0" in data or len(data) < 3):
                self._head = data
                return ""
            self._head = b""
            data = self._start(data)
        return self._decoded(data, final=False)

    def close(self) -> str:
        """The rest of the input (the last line, when it has no break of its own)."""
        data = b""
        if self.encoding is None:
            if not self._head:
                self.stats.encoding = self.stats.encoding or "utf-8"
                return ""
            data = self._start(self._head)
            self._head = b""
        return self._decoded(data, final=True)

    def _start(self, data: bytes) -> bytes:
        encoding, bom = sniff_encoding(data)
        self.encoding = self.stats.encoding = encoding
        if encoding.startswith("utf-16"):
            self._to_utf16(encoding)
        return data[bom:]

    def _to_utf16(self, encoding: str) -> None:
        # (the BOM is cut before the decoder sees it: it would keep it as a character)
        decoder = codecs.getincrementaldecoder(encoding)(errors="backslashreplace")
        self._lines = io.IncrementalNewlineDecoder(decoder, translate=True)
        self._break16, self._at_break16 = _BREAKS_UTF16[encoding], True

    def _decoded(self, data: bytes, final: bool) -> str:
        """The whole lines of `data` as text, where a file of another encoding may begin at a
        line with its BOM (`type a.log b.log > all.log`, one of them saved as UTF-16): each
        part is read in its own encoding, and `stats.encoding` names them in order."""
        parts = []
        while True:
            if self._lines is None:
                text, after = self._utf8(self._rest + data, final)
            else:
                text, after = self._utf16(data, final)
            parts.append(text)
            if after is None:
                return "".join(parts) if len(parts) > 1 else parts[0]
            encoding, data = after
            self.encoding = encoding
            self.stats.encoding += "+" + encoding
            if encoding.startswith("utf-16"):
                self._to_utf16(encoding)
            else:
                self._lines = None

    def _utf16(self, data: bytes, final: bool) -> tuple[str, tuple[str, bytes] | None]:
        """`_utf8` for UTF-16: its whole lines up to a line that begins with the BOM of another
        encoding, if any, and the bytes after that BOM. The decoder is given whole characters
        only, and a line's break followed by what may begin a UTF-8 BOM waits for more bytes."""
        data = self._odd + data
        self._odd = b""
        lines = self._lines
        assert lines is not None
        if self._at_break16 and not final and len(data) < 3 and _BOM_START.startswith(data[:2]):
            self._odd = data  # (bytes followed a piece at a time: a BOM may be under way)
            return "", None
        after = end = None
        for bom, encoding in _SWITCHES[self._break16]:
            if self._at_break16 and data.startswith(bom):
                end, after = 0, (encoding, data[len(bom) :])
                break
            found = _aligned(data, self._break16 + bom)
            if found is not None and (end is None or found + 2 < end):
                end = found + 2
                after = (encoding, data[end + len(bom) :])
        if after is not None:
            text = self._held + lines.decode(data[:end], final=True)
            self._held = ""
            return self._checked(text), after
        if not final:
            keep = len(data) % 2  # half a character (the first byte of a BOM, after a break)
            if _aligned(data[: len(data) - keep], self._break16 + _BOM_START, at_end=True):
                keep += 2
            if keep:
                data, self._odd = data[: len(data) - keep], data[len(data) - keep :]
            if data:
                self._at_break16 = data.endswith(self._break16)
        text = lines.decode(data, final=final)
        if final:
            rest = self._held + text
            self._held = ""
            return self._checked(rest) if rest else "", None
        cut = text.rfind("\n") + 1
        if not cut:
            self._held += text
            return "", None
        whole = self._held + text[:cut] if self._held else text[:cut]
        self._held = text[cut:]
        return self._checked(whole), None

    def _utf8(self, data: bytes, final: bool) -> tuple[str, tuple[str, bytes] | None]:
        """The whole lines of `data` as text, CRLF and a lone CR made `\\n`; the bytes after
        the last break are kept for the next piece (all of them are given when `final`). Where
        a line begins with a UTF-16 BOM, the lines before it, and its encoding and the bytes
        after the BOM."""
        after = None
        if b"\xfe" in data:  # (data begins at a line's start: see `_rest`)
            found = _UTF16_BOM_RE.search(data)
            if found is not None:
                bom = found.group()
                encoding = "utf-16-le" if bom == codecs.BOM_UTF16_LE else "utf-16-be"
                data, after = data[: found.start()], (encoding, data[found.end() :])
                self._rest = b""
        if final or after is not None:
            self._rest = b""
        else:
            end = len(data)
            if data.endswith(b"\r"):  # it may be the first half of a CRLF: it waits
                end -= 1
            cut = max(data.rfind(b"\n", 0, end), data.rfind(b"\r", 0, end)) + 1
            data, self._rest = data[:cut], data[cut:]
        return (self._checked(_lines(data)) if data else ""), after

    def _checked(self, text: str) -> str:
        if self.encoding is not None and self.encoding.startswith("utf-16"):
            return _without_boms(text) if "\ufeff" in text else text
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


_UTF16_BOM_RE = re.compile(rb"(?:^|(?<=[\r\n]))(?:\xff\xfe|\xfe\xff)")
"""A UTF-16 BOM at a line's start in UTF-8 text: a UTF-16 file pasted after it."""

_BREAKS_UTF16 = {"utf-16-le": b"\n\0", "utf-16-be": b"\0\n"}
_BOM_START = codecs.BOM_UTF8[:2]
_SWITCHES = {
    b"\n\0": ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_BE, "utf-16-be")),
    b"\0\n": ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16-le")),
}
"""Of UTF-16 text by its line break, the BOMs of the other encodings that may begin a line."""


def _aligned(data: bytes, pattern: bytes, at_end: bool = False) -> int | None:
    """Where `pattern` first begins in UTF-16 bytes at a character's start (an even offset),
    or, with `at_end`, whether it ends `data` there (1, else None)."""
    if at_end:
        start = len(data) - len(pattern)
        return 1 if start >= 0 and start % 2 == 0 and data.endswith(pattern) else None
    start = data.find(pattern)
    while start >= 0 and start % 2:
        start = data.find(pattern, start + 1)
    return None if start < 0 else start


_ESCAPED_RE = re.compile("[\udc80-\udcff]")
"""Bytes that were not valid UTF-8, kept as lone surrogates by `surrogateescape`."""


def _checked(text: str, stats: InputStats) -> str:
    """Read again as cp1252 each line that held bytes that are not valid UTF-8; drop the
    byte-order mark at the start of a line (of a file pasted after another, `type a b > c`)."""
    if text.isascii():
        return text
    if "\ufeff" in text:
        text = _without_boms(text)
    if not _ESCAPED_RE.search(text):
        return text
    lines = text.split("\n")
    for index, line in enumerate(lines):
        if _ESCAPED_RE.search(line):
            stats.fallback_lines += 1
            raw = line.encode("utf-8", "surrogateescape")
            lines[index] = raw.decode("cp1252", errors="backslashreplace")
    return "\n".join(lines)


def _without_boms(text: str) -> str:
    """Text of whole lines without the byte-order mark at a line's start (of a file of the same
    encoding pasted after another)."""
    text = text.replace("\n\ufeff", "\n")
    return text[1:] if text.startswith("\ufeff") else text
