"""Records pasted twice at one instant: an excerpt pasted again just after itself, or two
copies of a log's rows that overlap where they meet (CMTrace's copied rows, to the second), so
that the records after the seam repeat those just before it at the same time. Time does not go
back there, so no run begins (`merge`); read as they stand, a user's failure and its cycle's
totals would count twice (a failed add no failure line names, a user pending, not overdue).

A block of records repeated at once, at one instant, is read once where it names a user (a
request or a failure: the connector names a user once a cycle, and its cycles are minutes
apart) and holds more than one text (a line written many times over, as some components do,
is no copy). Not in an input with no times, whose records show no instant."""

from __future__ import annotations

from collections.abc import Iterator

from ..records import Item, Record
from ..stats import InputStats
from ..times import timeless

_NAMES_A_USER = ("NotifyAccountAddition", "Failed to add user")


def once(items: Iterator[Item], stats: InputStats) -> Iterator[Item]:
    """`items` without the records a block pasted twice repeats (see the module), each left
    out counted off `stats.records` and said in a note."""
    group: list[Item] = []  # (the items since the first record at the instant under way)
    instant = None
    left_out = 0
    for item in items:
        if type(item) is Record:
            time = item.time
            # (an input with no times: its instants are its lines', records a reflow ran
            # together on a line share one, so no two tell one instant)
            if (time != instant and time is not None) or timeless(time):
                if len(group) >= 4:  # (a block of two at least, twice)
                    left_out += _repeats(group)
                yield from group
                group, instant = [item], time
                continue
        group.append(item)
    left_out += _repeats(group)
    yield from group
    if left_out:
        stats.records -= left_out
        stats.notes.append(
            f"{left_out} record{'s' if left_out != 1 else ''} pasted twice (the same time and "
            "text again just after, where copies meet) read once"
        )


def _repeats(group: list[Item]) -> int:
    """Take the repeated blocks out of the items of one instant; how many records went."""
    records = [(index, item) for index, item in enumerate(group) if type(item) is Record]
    if len(records) < 4:  # (a block of two at least, twice)
        return 0
    keys = [(r.message, r.component, r.thread) for _, r in records]
    last: dict[tuple[str, str, int | None], int] = {}
    dropped: set[int] = set()
    position = 0
    while position < len(keys):
        key = keys[position]
        before = last.get(key)
        last[key] = position
        if before is not None:
            size = position - before
            block = keys[before:position]
            if (
                size >= 2
                and keys[position : position + size] == block
                and len(set(block)) > 1
                and any(message.startswith(_NAMES_A_USER) for message, _, _ in block)
            ):
                dropped.update(records[at][0] for at in range(position, position + size))
                position += size
                continue
        position += 1
    if dropped:
        group[:] = [item for index, item in enumerate(group) if index not in dropped]
    return len(dropped)
