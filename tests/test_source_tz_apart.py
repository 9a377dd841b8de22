"""`--source-tz` of the wrong zone for an input with no offsets (a CMTrace excerpt without its
bias) given beside the log of its site server: the excerpt's records were placed 3 hours early
and counted apart from the same records of the log, with nothing said (bob's first failure at
06:10 PST, 405 cycles for 398). The offset the zone gives is now held to the one the log's own
times (its bias) show at the same instant."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from logsync.cli import app

from .conftest import SAMPLES

DEMO = SAMPLES / "CloudUserSync.log"
TRAILER = re.compile(r"(.*)  \$\$<(\w+)><(\d\d)-(\d\d)-(\d{4}) ([\d:.]+)\+\d+><thread=(\d+) \(0x[0-9A-F]+\)>")


def excerpt(tmp_path: Path) -> Path:
    """Lines 2436-2460 of the demo log (bob's failure among them) as CMTrace writes them without
    a bias."""
    rows = []
    for line in DEMO.read_text(encoding="utf-8-sig").splitlines()[2435:2460]:
        message, component, month, day, year, clock, thread = TRAILER.fullmatch(line).groups()  # type: ignore[union-attr]
        rows.append(
            f'<![LOG[{message}]LOG]!><time="{clock}" date="{month}-{day}-{year}" '
            f'component="{component}" context="" type="1" thread="{thread}" file="">'
        )
    path = tmp_path / "snip.log"
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    return path


def run(*args: str) -> tuple[int, list[str], dict]:
    result = CliRunner().invoke(app, ["report", "--all", "--format", "json", *args])
    return result.exit_code, result.stderr.splitlines(), json.loads(result.stdout or "{}")


def test_a_zone_that_places_an_excerpt_hours_off_its_log_is_named(tmp_path: Path) -> None:
    snip = excerpt(tmp_path)
    code, stderr, _ = run(str(DEMO), str(snip), "--source-tz", "America/New_York")
    assert code == 0
    assert stderr[0] == (
        f"logsync: --source-tz America/New_York places the times of {snip} at UTC-05:00, where "
        f"{DEMO}, of the same site server, says UTC-08:00 at 2026-11-25T16:04:59.644-08:00: "
        "their records are placed 3h 00m off; give the zone of the site server that wrote them"
    )
    code, stderr, _ = run(str(DEMO), str(snip), "--source-tz", "Asia/Kolkata")
    assert "places the times of" in stderr[0] and "at UTC+05:30, where" in stderr[0]
    assert "placed 13h 30m off" in stderr[0]


@pytest.mark.parametrize("zone", ["America/Los_Angeles", "America/Vancouver", "Etc/GMT+8"])
def test_the_site_server_s_zone_or_one_like_it_then_is_not(tmp_path: Path, zone: str) -> None:
    code, stderr, report = run(str(DEMO), str(excerpt(tmp_path)), "--source-tz", zone)
    assert code == 0 and not any("places the times of" in line for line in stderr)
    assert (
        "logsync: 25 records found in more than one input or run (the same instant, thread, "
        "component and text) counted once; the copies were left out"
    ) in stderr
    bob = next(user for user in report["users"] if user["upn"] == "bob@contoso.com")
    assert bob["first_failure"] == "2026-11-25T09:10:08.462-08:00"


def test_a_zone_whose_summer_differs_only_in_summer(tmp_path: Path) -> None:
    """America/Phoenix keeps -07:00 all year: in November, an hour off Los Angeles' -08:00."""
    code, stderr, _ = run(str(DEMO), str(excerpt(tmp_path)), "--source-tz", "America/Phoenix")
    assert code == 0 and "at UTC-07:00, where" in stderr[0] and "placed 1h 00m off" in stderr[0]


def test_nothing_to_hold_it_to_or_quiet(tmp_path: Path) -> None:
    snip = excerpt(tmp_path)
    code, stderr, _ = run(str(snip), "--source-tz", "America/New_York")
    assert code == 0 and not any("places the times of" in line for line in stderr)
    code, stderr, _ = run(str(DEMO), str(snip), "--source-tz", "America/New_York", "-q")
    assert not any("places the times of" in line for line in stderr)


@pytest.mark.parametrize(
    ("zone", "shown", "said"),
    [("Asia/Tokyo", "Asia/Tokyo", "UTC+09:00"), ("-05:00", "UTC-05:00", "UTC-05:00"), ("America/Los_Angeles", "", None)],
)
def test_a_zone_given_for_a_log_with_its_own_offsets_is_said_to_place_only_bare_times(
    zone: str, shown: str, said: str | None
) -> None:
    """`--source-tz` of another zone than the demo log's own offsets was used for a `--now`
    without an offset (17 hours off, another verdict) and for nothing else, with nothing said."""
    result = CliRunner().invoke(app, ["check", "--source-tz", zone, str(DEMO)])
    note = (
        f"logsync: --source-tz {shown} is for times without a UTC offset: the log's own say UTC-08:00 "
        f"at 2026-11-25T16:04:59.644-08:00, and are read so; the zone ({said} then) places only "
        "--now, --since or --until given without one"
    )
    assert (note in result.stderr.splitlines()) is (said is not None)
    assert "is for times without a UTC offset" not in CliRunner().invoke(app, ["check", "-q", "--source-tz", zone, str(DEMO)]).stderr
