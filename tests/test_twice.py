"""`formats.twice`: a block of records pasted twice at one instant is read once; anything else
is read as it stands."""

from __future__ import annotations

from datetime import datetime

from hypothesis import given
from hypothesis import strategies as st

from logsync.formats.twice import once
from logsync.records import Record, Unparsed
from logsync.stats import InputStats

AT = datetime(2026, 11, 25, 9, 10, 12)
TEXTS = [
    "NotifyAccountAddition - SCCM user to add = mallory@contoso.com",
    "Failed to add user bob@contoso.com; reason UserNotFound",
    "Total received users to add from SCCM = 2, Total Successfully added users to Cloud = 1",
    "UserDeltaSync:- Users Added = 1, Users Removed = 0",
    "Successfully removed users from cloud 0",
]


def record(text: str, time: datetime = AT) -> Record:
    return Record(0, time, "SMS_CLOUD_USERSYNC", 5616, None, text)


def read(items: list[Record | Unparsed]) -> tuple[list[str], int, list[str]]:
    stats = InputStats("t.txt")
    stats.records = sum(type(i) is Record for i in items)
    kept = [i.message if type(i) is Record else i.raw for i in once(iter(items), stats)]
    return kept, stats.records, stats.notes


blocks = st.lists(st.sampled_from(TEXTS), min_size=2, max_size=5, unique=True).filter(
    lambda block: any(t.startswith(("Notify", "Failed")) for t in block)
)


@given(
    before=st.lists(st.sampled_from(TEXTS[2:]), max_size=2, unique=True),
    block=blocks,
    after=st.lists(st.sampled_from(TEXTS[3:]), max_size=1),
)
def test_a_block_pasted_twice_is_read_once(before: list[str], block: list[str], after: list[str]) -> None:
    after = [text for text in after if text not in block[:1]]
    items: list[Record | Unparsed] = [record(t) for t in before + block + block + after]
    kept, records, notes = read(items)
    assert kept == before + block + after
    assert records == len(before + block + after)
    plural = "s" if len(block) != 1 else ""
    assert notes == [f"{len(block)} record{plural} pasted twice (the same time and text again just after, where copies meet) read once"]


@given(st.lists(st.sampled_from(TEXTS), max_size=8))
def test_records_with_no_block_repeated_at_once_stay(texts: list[str]) -> None:
    def repeated(at: int, size: int) -> bool:
        block = texts[at - size : at]
        return (
            texts[at : at + size] == block
            and len(set(block)) > 1
            and any(t.startswith(("Notify", "Failed")) for t in block)
        )

    if any(repeated(at, size) for at in range(len(texts)) for size in range(2, at + 1)):
        return
    items: list[Record | Unparsed] = [record(t) for t in texts]
    assert read(items) == (texts, len(texts), [])


def test_a_block_at_another_instant_and_lines_between_stay() -> None:
    block = [TEXTS[0], TEXTS[2]]
    later = datetime(2026, 11, 25, 9, 10, 13)
    items: list[Record | Unparsed] = [record(t) for t in block] + [record(t, later) for t in block]
    assert read(items)[0] == block * 2
    # (a line that is no record between the copies stays where it was)
    items = [record(t) for t in block] + [Unparsed(0, "--", "gap")] + [record(t) for t in block]
    assert read(items)[0] == [*block, "--"]


def test_a_record_with_no_time_is_of_the_instant_before_it() -> None:
    """(a line under no date, after a timed one: read with it, pasted twice as it was)"""
    timed, untimed = TEXTS[0], TEXTS[2]
    no_time = [record(timed), Record(0, None, "", None, None, untimed)]  # type: ignore[arg-type]
    assert read(no_time * 2)[:2] == ([timed, untimed], 2)
    # (four records at one instant, a block of two twice, then one a second later)
    later = datetime(2026, 11, 25, 9, 10, 13)
    items: list[Record | Unparsed] = [record(t) for t in (TEXTS[0], TEXTS[2]) * 2]
    items.append(record(TEXTS[3], later))
    assert read(items)[:2] == ([TEXTS[0], TEXTS[2], TEXTS[3]], 3)
