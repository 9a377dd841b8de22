"""How a pasted text was broken at a width (see `aspasted`): cut every so many characters,
inside words too (`fold -w`), or wrapped at spaces (mail, `fmt`): what the lines that another
piece follows, and the pieces themselves, tell of it."""

from __future__ import annotations

from itertools import pairwise

from . import joins, wholes
from .common import is_blank
from .wholes import MESSAGES, TRACE


def cut_at(lines: list[str], width: int, whole_by: str, quoting: int = 0) -> bool:
    """Whether a text was cut every `width` characters (`fold -w`), inside words too: nine in
    ten lines that another piece follows are that wide (three different ones at least), where a
    wrapper that breaks at spaces leaves lines of many widths. (`fold` counts bytes: a line with
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
    if whole_by != TRACE:  # `fold -w` cuts before a space too: a line that wide, a piece after it
        indented = [
            (a, b)
            for a, b in pairwise(lines)
            if b[:1] in (" ", "\t") and len(a) in widths and not joins.same_indent(a, b)
        ]
        continued.update(a for a, b in indented if not wholes.record_start(b.strip(), whole_by))
    exact = sum(1 for line in continued if len(line) in widths)
    if exact < 3:
        return False
    if whole_by == TRACE:
        return exact * 10 >= len(continued) * 9
    # a wrapper breaks every cycle's totals line at one word, at one width: where the pieces
    # make a message joined with a space and not without, more often than the other way
    # round, the text was wrapped at spaces; pieces that make messages only as cut leave
    # fewer lines at other widths to doubt (a last piece followed by a line of no record)
    tells = [told(a, b, whole_by) for a, b in pairs if len(a) in widths]
    cut, wrapped = tells.count("cut"), tells.count("wrapped")
    share = 4 if cut >= 2 and not wrapped else 10  # (three in four, else nine in ten)
    return cut >= wrapped and exact * share >= len(continued) * (share - 1)


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
    """(line, next line) a record may go on over: no trailer ends it (trace), or no record, date
    or indentation begins the next."""
    pairs = [(line, following) for line, following in pairwise(lines) if not is_blank(following)]
    if whole_by != MESSAGES:  # (a trailer's end, or a row's thread, ends a record)
        return [pair for pair in pairs if not wholes.ends(pair[0], whole_by)]
    dated, whole = wholes.DATE_PREFIX_RE.match, wholes.whole  # (a date line begins a record)
    return [p for p in pairs if not (p[1][:1].isspace() or dated(p[1]) or whole(p[1], whole_by))]
