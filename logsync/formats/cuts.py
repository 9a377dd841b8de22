"""How a pasted text was broken at a width (see `aspasted`): cut every so many characters,
inside words too (`fold -w`), or wrapped at spaces (mail, `fmt`): what the lines that another
piece follows, and the pieces themselves, tell of it."""

from __future__ import annotations

from collections.abc import Iterator
from itertools import pairwise

from ..patterns import deferred
from . import copies, joins, sms, wholes
from .common import CUT_OFF, is_blank
from .wholes import MESSAGES, TRACE


def cut_at(lines: list[str], width: int, whole_by: str, quoting: int = 0) -> bool:
    """Whether a text was cut every `width` characters (`fold -w`), inside words too: nine in
    ten lines that another piece follows are that wide (three different ones at least), where a
    wrapper that breaks at spaces leaves lines of many widths. A line that ends a record (with
    the piece above it, a message read to its end) or that a record's first piece follows is
    followed by no piece of its own. Of message lines, a short excerpt may show only two cuts:
    both that wide, and a piece that tells a cut or breaks that no wrapper at spaces made
    together (see `_spaced_both_ways`). (`fold` counts bytes: a line with
    a byte-order mark or a non-ASCII character is narrower.) SMS trace must show more, since the
    trailers of its records are alike and a wrapper breaking at spaces leaves many lines of one
    width too: three cuts inside a trailer where no space can have been (`$$<SMS_CL|OUD`,
    `<11-2|4-2026`; not the space between the date and the time). In a text quoted and then
    cut, only a line's first piece carries the quoting: unquoted, it is narrower than the other
    pieces by the `quoting`'s columns, and either width may be the usual one."""
    pairs = breaks(lines, whole_by)
    if whole_by == TRACE and joins.trailer_cuts(lines) < 3:
        return False
    continued = {line for line, _ in pairs}
    widths = {width - quoting, width, width + quoting}  # (the usual one may be either)
    indented: list[tuple[str, str]] = []
    if whole_by != TRACE:  # `fold -w` cuts before a space too: a line that wide, a piece after it
        indented = [
            (a, b)
            for a, b in pairwise(lines)
            if b[:1] in (" ", "\t") and len(a) in widths and not joins.same_indent(a, b)
            and not wholes.record_start(b.strip(), whole_by)
        ]
        continued.update(a for a, _ in indented)
        # a piece that ends a record begun on the line above: no piece of it follows
        continued -= {b for a, b in pairwise(lines) if len(b) not in widths and _ends(a, b)}
    exact = sum(1 for line in continued if len(line) in widths)
    # (of message lines, a short excerpt: two, where they are all that another piece follows)
    if exact < 3 and not (whole_by != TRACE and exact == 2 == len(continued)):
        return False
    if whole_by == TRACE:
        return exact * 10 >= len(continued) * 9
    # a wrapper breaks every cycle's totals line at one word, at one width: where the pieces
    # make a message joined with a space and not without, more often than the other way
    # round, the text was wrapped at spaces; pieces that make messages only as cut leave
    # fewer lines at other widths to doubt (a last piece followed by a line of no record)
    tells = [told(a, b, whole_by) for a, b in pairs if len(a) in widths]
    cut, wrapped = tells.count("cut"), tells.count("wrapped")
    if exact < 3:  # (two breaks: a piece tells a cut, or no wrapper at spaces made both)
        spaced = [pair for pair in [*pairs, *indented] if len(pair[0]) in widths]
        return not wrapped and (cut > 0 or _spaced_both_ways(spaced))
    share = 4 if cut >= 2 and not wrapped else 10  # (three in four, else nine in ten)
    return cut >= wrapped and exact * share >= len(continued) * (share - 1)


def escaped_width(lines: list[str], whole_by: str, min_width: int) -> int:
    """The width of a text escaped as HTML, then wrapped, whose lines are mostly narrow (a record
    wrapped at 70 to 76 breaks before its trailer and its time, 42 and 36 columns escaped): the
    widest line, or just wider than `min_width` (a few records' lines may all be narrower), at
    which nine in ten breaks are explained (in columns; a reply's wider lines explain few)."""
    pairs = breaks(lines, whole_by)
    for width in sorted({min_width + 1, *map(copies.columns, lines)}, reverse=True):
        if sum(joins.broken(*pair, width, True) for pair in pairs) * 10 >= len(pairs) * 9:
            return width
    return 0


def cut_off(lines: list[str], width: int, narrow: bool = False) -> bool:
    """Whether message lines were cut off at `width` (`cut -c1-72`, a console that does not
    wrap), each line's end lost: a line that wide, that no piece continues, begins a record
    whose message the catalogue does not read to its end (`... = 1, Total`), and another line
    is that wide too (one line alone shows no width), not the last one looked at (its next
    piece may lie past them: a sample's last line). A text too `narrow` to be put back
    together may be wrapped there instead: not where a piece follows a line that wide (see
    `_piece_of`)."""
    wide = [line for line in lines if len(line) == width]
    if narrow and any(
        len(line) == width and not wholes.known(line) and _piece_of(line, following)
        for line, following in pairwise(lines)
    ):
        return False
    # (the last line's next piece may lie past the lines looked at: it shows nothing)
    return len(wide) >= 2 and any(
        len(line) == width and _begins_at(line, width) and wholes.open_end(line, MESSAGES)
        for line in lines[:-1]
    )


def _piece_of(line: str, following: str) -> bool:
    """Whether the next line reads as a piece of this one, wrapped: it begins no record, and
    either no capital letter begins it (`from cloud 0`, `= 0, Users Removed = 0`, an indented
    piece), or the two make a message the catalogue knows (`... <UPN of User Account>` then
    `; reason UserNotFound`, as cut or with a space between). A line cut off is followed by
    the start of another record, whose message begins with a capital letter, or by a reply."""
    if wholes.begins_record(following):
        return False
    joined = wholes.known(line + following) or wholes.known(f"{line} {following.lstrip()}")
    return not following[:1].isupper() or joined


def _spaced_both_ways(pieces: list[tuple[str, str]]) -> bool:
    """Whether of these breaks (a piece, the next) one kept a space (at the end of its piece,
    or the start of the next) and another had none at either side, nor a hyphen: a wrapper
    that breaks at spaces drops them all or keeps them all (`... Total Successfully |added`,
    `<UPN of User Accoun|t>`: cut at the width)."""
    kept = [a[-1:] in (" ", "\t") or b[:1] in (" ", "\t") for a, b in pieces]
    bare = [not spaced and a[-1:] != "-" for (a, _), spaced in zip(pieces, kept, strict=True)]
    return any(kept) and any(bare)


def _ends(piece: str, following: str) -> bool:
    """Whether the next piece ends the record that a piece begins: together (as cut or with a
    space between) they make a message the catalogue reads to its end."""
    return wholes.read_plainly(piece + following) or wholes.read_plainly(
        f"{piece} {following.lstrip()}"
    )


def told(piece: str, following: str, whole_by: str) -> str | None:
    """What two pieces show of how a line was broken: `cut` where they make a record joined as
    they are and not with a space between (`Total Succ|essfully`), `wrapped` where the other
    way round (`added|users`), None where both or neither; else where they make more records
    that the catalogue reads to their ends (`raise failure|status` among records a reflow ran
    together; `carol@con|toso.com`), but where a record begins with the next piece."""
    as_cut, as_wrapped = piece + following, f"{piece} {following.lstrip()}"
    cut = int(wholes.whole(as_cut, whole_by))
    wrapped = int(wholes.whole(as_wrapped, whole_by))
    if cut == wrapped and not wholes.begins_at(as_wrapped, following.strip()):
        cut, wrapped = wholes.read_plainly_of(as_cut), wholes.read_plainly_of(as_wrapped)
    return None if cut == wrapped else "cut" if cut > wrapped else "wrapped"


def breaks(lines: list[str], whole_by: str) -> list[tuple[str, str]]:
    """(line, next line) a record may go on over: no trailer ends it (trace), or no record (nor
    the first words of a message the catalogue knows), date or indentation begins the next."""
    pairs = [(line, following) for line, following in pairwise(lines) if not is_blank(following)]
    if whole_by != MESSAGES:  # (a trailer's end, or a row's thread, ends a record)
        return [pair for pair in pairs if not wholes.ends(pair[0], whole_by)]
    dated, begins = wholes.DATE_PREFIX_RE.match, wholes.record_start  # (a date begins a record)
    return [p for p in pairs if not (p[1][:1].isspace() or dated(p[1]) or begins(p[1], whole_by))]


def trace_cut_off(lines: list[str]) -> bool:
    """Whether SMS-trace lines were cut off at a width (`cut -c1-90`, a console that does not
    wrap): two lines or more as wide as the widest begin a record whose trailer they do not
    end, and the line after each begins a record too (no piece of it follows: not wrapped)."""
    width = max(map(len, lines), default=0)
    cut = [i for i, line in enumerate(lines) if _begins_at(line, width)]
    followed = all(i + 1 == len(lines) or wholes.begins_record(lines[i + 1]) for i in cut)
    return len(cut) >= 2 and followed


def marked(lines: Iterator[str], width: int) -> Iterator[str]:
    """The lines, each `width` wide that begins a record (but a whole SMS-trace record) marked
    as cut off there."""
    for line in lines:
        yield line + CUT_OFF if _begins_at(line, width) else line


def _begins_at(line: str, width: int) -> bool:
    """Whether a line as wide as the text (`width`) begins a record, and is no whole SMS-trace
    record: what is cut off there."""
    return len(line) == width and wholes.begins_record(line.lstrip()) and not sms.looks_like(line)


TRAILERS_TAKEN = (
    "its lines end in `$$`: the `<…>` of their SMS-trace trailers, with the times in them, were "
    "taken out (a web editor or a ticket took them for tags); paste the log as plain text, or "
    "attach the file"
)


def trailers_taken(sample: str) -> bool:
    """Whether four in five of a text's lines end with an SMS-trace trailer's `$$` and nothing
    after it (its `<…>` taken out as tags): no width cut them (see `TRAILERS_TAKEN`)."""
    lines = [line.rstrip() for line in sample.split("\n") if line.strip()]
    return bool(lines) and sum(line.endswith("  $$") for line in lines) * 5 >= len(lines) * 4


TAGS_TAKEN = (
    "its SMS-trace trailers lost their component and thread (`$$<11-24-2026 07:35:04.744+480>`): "
    "the text of a web page, whose `<SMS_CLOUD_USERSYNC>` and `<thread=…>` were taken for "
    "tags; copy the log from its source, or attach the file"
)
_TAGS_TAKEN_RE = deferred(r"  \$\$<\d{1,2}-\d{1,2}-\d{4} [\d:.]+[+-]\d+>\s*$")


def tags_taken(sample: str) -> bool:
    """Whether four in five of a text's lines end with an SMS-trace trailer that holds only its
    time (see `TAGS_TAKEN`)."""
    lines = [line for line in sample.split("\n") if line.strip()]
    found = sum(1 for line in lines if _TAGS_TAKEN_RE.search(line))
    return bool(lines) and found * 5 >= len(lines) * 4
