"""Runs inside one input (SPEC §2): files pasted together in any order make time go back inside
one input; each backward jump beyond the disorder of threads starts a run, and the runs are
merged by time as separate inputs would be. stdin is read once, however often it is needed."""

from __future__ import annotations

import itertools
import json
import os
import sys
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from logsync import analyze
from logsync.cli import app
from logsync.pipeline import RUN_DISORDER, EventStream

from .conftest import ROOT, SAMPLES, run_installed

runner = CliRunner()
DEMO = SAMPLES / "CloudUserSync.log"
CUT = 1500
"""The demo log cut after its 1,500th line: 2026-11-24T23:05:05, in the middle of a cycle."""


def halves(folder: Path) -> tuple[Path, Path]:
    """The demo log cut after line CUT: the earlier half keeps the byte-order mark, as a copy
    of each file does, so pasting them puts the mark in the middle."""
    lines = DEMO.read_bytes().splitlines(keepends=True)
    early, late = folder / "early.log", folder / "late.log"
    early.write_bytes(b"".join(lines[:CUT]))
    late.write_bytes(b"\xef\xbb\xbf" + b"".join(lines[CUT:]))
    return early, late


def pasted(folder: Path, *parts: Path) -> Path:
    whole = folder / "all.log"
    whole.write_bytes(b"".join(part.read_bytes() for part in parts))
    return whole


def answers(*args: str, stdin: bytes | None = None) -> tuple[int, dict[str, object], str]:
    """(exit code, report --all as JSON without its inputs, stderr)."""
    result = runner.invoke(app, ["report", "--all", "--format", "json", *args], input=stdin)
    document = json.loads(result.stdout)
    del document["inputs"]
    return result.exit_code, document, result.stderr


def summary_of(*args: str) -> dict[str, object]:
    document = json.loads(runner.invoke(app, ["summary", "--format", "json", *args]).stdout)
    for restart in document["restarts"]:
        del restart["source"], restart["line"]  # (where the record stands in the pasted file)
    for finding in document["findings"]:
        for evidence in finding["evidence"]:
            del evidence["source"], evidence["line"]
    return document


@pytest.mark.parametrize("order", ["late first", "in order"])
def test_the_demo_log_pasted_in_either_order_answers_as_the_log(tmp_path: Path, order: str) -> None:
    early, late = halves(tmp_path)
    whole = pasted(tmp_path, *((late, early) if order == "late first" else (early, late)))
    code, document, err = answers(str(whole))
    clean_code, clean, _ = answers(str(DEMO))
    assert (code, document) == (clean_code, clean)
    assert document["as_of"] == "2026-11-25T16:04:59.644-08:00"
    assert document["summary"]["stuck"] == 4  # type: ignore[index]
    if order == "late first":
        assert err == f"logsync: {whole}: time goes back once (logs pasted together?); its 2 runs are merged by time\n"
    else:
        assert err == ""
    assert summary_of(str(whole)) == summary_of(str(DEMO))


def test_the_span_of_a_pasted_log_runs_forwards(tmp_path: Path) -> None:
    early, late = halves(tmp_path)
    whole = pasted(tmp_path, late, early)
    span = json.loads(runner.invoke(app, ["summary", "--format", "json", str(whole)]).stdout)["span"]
    assert span == {"start": "2026-11-24T06:59:55.211-08:00", "end": "2026-11-25T16:04:59.644-08:00"}
    analysis = analyze([str(whole)])
    assert analysis.runs == ((str(whole), 2),)
    assert [(s.first_time.isoformat(), s.last_time.isoformat()) for s in analysis.inputs] == [  # type: ignore[union-attr]
        ("2026-11-24T06:59:55.211000-08:00", "2026-11-25T16:04:59.644000-08:00")
    ]


def test_three_pieces_in_any_order_and_a_check_that_agrees(tmp_path: Path) -> None:
    lines = DEMO.read_bytes().splitlines(keepends=True)
    pieces = [b"".join(lines[:1000]), b"".join(lines[1000:2000]), b"".join(lines[2000:])]
    whole = tmp_path / "all.log"
    whole.write_bytes(pieces[2] + pieces[0] + pieces[1])
    code, document, err = answers(str(whole))
    assert (code, document) == answers(str(DEMO))[:2]
    assert f"logsync: {whole}: time goes back once (logs pasted together?); its 2 runs are merged by time\n" in err
    check = runner.invoke(app, ["check", "--format", "json", str(whole)])
    assert check.exit_code == 1
    assert json.loads(check.stdout)["counts"] == {"waiting": 3, "overdue": 1, "failed": 1, "pending": 1, "recovered": 1, "synced": 3}


def test_the_same_log_pasted_twice_counts_once(tmp_path: Path) -> None:
    twice = pasted(tmp_path, DEMO, DEMO)
    code, document, err = answers(str(twice))
    assert (code, document) == answers(str(DEMO))[:2]
    assert err == (
        f"logsync: {twice}: time goes back once (logs pasted together?); its 2 runs are merged by time\n"
        "logsync: 3,041 records found in more than one input or run (the same instant, thread, component "
        "and text) counted once; the copies were left out\n"
    )


def test_a_pasted_log_on_stdin_is_read_once_and_merged() -> None:
    lines = DEMO.read_bytes().splitlines(keepends=True)
    text = b"".join(lines[CUT:]) + b"".join(lines[:CUT])
    code, document, err = answers("-", stdin=text)
    assert (code, document) == answers(str(DEMO))[:2]
    assert err.startswith("logsync: stdin: time goes back once (logs pasted together?); its 2 runs are merged by time\n")


def test_timeline_with_part_of_a_upn_reads_stdin_once() -> None:
    """The installed command, as `cat CloudUserSync.log | logsync timeline heidi` runs it."""
    piped = run_installed("timeline", "heidi", "--format", "text", "-", stdin=DEMO.read_bytes())
    named = run_installed("timeline", "heidi", "--format", "text", str(DEMO))
    assert piped.returncode == named.returncode == 0, piped.stderr
    assert piped.stdout == named.stdout.replace(str(DEMO).encode(), b"-")
    assert piped.stdout.startswith(b"2026-11-24T06:59:55.211-08:00\trestart\t")
    assert b"Traceback" not in piped.stderr


@pytest.mark.parametrize(("step_ms", "runs"), [(0, 1), (1000, 1), (1001, 2), (3_600_000, 2)])
def test_a_run_begins_past_a_second_back(tmp_path: Path, step_ms: int, runs: int) -> None:
    """The threads of one process write a little out of order (the lab's log has .429 then
    .427 on one thread): up to RUN_DISORDER seconds back is one run; more starts another."""
    assert RUN_DISORDER == 1.0
    when = datetime(2026, 11, 24, 7, 0, 10, 500_000) - timedelta(milliseconds=step_ms)
    path = tmp_path / "CloudUserSync.log"
    path.write_text(
        "CCloudUserSync::Process - User sync processing has started.  $$<SMS_CLOUD_USERSYNC>"
        "<11-24-2026 07:00:10.500+480><thread=5616 (0x15F0)>\n"
        "Starting user delta sync, raise failure status messages = True  $$<SMS_CLOUD_USERSYNC>"
        f"<{when:%m-%d-%Y %H:%M:%S}.{when.microsecond // 1000:03d}+480><thread=5617 (0x15F1)>\n"
    )
    stream = EventStream([str(path)])
    assert [event.kind for event in stream] == ["processing_started", "sync_started"]
    assert stream.jumps == ([] if runs == 1 else [(str(path), 2)])
    analysis = analyze([str(path)])
    assert analysis.runs == (() if runs == 1 else ((str(path), 2),))
    assert analysis.result.cycles == 1


def test_events_merge_the_runs_of_halves_pasted_in_the_wrong_order(tmp_path: Path) -> None:
    """The samples taken before reading show time going back: the runs are merged by time, as
    the two halves given as files are, and stderr says so."""
    early, late = halves(tmp_path)
    whole = pasted(tmp_path, late, early)
    result = runner.invoke(app, ["events", "--format", "ndjson", str(whole)])
    assert result.exit_code == 0
    assert result.stderr == (
        f"logsync: {whole}: time goes back once (logs pasted together?); its 2 runs are merged "
        "by time\n"
    )
    apart = runner.invoke(app, ["events", "--format", "ndjson", str(early), str(late)])
    times = [json.loads(line)["time"] for line in result.stdout.splitlines()]
    assert times == [json.loads(line)["time"] for line in apart.stdout.splitlines()]
    assert times == sorted(times) and len(times) == 3041


PROVIDER = "CExtUserContext : Set ThreadLocaleID OK to: 1033  $$<SMS Provider><02-26-2023 20:14:{stamp}+480><thread=6900 (0x1AF4)>"
"""An SMS Provider line of the lab's SMSProv.log, written many times within one millisecond."""


def provider_pair(folder: Path) -> tuple[Path, Path]:
    """A rotated pair of the SMSProv.lo_/SMSProv.log shape: the same line three times in the
    millisecond of the rotation on each side of the seam, the older half ending with the
    rotation marker."""
    older = [PROVIDER.format(stamp="11.100"), *[PROVIDER.format(stamp="12.429")] * 3]
    newer = [*[PROVIDER.format(stamp="12.429")] * 3, PROVIDER.format(stamp="13.002")]
    lo_, log = folder / "SMSProv.lo_", folder / "SMSProv.log"
    lo_.write_text("\n".join([*older, "<MAXIMUM LOG FILE SIZE REACHED - FILE RENAMED>"]) + "\n")
    log.write_text("\n".join(newer) + "\n")
    return lo_, log


def test_a_rotation_seam_keeps_every_record_on_both_sides(tmp_path: Path) -> None:
    lo_, log = provider_pair(tmp_path)
    for order in ([lo_, log], [log, lo_]):
        stream = EventStream([str(path) for path in order])
        records = [(e.source, e.line) for e in stream if e.kind != "unparsed"]
        assert records == [(str(lo_), 1), (str(lo_), 2), (str(lo_), 3), (str(lo_), 4), (str(log), 1), (str(log), 2), (str(log), 3), (str(log), 4)]
        assert stream.duplicates == 0
    result = runner.invoke(app, ["events", "--format", "csv", str(log), str(lo_)])
    assert result.stdout.count("\n") == 1 + 8 + 1  # the header, 8 records, the marker
    assert result.stderr == ""


def test_a_rotated_pair_pasted_in_the_wrong_order_keeps_its_seam(tmp_path: Path) -> None:
    lo_, log = provider_pair(tmp_path)
    whole = pasted(tmp_path, log, lo_)
    stream = EventStream([str(whole)], split={str(whole): 0})
    records = [e.line for e in stream if e.kind != "unparsed"]
    assert records == [5, 6, 7, 8, 1, 2, 3, 4]  # the older half (lines 5-9) first
    assert (stream.split, stream.duplicates) == ({str(whole): 2}, 0)


MARKER = "<MAXIMUM LOG FILE SIZE REACHED - FILE RENAMED>"


def provider(stamp: str) -> str:
    """The lab's SMS Provider line at 20:14:`stamp`."""
    return PROVIDER.format(stamp=stamp)


def other(number: int, stamp: str) -> str:
    """Another line of the same thread at 20:14:`stamp`, its text told apart by `number`."""
    return provider(stamp).replace("CExtUserContext : Set ThreadLocaleID OK to: 1033", f"Other line {number}")


def provider_file(folder: Path, name: str, lines: list[str]) -> str:
    path = folder / name
    path.write_text("\n".join(lines) + "\n")
    return str(path)


def stream_records(stream: EventStream) -> list[tuple[str, int]]:
    """(file name, line) of each record the stream gives, in its order."""
    return [(Path(e.source).name, e.line) for e in stream if e.kind != "unparsed"]


@pytest.mark.parametrize(
    ("stamps", "duplicates", "records"),
    [
        (["12.000", "11.000", "10.000"], 1, [("a.log", 1), ("b.log", 1), ("b.log", 2)]),
        (
            ["12.900", "11.900", "10.900", "10.000"],
            0,
            [("a.log", 1), ("b.log", 1), ("b.log", 2), ("b.log", 3), ("b.log", 4)],
        ),
    ],
    ids=["two seconds before the latest", "2.9 seconds before the latest"],
)
def test_a_record_is_matched_as_a_copy_up_to_two_seconds_before_the_latest_instant(
    tmp_path: Path, stamps: list[str], duplicates: int, records: list[tuple[str, int]]
) -> None:
    """A record at 10.000 in a.log is a copy of b.log's at 10.000 while it is at most
    2 * RUN_DISORDER seconds before the latest instant read (12.000); further back (12.900) it
    is forgotten, and b.log's counts apart."""
    a = provider_file(tmp_path, "a.log", [provider("10.000")])
    lines = [other(n, stamp) for n, stamp in enumerate(stamps[:-1], 1)] + [provider(stamps[-1])]
    b = provider_file(tmp_path, "b.log", lines)
    stream = EventStream([a, b])
    assert stream_records(stream) == records
    assert stream.duplicates == duplicates


def test_a_record_repeated_in_one_input_counts_as_often_as_there(tmp_path: Path) -> None:
    """a.log holds a record once and c.log twice: it counts twice (the most copies of one
    input), so one of c.log's is a copy and its second is kept."""
    a = provider_file(tmp_path, "a.log", [provider("10.000")])
    c = provider_file(tmp_path, "c.log", [provider("10.000"), provider("10.000")])
    stream = EventStream([a, c])
    assert stream_records(stream) == [("a.log", 1), ("c.log", 2)]
    assert stream.duplicates == 1


def test_a_run_that_begins_two_seconds_after_a_rotated_run_ends_continues_it(tmp_path: Path) -> None:
    """The run at 12.000 begins exactly 2 * RUN_DISORDER after the rotated run ending at
    10.000: it is that half's continuation, so the record at 10.000 on both sides counts twice."""
    whole = provider_file(
        tmp_path,
        "all.log",
        [
            other(1, "12.000"), other(2, "11.000"), provider("10.000"), other(3, "20.000"),
            other(4, "08.000"), provider("10.000"), MARKER,
        ],
    )
    stream = EventStream([whole], split={whole: 0})
    assert stream_records(stream) == [("all.log", n) for n in (5, 6, 1, 2, 3, 4)]
    assert (stream.split, stream.duplicates) == ({whole: 2}, 0)


def test_a_run_that_begins_further_than_two_seconds_from_a_rotated_run_s_end_is_its_own(
    tmp_path: Path,
) -> None:
    """The run beginning at 10.000 is 2.5 s from the end (12.500) of the rotated run: not its
    continuation, so its record at 10.000, also in the rotated run, is a copy."""
    whole = provider_file(
        tmp_path,
        "all.log",
        [
            provider("10.000"), other(6, "20.000"), other(4, "09.900"), provider("10.000"),
            other(5, "12.500"), MARKER,
        ],
    )
    stream = EventStream([whole], split={whole: 0})
    assert stream_records(stream) == [("all.log", n) for n in (3, 4, 5, 2)]
    assert (stream.split, stream.duplicates) == ({whole: 2}, 1)


def test_only_one_run_continues_a_rotated_half(tmp_path: Path) -> None:
    """`type log log lo_`: both copies of the newer half begin where the older half ends; the
    first continues it (its records all count), the second is a copy of it."""
    newer = [provider("12.429")] * 3 + [provider("13.002"), provider("20.000")]
    older = [provider("11.100")] + [provider("12.429")] * 3
    whole = provider_file(tmp_path, "all.log", [*newer, *newer, *older, MARKER])
    stream = EventStream([whole], split={whole: 0})
    assert [line for _, line in stream_records(stream)] == [11, 12, 13, 14, 1, 2, 3, 4, 5]
    assert (stream.split, stream.duplicates) == ({whole: 3}, 5)


def test_overlapping_exports_still_count_their_shared_records_once(tmp_path: Path) -> None:
    lines = DEMO.read_bytes().splitlines(keepends=True)
    first, second = tmp_path / "export-1.log", tmp_path / "export-2.log"
    first.write_bytes(b"".join(lines[:2000]))
    second.write_bytes(b"".join(lines[1500:]))
    code, document, err = answers(str(second), str(first))
    assert (code, document) == answers(str(DEMO))[:2]
    assert err == (
        "logsync: 500 records found in more than one input or run (the same instant, thread, component "
        "and text) counted once; the copies were left out\n"
    )


sys.path.insert(0, str(ROOT / "sample_logs"))
from simulate import simulate  # noqa: E402

HISTORY = simulate(30, seed=4, per_day=40)
"""A day and a quarter of a seed-faithful connector: held-back users notified in every cycle."""


@settings(max_examples=int(os.environ.get("LOGSYNC_FUZZ_EXAMPLES", "12")), deadline=None)
@given(data=st.data())
def test_pieces_of_a_history_in_any_order_answer_as_the_whole(tmp_path_factory: pytest.TempPathFactory, data: st.DataObject) -> None:
    """A window of a simulated history cut at line boundaries into pieces, the pieces shuffled
    and pasted into one file, or given as files in that order: the answers of the window."""
    folder = tmp_path_factory.mktemp("pieces")
    lines = len(HISTORY.lines)
    start = data.draw(st.integers(0, lines // 2), label="start")
    end = data.draw(st.integers(start + 400, lines), label="end")
    count = data.draw(st.integers(2, 4), label="pieces")
    cuts = sorted(data.draw(st.lists(st.integers(start + 50, end - 50), min_size=count - 1, max_size=count - 1, unique=True), label="cuts"))
    bounds = [start, *cuts, end]
    pieces = [HISTORY.text(a, b) for a, b in itertools.pairwise(bounds)]
    order = data.draw(st.permutations(range(len(pieces))), label="order")
    clean = folder / "clean.log"
    clean.write_text(HISTORY.text(start, end), encoding="utf-8", newline="")
    whole = folder / "pasted.log"
    whole.write_text("".join(pieces[i] for i in order), encoding="utf-8", newline="")
    files = []
    for position, index in enumerate(order):
        files.append(folder / f"piece-{position}.log")
        files[-1].write_text(pieces[index], encoding="utf-8", newline="")
    expected = answers(str(clean))[:2]
    assert answers(str(whole))[:2] == expected
    assert answers(*map(str, files))[:2] == expected


@settings(max_examples=200, deadline=None)
@given(
    st.lists(st.lists(st.sampled_from("abc"), max_size=6), min_size=1, max_size=4),
    st.randoms(use_true_random=False),
)
def test_a_record_counts_as_often_as_the_one_run_that_holds_it_most_often(
    runs: list[list[str]], shuffle: object
) -> None:
    """The duplicate rule (`merge.Copies`), which both the merge of events and the seams of
    pieces count by: runs met in any interleaving (each in its own order) keep, of each record,
    as many copies as the run that holds it most often, and the others are copies."""
    from logsync.merge import Copies

    order = [side for side, run in enumerate(runs) for _ in run]
    shuffle.shuffle(order)  # type: ignore[attr-defined]
    positions = [0] * len(runs)
    copies = Copies()
    counted: dict[str, int] = {}
    for side in order:
        record = runs[side][positions[side]]
        positions[side] += 1
        if not copies.copy(record, side):
            counted[record] = counted.get(record, 0) + 1
    wanted = {r: max(run.count(r) for run in runs) for r in {r for run in runs for r in run}}
    assert counted == wanted


def test_a_record_forgotten_counts_again() -> None:
    """`Copies.forget` drops what was counted of a record: met again, it counts as new."""
    from logsync.merge import Copies

    copies = Copies()
    assert [copies.copy("a", 0), copies.copy("a", 1), copies.known("a")] == [False, True, True]
    copies.forget("a")
    assert [copies.known("a"), copies.copy("a", 1), copies.copy("a", 0)] == [False, False, True]
