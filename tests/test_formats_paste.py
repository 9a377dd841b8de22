"""Text pasted into tickets: the SPEC §1 excerpt and rows copied from CMTrace/OneTrace."""

from __future__ import annotations

from datetime import datetime

import pytest

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


BRITISH_EXCERPT = (
    "11/12/2026 10:23:54  NotifyAccountAddition - SCCM user to add = scott@contoso.com\n"
    "                     Failed to add user scott@contoso.com; reason UserNotFound\n"
    "12/12/2026 10:24:12  NotifyAccountAddition - SCCM user to add = scott@contoso.com\n"
    "                     Total received users to add from SCCM = 1, Total Successfully added users to Cloud = 1\n"
    "13/12/2026 10:24:12  NotifyAccountAddition - SCCM user to add = amy@contoso.com\n"
)


def test_an_excerpt_whose_dates_read_only_day_first_is_read_day_first_throughout() -> None:
    """A British copy: 13/12/2026 reads only as 13 December, so 11/12 and 12/12 above it are
    the 11th and 12th of December (they were November 12 and December 12: a month's wait)."""
    items, stats = parse(BRITISH_EXCERPT)
    assert [(i.line, i.time) for i in items] == [
        (1, datetime(2026, 12, 11, 10, 23, 54)),
        (2, datetime(2026, 12, 11, 10, 23, 54)),
        (3, datetime(2026, 12, 12, 10, 24, 12)),
        (4, datetime(2026, 12, 12, 10, 24, 12)),
        (5, datetime(2026, 12, 13, 10, 24, 12)),
    ]
    assert stats.notes == ["its dates are read day/month/year, as 13/12/2026 shows"]


def test_dates_of_numbers_are_month_first_unless_the_input_shows_otherwise() -> None:
    """11/12 alone is November 12 (as SMS logs and US locales write it), said where no date of
    the input says so, and a month-first-only date settles it; a date then that reads only day first is no time of that input (unparsed,
    said), never read the other way; dots are day.month.year (the German form)."""
    (us,), stats = parse("11/12/2026 10:23:54  Failed to add user a@b.c; reason UserNotFound\n")
    assert (us.time, stats.notes) == (
        datetime(2026, 11, 12, 10, 23, 54),
        [
            "its dates could be month/day or day/month (11/12/2026; none of its first dates "
            "says which): they are read month/day/year, as SMS logs write them"
        ],
    )
    items, stats = parse(
        "11/12/2026 10:00:00  Failed to add user a@b.c; reason UserNotFound\n"
        "11/13/2026 10:00:00  Failed to add user a@b.c; reason UserNotFound\n"
        "13/11/2026 10:00:00  Failed to add user a@b.c; reason UserNotFound\n"
    )
    assert [(type(i).__name__, i.line, getattr(i, "time", None)) for i in items] == [
        ("Record", 1, datetime(2026, 11, 12, 10, 0)),
        ("Record", 2, datetime(2026, 11, 13, 10, 0)),
        ("Unparsed", 3, None),
    ]
    assert (items[2].problem, stats.unparsed, stats.notes) == (
        "date in another order than the input's (month/day/year)", 1, [],
    )
    (german,), _ = parse("11.12.2026 10:23:54  Failed to add user a@b.c; reason UserNotFound\n")
    assert german.time == datetime(2026, 12, 11, 10, 23, 54)


def test_a_date_that_begins_with_its_year_reads_one_way_in_a_day_first_input() -> None:
    """Once 13/11/2026 makes an input day first, 2026-12-03 is still December 3 (it was read
    as March 12)."""
    items, stats = parse(
        "13/11/2026 10:00:00  NotifyAccountAddition - SCCM user to add = a@contoso.com\n"
        "2026-12-03 10:00:00  Failed to add user a@contoso.com; reason UserNotFound\n"
        "12.13.2026 10:00:00  Failed to add user a@contoso.com; reason UserNotFound\n"
    )
    assert [getattr(i, "time", None) for i in items] == [
        datetime(2026, 11, 13, 10, 0), datetime(2026, 12, 3, 10, 0), None,
    ]
    assert (items[2].problem, stats.notes) == (
        "no date (day.month.year)", ["its dates are read day/month/year, as 13/11/2026 shows"],
    )


def test_the_order_of_dates_is_decided_once_for_an_input_read_in_pieces() -> None:
    """A followed log is read a piece at a time with one context: the piece that decides the
    order decides it for the pieces after it (watch read 11/12/2026 as November 12 in a live
    log whose first piece showed 13/11/2026), and says so once."""
    stats = InputStats("live.txt")
    ctx = ParseContext(stats)
    first = list(paste.parse(iter(["13/11/2026 10:00:00  Failed to add user a@b.c; reason UserNotFound\n"]), ctx))
    later = list(paste.parse(iter(["11/12/2026 10:00:00  Failed to add user a@b.c; reason UserNotFound\n"]), ctx))
    assert [i.time for i in first + later] == [datetime(2026, 11, 13, 10, 0), datetime(2026, 12, 11, 10, 0)]
    assert stats.notes == ["its dates are read day/month/year, as 13/11/2026 shows"]
    us = ParseContext(InputStats("live.txt"))
    list(paste.parse(iter(["11/12/2026 10:00:00  Failed to add user a@b.c; reason UserNotFound\n"]), us))
    (late,) = paste.parse(iter(["13/11/2026 10:00:00  Failed to add user a@b.c; reason UserNotFound\n"]), us)
    assert (type(late).__name__, late.problem) == (
        "Unparsed", "date in another order than the input's (month/day/year)",
    )


@pytest.mark.timeout(60)  # (a backtracking pattern would take hours)
def test_hostile_pasted_lines_are_read_in_linear_time() -> None:
    hostile = [
        "x" + " " * 200_000 + "(0x",
        "x" + " \t" * 100_000 + "(0x",
        "a " * 100_000 + "(0x",
        "  " + "a@b.c 1/1/2020 1:00 " * 10_000 + "(0x",
    ]
    items, stats = parse("9/14/2014 10:23:54 AM\n" + "".join(f"  {line}\n" for line in hostile))
    assert (len(items), stats.records) == (4, 4)
