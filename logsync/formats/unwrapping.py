"""Wrapped records put back together (see `aspasted`): each on the first line of its pieces,
the lines of its other pieces blank, so that every line keeps its number."""

from __future__ import annotations

from collections.abc import Iterator

from . import joins, together, wholes
from .common import is_blank
from .wholes import MESSAGES, TRACE

MAX_PIECES = 8
"""A record is put back together from at most this many wrapped pieces."""
MAX_JOINED = 2048
"""Characters of records run together that a joined line may hold and still go on."""


def unwrapped(
    lines: Iterator[str],
    width: int,
    whole_by: str,
    cut: bool = False,
    escaped: bool = False,
    names: bool = True,
) -> Iterator[str]:
    """Wrapped records put back on their first line; the lines of their other pieces blank.

    Of message lines, a message the catalogue knows may already be whole before its end (`...
    as thread ID 5616` before `(0x15F0).`; in a text `cut` inside words, `... user to add =
    scott@cont`, `reason UserNotF`): such a line (in a cut text, as wide as the text) takes
    the one word of the next line when that is no record by itself. With `names`, a user's name
    cut at the width of a text too short to show that it was cut is put back too: never where
    that alone would show the text wrapped (`pasting` tells it without)."""
    pending: list[str] = []
    held = 0  # blank lines owed after `pending[0]`, a record joined that may go on (see below)
    carried = False  # whether `pending` is the open end of records run together (see below)

    def flushed(items: list[str]) -> list[str]:
        nonlocal held
        items[1:1], held = [""] * held, 0
        return items

    between: list[str] = []  # blank lines or a chat's header after `pending` (see `joins.across`)
    for line in lines:
        # (the second of the two spaces before a trailer, a piece alone: `fold -s`)
        spaces = bool(line) and not line.strip(" ") and len(pending) + 1 < MAX_PIECES
        if spaces and pending and not between and whole_by == TRACE:
            pending.append(line)
            continue
        if pending and not held and len(between) < joins.MOST_BETWEEN and joins.between(line):
            between.append(line)
            continue
        if between:
            whole = joins.across(pending, line, whole_by, cut)
            if whole is not None:
                yield from [whole, *[""] * (len(pending) - 1), *between, ""]
                pending, between = [], []
                continue
            yield from [*flushed(pending), *between]
            pending, between = [], []
        # (a short text: too few cuts to tell that it was cut; a name broken at its hyphen by a
        # wrapper that breaks there, at any width)
        alone = pending[0] if len(pending) == 1 else ""
        at_width = len(alone) == width or held or alone.endswith("-")
        cut_name = names and bool(alone) and not cut and at_width
        if cut_name and wholes.name_cut(pending[0], line):
            name_whole = pending[0] + line.strip()
            # (its trailer is on the lines after it; or a name wider than the text, the piece
            # as wide: its rest may be on the next line too)
            if whole_by == TRACE or len(line.rstrip()) >= width:
                pending, held = [name_whole], held + 1
                continue
            yield from flushed([name_whole, ""])
            pending = []
            continue
        if pending:
            # (a whole line is pending only of message lines, see below; one that holds more
            # than the catalogue reads may go on with records a reflow ran together)
            single = len(pending) == 1 and wholes.whole(pending[0], whole_by)
            goes_on = not single or not (
                wholes.whole(line, whole_by) or len(line.split()) != 1 or line[:1].isspace()
                or (not cut and wholes.ends_with_name(pending[0]))
            )
            if not goes_on and wholes.open_end(pending[0], whole_by):
                goes_on = not wholes.begins_record(line)
            # (a whole line whose last message a reflow's next line goes on with)
            runs_on = not goes_on and whole_by == MESSAGES and single and (
                (not cut or len(pending[0]) == width) and wholes.runs_on(pending[0], line, cut)
            )
            goes_on = goes_on or runs_on
            # (pieces of a trace that are a known message only together: `fmt` breaks early)
            broken = goes_on and (carried or joins.broken(pending[-1], line, width, escaped))
            carried = False
            joining = broken or runs_on or (whole_by != MESSAGES and not wholes.known(line)) or (
                # (message lines `fmt` broke early: one the catalogue reads not to its end yet,
                # a line after it that begins no record)
                goes_on and whole_by == MESSAGES and not wholes.begins_record(line)
                and wholes.open_end(" ".join(pending), whole_by)
            )
            if goes_on and not is_blank(line) and joining:
                ends = whole_by == MESSAGES or wholes.ends(line, whole_by)
                found = joins.joined([*pending, line], whole_by, cut) if ends else None
                if found is not None and (broken or wholes.known(found[1])):
                    first, joined = found
                    done = flushed([*pending[:first], joined, *[""] * (len(pending) - first)])
                    # (cut at the width after its first pieces, `... = bob@contoso.co|m`, or
                    # records a reflow ran together, the last one not read to its end yet)
                    named = cut or wholes.ends_with_name(joined)
                    cut_off = named and whole_by == MESSAGES and (
                        len(line) >= width or joined.endswith("-")  # (or broken at a hyphen)
                    )
                    held_on = len(joined) < MAX_JOINED and wholes.open_end(joined, whole_by)
                    tail = together.open_tail(joined) if held_on and not cut_off else None
                    if first == 0 and tail is not None:  # (the records before it are done)
                        yield from flushed([joined[: -len(tail)], *[""] * (len(pending) - 1)])
                        pending, carried = [tail], True
                        continue
                    # (whole so far, as a whole line: a reflow's next line may go on with it)
                    if first == 0 and (cut_off or held_on or (whole_by == MESSAGES and not cut)):
                        pending, held = [joined], len(done) - 1
                        continue
                    yield from done
                    pending = []
                    continue
                if not wholes.whole(line, whole_by) and len(pending) + 1 < MAX_PIECES:
                    pending.append(line)
                    continue
            yield from flushed(pending)  # pieces of no record: as they stand
            pending = []
        if is_blank(line):
            yield line
        elif wholes.whole(line, whole_by):
            if whole_by == MESSAGES and (not cut or len(line) == width):
                pending = [line]  # (whole so far: it may go on, wrapped or cut before its end)
            else:
                yield line
        else:
            pending = [line]
    yield from [*flushed(pending), *between]
