"""Runs that share records, told before they are read: where two runs meet, the records the
later one begins with that repeat the end of the earlier (`shared_starts`); where two exports
of one log overlap further, the bytes a later export begins with that end an earlier one
(`shared_bytes`: a later export of the same log, a copy taken at another time, a log pasted
after itself in one file). The later run is then read from past them, each shared record
counted once, and nothing is read twice (which `pipeline.EventStream`, which tells every record
apart, would be)."""

from __future__ import annotations

import codecs
from collections.abc import Iterator
from io import BytesIO
from itertools import islice
from typing import BinaryIO, NamedTuple

from .events import CONNECTOR
from .merge import RUN_DISORDER_US, Copies
from .samebytes import same_bytes_at
from .seams import Line, Piece, line_numbers, lines_at
from .times import fixed_offset

_REACH = 1 << 20
"""Bytes read at the end of one run and the start of the next to tell whether they share
records (more than a connector's log writes in the few seconds that count)."""


class Run(NamedTuple):
    """A run to be read as a piece of its input (`bulk.how_to_read`): the input's name, an
    open handle on its bytes and its size, and the piece."""

    name: str
    handle: BinaryIO
    size: int
    piece: Piece


def shared_starts(runs: list[Run], source_tz: object) -> list[list[Piece]] | None:
    """The pieces of each of the runs (of one input or of several), where the spans of two of
    them meet (within the disorder of threads) but overlap no further, each with the records
    it begins with that repeat the end of the one before it in time left out (`Piece.skipped`):
    the records that `pipeline.EventStream` counts once, where those are its first lines. Where
    they overlap further, a run that begins with the bytes an earlier one ends with, or is a
    part of it, is its copies and the rest (see `shared_bytes`). None where runs
    overlap otherwise, or shared records are not all at a piece's start: such runs are read as
    events, which tell shared records apart wherever they are."""
    window = 2 * RUN_DISORDER_US
    ordered = sorted(range(len(runs)), key=lambda index: _rank(runs[index], index))
    result = [[run.piece] for run in runs]
    active: list[int] = []  # the earlier runs, but those already apart and those all copies
    met: set[int] = set()  # the earlier runs another met at their end
    for index in ordered:
        later = runs[index].piece
        active = [other for other in active if runs[other].piece.last + window >= later.first]
        meets = list(active)
        active.append(index)
        if not meets:
            continue  # apart from every earlier run: nothing shared
        if not any(  # they meet at their ends
            runs[other].piece.last > later.first + window or later.last < runs[other].piece.last
            for other in meets
        ):
            earlier = meets[0]
            if len(meets) > 1 or earlier in met:
                return None
            met.add(earlier)
            if runs[earlier].piece.rotated:
                continue  # the older half of a rotation, and the run that continues it
            skipped = _repeated_start(runs[earlier], runs[index], source_tz)
            if skipped is None:
                return None
            result[index] = [skipped]
            continue
        # one goes further into another than threads' disorder: a run that begins with the
        # bytes the one that reaches furthest ends with, or is a part of it, else none; not
        # one that begins where an older half ends, which `EventStream` counts with the half
        # (a record on both sides of a rotation counts on both, copies or not)
        if any(runs[o].piece.rotated and runs[o].piece.last <= later.first + window for o in meets):
            return None
        widest = max(meets, key=lambda other: runs[other].piece.last)
        found = shared_bytes(runs[widest], runs[index], source_tz)
        if found is None:
            return None
        result[index] = found
        if len(found) == 1 and not later.rotated:
            active.pop()  # (all copies: no record of its own to meet another's; an older
            # half's end still begins a run counted with it)
        elif any(runs[o].piece.last + window >= found[-1].first for o in meets if o != widest):
            return None  # its own records meet another run's
    return result


def _rank(run: Run, index: int) -> tuple[int, bool, str, int]:
    """The order of runs where records are shared: that of their first records, and at equal
    instants a `.lo_` first, then by name (the older comes first, as `merge.merge_batches`
    ranks inputs): of a record in two of them, the earlier one's is the one read."""
    return (run.piece.first, not run.name.lower().endswith(".lo_"), run.name, index)


def _repeated_start(earlier_run: Run, later_run: Run, source_tz: object) -> Piece | None:
    """The piece of `later_run` without the records it begins with that `EventStream` would
    count once, as copies of the records of `earlier_run` (which comes first at equal
    instants), if those are all its first lines; else None."""
    earlier, later = earlier_run.piece, later_run.piece
    handle, size = earlier_run.handle, earlier_run.size
    window = 2 * RUN_DISORDER_US
    end = size if earlier.end is None else earlier.end
    whole = end - _REACH <= earlier.start
    tail = lines_at(
        handle, max(earlier.start, end - _REACH), end, source_tz, whole, earlier.end is None
    )
    later_end = later_run.size if later.end is None else later.end
    head_end = min(later_end, later.start + _REACH)
    head = lines_at(
        later_run.handle, later.start, head_end, source_tz, True, head_end == later_run.size
    )
    tail_keys = [line.key for line in tail if line.key is not None]
    head_keys = [line.key for line in head if line.key is not None]
    if (
        not tail_keys
        or not head_keys
        or (tail_keys[0][0] >= later.first - window and earlier.start < end - _REACH)
        or (head_keys[-1][0] <= earlier.last + window and later_end > later.start + _REACH)
    ):
        return None  # the records that count are not all within reach
    copies = Copies()  # (the rule `EventStream` counts by; the earlier run comes first)
    for key in tail_keys:
        copies.copy(key, 0)
    skipped = 0
    connector = 0
    for line in head:
        if line.key is None or not copies.copy(line.key, 1):
            break
        skipped += 1
        connector += line.key[2] == CONNECTOR  # (as `sms.count_connector` counts them)
    if any(copies.copy(line.key, 1) for line in head[skipped + 1 :] if line.key is not None):
        return None  # a shared record further on: events tell it apart
    if skipped == 0:
        return later
    rest = next((line.key[0] for line in head[skipped:] if line.key is not None), None)
    if rest is not None and rest < max(line.key[0] for line in head[:skipped] if line.key):
        return None  # (it goes back from its copies: merged after them, see `_merged_after`)
    if skipped == len(head) and later_end <= head[-1].end:
        return None  # nothing but copies
    return later._replace(
        start=head[skipped].start if skipped < len(head) else head[-1].end,
        first_line=later.first_line + skipped,
        skipped=skipped,
        skipped_connector=connector,
        skipped_first=head[0].time,
        skipped_bom=later.start == 0 and head[0].bom,
        skipped_fallback=sum(line.fallback for line in head[:skipped]),
    )


_BLOCK = 1 << 20
"""Bytes searched at a time, and the longest first line looked at."""
_TRIED = 8
"""The places of the earlier input where the later one's first line is tried (a line written
many times within a millisecond comes back at each)."""


def shared_bytes(earlier: Run, later: Run, source_tz: object) -> list[Piece] | None:
    """The pieces of the run `later` (a whole input, or a run of one) where it begins, after
    its byte-order mark if any, with the bytes the run `earlier` ends with from the start of
    one of its lines (the earliest such line: the longest share), or is wholly made of bytes
    of `earlier`: the shared bytes, whose records are copies (`Piece.copies`: read for their
    counts only), and the rest after them, if any (`Piece.continues`); else where it begins
    with lines of `earlier`'s middle (see `_middle`). None where none is so, or where the
    pieces could be read otherwise than the run is: where either run does not begin with a
    record (a line that is none comes before every record in `EventStream`'s merge), where
    `earlier` does not end with an LF, where the rest does not begin with a record within the
    disorder of threads of `earlier`'s last (a run that goes back, a share of a few lines at
    its end) or before the latest record of the copies (`_merged_after`), with a NUL (UTF-16
    without its byte-order mark), or with a time that has no offset in a zone with daylight
    saving (its hour, said twice, is told by the records before it), and where `earlier` is an
    older half that `later` goes on past (a record on both sides of a rotation counts on both,
    see `pipeline.EventStream`).

    Every record of those bytes is then in `earlier` at least as often, and no record after
    them can be one of `earlier`'s that they do not hold as often (a run goes back by the
    disorder of threads at most, where theirs overlap by more, and the rest begins no earlier
    than the copies' latest record), so each is counted as `EventStream` counts it: as often as
    the one run that holds it most often."""
    _, earlier_end = _bounds(earlier)
    _, later_end = _bounds(later)
    begin, line = _first_line(later)
    start, head = _first_line(earlier)
    if _read(earlier.handle, earlier_end - 1, 1) != b"\n":
        return None
    if not _a_record(line, source_tz) or not _a_record(head, source_tz):
        return None
    places = list(islice(_line_starts(earlier, line, start), _TRIED))
    for at in places:
        shared = min(earlier_end - at, later_end - begin)
        if shared < earlier_end - at and _read(later.handle, later_end - 1, 1) != b"\n":
            continue  # (a part of it ends inside a line: not a copy of that line)
        if same_bytes_at(earlier.handle, at, later.handle, begin, shared):
            if earlier.piece.rotated and begin + shared < later_end:
                return None  # (records after an older half's: they all count, see `EventStream`)
            return _pieces(earlier, later, begin + shared, source_tz)
    return _middle(earlier, later, begin, places, source_tz)


def _middle(
    earlier: Run, later: Run, begin: int, places: list[int], source_tz: object
) -> list[Piece] | None:
    """The pieces of `later` where it begins with whole lines of `earlier`'s middle (from the
    place that shares most of them: lines pasted again) and goes on past `earlier`'s end: the
    copies, and the rest, without the records it begins with that repeat `earlier`'s end (see
    `_repeated_start`). None where the copies come within the disorder of threads of the rest,
    where the rest shares other records with `earlier`, and where `earlier` is an older half.

    A record of the copies is in `earlier` at least as often and never in the rest (their
    instants are apart); a record of the rest that is in `earlier` is in its end and at the
    rest's start, counted as where two runs meet: each is counted as `EventStream` counts it,
    as often as the one run that holds it most often."""
    if earlier.piece.rotated or not places:
        return None
    _, earlier_end = _bounds(earlier)
    _, later_end = _bounds(later)
    limit = min(earlier_end - max(places), later_end - begin)
    length = max(_common_lines(earlier.handle, at, later.handle, begin, limit) for at in places)
    cut = begin + length
    if length == 0 or cut >= later_end:
        return None
    found = _pieces(earlier, later, cut, source_tz)
    if found is None or len(found) != 2:
        return None
    copies, rest = found
    until = rest.first - 3 * RUN_DISORDER_US  # (closer, the copies' records could be the rest's)
    latest = _latest_before(later, cut, until, source_tz)
    if latest is None or latest >= until:
        return None
    kept = _repeated_start(earlier, later._replace(piece=rest), source_tz)
    if kept is None:
        return None
    return [copies._replace(last=latest), kept]


def _merged_after(later: Run, cut: int, first: int, source_tz: object) -> bool:
    """Whether the rest of `later` from `cut`, whose first record is at `first`, begins no
    earlier than every record of the copies before it: read as a run of its own, it is then
    merged where it is as the end of the run it is (`merge.merge_batches` takes a run's
    records in its own order: one that goes back from its copies would be merged before
    records of other runs that the copies keep it after)."""
    latest = _latest_before(later, cut, first + 1, source_tz)
    return latest is not None and latest <= first


def _latest_before(later: Run, cut: int, until: int, source_tz: object) -> int | None:
    """The latest instant a record of `later` before `cut` can have, as its last bytes tell:
    the latest of theirs, or, where they are not all of it, the first of theirs and the
    disorder of threads after it if that is later (a record before those read is no later than
    theirs by more). Read from the last `_NEAR` bytes, and from up to `_REACH` where those
    cannot tell it before `until`; None where they hold no record."""
    start = later.piece.start
    latest = None
    for reach in (_NEAR, _REACH):
        whole = cut - reach <= start
        lines = lines_at(later.handle, max(start, cut - reach), cut, source_tz, whole, False)
        keys = [line.key[0] for line in lines if line.key is not None]
        if keys:
            latest = max(keys) if whole else max(*keys, keys[0] + RUN_DISORDER_US)
            if latest < until or max(keys) >= until:
                return latest  # (more bytes would not tell it earlier)
        if whole:
            break
    return latest


_NEAR = 1 << 16
"""Bytes read first at the end of the copies for `_latest_before` (more where they hold less
than the disorder of threads: up to `_REACH`)."""


def _common_lines(one: BinaryIO, at: int, other: BinaryIO, other_at: int, size: int) -> int:
    """How many bytes from `at` in `one` and from `other_at` in `other`, up to `size`, are
    the same whole lines (each ending with an LF)."""
    done = lines = 0
    while done < size:
        step = min(_BLOCK, size - done)
        mine, theirs = _read(one, at + done, step), _read(other, other_at + done, step)
        same = _same_prefix(mine, theirs)
        found = mine.rfind(b"\n", 0, same)
        if found >= 0:
            lines = done + found + 1
        if same < step:
            break
        done += step
    return lines


def _same_prefix(one: bytes, other: bytes) -> int:
    """The length of the bytes both begin with (a binary search: each test compares slices)."""
    low, high = 0, min(len(one), len(other))
    while low < high:
        middle = (low + high + 1) // 2
        if one[:middle] == other[:middle]:
            low = middle
        else:
            high = middle - 1
    return low


def _bounds(run: Run) -> tuple[int, int]:
    """Where the run's bytes begin and end in its input."""
    piece = run.piece
    return piece.start, run.size if piece.end is None else piece.end


def _first_line(run: Run) -> tuple[int, bytes]:
    """Where a run's first line begins (past a byte-order mark: an input's, or one that a file
    pasted after another brought) and the line, with its break (without one where none comes
    within a block: no record, see `_a_record`)."""
    start, end = _bounds(run)
    if _read(run.handle, start, len(_BOM)) == _BOM:
        start += len(_BOM)
    run.handle.seek(start)
    return start, run.handle.readline(min(_BLOCK, end - start))


def _a_record(line: bytes, source_tz: object) -> bool:
    """Whether a line with its break is a record whose instant its own text tells."""
    if not line.endswith(b"\n"):
        return False
    return _placed(lines_at(BytesIO(line), 0, len(line), source_tz, True, True)) is not None


def _placed(lines: list[Line]) -> int | None:
    """The instant of the first record of these lines, where each of their records has a time
    with a fixed offset (else None: none, or one whose offset depends on the records before
    it, in a zone with daylight saving)."""
    timed = [(line.key[0], line.time) for line in lines if line.key is not None]
    if not timed or any(time is None or fixed_offset(time.tzinfo) is None for _, time in timed):
        return None
    return timed[0][0]


def _read(handle: BinaryIO, at: int, size: int) -> bytes:
    handle.seek(at)
    return handle.read(size)


def _line_starts(run: Run, line: bytes, start: int) -> Iterator[int]:
    """The offsets in the run, from `start` on, of the lines that are `line` (with its
    break), in order."""
    _, end = _bounds(run)
    if start + len(line) <= end and _read(run.handle, start, len(line)) == line:
        yield start
    needle = b"\n" + line
    position, held = start, b""
    while position < end:
        block = _read(run.handle, position, min(_BLOCK, end - position))
        if not block:
            return
        data, base = held + block, position - len(held)
        found = data.find(needle)
        while found >= 0:
            yield base + found + 1
            found = data.find(needle, found + 1)
        held = data[len(data) - len(needle) + 1 :]  # (too short to hold the needle again)
        position += len(block)


def _pieces(earlier: Run, later: Run, cut: int, source_tz: object) -> list[Piece] | None:
    """`later` as the copies before `cut` and the rest after it (None: see `shared_bytes`)."""
    piece = later.piece
    _, end = _bounds(later)
    if cut >= end:
        return [piece._replace(copies=True)]
    reach = min(end, cut + _REACH)
    if b"\0" in _read(later.handle, cut, min(64, end - cut)):
        return None
    first = _placed(lines_at(later.handle, cut, reach, source_tz, True, reach == later.size))
    if first is None or first < earlier.piece.last - RUN_DISORDER_US:
        return None
    if not _merged_after(later, cut, first, source_tz):
        return None
    copies = piece._replace(end=cut, last=earlier.piece.last, rotated=False, copies=True)
    (number,) = line_numbers(later.handle, [cut])
    rest = piece._replace(start=cut, first_line=number, first=first, continues=True)
    return [copies, rest]


_BOM = codecs.BOM_UTF8
