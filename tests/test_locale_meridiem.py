"""12-hour times with the marks other locales write (`a. m.`, `p. m.`: Spanish, with a space
inside), in a pasted excerpt's date lines and in copied rows' time column. They were not read
(sweep): the ticket's date lines were taken for messages, and scott, who recovered, was
`waiting` with no time at all; the rows' time column was called a remark."""

from __future__ import annotations

from pathlib import Path

import pytest

from logsync import analyze
from logsync.times import iso

from .conftest import SAMPLES


def ticket(tmp_path: Path, mark: str, dates: tuple[str, str]) -> str:
    text = (SAMPLES / "pasted" / "ticket.txt").read_text(encoding="utf-8")
    text = text.replace("9/14/2014 10:23:54 AM", f"{dates[0]} 10:23:54 {mark}")
    text = text.replace("9/15/2014 10:24:12 AM", f"{dates[1]} 10:24:12 {mark}")
    path = tmp_path / "ticket.txt"
    path.write_text(text, encoding="utf-8")
    return str(path)


@pytest.mark.parametrize(
    ("mark", "dates", "recovered"),
    [
        ("a. m.", ("14/09/2014", "15/09/2014"), "2014-09-15T10:24:12"),
        ("p. m.", ("14/09/2014", "15/09/2014"), "2014-09-15T22:24:12"),
        ("a.m.", ("9/14/2014", "9/15/2014"), "2014-09-15T10:24:12"),
        ("P. M.", ("9/14/2014", "9/15/2014"), "2014-09-15T22:24:12"),
        ("am", ("9/14/2014", "9/15/2014"), "2014-09-15T10:24:12"),
    ],
)
def test_a_ticket_s_dates_with_another_locale_s_marks(tmp_path: Path, mark: str, dates: tuple[str, str], recovered: str) -> None:
    (scott,) = analyze([ticket(tmp_path, mark, dates)]).users
    assert (scott.upn, scott.state, iso(scott.recovered_at)) == ("scott@contoso.com", "recovered", recovered)


@pytest.mark.parametrize(
    "stamp",
    [
        "{date}/{month}/{year} {clock} a. m.",  # (Spanish: a dotted mark with a space, after)
        "{year}-{month}-{date} 오전 {clock}",  # (Korean: the mark before the time)
    ],
)
def test_copied_rows_with_another_locale_s_marks(tmp_path: Path, stamp: str) -> None:
    lines = (SAMPLES / "CloudUserSync.log").read_text(encoding="utf-8-sig").splitlines()[2433:2460]
    rows = []
    for line in lines:
        message, _, trailer = line.partition("  $$<")
        component, when, thread = trailer.rstrip(">").split("><")
        day, clock = when.split(" ")
        month, date, year = day.split("-")
        shown = stamp.format(date=date, month=month, year=year, clock=clock[:8])
        rows.append(f"{message}\t{component}\t{shown}\t{thread[7:]}")
    path = tmp_path / "rows.log"
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    users = {user.upn: user for user in analyze([str(path)]).users}
    bob = users["bob@contoso.com"]
    assert (bob.state, iso(bob.last_failure), iso(bob.full_sync_due)) == (
        "waiting", "2026-11-25T09:10:08", "2026-11-26T09:10:08"
    )


@pytest.mark.parametrize(
    ("mark", "dates", "recovered"),
    [
        ("오전", ("2014-09-14", "2014-09-15"), "2014-09-15T10:24:12"),  # (Korean: before the time)
        ("오후", ("2014-09-14", "2014-09-15"), "2014-09-15T22:24:12"),
        ("午前", ("2014/09/14", "2014/09/15"), "2014-09-15T10:24:12"),  # (Japanese)
        ("午後", ("2014/09/14", "2014/09/15"), "2014-09-15T22:24:12"),
        ("上午", ("2014/9/14", "2014/9/15"), "2014-09-15T10:24:12"),  # (Chinese)
        ("下午", ("2014/9/14", "2014/9/15"), "2014-09-15T22:24:12"),
    ],
)
def test_a_ticket_s_dates_with_the_mark_before_the_time(tmp_path: Path, mark: str, dates: tuple[str, str], recovered: str) -> None:
    """Korean, Japanese and Chinese locales write the 12-hour mark before the time (`2014-09-15
    오후 2:30:04`): the ticket's date lines were taken for messages (no time at all)."""
    text = (SAMPLES / "pasted" / "ticket.txt").read_text(encoding="utf-8")
    text = text.replace("9/14/2014 10:23:54 AM", f"{dates[0]} {mark} 10:23:54")
    text = text.replace("9/15/2014 10:24:12 AM", f"{dates[1]} {mark} 10:24:12")
    path = tmp_path / "ticket.txt"
    path.write_text(text, encoding="utf-8")
    (scott,) = analyze([str(path)]).users
    assert (scott.upn, scott.state, iso(scott.recovered_at)) == ("scott@contoso.com", "recovered", recovered)
