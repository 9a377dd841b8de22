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
from .patterns import deferred, deferred_bytes
from .records import ROTATION_MARKER

if TYPE_CHECKING:
    from .stats import InputStats

UTF16_SNIFF = 8
"""Bytes that tell UTF-16 without a BOM (every other byte NUL) from ASCII."""


_PADDED_RE = re.compile(r"^\0+(?=[^\0\n])", re.MULTILINE)
"""NUL padding at a line's start before text: a crash's (the file's space was taken, then not
written), the next record written after it on that line. The record is read; a line of NUL
padding alone stays one (an `unparsed` line, see `formats.common.unparsed_problem`)."""


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


_GLUED_RE = deferred("^" + re.escape(ROTATION_MARKER) + "\ufeff?(?=[^\n])", re.MULTILINE)
"""A rotated log's last line (its marker) with no line break after it, and the next file's first
line on it (`type CloudUserSync.lo_ CloudUserSync.log > all.log`, with its BOM or without):
the marker is taken off and the line read as the record it holds, at that line's number."""


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
        """UTF-16 bytes not given to its decoder yet: half a character, or the start of a line
        that may be the BOM of another encoding (see `_other_encoding`)."""
        self._break16 = b""
        """UTF-16's line break as bytes (in its byte order)."""
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
                text, after = self._utf8(data, final)
            else:
                text, after = self._utf16(data, final)
            parts.append(text)
            if after is None:
                text = "".join(parts) if len(parts) > 1 else parts[0]
                text = _PADDED_RE.sub("", text) if "\0" in text else text
                return _GLUED_RE.sub("", text) if ROTATION_MARKER in text else text
            encoding, data = after
            self.encoding = encoding
            self.stats.encoding += "+" + encoding
            if encoding.startswith("utf-16"):
                self._to_utf16(encoding)
            else:
                self._lines = None

    def _utf16(self, data: bytes, final: bool) -> tuple[str, tuple[str, bytes] | None]:
        """`_utf8` for UTF-16: its whole lines up to a line that begins with the BOM of another
        encoding and text in it, if any, and that encoding and the bytes after the BOM. The
        decoder is given whole characters only; a line's start that may be such a BOM waits
        for the bytes that tell."""
        data = self._odd + data
        self._odd = b""
        lines = self._lines
        assert lines is not None
        end, encoding = _other_encoding(data, self._break16, self._at_break16, final)
        if encoding is not None:
            text = self._held + lines.decode(data[:end], final=True)
            self._held = ""
            return self._checked(text), (encoding, data[end + len(_BOMS.get(encoding, b"")) :])
        if not final:
            if end == len(data):
                end -= len(data) % 2  # (half a character waits)
            data, self._odd = data[:end], data[end:]
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
        """The whole lines of the bytes kept from before and `data` as text, CRLF and a lone
        CR made `\\n`; the bytes after the last break are kept for the next piece (all of them
        are given when `final`). Where a line begins with a UTF-16 BOM, the lines before it,
        and its encoding and the bytes after the BOM. The bytes kept are joined to `data` only
        where `data` may not end their line, or where a BOM may be (the data of a log is
        never copied whole)."""
        head, self._rest = self._rest, b""
        if head and (b"\n" not in data or _may_switch(data) or _may_switch(head)):
            data, head = head + data, b""
        after = None
        if _may_switch(data):  # (data, or `head` before it, begins at a line's start)
            for found in _UTF16_START_RE.finditer(data):
                bom = found.group()
                if not bom:  # (UTF-16 without a BOM: ASCII with NUL beside each character)
                    ending = "utf-16-le" if data[found.start() + 1] == 0 else "utf-16-be"
                    data, after = data[: found.start()], (ending, data[found.start() :])
                    break
                encoding = "utf-16-le" if bom == codecs.BOM_UTF16_LE else "utf-16-be"
                if _begins_text(data[found.end() : found.end() + 2], encoding):
                    data, after = data[: found.start()], (encoding, data[found.end() :])
                    break
        end = len(data)
        if not final and after is None:
            if data.endswith(b"\r"):  # it may be the first half of a CRLF: it waits
                end -= 1
            newline = data.rfind(b"\n", 0, end)  # (a lone CR after it breaks a line too)
            end = max(newline, data.rfind(b"\r", newline + 1, end)) + 1
            self._rest = data[end:]
        return (self._checked(_lines(data, end, head)) if head or end else ""), after

    def _checked(self, text: str) -> str:
        if self.encoding is not None and self.encoding.startswith("utf-16"):
            return _without_boms(text) if "\ufeff" in text else text
        before = self.stats.fallback_lines
        text = _checked(text, self.stats)
        if self.stats.fallback_lines > before and not self.stats.encoding.endswith("+cp1252"):
            self.stats.encoding += "+cp1252"  # (of the part read now: see `_decoded`)
        return text


def _text(data: bytes, end: int | None = None, head: bytes = b"") -> str:
    """UTF-8 bytes of whole lines (`head` and `data` up to `end`) as text, CRLF and a lone CR
    made `\\n` (invalid bytes kept as lone surrogates for `_checked`)."""
    if head or (end is not None and end < len(data)):
        data = head + data[:end]
    text = data.decode("utf-8", "surrogateescape")
    if "\r" in text:  # (Python's newline decoder folds faster than two replaces)
        text = io.IncrementalNewlineDecoder(None, translate=True).decode(text, final=True)
    return text


def _native_text(data: bytes, end: int | None = None, head: bytes = b"") -> str:
    """`_text`, with the native scanner's one pass over ASCII bytes."""
    size = len(data) if end is None else end
    text = native.ascii_lines(data, size, head)  # type: ignore[union-attr]
    return _text(data, end, head) if text is None else text


_lines = _text if native is None else _native_text


_UTF16_START_RE = re.compile(
    rb"(?:^|(?<=[\r\n]))(?:\xff\xfe|\xfe\xff|(?=(?:[\t\x20-\x7e]\0){4}|(?:\0[\t\x20-\x7e]){4}))"
)
"""A UTF-16 BOM at a line's start in UTF-8 text, or four ASCII characters with NUL beside
each (UTF-16 without a BOM, as PowerShell's `>>` appends it): a UTF-16 file pasted after
it, or appended to it."""


def _may_switch(data: bytes) -> bool:
    """Whether UTF-8 bytes may hold the start of UTF-16 text (see `_UTF16_START_RE`)."""
    return b"\xfe" in data or b"\0" in data

_BOMS = {
    "utf-8-sig": codecs.BOM_UTF8,
    "utf-16-le": codecs.BOM_UTF16_LE,
    "utf-16-be": codecs.BOM_UTF16_BE,
}
_BREAKS_UTF16 = {"utf-16-le": b"\n\0", "utf-16-be": b"\0\n"}
_SWITCHES = {
    line_break: tuple((bom, other) for other, bom in _BOMS.items() if other != encoding)
    for encoding, line_break in _BREAKS_UTF16.items()
}
"""Of UTF-16 text by its line break, the BOMs of the other encodings that may begin a line."""
_TEXT = frozenset(b"\t\n\r\x0b\x0c" + bytes(range(0x20, 0x7F)))
"""The bytes of ASCII text (a log's first character after its BOM is one)."""


def _begins_text(two: bytes, encoding: str) -> bool:
    """Whether the first two bytes after a BOM begin text in its encoding: an ASCII character
    (NUL beside it in UTF-16, not in UTF-8), as a log's first line begins. Two bytes that only
    look like a BOM (`þÿ` at the start of a cp1252 line, Hangul `믯` in UTF-16) are not."""
    if len(two) < 2:
        return False
    if encoding == "utf-16-le":
        return two[0] in _TEXT and two[1] == 0
    if encoding == "utf-16-be":
        return two[0] == 0 and two[1] in _TEXT
    return two[0] in _TEXT and two[1] != 0


def _other_encoding(
    data: bytes, line_break: bytes, at_break: bool, final: bool
) -> tuple[int, str | None]:
    """Where a file of another encoding begins in UTF-16 `data` (the offset of its BOM, at a
    line's start: the start of `data` where it follows a break, `at_break`) and its encoding;
    (offset, None) where one may begin there but the bytes that tell have not come yet (unless
    `final`); (len(data), None) where none does."""
    found: tuple[int, str | None] = (len(data), None)
    for bom, encoding in _SWITCHES[line_break]:
        told = len(bom) + 2  # (the BOM, and the first character after it)
        at = data.find(bom[:1], 0 if at_break else 2)  # (one byte is the fastest search)
        while 0 <= at < found[0]:
            if at % 2 == 0 and (at == 0 or data[at - 2 : at] == line_break):
                head = data[at : at + told]
                if len(head) < told and not final and bom.startswith(head[: len(bom)]):
                    found = (at, None)  # (its bytes so far are all there is: they wait)
                    break
                if head.startswith(bom) and _begins_text(head[len(bom) :], encoding):
                    found = (at, encoding)
                    break
            at = data.find(bom[:1], at + 1)
    return min(found, _bare_utf8(data, line_break, at_break, final))


def _bare_utf8(
    data: bytes, line_break: bytes, at_break: bool, final: bool
) -> tuple[int, str | None]:
    """`_other_encoding` for UTF-8 with no BOM at a line's start in UTF-16 `data` (appended by
    a tool that writes bytes: `cmd /c type … >>`): eight ASCII bytes with no NUL among them,
    which UTF-16 would read as four CJK characters; (offset, None) where fewer end `data`."""
    if at_break and _ASCII_RE.match(data):
        return 0, "utf-8"
    for found in _BARE_RE[line_break].finditer(data):
        if not found.start() % 2:
            return found.end(), "utf-8"
    tail = data.rfind(line_break, max(0, len(data) - _BARE - 1))
    begins = tail + 2 if tail >= 0 and not tail % 2 else 0 if at_break else -1
    if begins >= 0 and _TAIL_RE.fullmatch(data, begins):
        if not final:
            return begins, None  # (a line's start that may be such bytes: it waits)
        if len(data) - begins >= _BARE // 2:  # (the last line: four will do)
            return begins, "utf-8"
    return len(data), None


_BARE = 8
_ASCII = rb"[\t\r\n\x20-\x7e]"
_ASCII_RE = deferred_bytes(_ASCII + rb"{%d}" % _BARE)
_TAIL_RE = deferred_bytes(_ASCII + rb"+")
_BARE_RE = {
    line_break: re.compile(re.escape(line_break) + rb"(?=" + _ASCII + rb"{%d})" % _BARE)
    for line_break in (b"\n\0", b"\0\n")
}


_ESCAPED_RE = deferred("[\udc80-\udcff]")
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
    text, fallen = cp1252_lines(text)
    stats.fallback_lines += fallen
    return text


def cp1252_lines(text: str) -> tuple[str, int]:
    """Text decoded from UTF-8 with `surrogateescape`, each line that held bytes that are not
    valid UTF-8 read again as cp1252; and how many were (also `mail.whole_text`'s)."""
    lines = text.split("\n")
    fallen = 0
    for index, line in enumerate(lines):
        if _ESCAPED_RE.search(line):
            fallen += 1
            raw = line.encode("utf-8", "surrogateescape")
            lines[index] = raw.decode("cp1252", errors="backslashreplace")
    return "\n".join(lines), fallen


def _without_boms(text: str) -> str:
    """Text of whole lines without the byte-order mark at a line's start (of a file of the same
    encoding pasted after another)."""
    text = text.replace("\n\ufeff", "\n")
    return text[1:] if text.startswith("\ufeff") else text
