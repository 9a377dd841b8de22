"""logsync's own `events --format csv`, `text`, `ndjson` and `json`, given back as input (saved as
`events --help` shows, passed on in a ticket), give the answers of the log they were made from.
They were refused: the CSV as "no CloudUserSync records found", the text as "15 lines are cut off
at 200 columns" (found by a tester)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from logsync.ownevents import CSV_HEADER, is_own_events
from logsync.render.machine import EVENT_COLUMNS

from .conftest import SAMPLES, run_installed
from .test_json_exports import CLEAN, answers

ROTATED = SAMPLES / "rotated"
HEADED = ("csv", "json")
"""The formats with a line before the first event's (a CSV's header, a JSON array's `[`)."""


def read_back(fmt: str, header_lines: int = 1) -> tuple[object, ...]:
    """The answers of the demo log, as its events read back give them: a CSV's header lines
    are blank lines there (the lines of its rows keep their numbers)."""
    users, (lines, records, unparsed), summary = CLEAN  # type: ignore[misc]
    return users, (lines + header_lines * (fmt in HEADED), records, unparsed), summary


def events_of(fmt: str, *paths: str) -> bytes:
    result = run_installed("events", "--format", fmt, *paths)
    assert result.returncode == 0, result.stderr
    return result.stdout


@pytest.mark.parametrize("pure", ["", "1"])
@pytest.mark.parametrize("fmt", ["csv", "text", "ndjson", "json"])
def test_own_events_read_back_give_the_answers_of_the_log(tmp_path, fmt: str, pure: str) -> None:
    path = tmp_path / f"events.{fmt}"
    path.write_bytes(events_of(fmt, str(SAMPLES / "CloudUserSync.log")))
    assert answers(str(path), pure) == read_back(fmt)
    assert answers("-", pure, stdin=path.read_bytes()) == read_back(fmt)


@pytest.mark.parametrize("fmt", ["csv", "text", "ndjson", "json"])
def test_own_events_of_a_rotated_pair_give_the_answers_of_the_pair(tmp_path, fmt: str) -> None:
    """The pair's events, both halves in one file, the `.lo_`'s rotation marker between them
    (an unparsed line there, no record: it was read as a message of the `.lo_`'s last time)."""
    halves = [str(ROTATED / "CloudUserSync.lo_"), str(ROTATED / "CloudUserSync.log")]
    path = tmp_path / f"events.{fmt}"
    path.write_bytes(events_of(fmt, *halves))
    users, counts, summary = answers(str(path))
    pair = run_installed("report", "--all", "--format", "json", "--tz", "UTC", *halves)
    document = json.loads(pair.stdout)
    assert users == [
        (u["upn"], u["state"], u["failures"], u["synced_at"], u["expected_recovery"])
        for u in document["users"]
    ]
    assert summary == document["summary"]
    assert counts == (183 + (fmt in HEADED), 182, 1)
    assert tuple(sum(i[key] for i in document["inputs"]) for key in ("lines", "records", "unparsed")) == (183, 182, 1)
    check = run_installed("check", str(path))
    assert check.returncode == 1
    assert "not given" not in check.stderr.decode()


def test_the_csv_header_is_that_of_events() -> None:
    assert CSV_HEADER.decode() == ",".join(EVENT_COLUMNS[:8]) + ","


@pytest.mark.parametrize(
    ("head", "own"),
    [
        (CSV_HEADER + b"upn,reason\r\n", True),
        (b"\xef\xbb\xbf" + CSV_HEADER, True),
        (CSV_HEADER.decode().encode("utf-16"), True),
        (b"kind,time,source,line,component,thread,severity,message,", False),
        (CSV_HEADER.replace(b",", b";"), True),
        (CSV_HEADER.replace(b",", b"\t"), True),
        (CSV_HEADER.replace(b",", b"|"), False),
        (b'"kind","time","source","line","component","thread","severity","text"\r\n', True),
        (b'#TYPE x\r\n"kind","time","source","line","component","thread","severity","text"', True),
        (b"kind,time,source,line,component,thread,severity\n", False),
        (b"x" + CSV_HEADER, False),
        (b"2026-11-24T07:00:04.211-08:00\tsync_started\tC:\\Logs\\a.log:3\tSMS_CLOUD_USERSYNC\t5616\tinfo\tStarting", True),
        (b"-\tunparsed\ta.log:3\t-\t-\terror\tgarbage", True),
        (b"2026-11-24T07:00:04.211-08:00\tsync_started\ta.log\tSMS_CLOUD_USERSYNC\t5616\tinfo\tStarting", False),
        (b"2026-11-24T07:00:04.211-08:00\tsync_started\ta.log:3\tSMS_CLOUD_USERSYNC\t5616\tnotice\tStarting", False),
        (b"2026-11-24 07:00:04\tsync_started\ta.log:3\tSMS_CLOUD_USERSYNC\t5616\tinfo\tStarting", False),
    ],
)
def test_own_events_are_told_by_their_first_line(head: bytes, own: bool) -> None:
    assert is_own_events(head) is own


def _same_answers(source: Path, tmp_path: Path, fmt: str) -> None:
    """The events of `source` in `fmt`, read back, give its users, summary and counts."""
    path = tmp_path / f"events.{fmt}"
    path.write_bytes(events_of(fmt, str(source)))
    want, got = (
        json.loads(run_installed("report", "--all", "--format", "json", "--tz", "UTC", str(p)).stdout)
        for p in (source, path)
    )
    assert got["users"] == want["users"]
    assert got["summary"] == want["summary"]
    counts = [[(i["lines"], i["records"], i["unparsed"]) for i in d["inputs"]] for d in (got, want)]
    assert counts[0] == [(lines + (fmt in HEADED), *rest) for lines, *rest in counts[1]]


@pytest.mark.parametrize("fmt", ["csv", "text", "ndjson", "json"])
def test_a_message_with_line_breaks_reads_back_as_written(tmp_path: Path, fmt: str) -> None:
    """A failure line whose reason is followed by `~~` and more text (`~` breaks a message's
    lines; events write it `\\n`): read back, every user who failed with UserNotFound was
    `failed` with the reason "UserNotFound\\nError" (found by a tester)."""
    demo = (SAMPLES / "CloudUserSync.log").read_text(encoding="utf-8-sig")
    source = tmp_path / "CloudUserSync.log"
    source.write_text(demo.replace("reason UserNotFound  $$<", "reason UserNotFound~~Error code 0x80070057  $$<"))
    assert "~~Error code" in source.read_text()
    _same_answers(source, tmp_path, fmt)


@pytest.mark.parametrize("fmt", ["csv", "text", "ndjson", "json"])
def test_unparsed_lines_and_a_line_cut_short_read_back_as_they_were(tmp_path: Path, fmt: str) -> None:
    """Lines that are no record, and a last line cut before its trailer (frank's notification):
    read back, they were records (frank pending where the log does not track him, the interval
    to the second: recoveries 8 s off; found by a tester)."""
    lines = (SAMPLES / "CloudUserSync.log").read_text(encoding="utf-8-sig").splitlines()
    lines.insert(500, "garbage line here with no trailer")
    lines.insert(1500, "--")  # (grep's mark of lines left out: a CSV cell `'--`, no formula)
    lines.append("NotifyAccountAddition - SCCM user to add = frank2@contoso.com  $$<SMS_CLOUD_USERS")
    source = tmp_path / "CloudUserSync.log"
    source.write_text("\n".join(lines))
    _same_answers(source, tmp_path, fmt)


@pytest.mark.parametrize("fmt", ["csv", "text", "ndjson", "json"])
def test_events_of_an_excerpt_with_no_thread_read_back_after_their_times(tmp_path: Path, fmt: str) -> None:
    """A ticket's excerpt has no thread nor UTC offset: its events are read as lines after their
    times, as the excerpt was."""
    _same_answers(SAMPLES / "pasted" / "ticket.txt", tmp_path, fmt)


@pytest.mark.parametrize(
    ("separator", "encoding", "quoted", "before", "columns"),
    [
        (";", "utf-8-sig", False, "", None),
        ("\t", "utf-16", False, "", None),
        (",", "utf-8", True, "", None),
        (",", "utf-8", True, "#TYPE System.Management.Automation.PSCustomObject\r\n", None),
        (",", "utf-8", False, "", 8),
    ],
    ids=[
        "saved with ; (a comma is the decimal mark)",
        "saved as Unicode Text (UTF-16, tabs)",
        "every cell quoted",
        "PowerShell 5's Import-Csv | Export-Csv",
        "the columns after text left out",
    ],
)
def test_own_events_csv_saved_again_gives_the_answers(
    tmp_path: Path, separator: str, encoding: str, quoted: bool, before: str, columns: int | None
) -> None:
    """Opened in Excel, or PowerShell, and saved again: "no CloudUserSync records found" (found
    by two testers)."""
    import csv
    import io

    rows = list(csv.reader(io.StringIO(events_of("csv", str(SAMPLES / "CloudUserSync.log")).decode(), newline="")))
    out = io.StringIO()
    quoting = csv.QUOTE_ALL if quoted else csv.QUOTE_MINIMAL
    csv.writer(out, delimiter=separator, lineterminator="\r\n", quoting=quoting).writerows(row[:columns] for row in rows)
    path = tmp_path / "events.csv"
    path.write_bytes((before + out.getvalue()).encode(encoding))
    assert answers(str(path)) == read_back("csv", 1 + bool(before))


def test_a_message_longer_than_csv_s_default_cell_reads_back(tmp_path: Path) -> None:
    """A dump of 200,000 characters in one message (the log reads it): its events CSV, and a
    search tool's CSV export of the log, were a traceback (`field larger than field limit`;
    found by a tester)."""
    import csv
    import io

    lines = (SAMPLES / "CloudUserSync.log").read_text(encoding="utf-8-sig").splitlines()
    trailer = lines[100][lines[100].index("  $$<") :]
    lines.insert(101, "dump: " + "A" * 200_000 + trailer)
    source = tmp_path / "CloudUserSync.log"
    source.write_text("\n".join(lines) + "\n")
    _same_answers(source, tmp_path, "csv")
    out = io.StringIO()
    csv.writer(out).writerows([["_raw", "_time"], *([line, "x"] for line in lines)])
    export = tmp_path / "splunk.csv"
    export.write_text(out.getvalue())
    got, want = (run_installed("report", "--all", str(path)) for path in (export, source))
    assert (got.returncode, got.stdout) == (want.returncode, want.stdout) == (0, want.stdout)


@pytest.mark.parametrize("fmt", ["csv", "ndjson", "json"])
def test_evidence_of_read_back_events_names_their_own_lines(tmp_path: Path, fmt: str) -> None:
    """The connector's causes, read back from the folder's events, name the lines of the file
    that hold them (they named line 1, a CSV's header, for line 2; found by a reviewer)."""
    path = tmp_path / f"site.{fmt}"
    path.write_bytes(events_of(fmt, str(SAMPLES / "site-logs")))
    rows = path.read_text().splitlines()
    first = int(fmt == "ndjson")  # (the line of the first event but a header's or a `[`'s)
    assert "certificate_failed" in rows[1 - first] and "no_intune_subscription" in rows[6 - first]
    result = run_installed("check", str(path))
    assert result.returncode == 1
    assert result.stdout.decode().splitlines()[0].endswith(
        f": the site has no Intune subscription (site.{fmt}:{7 - first}), so the connector gets no "
        f"certificate (site.{fmt}:{2 - first})"
    )


def test_a_csv_saved_with_odd_cells_reads_back_without_a_traceback(tmp_path: Path) -> None:
    """A header with a space after each comma, a row cut short, a thread `²` (a digit to
    `str.isdigit`, not to `int`) and a text that begins `'-5`: each was a traceback or lost
    (found by a reviewer). The row cut short is an unparsed line; a thread that is no number
    sends the events to be read after their times."""
    text = events_of("csv", str(SAMPLES / "CloudUserSync.log")).decode().splitlines()
    text[0] = text[0].replace(",", ", ")
    text.insert(10, "user_add_requested,2026-11-24")
    path = tmp_path / "odd.csv"
    path.write_text("\n".join(text) + "\n")
    result = run_installed("report", "--all", "--format", "json", str(path))
    assert result.returncode == 0, result.stderr
    (stats,) = json.loads(result.stdout)["inputs"]
    assert (stats["lines"], stats["records"], stats["unparsed"]) == (3043, 3041, 1)
    fields = text[5].split(",")
    fields[5] = "\u00b2"
    text[5] = ",".join(fields)
    path.write_text("\n".join(text) + "\n")
    assert run_installed("check", str(path)).returncode == 1
    from logsync.ownevents import _cell

    assert (_cell("'-5 users"), _cell("'--> x"), _cell("'=1"), _cell("'a")) == ("'-5 users", "--> x", "=1", "'a")


def test_own_ndjson_with_a_line_of_stderr_saved_among_it_reads_back_as_the_log(tmp_path: Path) -> None:
    """`events … > ev.ndjson 2>&1` saves stderr's notes among the events: read as a shipper's
    JSON, each note was a message at the time of the record before it (found by a reviewer)."""
    lines = events_of("ndjson", str(SAMPLES / "CloudUserSync.log")).decode().splitlines()
    note = "logsync: the log ends 2026-11-25T16:04:59.644-08:00 (11d 18h ago)"
    path = tmp_path / "ev.ndjson"
    path.write_text("\n".join([*lines[:1500], note, *lines[1500:], note]) + "\n")
    users, (total, records, unparsed), summary = answers(str(path))
    clean_users, (clean_total, clean_records, clean_unparsed), clean_summary = CLEAN  # type: ignore[misc]
    assert (users, summary) == (clean_users, clean_summary)
    assert (total, records, unparsed) == (clean_total + 2, clean_records, clean_unparsed + 2)
