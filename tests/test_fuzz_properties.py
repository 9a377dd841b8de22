"""Properties over mutated logs (issue 28): the project's samples cut, duplicated, shuffled,
with bytes flipped, biases changed and dates moved to the calendar's ends, run through the
commands. Whatever the input: no traceback and no exit code but 0, 1 and 2; the native scanner
answers as the pure one; the order of inputs changes nothing; a log split into pieces answers
as the whole; `--now T` answers as the log cut at T; every command gives the same counts.

A few examples per property keep CI fast; LOGSYNC_FUZZ_EXAMPLES raises the count for a long
run (as in test_native.py).
"""

from __future__ import annotations

import itertools
import json
import os
import re
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import Any
from unittest import mock

from hypothesis import HealthCheck, assume, example, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from logsync import analyze
from logsync.analysis import Analysis
from logsync.cli import app
from logsync.errors import UsageError
from logsync.pipeline import RUN_DISORDER, EventStream, ReadOptions
from logsync.times import iso

from .conftest import SAMPLES

EXAMPLES = int(os.environ.get("LOGSYNC_FUZZ_EXAMPLES", "8"))
fuzz = settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
runner = CliRunner()


def _sample_lines(path: Path) -> list[bytes]:
    raw = path.read_bytes()
    text = raw.decode("utf-16") if raw[:2] == b"\xff\xfe" else raw.decode("utf-8-sig")
    return [line.encode() for line in text.splitlines()]


SAMPLES_LINES = {
    name: _sample_lines(SAMPLES / name)
    for name in (
        "CloudUserSync.log",
        "spec-case/CloudUserSync.log",
        "restart-day/CloudUserSync.log",
        "rotated/CloudUserSync.lo_",
        "rotated/CloudUserSync.log",
        "certificate-wait/CloudUserSync.log",
        "cmtrace/CloudUserSync.log",
        "pasted/ticket.txt",
    )
}
_DEMO = SAMPLES_LINES["CloudUserSync.log"]
SMS_SAMPLES = sorted(name for name in SAMPLES_LINES if "cmtrace" not in name and "pasted" not in name)
_SMS_DATE = re.compile(rb"><(\d\d)-(\d\d)-(\d{4}) ")
_SMS_BIAS = re.compile(rb"(\.\d{3})([+-]\d+)?><thread=")
CALENDAR_ENDS = [b"01-01-0001", b"01-01-0002", b"12-31-9998", b"12-31-9999"]
BIASES = [b"", b"+0", b"-60", b"+240", b"+480", b"-840", b"+720", b"+1439"]


@st.composite
def windows(draw: st.DrawFn, names: list[str] | None = None, most: int = 90) -> list[bytes]:
    """Consecutive lines of a sample (the lines a ticket or a tail would hold)."""
    name = draw(st.sampled_from(names or sorted(SAMPLES_LINES)))
    lines = SAMPLES_LINES[name]
    start = draw(st.integers(0, len(lines) - 1))
    return lines[start : start + draw(st.integers(1, most))]


@st.composite
def mutated(draw: st.DrawFn, lines: list[bytes]) -> list[bytes]:
    """`lines` with lines cut, duplicated or swapped, a bias changed or a date moved to the
    calendar's ends (each a few times at most)."""
    lines = list(lines)
    for _ in range(draw(st.integers(0, 4))):
        if not lines:
            break
        at = draw(st.integers(0, len(lines) - 1))
        kind = draw(st.sampled_from(["cut", "duplicate", "swap", "bias", "calendar", "truncate"]))
        if kind == "cut":
            del lines[at]
        elif kind == "duplicate":
            lines.insert(at, lines[at])
        elif kind == "swap":
            other = draw(st.integers(0, len(lines) - 1))
            lines[at], lines[other] = lines[other], lines[at]
        elif kind == "bias":
            bias = draw(st.sampled_from(BIASES))
            lines[at] = _SMS_BIAS.sub(rb"\g<1>" + bias + b"><thread=", lines[at], 1)
        elif kind == "calendar":
            end = draw(st.sampled_from(CALENDAR_ENDS))
            lines[at] = _SMS_DATE.sub(b"><" + end + b" ", lines[at], 1)
        else:
            lines[at] = lines[at][: draw(st.integers(0, len(lines[at])))]
    return lines


@st.composite
def logs(draw: st.DrawFn) -> bytes:
    """A mutated window of a sample, with LF, CRLF or CR line ends, maybe a flipped byte and
    maybe no line break after its last line."""
    lines = draw(mutated(draw(windows())))
    end = draw(st.sampled_from([b"\n", b"\r\n", b"\r"]))
    data = end.join(lines) + (end if draw(st.booleans()) else b"")
    if data and draw(st.booleans()):
        at = draw(st.integers(0, len(data) - 1))
        data = data[:at] + bytes([data[at] ^ draw(st.integers(1, 255))]) + data[at + 1 :]
    return data


@contextmanager
def written(*contents: bytes) -> Iterator[list[str]]:
    """The contents as files of a fresh folder (hypothesis runs many examples per test)."""
    with tempfile.TemporaryDirectory() as folder:
        paths = []
        for index, content in enumerate(contents):
            path = Path(folder) / f"piece{index}.log"
            path.write_bytes(content)
            paths.append(str(path))
        yield paths


def pure() -> Any:
    """Read with the pure-Python scanner, the reference."""
    return mock.patch("logsync.accel.native", None)


def answer(analysis: Analysis) -> dict[str, Any]:
    """What an analysis concludes: every user, the counts and the connector's state."""
    users = sorted(
        (
            user.upn.lower(),
            user.state,
            user.reason,
            iso(user.first_failure),
            iso(user.last_failure),
            user.failures,
            iso(user.full_sync_due),
            iso(user.expected_recovery),
            iso(user.recovered_at),
            iso(user.synced_at),
        )
        for user in analysis.users
    )
    result = analysis.result
    return {
        "as_of": iso(analysis.as_of),
        "users": users,
        "counts": dict(result.counts),
        "cycles": result.cycles,
        "restarts": [iso(restart.time) for restart in result.restarts],
        "connector": (result.connector.state, iso(result.connector.since)),
    }


def judged(paths: list[str], **options: Any) -> dict[str, Any] | str:
    """The answer, or the usage error's message (an input with nothing to judge is one)."""
    try:
        return answer(analyze(paths, **options))
    except UsageError as error:  # (which input it names depends on the order)
        return "usage error: " + re.sub(r"\S*piece\d+\.log", "<input>", error.message)


# -- never a traceback, never an exit code of its own making -------------------------------

TIMES = [
    "0001-01-01T00:00:00",
    "0001-01-01T00:00:00+14:00",
    "9999-12-31T23:59:59",
    "9999-12-31T23:59:59-12:00",
    "2014-09-14 12:00",
    "2014-09-20 12:00",
    "2023-02-26 20:10",
    "2026-11-25 12:00",
    "now",
    "now-1d",
]
COMMANDS: list[list[str]] = [
    ["report", "--all", "--format", "json"],
    ["report", "--format", "text"],
    ["check"],
    ["check", "--format", "json"],
    ["summary", "--format", "json"],
    ["timeline", "scott@contoso.com"],
    ["timeline", "--format", "json", "bob@contoso.com"],
    ["events", "--format", "ndjson"],
    ["events", "--format", "csv", "--since", "2014-09-14 10:30"],
]


@fuzz
@given(
    data=logs(),
    command=st.sampled_from(COMMANDS),
    when=st.sampled_from([None, *TIMES]),
    restart=st.booleans(),
    zone=st.sampled_from([[], ["--tz", "UTC"], ["--source-tz", "America/New_York"]]),
)
@example(  # a pasted excerpt and a time after its last cycle (issue 28, item 1)
    data=(SAMPLES / "pasted" / "ticket.txt").read_bytes(), command=["report"],
    when="2014-09-20 12:00", restart=False, zone=[],
)
@example(  # the calendar's end on the demo log (issue 28, item 2)
    data=(SAMPLES / "CloudUserSync.log").read_bytes(), command=["report"],
    when="9999-12-31T23:59:59", restart=True, zone=[],
)
@example(  # a bias lost on one line: records with and without an offset in one log
    data=_DEMO[2].replace(b".211+480>", b".211>") + b"\n" + _DEMO[3], command=["report"],
    when=None, restart=False, zone=[],
)
def test_no_input_and_no_time_ends_in_a_traceback(
    data: bytes, command: list[str], when: str | None, restart: bool, zone: list[str]
) -> None:
    timed = command[0] in ("report", "check", "summary", "timeline")
    option = "--restart-at" if restart and command[0] == "report" else "--now"
    times = [option, when] if when is not None and timed else []
    with written(data) as paths:
        result = runner.invoke(app, [*command, *times, *zone, *paths])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    assert result.exit_code in (0, 1, 2)


# -- the same answer whatever the reading ----------------------------------------------------


@fuzz
@given(data=logs(), when=st.sampled_from([None, "2014-09-14 12:00", "2026-11-25 12:00"]))
def test_native_answers_as_pure(data: bytes, when: str | None) -> None:
    args = ["report", "--all", "--format", "json", *(["--now", when] if when else [])]
    with written(data) as paths:
        native = runner.invoke(app, [*args, *paths])
        with pure():
            reference = runner.invoke(app, [*args, *paths])
    assert (native.exit_code, native.stdout, native.stderr) == (
        reference.exit_code, reference.stdout, reference.stderr,
    )


def _record_times(path: str) -> list[tuple[int, datetime]]:
    """(physical line, time) of every record of an SMS-trace input."""
    try:
        return [
            (event.line, event.time)
            for event in EventStream([path], ReadOptions())
            if event.time is not None
        ]
    except UsageError:  # no records
        return []


def _lines(data: bytes) -> set[bytes]:
    return {line.strip() for line in data.splitlines() if line.strip()}


_CUT = (SAMPLES / "CloudUserSync.log").read_bytes().partition(b"07:10:04.422")[0] + b"07:10"
"""The demo log copied while it was written: its last record cut off mid-time, no line break."""
_CR = b"\r".join(SAMPLES_LINES["spec-case/CloudUserSync.log"][:10]) + b"\r"


@fuzz
@given(first=logs(), second=logs())
@example(first=_CUT, second=_CR)  # (issue 28, item 3: an IndexError in either order)
def test_the_order_of_inputs_changes_nothing(first: bytes, second: bytes) -> None:
    assume(not _lines(first) & _lines(second))  # (overlapping inputs: the test below)
    with written(first, second) as (one, two):
        forward, backward = judged([one, two]), judged([two, one])
    if isinstance(forward, str) and isinstance(backward, str):
        return  # two bad inputs: the error names the first it reads
    assert forward == backward


@fuzz
@given(first=logs(), second=logs())
@example(  # the restart of the demo log, and the same with its processing start repeated
    first=b"\n".join(_DEMO[:2]), second=b"\n".join([*_DEMO[:2], _DEMO[1]])
)
def test_the_order_of_overlapping_inputs_changes_nothing(first: bytes, second: bytes) -> None:
    with written(first, second) as (one, two):
        forward, backward = judged([one, two]), judged([two, one])
    if isinstance(forward, str) and isinstance(backward, str):
        return  # two bad inputs: the error names the first it reads
    assert forward == backward


def _pieces(lines: list[bytes], cuts: list[int]) -> list[list[bytes]]:
    bounds = [0, *sorted(set(cuts)), len(lines)]
    return [lines[start:end] for start, end in itertools.pairwise(bounds) if end > start]


def _span_seconds(lines: list[bytes]) -> float:
    """Seconds from the first record of `lines` to the last."""
    with written(b"\n".join(lines) + b"\n") as (path,):
        times = [when for _, when in _record_times(path)]
    return (times[-1] - times[0]).total_seconds() if times else 0.0


def _in_time_order(lines: list[bytes]) -> bool:
    """Whether the records of `lines` never go back in time, not even by the milliseconds of
    threads writing out of order (which separate inputs merged by time cannot keep)."""
    with written(b"\n".join(lines) + b"\n") as (path,):
        times = [when for _, when in _record_times(path)]
    return all(later >= earlier for earlier, later in itertools.pairwise(times))


@st.composite
def pieces_of(draw: st.DrawFn, rotated: bool) -> tuple[list[bytes], list[list[bytes]]]:
    """An SMS-trace window without repeated lines (a record repeated across a boundary counts
    once, SPEC §2), split at line boundaries into pieces given in any order. `rotated`: the
    window's second part comes first in the log (`type CloudUserSync.log CloudUserSync.lo_`),
    so that time jumps back inside it."""
    lines = [line for line in draw(windows(SMS_SAMPLES, most=120)) if line.strip()]
    assume(len(lines) > 1 and len(set(lines)) == len(lines) and _in_time_order(lines))
    cuts = draw(st.lists(st.integers(1, len(lines) - 1), min_size=1, max_size=4))
    pieces = _pieces(lines, cuts)
    assume(all(any(b"$$<" in line for line in piece) for piece in pieces))  # (else exit 2)
    if rotated:
        turn = draw(st.integers(1, len(pieces) - 1)) if len(pieces) > 1 else 0
        assume(turn)
        # time must go back by more than the disorder of threads where the parts meet, or the
        # log is one run, read in file order (SPEC §2)
        assume(_span_seconds([line for piece in pieces for line in piece]) > RUN_DISORDER)
        pieces = pieces[turn:] + pieces[:turn]
        lines = [line for piece in pieces for line in piece]
    return lines, draw(st.permutations(pieces))


def _answers_as_the_whole(split: tuple[list[bytes], list[list[bytes]]]) -> None:
    lines, pieces = split
    with written(b"\n".join(lines) + b"\n", *(b"\n".join(p) + b"\n" for p in pieces)) as paths:
        assert judged(paths[1:]) == judged(paths[:1])


@fuzz
@given(split=pieces_of(rotated=False))
def test_a_log_split_into_pieces_in_any_order_answers_as_the_whole(
    split: tuple[list[bytes], list[list[bytes]]],
) -> None:
    _answers_as_the_whole(split)


_SEVEN = [line for line in _DEMO if b"11-24-2026 11:40:0" in line][1:8]
"""A cycle's seven records after its start, 1.04 s: the first of them (its remove totals, not
a record the tracker reads) put last, so that only the records the tracker does not read show
time going back and the latest record."""


@fuzz
@given(split=pieces_of(rotated=True))
@example(split=(_DEMO[60:120] + _DEMO[:60], [_DEMO[60:120], _DEMO[:60]]))
@example(split=(_SEVEN[1:] + _SEVEN[:1], [_SEVEN[1:], _SEVEN[:1]]))
def test_a_log_with_runs_split_into_pieces_answers_as_the_whole(
    split: tuple[list[bytes], list[list[bytes]]],
) -> None:
    _answers_as_the_whole(split)


# -- --now T is the log cut at T ------------------------------------------------------------




@fuzz
@given(lines=windows(SMS_SAMPLES, most=150), pick=st.integers(0, 10_000))
def test_now_answers_as_the_log_cut_at_its_last_record_at_or_before_it(
    lines: list[bytes], pick: int
) -> None:
    with written(b"\n".join(lines) + b"\n") as (path,):
        times = _record_times(path)
        assume(times and all(when.tzinfo is not None for _, when in times))
        # a cut where every record before it is at or before T and every one after is later
        cuts = [
            index
            for index, (_, when) in enumerate(times)
            if all(earlier <= when for _, earlier in times[: index + 1])
            and all(later > when for _, later in times[index + 1 :])
        ]
        assume(cuts)
        line, when = times[cuts[pick % len(cuts)]]
        with written(b"\n".join(lines[:line]) + b"\n") as (cut,):
            whole = judged([path], now=when)
            assert whole == judged([cut])


# -- every command counts the same -----------------------------------------------------------


def _invoke(*args: str) -> Any:
    result = runner.invoke(app, list(args))
    assert result.exit_code in (0, 1), result.output
    return json.loads(result.stdout)


@fuzz
@given(lines=windows(sorted(SAMPLES_LINES), most=150))
def test_report_check_summary_and_timeline_give_the_same_counts(lines: list[bytes]) -> None:
    with written(b"\n".join(lines) + b"\n") as (path,):
        probe = runner.invoke(app, ["report", "--all", "--format", "json", path])
        assume(probe.exit_code == 0)
        report: Any = json.loads(probe.stdout)
        check: Any = _invoke("check", "--format", "json", path)
        summary: Any = _invoke("summary", "--format", "json", path)
        gated = ("waiting", "overdue", "failed")
        assert {s: check["counts"][s] for s in gated} == {s: report["summary"][s] for s in gated}
        assert check["connector"]["state"] == report["connector"]["state"]
        assert (summary["cycles"], len(summary["restarts"])) == (
            report["summary"]["cycles"], report["summary"]["restarts"],
        )
        for user in report["users"][:3]:
            timeline: Any = _invoke("timeline", "--format", "json", user["upn"], path)
            assert timeline["user"]["state"] == user["state"]
