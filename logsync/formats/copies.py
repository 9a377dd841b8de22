"""What copying a log's lines did to them, beside quoting and wrapping (`aspasted`): a
search's names and numbers before each line, a console window's padding, HTML entities, a mail
client's links after addresses, a rich-text copy's spacing."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

from ..patterns import deferred
from . import sms
from .common import GAP_LINE
from .wholes import TRAILER_END_RE, TRAILER_PART_RE

ESCAPED_TRAILER = "$$&lt;"
"""An SMS-trace trailer's start as HTML writes it."""
_ENTITIES = ("&lt;", "&gt;", "&amp;", "&quot;", "&nbsp;", "&#39;", "&#x27;")
"""The entities HTML writes for the characters of a log's lines (and for non-breaking
spaces)."""
_ENTITY_RE = deferred("|".join(map(re.escape, _ENTITIES)))
_WIDER = str.maketrans({"<": "&lt;", ">": "&gt;", "&": "&amp;", '"': "&quot;", "'": "&#x27;"})

_HIDDEN = "\u200b\u200c\u200d\u2060\u00ad"
"""Characters a web page, a chat or a rich-text copy puts inside words that show as nothing:
zero-width spaces and joiners, the word joiner, soft hyphens; and a byte order mark inside a
line (not a file's own, at the start of a line or of the text, or after what was put before
its first line: `> \ufeff…`, see `decoding`)."""
_PLAIN = str.maketrans({"\xa0": " ", **dict.fromkeys(_HIDDEN)})
_MARK_INSIDE_RE = deferred("(?<=[^\\s>|#:*-])\ufeff")
"""A byte order mark after a character of a line's text (not after quoting or a bullet)."""


_COLOUR_RE = re.compile(r"\x1b\[[0-9;]*[mK]|\[[0-9;]*m\[K")
"""A terminal's colours, as `grep --color=always` or PowerShell 7 write them into a file or a
copy (`ESC[01;31mESC[K...ESC[mESC[K`), and as they stay where a web form or a chat dropped the
escape characters (`[01;31m[K...[m[K`: grep's pair, which no log line holds)."""


def spaced(text: str) -> bool:
    """Whether a text holds a rich-text copy's spacing: non-breaking spaces, characters that
    show as nothing (`UserNotFound\u200b` reads as `UserNotFound`, and is another reason), a
    terminal's colours (see `_COLOUR_RE`)."""
    return (
        "\xa0" in text
        or any(hidden in text for hidden in _HIDDEN)
        or ("\ufeff" in text and _MARK_INSIDE_RE.search(text) is not None)
        or (("\x1b[" in text or "m[K" in text) and _COLOUR_RE.search(text) is not None)
    )


def plainly_spaced(text: str) -> str:
    """`text` with spaces for non-breaking ones and without the characters that show as
    nothing (see `spaced`)."""
    text = text.translate(_PLAIN)
    if "\x1b[" in text or "m[K" in text:
        text = _COLOUR_RE.sub("", text)
    return _MARK_INSIDE_RE.sub("", text) if "\ufeff" in text else text


NUMBERED_RE = re.compile(
    r" *\d+\t"
    r"|(?:(?:> | +)?(?:(?:[A-Za-z]:)?[^:\r\n<>|$]*\.(?:log|lo_|txt)(?:\.gz|\.bz2|\.xz)?"
    r"|\(standard input\))[:-])?"
    r"(?:[ \t]*\d+[:-])?"
)
"""What a search puts before each line it found: the file's name (of several files searched,
`zgrep`'s, or `Select-String`'s path, with `> ` before it on the lines it found where it shows
context, two spaces on the others), its line number (`grep -n`, `findstr /n`), or both; `-`
instead of `:` before a line of context (`grep -C`), the whole indented too (a ticket's quote
block); or the number and tab `cat -n` and `nl` put before each line."""


def escaped(sample: str) -> bool:
    """Whether a text was copied as HTML writes it (from a ticket's or a web page's source): an
    SMS-trace trailer's start escaped, entities in a text without a `<` (message lines with
    no time, `&lt;UPN of User Account&gt;`, `&gt; ` quoting), which HTML would have escaped,
    or a tag of a page's text on a fifth of its lines (`<br>` or `</p>` after each)."""
    if ESCAPED_TRAILER in sample:
        return True
    if "<" not in sample:
        return _ENTITY_RE.search(sample) is not None
    if _TAG_RE.search(sample) is None:  # (a log's text: its trailers' `<` are no tags)
        return False
    lines = [line for line in sample.split("\n") if line.strip()]
    return sum(1 for line in lines if _TAG_RE.search(line)) * 5 >= len(lines) > 0


_TAG_RE = deferred(
    r"</?(?:br|p|div|span|font|pre|code|tt|b|i|u|em|strong|li|ul|ol|td|tr|th|table|tbody|"
    r"blockquote|o:p)(?:\s[^<>\n]*)?/?>",
    re.IGNORECASE,
)
"""A tag of a page's text (a paragraph, a line break, a span of a style, a table's cell):
never the SMS-trace trailer's `<SMS_CLOUD_USERSYNC>` or `<thread=…>`."""


_ENTITY_STARTS = sorted({e[:end] for e in _ENTITIES for end in range(1, len(e))}, key=len)[::-1]
"""The starts of the entities a copy as HTML writes (`_ENTITIES`), longest first."""


_QUOTING_RE = deferred(r"[ \t]*(?:(?:>|&gt;)[ \t]?)*")
"""The quoting (`> `, `&gt; `, nested) or indentation before a line."""


def unescaped_lines(lines: Iterable[str]) -> Iterator[str]:
    """Each line `unescaped`; an entity that a cut inside words (`fold -w`) broke across two
    lines (`$$&l` and `t;SMS_CLOUD_USERSYNC&gt;`) is decoded at the end of the first (where
    it began), and its rest taken off the second, after the quoting or indentation that lines
    carry (`> t;SMS…`, a reply's quote of the cut text): as many lines."""
    held = ""  # (a line that ends with the start of an entity)
    for line in lines:
        if held:
            start = next(start for start in _ENTITY_STARTS if held.endswith(start))
            quoting = _QUOTING_RE.match(line).end()  # type: ignore[union-attr]
            entity = next((e for e in _ENTITIES if e.startswith(start) and line.startswith(
                e[len(start):], quoting)), None)
            if entity is None:
                yield unescaped(held)
            else:
                yield unescaped(held[: -len(start)]) + unescaped(entity)
                line = line[:quoting] + line[quoting + len(entity) - len(start) :]
        if "&" in line[-6:] and any(map(line.endswith, _ENTITY_STARTS)):
            held = line
            continue
        held = ""
        yield unescaped(line)
    if held:
        yield unescaped(held)


def unescaped(text: str) -> str:
    """`text` with the tags and HTML entities a copy made undone (the module that does it is
    imported for such a copy only: it costs every command's start)."""
    from html import unescape

    return unescape(_TAG_RE.sub("", text) if "<" in text else text)


_LINK_RE = deferred(r"[ \t]?<mailto:([^\s<>]+)>", re.IGNORECASE)
"""The link a mail client's plain text shows after an address (Outlook's
`bob@contoso.com<mailto:bob@contoso.com>`, or with a space before it)."""
_BEFORE_ADDRESS = frozenset(" \t\r\n=:;,<>()[]\"'")
"""The characters an address shown with its link follows (else it begins earlier)."""


_WRAPPED_RE = re.compile(
    r"\[([^\s\[\]()<>|]+@[^\s\[\]()<>|]+)\]\(mailto:([^\s()<>|]+)\)"  # Markdown's
    r"|<mailto:([^\s<>|]+)\|([^\s<>|]+)>"  # Slack's
    r"|<()([^\s<>@|:]+@[^\s<>@|]+)>(?=[\s;,.]|$)",  # a mail's `<bob@contoso.com>`
    re.IGNORECASE,
)
"""An address a chat or a ticket wrote as a link, or a mail between angle brackets:
`[bob@contoso.com](mailto:bob@contoso.com)`, `<mailto:bob@contoso.com|bob@contoso.com>`,
`<bob@contoso.com>`."""


def linked(sample: str) -> bool:
    """Whether a text shows an address with its link (see `unlinked`)."""
    return any(_address_end(sample, link) for link in _LINK_RE.finditer(sample)) or any(
        _wrapped(link) for link in _WRAPPED_RE.finditer(sample)
    )


def unlinked(text: str) -> str:
    """`text` with each address that is shown with its link (`bob@contoso.com<mailto:bob@
    contoso.com>`, also after a space; Markdown's and Slack's links; between angle brackets)
    shown alone: only where the link is to that address (case aside)."""
    pieces: list[str] = []
    last = 0
    for link in _LINK_RE.finditer(text):
        if _address_end(text, link):
            pieces.append(text[last : link.start()])
            last = link.end()
    text = text if not pieces else "".join(pieces) + text[last:]
    if "@" in text and ("<" in text or "mailto:" in text.lower()):
        text = _WRAPPED_RE.sub(lambda link: _wrapped(link) or link[0], text)
    return text


def _wrapped(link: re.Match[str]) -> str | None:
    """The address of a link that `_WRAPPED_RE` found, where the link is to it (case aside)."""
    if link[1]:
        shown, target = link[1], link[2]  # (Markdown's: the address, then its link)
    elif link[3]:
        shown, target = link[4], link[3]  # (Slack's: the link, then the address)
    else:  # (after a space or `=`: `x<bob@contoso.com>` is no mail's)
        before = link.string[link.start() - 1 : link.start()]
        return link[6] if before in (" ", "\t", "\n", "=") else None
    return shown if shown.casefold() == target.casefold() else None


def _address_end(text: str, link: re.Match[str]) -> bool:
    """Whether the link follows the address it is to: the whole word before it (case aside)."""
    target, end = link[1], link.start()
    start = end - len(target)
    if start < 0 or (start > 0 and text[start - 1] not in _BEFORE_ADDRESS):
        return False
    return text[start:end].casefold() == target.casefold()


def columns(line: str) -> int:
    """The columns a line takes as HTML writes it (its entities' characters each), which are
    the columns a text escaped before it was wrapped was wrapped in."""
    return len(line.translate(_WIDER))


def unpadded(line: str) -> str:
    """The line without the spaces or tabs after an SMS-trace trailer's end (`>`) that it ends
    with: a record's, or the last piece of a record cut at a console's width."""
    if line.endswith((" ", "\t")):
        stripped = line.rstrip(" \t")
        if stripped.endswith(">"):
            return stripped
    return line


def padded(lines: list[str], min_width: int) -> bool:
    """Whether these lines were copied from a console window, which fills each line to its
    width with spaces, and cuts longer ones there: some are SMS-trace records with spaces or
    tabs after them, or nine in ten are as wide as the widest and a fifth end with spaces after
    a trailer's end (`>`: the last piece of a record cut at the width)."""
    if any(line.endswith((" ", "\t")) and sms.looks_like(line.rstrip(" \t")) for line in lines):
        return True
    width = max(map(len, lines), default=0)
    if width <= min_width or sum(len(line) == width for line in lines) * 10 < len(lines) * 9:
        return False
    ends = sum(line.endswith(" ") and line.rstrip(" ").endswith(">") for line in lines)
    return ends * 5 >= len(lines)


def unnumbered(line: str) -> str:
    if line.rstrip("\r") == GAP_LINE or _continued(line):
        return line  # (where lines are left out: see `common.GAP_LINE`; a record's rest)
    return line[_mark_end(line) :]


def unnumbered_lines(lines: Iterable[str]) -> Iterator[str]:
    """Each line `unnumbered`; and a line that begins with the number after the last one taken
    off (`grep -n ''`, `cat -n`: every line numbered in turn) loses it, whatever follows: a
    piece of a wrapped record that a number alone cannot tell from a date's or time's rest
    (`7:5-2026 08:40…`)."""
    after = ""  # (the number after the last one taken off: "" before any)
    for line in lines:
        rest = _numbered_as(line, after)
        if rest is not None:
            after = str(int(after) + 1)
            yield rest
            continue
        bare = unnumbered(line)
        number = _NUMBER_RE.match(line[: len(line) - len(bare)])
        after = str(int(number.group(1)) + 1) if number else ""
        yield bare


def _numbered_as(line: str, number: str) -> str | None:
    """The line without the number `number` before it (a search's mark, nothing else), where it
    begins with it; else None (also where `number` is "")."""
    if number and line.lstrip(" ").startswith(number):
        end = NUMBERED_RE.match(line).end()  # type: ignore[union-attr]
        if end and line[:end].strip(" \t:-") == number:
            return line[end:]
    return None


_NUMBER_RE = deferred(r"[ \t]*(\d+)[:\t-]$")
"""A search's number alone before a line (no file's name), as `unnumbered` takes it off."""
_TIME_START_RE = deferred(r"\d{1,2}:\d\d")


def _in_turn(lines: list[str]) -> bool:
    """Whether three lines at least each begin with a search's number (maybe after its file's
    name), each the one after the number before it (a whole text numbered: `grep -n ''`), and
    none with a time after it (`10:23:54`, `11:02:10`, `12:00:00`: an hourly excerpt's times)."""
    if len(lines) < 3:
        return False
    before = None
    for line in lines:
        mark = NUMBERED_RE.match(line)[0]  # type: ignore[index]
        found = _NUMBER_RE.search(mark)
        if found is None or _TIME_START_RE.match(line, len(mark)):
            return False
        if before is not None and int(found[1]) != before + 1:
            return False
        before = int(found[1])
    return True


def _mark_end(line: str) -> int:
    """Where a search's marks before a line end (`NUMBERED_RE`), or, with none, the mark that
    `Select-String -Context` puts before a line it shows with no path: `> ` before a line it
    found, two spaces before one of context (0: no mark)."""
    end = NUMBERED_RE.match(line).end()  # type: ignore[union-attr]
    if end or not SELECTED_RE.match(line):
        return end
    return 2


SELECTED_RE = deferred(r"(?:> |  )(?=\S)")
"""`Select-String -Context`'s mark before a line: `> ` (a line it found) or two spaces."""


_FIELD_START_RE = re.compile(
    r"[:.-]|\d{1,2}-\d{1,2}-\d{4} |\d{1,2}:\d{2}:\d{2}\.\d{3}[+-]\d"
    r"|\(0x[0-9A-Fa-f]+\)>|<thread=|><"
)
"""A piece of an SMS-trace trailer that begins where one of its fields does: a whole date, a
whole time (with its bias's sign and first digit), the thread's hex, the thread, the seam of
two fields; or with a time's or a date's separator (`:04.681+480>`, `-2026 08:40…`: cut
there). After a number, no time's or date's rest (`13:15:05…`, `40:05.029+480>`): the number
is a search's."""


_TIME_REST_RE = deferred(r"\d{1,2}[:.]\d")
"""What follows a number and a colon where both are a time's (`8:40:04.681`, `0:04.681`)."""


def _continued(line: str) -> bool:
    """Whether a line is the rest of a record that a wrapping (at any column: `fold`) carried
    past the search's number before it: it holds a part of a trailer begun on a line before
    (`13:15:05…`, `1-25-2026 …><thread=…` are a time's or a date's rest, never a number).
    A number before a piece that begins where a field does (`11:08:40:05.029+480>…`,
    `11:(0x15F0)>`: `_FIELD_START_RE`) is a search's, before a piece of a record wrapped."""
    if "$$<" in line or "<![LOG[" in line:
        return False
    end = NUMBERED_RE.match(line).end()  # type: ignore[union-attr]
    if end and (_FIELD_START_RE.match(line, end) or not _NUMBER_RE.match(line, 0, end)):
        return False  # (a file's name before the number: a search's, whatever follows)
    if end and line[end - 1] == ":" and not _TIME_REST_RE.match(line, end):
        return False  # (`3:0)>`, `2:<SMS_CLOUD…`: a colon is in no trailer's field but a time)
    return TRAILER_END_RE.search(line) is not None or TRAILER_PART_RE.search(line) is not None


def numbered(lines: list[str]) -> bool:
    """Whether four in five records (but `grep -C`'s group separators) start with a search's
    file name or line number, and are an SMS-trace record after it (wrapped after it, at any
    column, to the next lines), or the start of a CMTrace one (so a pasted excerpt's own times,
    `10:23:54`, or dates, `2014-09-15`, are no number), or with `cat -n`'s number and tab; or
    with `Select-String -Context`'s marks, where both show (`> `, two spaces); or every line
    with the number after the one before it (`grep -n ''`, `findstr /n`: an excerpt's lines
    with their dates, whose own times and dates count no lines so)."""
    found = records = 0
    lines = [line for line in lines if line.rstrip("\r") != GAP_LINE]
    if _in_turn(lines):
        return True
    selected = {"> ", "  "} <= {line[:2] for line in lines if SELECTED_RE.match(line)}
    at = 0
    while at < len(lines):
        line = lines[at]
        at += 1
        records += 1
        end = _mark_end(line) if selected else NUMBERED_RE.match(line).end()  # type: ignore[union-attr]
        # (`cat -n`'s number and tab is no time or date of an excerpt, whatever follows)
        rest = line[end:]
        if end and (line[end - 1] == "\t" or rest.startswith("<![LOG[") or sms.looks_like(rest)):
            found += 1
        elif end and TRAILER_END_RE.search(rest) is None:
            # a record wrapped after its number: its rest on the next lines, to a trailer's end
            number = _NUMBER_RE.match(line, 0, end)
            for close in range(1, 4):
                pieces = lines[at : at + close]
                bare = [unnumbered(piece) for piece in pieces]  # (numbered too: `grep -n ''`)
                # (or each with the number after the one before it: `2:0:04.407+480>`)
                turn = [
                    _numbered_as(piece, str(int(number[1]) + k)) or piece
                    for k, piece in enumerate(pieces, 1)
                ] if number else []
                if any(
                    sms.looks_like(rest + "".join(them)) or sms.looks_like(" ".join([rest, *them]))
                    for them in ((pieces, bare, turn) if number else (pieces, bare))
                ):
                    found += 1
                    at += close  # (its pieces are no records of their own)
                    break
    return found * 5 >= records * 4


def code_spans(lines: list[str]) -> bool:
    """Whether four in five lines (three at least) are each a Markdown code span of its own
    (`` `NotifyAccountAddition - … $$<…>` ``, as a chat or a ticket shows a log's lines as
    code): a line that ends with a backtick no record ends with."""
    spanned = sum(1 for line in lines if _SPAN_RE.fullmatch(line))
    return spanned >= 3 and spanned * 5 >= len(lines) * 4


def unspanned(line: str) -> str:
    """The line inside its code span's backticks (see `code_spans`); another as it is."""
    found = _SPAN_RE.fullmatch(line)
    return line if found is None else found[1]


_SPAN_RE = deferred(r"[ \t]*`(?!`)(.*[^`])`[ \t]*")
"""A line that is one code span: one backtick, text that does not end with one, one backtick
(not a fence's three, nor a span of two, which would hold one)."""
