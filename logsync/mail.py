"""A saved e-mail (`.eml`: RFC 5322 headers, MIME) read as the text of its message: an excerpt a
colleague sent, as a mail client saves it (quoted-printable or base64, in any charset), whatever
the file's name. Its lines are then read as any pasted text is (quoting and wrapping undone)."""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from .errors import InputError
from .patterns import deferred, deferred_bytes

UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")
"""The byte-order marks of UTF-16, little- and big-endian."""
BOM_ENCODINGS = dict(zip(UTF16_BOMS, ("utf-16-le", "utf-16-be"), strict=True))

MAX_MAIL = 64 * 2**20
"""The largest e-mail read (it is read whole to be decoded): a log this size is no e-mail."""

_HEADER_RE = deferred_bytes(rb"[A-Za-z][A-Za-z0-9-]{0,76}:(?:[ \t]|$)")
_HEADER_END_RE = deferred_bytes(rb"\r?\n\r?\n")
_MIME = {b"mime-version", b"content-type", b"content-transfer-encoding"}
_MAIL = {b"from", b"to", b"subject", b"date", b"message-id"}


def is_mail(head: bytes) -> bool:
    """Whether an input's first bytes are those of a saved e-mail: from its first line to a
    blank line, header lines only (or their continuations), among them a MIME header and one
    of From, To, Subject, Date or Message-ID. No log begins so."""
    if not _HEADER_RE.match(head):  # (most inputs: their first line is no header)
        return False
    end = _HEADER_END_RE.search(head)
    if end is None:
        return False
    lines = head[: end.start()].splitlines()
    names = set()
    for line in lines:
        if line[:1] in (b" ", b"\t"):  # (a folded header goes on)
            continue
        if not _HEADER_RE.match(line):
            return False
        names.add(line.split(b":", 1)[0].lower())
    return bool(names & _MIME) and bool(names & _MAIL)


def mail_text(blocks: Iterable[bytes], shown: str, told: list[str] | None = None) -> bytes:
    """What a saved e-mail holds of the log (see `_held`). `shown`: the input's name as
    said. (`told`, as of every whole decoder, is unused: its bytes are decoded by line, as any
    input's are.)"""
    import email
    import email.policy

    whole = whole_input(blocks, shown, "an e-mail larger than {} MB: give its text")
    message = email.message_from_bytes(whole, policy=email.policy.default)
    held = _held(message, shown, _MAX_FORWARDS)
    if not held:
        raise InputError(
            shown,
            "an e-mail with no plain-text message: save its text (or paste it) and give that",
        )
    return held


def _held(message: Any, shown: str, depth: int) -> bytes:
    """The connector's logs attached to `message` (named CloudUserSync…, in the order attached,
    each in its own bytes); else the text of its message (its plain-text body, as UTF-8) and of
    the messages it forwards, in order (b"" for none)."""
    attached = [
        _ended(part.get_payload(decode=True) or b"")
        for part in message.iter_attachments()
        if _LOG_NAME_RE.search(part.get_filename() or "")
    ]
    if attached:
        return b"".join(attached)
    if message.get_content_type() == "message/rfc822":  # (the whole file is a forward)
        return _held(message.get_content(), shown, depth - 1) if depth else b""
    body = message.get_body(preferencelist=("plain",))
    held = [_ended(_text(body, shown))] if body is not None else []
    if depth:
        held += [
            _held(part.get_content(), shown, depth - 1)
            for part in message.iter_attachments()
            if part.get_content_type() == "message/rfc822"
        ]
    return b"".join(held)


def _ended(data: bytes) -> bytes:
    return data if not data or data.endswith(b"\n") else data + b"\n"


def _text(body: Any, shown: str) -> bytes:
    """A plain-text part's text as UTF-8; as its bytes are where it names no charset (or
    ASCII) but holds other bytes: read on, they are told UTF-8 or cp1252 as any input's are."""
    if body.get_content_charset() in (None, "us-ascii", "ascii"):
        raw = body.get_payload(decode=True) or b""
        if not raw.isascii():
            return bytes(raw)
    try:
        text = body.get_content()
    except (LookupError, ValueError) as exc:  # an unknown charset, a damaged encoding
        raise InputError(shown, f"an e-mail whose message cannot be decoded ({exc})") from exc
    return str(text).encode("utf-8")


_LOG_NAME_RE = deferred(r"cloudusersync", re.IGNORECASE)
"""The name of an attachment that is the connector's log (`.log`, `.lo_`, a copy's `.txt`)."""
_MAX_FORWARDS = 5


_SOFT_BREAK_RE = deferred_bytes(rb"=\r?\n")
_LINE_RE = deferred_bytes(rb"[^\n]*\n")


def is_quoted_printable(head: bytes) -> bool:
    """Whether an input's first bytes are a mail's body in quoted-printable without its headers
    (its source copied): `=3D` for `=` (the connector writes one in every user's line), lines of
    at most 76 characters, and soft breaks (`=` at a line's end) among them. No log is so."""
    if b"=3D" not in head:  # (most inputs)
        return False
    lines = _LINE_RE.findall(head)[:-1] or [head]  # (whole lines; the last may be cut)
    short = sum(1 for line in lines if len(line.rstrip(b"\r\n")) <= 76)
    return short * 10 >= len(lines) * 9 and len(_SOFT_BREAK_RE.findall(head)) >= 2


def quoted_printable_text(
    blocks: Iterable[bytes], shown: str, told: list[str] | None = None
) -> bytes:
    """The text of a quoted-printable body (see `is_quoted_printable`): its escapes and soft
    breaks undone, in the bytes of its charset (read as any input is: UTF-8, else cp1252)."""
    import quopri

    whole = whole_input(blocks, shown, "quoted-printable text larger than {} MB")
    return quopri.decodestring(whole.replace(b"\r\n", b"\n"))


_BREAK_TAG_RE = deferred_bytes(rb"<br\s*/?>", re.IGNORECASE)


def broken_by_tags(head: bytes) -> bool:
    """Whether an input's first bytes are an HTML page's text whose lines are broken by `<br>`
    alone, on one or few physical lines (as a ticket system stores a text pasted into it)."""
    head = head[: 1 << 16]
    tags = len(_BREAK_TAG_RE.findall(head))
    return tags >= 2 and tags >= 2 * (head.count(b"\n") + 1)


def tag_broken_text(blocks: Iterable[bytes], shown: str, told: list[str] | None = None) -> bytes:
    """The text of such a page (see `broken_by_tags`) with each `<br>` a line break (the other
    tags and the entities are taken off as pasting, see `formats.copies`)."""
    whole = whole_input(blocks, shown, "HTML text larger than {} MB on one line")
    return _BREAK_TAG_RE.sub(b"\n", whole)


def whole_input(blocks: Iterable[bytes], shown: str, too_large: str) -> bytes:
    """The input's bytes, read whole to be decoded: refused with `too_large` (`{}` for the
    limit in MB) past `MAX_MAIL` (also `exports`)."""
    parts, size = [], 0
    for block in blocks:
        size += len(block)
        if size > MAX_MAIL:
            raise InputError(shown, too_large.format(MAX_MAIL // 2**20))
        parts.append(block)
    return b"".join(parts)


def whole_text(
    blocks: Iterable[bytes], shown: str, too_large: str, told: list[str] | None = None
) -> str:
    """`whole_input` as text: UTF-16 after its BOM; UTF-8 (its BOM aside), else cp1252 for each
    line where UTF-8 fails, as any input is read line by line (a text decoded whole: `exports`,
    `tables`): `+cp1252` is then added to the encoding named in `told` (the input's, as
    `sources.decoded_bytes` tells it)."""
    whole = whole_input(blocks, shown, too_large)
    if whole[:2] in UTF16_BOMS:  # (PowerShell 5's `>` and `Out-File` write UTF-16)
        return whole.decode("utf-16", "replace")
    try:
        return whole.decode("utf-8-sig")
    except UnicodeDecodeError:
        from .decoding import cp1252_lines

        bom = whole.startswith(b"\xef\xbb\xbf")
        if told is not None:
            told.append("utf-8-sig+cp1252" if bom else "utf-8+cp1252")
        return cp1252_lines(whole[3 if bom else 0 :].decode("utf-8", "surrogateescape"))[0]

