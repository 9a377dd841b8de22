"""`events` of inputs, or runs of one input, that meet at most at their ends (a rotated pair,
a Logs folder, files pasted together in the wrong order, exports that meet within a second):
written one run after another, each straight from its text, never held in memory. Where runs
are more than two seconds apart, that is byte for byte what the event stream writes, their
merge by time; where they meet within two seconds (the disorder of threads, twice), each run
keeps its own order there, the older first, where the stream interleaves them by instant."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from logsync.bulk import how_to_read
from logsync.cli import app
from logsync.pipeline import ReadOptions

from .conftest import SAMPLES

DEMO = SAMPLES / "CloudUserSync.log"
LINES = DEMO.read_bytes().removeprefix(b"\xef\xbb\xbf").splitlines(keepends=True)
MARKER = b"<MAXIMUM LOG FILE SIZE REACHED - FILE RENAMED>\r\n"
runner = CliRunner()


def files(tmp_path: Path, **parts: list[bytes]) -> list[str]:
    paths = []
    for name, lines in parts.items():
        path = tmp_path / name.replace("_lo_", ".lo_").replace("_log", ".log")
        path.write_bytes(b"".join(lines))
        paths.append(str(path))
    return paths


# (the files, by name; the runs `how_to_read` lists in time order: (file, first line))
SHAPES: dict[str, tuple[dict[str, list[bytes]], list[tuple[str, int]]]] = {
    "halves swapped": (
        {"all_log": LINES[1550:] + LINES[:1550]},
        [("all.log", 1492), ("all.log", 1)],
    ),
    "three pieces in the wrong order": (
        {"all_log": LINES[2000:] + LINES[700:2000] + LINES[:700]},
        [("all.log", 2342), ("all.log", 1042), ("all.log", 1)],
    ),
    "a rotated pair": (
        {"CloudUserSync_log": LINES[1550:], "CloudUserSync_lo_": [*LINES[:1550], MARKER]},
        [("CloudUserSync.lo_", 1), ("CloudUserSync.log", 1)],
    ),
    "exports that meet within a second": (
        {"monday_log": LINES[:6], "tuesday_log": LINES[4:]},
        [("monday.log", 1), ("tuesday.log", 3)],
    ),
    # the second run all copies of the first (`type a.log a.log`): read for its counts
    "the same log twice": ({"all_log": LINES + LINES}, [("all.log", 1), ("all.log", 3042)]),
    # the first run begins with the hundred lines the second ends with: its copies, then the rest
    "halves that overlap by a hundred lines": (
        {"all_log": LINES[1500:] + LINES[:1600]},
        [("all.log", 1542), ("all.log", 1), ("all.log", 101)],
    ),
}


def reference(monkeypatch: pytest.MonkeyPatch, arguments: list[str]) -> tuple[str, str]:
    """stdout and stderr of `events` read through the event stream, which merges by time."""
    from logsync import reading

    with monkeypatch.context() as patched:
        patched.setattr(reading, "in_sequence", lambda *_: None)
        result = runner.invoke(app, arguments)
    assert result.exit_code == 0, result.output
    return result.stdout, result.stderr


@pytest.mark.parametrize("form", ["ndjson", "json", "csv", "text"])
@pytest.mark.parametrize(
    "filters",
    [[], ["--since", "2026-11-25T09:00-08:00"], ["--user", "bob@contoso.com"], ["--kind", "sync_started"]],
    ids=["all", "since", "user", "kind"],
)
@pytest.mark.parametrize("shape", list(SHAPES))
def test_runs_that_meet_at_their_ends_are_written_one_after_another(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, shape: str, form: str, filters: list[str]
) -> None:
    parts, runs = SHAPES[shape]
    paths = files(tmp_path, **parts)
    sequence = how_to_read(paths, ReadOptions(), stdin=False).sequence
    assert sequence is not None
    assert [(Path(name).name, piece.first_line) for name, piece in sequence] == runs
    arguments = ["events", "--format", form, *filters, *paths]
    expected = reference(monkeypatch, arguments)
    from logsync import pipeline

    monkeypatch.setattr(pipeline, "split_event_runs", None)  # never held in memory
    monkeypatch.setattr(pipeline, "EventStream", None)  # never merged record by record
    result = runner.invoke(app, arguments)
    assert result.exit_code == 0, result.output
    assert (result.stdout, result.stderr) == expected
    if not filters and form == "csv":
        assert len(result.stdout.splitlines()) == 1 + 3041 + (shape == "a rotated pair")


def test_the_notes_of_runs_in_sequence_are_those_of_the_stream(tmp_path: Path) -> None:
    """The halves swapped: one jump, two runs; the exports: the two records they share."""
    swapped = files(tmp_path, all_log=LINES[1550:] + LINES[:1550])
    result = runner.invoke(app, ["events", "--format", "ndjson", *swapped])
    assert [line for line in result.stderr.splitlines() if "ends" not in line] == [
        f"logsync: {swapped[0]}: time goes back once (logs pasted together?); its 2 runs are "
        "merged by time"
    ]
    exports = files(tmp_path, monday_log=LINES[:6], tuesday_log=LINES[4:])
    result = runner.invoke(app, ["events", "--format", "ndjson", *exports])
    assert result.stderr.splitlines() == [
        "logsync: 2 records found in more than one input or run (the same instant, thread, "
        "component and text) counted once; the copies were left out"
    ]
    assert len(result.stdout.splitlines()) == 3041


@pytest.mark.parametrize(
    "parts",
    [
        # a run inside the span of another, which shares none of its records
        {"all_log": LINES[1000:2000] + LINES[:1000] + LINES[2000:]},
        # the later run begins with a line of its own, then a copy of the other's last line
        {"all_log": [LINES[1549].replace(b"04.548", b"04.549"), *LINES[1549:], *LINES[:1550]]},
        {"CloudUserSync_log": LINES, "CertMgr_log": (SAMPLES / "site-logs" / "CertMgr.log").read_bytes().splitlines(True)},
    ],
    ids=["inside another's span", "a copy after a line of its own", "a sibling log"],
)
def test_runs_that_overlap_further_are_merged_by_the_stream(tmp_path: Path, parts: dict[str, list[bytes]]) -> None:
    paths = files(tmp_path, **parts)
    from logsync.reading import in_sequence

    how = how_to_read(paths, ReadOptions(), stdin=False)
    assert in_sequence(paths, how, ReadOptions()) is None


def rotated_pair(folder: Path, older: list[str], newer: list[str]) -> list[str]:
    """X.lo_ (records at 11-24-2026 10:00:`older`, then the rotation marker) and X.log (at
    10:00:`newer`), in the connector's words."""

    def lines(stamps: list[str], message: str) -> list[bytes]:
        return [
            f"{message} {n}  $$<SMS_CLOUD_USERSYNC><11-24-2026 10:00:{stamp}+300><thread=5616 (0x15F0)>\r\n".encode()
            for n, stamp in enumerate(stamps)
        ]

    older_lines = lines(older, "Total received users from SCCM to be removed from cloud =")
    newer_lines = lines(newer, "Successfully removed users from cloud")
    return files(folder, X_lo_=[*older_lines, MARKER], X_log=newer_lines)


def written(stdout: str) -> list[tuple[str, int]]:
    """(file name, line) of each event `events --format ndjson` wrote."""
    return [(Path(event["source"]).name, event["line"]) for event in map(json.loads, stdout.splitlines())]


def test_a_log_reaching_more_than_two_seconds_into_its_lo_is_merged(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The .lo_ ends at 12.500, 2.5 s after the .log begins (10.000): more than the window of
    2 * RUN_DISORDER, so the two are merged by time, not written one after the other."""
    paths = rotated_pair(tmp_path, ["10.000", "12.500"], ["10.000", "14.000"])
    assert how_to_read(paths, ReadOptions(), stdin=False).sequence is None
    arguments = ["events", "--format", "ndjson", *paths]
    result = runner.invoke(app, arguments)
    assert result.exit_code == 0, result.output
    assert written(result.stdout) == [("X.lo_", 1), ("X.log", 1), ("X.lo_", 2), ("X.lo_", 3), ("X.log", 2)]
    assert (result.stdout, result.stderr) == reference(monkeypatch, arguments)


def test_a_log_whose_records_all_lie_at_the_lo_s_end_follows_it_in_sequence(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The .log's last record is at the .lo_'s last instant (12.000), not before it: the .log
    does not lie inside the .lo_, and the two are written one after the other."""
    paths = rotated_pair(tmp_path, ["10.000", "12.000"], ["12.000", "12.000"])
    sequence = how_to_read(paths, ReadOptions(), stdin=False).sequence
    assert sequence is not None
    assert [(Path(name).name, piece.first_line) for name, piece in sequence] == [("X.lo_", 1), ("X.log", 1)]
    arguments = ["events", "--format", "ndjson", *paths]
    from logsync import pipeline

    expected = reference(monkeypatch, arguments)
    monkeypatch.setattr(pipeline, "EventStream", None)  # never merged record by record
    result = runner.invoke(app, arguments)
    assert result.exit_code == 0, result.output
    assert written(result.stdout) == [("X.lo_", 1), ("X.lo_", 2), ("X.lo_", 3), ("X.log", 1), ("X.log", 2)]
    assert (result.stdout, result.stderr) == expected


def test_runs_that_meet_within_two_seconds_keep_their_own_order_at_the_seam(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The .log begins at 10.000, two seconds before the .lo_ ends (12.000): within the
    disorder the seam allows, so they are written one after the other, the .lo_ first; the
    event stream interleaves the .log's first record between the .lo_'s. The same events."""
    paths = rotated_pair(tmp_path, ["10.000", "12.000"], ["10.000", "14.000"])
    assert how_to_read(paths, ReadOptions(), stdin=False).sequence is not None
    arguments = ["events", "--format", "ndjson", *paths]
    stream, _ = reference(monkeypatch, arguments)
    result = runner.invoke(app, arguments)
    assert written(result.stdout) == [("X.lo_", 1), ("X.lo_", 2), ("X.lo_", 3), ("X.log", 1), ("X.log", 2)]
    assert written(stream) == [("X.lo_", 1), ("X.log", 1), ("X.lo_", 2), ("X.lo_", 3), ("X.log", 2)]
    assert sorted(result.stdout.splitlines()) == sorted(stream.splitlines())


JUNK = b"some unparsed text\r\n"


@pytest.mark.parametrize(
    "parts",
    [
        # the log with a line that is no record after line 1,500, then lines 1,401 to 1,600
        # pasted again: the copies hold that line too
        [LINES[:1500], [JUNK], LINES[1500:], LINES[1400:1500], [JUNK], LINES[1500:1600]],
        # a first line that is no record, then a run later than the one after it
        [[b"garbage\r\n"], LINES[3035:], LINES[2800:2805]],
    ],
    ids=["a line that is no record in the copies", "a first line that is no record"],
)
def test_lines_that_are_no_record_are_written_where_the_stream_writes_them(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, parts: list[list[bytes]]
) -> None:
    """Found by a sweep: the stream writes a line that is no record of each copy (only
    records are told apart), and merges an input's first line that is no record before every
    record; written one run after another, the first was left out with the copies' records
    and the second came with its run. Such inputs are merged by the stream."""
    paths = files(tmp_path, all_log=[line for part in parts for line in part])
    arguments = ["events", "--format", "csv", *paths]
    expected = reference(monkeypatch, arguments)
    result = runner.invoke(app, arguments)
    assert (result.exit_code, result.stdout, result.stderr) == (0, *expected)
    assert result.stdout.count("unparsed,") == 2 if parts[1] == [JUNK] else 1


def test_a_piece_of_copies_is_read_once_before_anything_is_written(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The log pasted after lines 1 to 2,000 of itself: the second run's first 2,000 lines are
    copies, read for their counts before the runs are written (a line that is no record among
    them would send the file to the stream), and not again while they are written."""
    from logsync import bulk

    paths = files(tmp_path, all_log=LINES[:2000] + LINES)
    read: list[tuple[int, bool]] = []
    rows = bulk.input_rows

    def spied(*args: Any, **kwargs: Any) -> Any:
        piece = kwargs.get("piece", args[5] if len(args) > 5 else None)
        if piece is not None:
            read.append((piece.start, piece.copies))
        return rows(*args, **kwargs)

    monkeypatch.setattr(bulk, "input_rows", spied)  # (every reading for counts goes through it)
    result = runner.invoke(app, ["events", "--format", "csv", *paths])
    copies = len(b"".join(LINES[:2000]))
    assert [entry for entry in read if entry[1]] == [(copies, True)]
    assert len(result.stdout.splitlines()) == 1 + 3041
    assert "2,000 records found in more than one input or run" in result.stderr


def test_a_small_file_of_runs_is_merged_by_time_though_it_is_sampled_at_its_ends_only(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`type CloudUserSync.log CloudUserSync.lo_ > all.log` of the rotated sample: 24 KB, read
    at its two ends only, whose times meet (the .log's first, the .lo_'s last). `events` wrote
    it in file order ("events are in file order"), and `report` read it record by record."""
    import csv
    import io

    from logsync import pipeline, reading
    from logsync.sampling import PEEK

    rotated = SAMPLES / "rotated"
    path = tmp_path / "all.log"
    path.write_bytes(
        (rotated / "CloudUserSync.log").read_bytes() + (rotated / "CloudUserSync.lo_").read_bytes()
    )
    assert path.stat().st_size <= 2 * PEEK
    monkeypatch.setattr(pipeline, "split_event_runs", None)  # never held in memory
    monkeypatch.setattr(pipeline, "EventStream", None)  # never merged record by record
    monkeypatch.setattr(reading, "EventStream", None)

    def rows(arguments: list[str]) -> tuple[list[tuple[str, ...]], str]:
        result = runner.invoke(app, ["events", "--format", "csv", *arguments])
        assert result.exit_code == 0, result.output
        table = list(csv.reader(io.StringIO(result.stdout)))
        return [tuple(row[:2] + row[4:]) for row in table], result.stderr  # (not file and line)

    merged, note = rows([str(path)])
    assert (merged, len(merged)) == (rows([str(rotated)])[0], 1 + 91 + 92)
    assert note == (
        f"logsync: {path}: time goes back once (logs pasted together?); its 2 runs are merged "
        "by time\n"
    )
    report = runner.invoke(app, ["report", "--all", "--format", "json", str(path)])
    pair = runner.invoke(app, ["report", "--all", "--format", "json", str(rotated)])
    assert json.loads(report.stdout)["users"] == json.loads(pair.stdout)["users"]
