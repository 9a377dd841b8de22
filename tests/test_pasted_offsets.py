"""Lines of the connector's messages each after an ISO 8601 time with its UTC offset (`Z`,
`-08:00`), as a log shipper or a query's export writes them: read at those instants, as the
log's own lines, a run of them (their cycles give the interval). They were refused ("no
CloudUserSync records found"). Times with an offset and times with none in one input are
refused: which instant each is, the other kind cannot say."""

from __future__ import annotations

import json
import re
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from typer.testing import CliRunner

from logsync.cli import app
from logsync.formats.dayorder import stamp_time
from logsync.formats.paste import _dated

from .conftest import SAMPLES

runner = CliRunner()
TRAILER = re.compile(r"(.*?)  \$\$<\w+><(\d\d)-(\d\d)-(\d{4}) (\d\d:\d\d:\d\d\.\d{3})\+480>.*")
LAST_DAY = [
    line
    for line in (SAMPLES / "CloudUserSync.log").read_text("utf-8-sig").splitlines()
    if re.search(r"<11-25-2026 1[1-6]:", line)
]
"""The demo log's lines of 11:00 to 16:04:59 on its last day (Pacific time, bias +480)."""


def shipped(form: str) -> str:
    """The lines as `message` after a time in `form` (`local`, `utc`, `offset`)."""
    out = []
    for line in LAST_DAY:
        found = TRAILER.fullmatch(line)
        assert found is not None
        message, month, day, year, clock = found.groups()
        local = datetime.fromisoformat(f"{year}-{month}-{day}T{clock}")
        if form == "utc":
            stamp = (local + timedelta(hours=8)).isoformat(timespec="milliseconds") + "Z"
        elif form == "offset":
            stamp = local.isoformat(timespec="milliseconds") + "-08:00"
        else:
            stamp = local.isoformat(sep=" ", timespec="milliseconds")
        out.append(f"{stamp} {message}\n")
    return "".join(out)


def users(path: Path, *options: str) -> list[tuple[object, ...]]:
    result = runner.invoke(app, ["report", "--all", "--format", "json", *options, str(path)])
    assert result.exit_code == 0, result.stderr
    return [
        (u["upn"], u["state"], u["first_failure"], u["full_sync_due"], u["expected_recovery"])
        for u in json.loads(result.stdout)["users"]
    ]


@pytest.mark.parametrize("form", ["utc", "offset"])
def test_lines_after_a_time_with_its_offset_are_read_at_their_instants(
    tmp_path: Path, form: str
) -> None:
    assert len(LAST_DAY) == 449
    given, logged = tmp_path / "shipped.txt", tmp_path / "CloudUserSync.log"
    given.write_text(shipped(form), encoding="utf-8")
    logged.write_text("".join(line + "\n" for line in LAST_DAY), encoding="utf-8")
    shown = users(given, "--tz", "-08:00")
    assert shown == users(logged)  # (each line's own time: a run of the log's, as its lines)
    interval = runner.invoke(app, ["summary", "--format", "json", str(given)]).stdout
    assert json.loads(interval)["interval_basis"] == "observed"
    assert shown[2][:3] == ("erin@contoso.com", "waiting", "2026-11-25T14:30:09.041-08:00")
    # shown in its own offset: UTC's `Z` is +00:00
    offset = "+00:00" if form == "utc" else "-08:00"
    assert users(given)[2][3] == (
        "2026-11-26T22:30:09.041+00:00" if form == "utc" else "2026-11-26T14:30:09.041-08:00"
    )
    assert users(given, "--source-tz", "Europe/Paris")[2][3].endswith(offset)  # (its own)


def test_times_with_an_offset_among_times_with_none_are_refused(tmp_path: Path) -> None:
    lines = shipped("local").splitlines(keepends=True)
    with_one = shipped("offset").splitlines(keepends=True)
    for text, line, has in (
        ("".join(lines[:5] + with_one[5:]), 6, "has a UTC offset where the times before it have none"),
        ("".join(with_one[:5] + lines[5:]), 6, "has no UTC offset where the times before it have one"),
    ):
        path = tmp_path / "mixed.txt"
        path.write_text(text, encoding="utf-8")
        result = runner.invoke(app, ["check", str(path)])
        assert (result.exit_code, result.stdout) == (2, "")
        assert result.stderr == (
            f"logsync: error: {path}: line {line}'s time {has}: which instant each is, the "
            "other cannot say; give the lines of one kind\n"
        )


@pytest.mark.parametrize(
    ("text", "offset"),
    [
        ("2026-11-25T22:10:04.449Z", 0),
        ("2026-11-25T14:10:04.449-08:00", -480),
        ("2026-11-25 14:10:04-0800", -480),
        ("2026-11-25T19:40:04+05:30", 330),
        ("2026-11-25T14:10:04", None),
    ],
)
def test_a_stamp_s_offset_is_one_fixed_zone_per_offset(text: str, offset: int | None) -> None:
    time = stamp_time(text)
    if offset is None:
        assert time.tzinfo is None
    else:
        assert time.tzinfo == timezone(timedelta(minutes=offset))
        assert time.tzinfo is stamp_time(text.replace(":04", ":05")).tzinfo


@pytest.mark.parametrize(
    ("line", "stamp"),
    [
        ("2026-11-25T14:30:04-08:00:", "2026-11-25T14:30:04-08:00"),  # (a colon after it)
        ("**2026-11-25T14:30:04-0800**", "2026-11-25T14:30:04-0800"),
        ("2026-11-25 14:30:04.449Z", "2026-11-25 14:30:04.449Z"),
        ("2026-11-25 14:30-15:00", None),  # (a range of times: no offset after minutes)
        ("11/25/2026 10:00-11:00:", None),
        ("2026-11-25T14:30:04-08:001", None),
    ],
)
def test_an_offset_follows_a_time_s_seconds(line: str, stamp: str | None) -> None:
    dated = _dated(line)[1]
    assert (dated[1] if dated else None) == stamp
