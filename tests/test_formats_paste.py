"""Text pasted into tickets: the SPEC §1 excerpt and rows copied from CMTrace/OneTrace."""

from __future__ import annotations

from datetime import datetime

from logsync.formats import ParseContext, Record, Unparsed, detect, paste
from logsync.sources import InputStats
from logsync.times import parse_zone

from .conftest import SAMPLES


def parse(text: str, zone: str | None = None) -> tuple[list[Record | Unparsed], InputStats]:
    stats = InputStats("ticket.txt")
    ctx = ParseContext(stats, source_tz=parse_zone(zone, "--source-tz") if zone else None)
    return list(paste.parse(iter([text]), ctx)), stats


def test_spec_excerpt_dates_the_lines_under_it() -> None:
    text = (SAMPLES / "pasted" / "ticket.txt").read_text()
    items, stats = parse(text)
    assert [(i.line, i.time, i.message[:30]) for i in items] == [
        (1, datetime(2014, 9, 14, 10, 23, 54), "NotifyAccountAddition - SCCM u"),
        (2, datetime(2014, 9, 14, 10, 23, 54), "Failed to add user scott@conto"),
        (3, datetime(2014, 9, 14, 10, 23, 54), "Total received users to add fr"),
        (4, datetime(2014, 9, 15, 10, 24, 12), "NotifyAccountAddition - SCCM u"),
        (5, datetime(2014, 9, 15, 10, 24, 12), "Total received users to add fr"),
        (6, datetime(2014, 9, 15, 10, 24, 12), "UserDeltaSync:- Users Added = "),
    ]
    assert (stats.lines, stats.records, stats.record_lines, stats.unparsed) == (6, 6, 6, 0)


def test_a_date_line_alone_dates_what_follows_and_is_accounted_for() -> None:
    items, stats = parse(
        "Notes from the admin\n9/14/2014 10:23:54 PM\n  Failed to add user a@b.c; reason UserNotFound\n"
    )
    assert isinstance(items[0], Unparsed) and items[0].line == 1
    assert items[1].time == datetime(2014, 9, 14, 22, 23, 54)
    assert items[1].line == 3
    assert (stats.lines, stats.records, stats.record_lines, stats.unparsed) == (3, 1, 2, 1)


def test_copied_tab_separated_rows() -> None:
    row = "Failed to add user scott@contoso.com; reason UserNotFound\tSMS_CLOUD_USERSYNC\t9/14/2014 10:23:54 AM\t5616 (0x15F0)\n"
    (record,), _ = parse(row, zone="America/New_York")
    assert record.component == "SMS_CLOUD_USERSYNC"
    assert record.thread == 5616
    assert record.time.isoformat() == "2014-09-14T10:23:54-04:00"
    assert detect(row) == "paste"
