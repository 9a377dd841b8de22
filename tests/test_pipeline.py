"""Whole inputs to events: real site-server logs, merging by instant, the fast path."""

from __future__ import annotations

import heapq
from operator import itemgetter
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from logsync.analysis import analyze
from logsync.errors import UsageError
from logsync.merge import in_batches, merge_batches
from logsync.pipeline import EventStream
from logsync.times import instant_key, iso
from logsync.tracker import TRACKED_KINDS

from .conftest import REAL_LOGS, SAMPLES
from .logtext import Log

REAL = {
    # file: (format, physical lines, first record's time, last record's time)
    "sitecomp.log": (
        "sms-trace",
        4380,
        "2023-02-26T19:49:44.452-08:00",
        "2023-02-26T19:56:29.065-08:00",
    ),
    "SMS_CLOUDCONNECTION.log": (
        "sms-trace",
        59,
        "2023-02-26T19:53:32.215-08:00",
        "2023-02-26T19:56:04.299-08:00",
    ),
    "dmpdownloader.log": (
        "sms-trace",
        44,
        "2023-02-26T19:54:07.902-08:00",
        "2023-02-26T19:56:04.299-08:00",
    ),
    "SiteHealthMonitor.log": (
        "cmtrace",
        126,
        "2023-02-26T19:52:16.115800",
        "2023-02-26T19:56:28.362443",
    ),
    "AdminService.log": ("cmtrace", 40, "2023-02-26T19:55:28.564170", "2023-02-26T19:56:13.565322"),
}


@pytest.mark.parametrize("name", sorted(REAL))
def test_every_physical_line_of_a_real_log_is_accounted_for(name: str) -> None:
    path = REAL_LOGS / name
    fmt, lines, first, last = REAL[name]
    stream = EventStream([str(path)])
    events = list(stream)
    stats = stream.inputs[0]
    physical = len(path.read_bytes().splitlines())
    assert physical == lines
    assert (stats.format, stats.lines) == (fmt, lines)
    assert stats.record_lines + stats.unparsed + stats.blank == stats.lines
    assert stats.unparsed == 0
    assert iso(events[0].time) == first
    assert iso(stats.last_time) == last
    assert all(event.kind != "unparsed" for event in events)


def test_real_sms_trace_details() -> None:
    events = list(EventStream([str(REAL_LOGS / "SMS_CLOUDCONNECTION.log")]))
    stack = next(e for e in events if e.text.startswith("ERROR: Found exception"))
    assert "\nParameter name: path2\n" in stack.text
    assert stack.severity == "error"
    sitecomp = list(EventStream([str(REAL_LOGS / "sitecomp.log")]))
    assert {e.component for e in sitecomp} == {"SMS_SITE_COMPONENT_MANAGER"}
    assert sum(1 for e in sitecomp if e.kind == "status_message") == 880


def test_real_logs_merge_by_instant() -> None:
    names = [
        str(REAL_LOGS / n) for n in ("sitecomp.log", "dmpdownloader.log", "SMS_CLOUDCONNECTION.log")
    ]
    stream = EventStream(names)
    events = list(stream)
    # sitecomp.log read beside other logs is a sibling log: of its 4,380 records, the 20 about
    # the connector count; every line is still accounted for in its totals
    assert len(events) == 20 + 44 + 59
    assert [(stats.lines, stats.records) for stats in stream.inputs] == [
        (4380, 4380),
        (44, 44),
        (59, 59),
    ]
    # Threads write out of order within a file (sitecomp.log line 181 is 15 ms before line 180),
    # so the merge keeps each file's order and interleaves files by their progress so far.
    progress: dict[str, float] = {}
    merged = []
    for event in events:
        progress[event.source] = max(progress.get(event.source, 0.0), instant_key(event.time))
        merged.append(progress[event.source])
    assert merged == sorted(merged)
    for name in names:
        lines = [e.line for e in events if e.source == name]
        assert lines == sorted(lines)


def test_rotated_pair_merges_in_time_order_whatever_the_argument_order() -> None:
    lo_ = str(SAMPLES / "rotated" / "CloudUserSync.lo_")
    log = str(SAMPLES / "rotated" / "CloudUserSync.log")
    forward = [(e.source, e.line) for e in EventStream([lo_, log])]
    backward = [(e.source, e.line) for e in EventStream([log, lo_])]
    assert forward == backward
    assert forward[0] == (lo_, 1)
    # the rotation marker is accounted for at the end of the .lo_
    marker = [e for e in EventStream([log, lo_]) if e.kind == "unparsed"]
    assert [(e.source, e.line, e.data.problem) for e in marker] == [(lo_, 92, "rotation marker")]


@pytest.mark.parametrize(
    "sample",
    [
        "CloudUserSync.log",
        "spec-case/CloudUserSync.log",
        "restart-day/CloudUserSync.log",
        "rotated/CloudUserSync.lo_",
    ],
)
def test_fast_path_and_plain_path_give_identical_events(sample: str) -> None:
    path = str(SAMPLES / sample)
    fast = EventStream([path], kinds=TRACKED_KINDS, fast=True)
    plain = EventStream([path], kinds=TRACKED_KINDS, fast=False)
    assert list(fast) == list(plain)
    assert fast.inputs == plain.inputs
    assert analyze([path], fast=True).users == analyze([path], fast=False).users


def test_fast_path_falls_back_where_a_chunk_holds_a_broken_line(tmp_path: Path) -> None:
    log = Log()
    log.cycle("2014-09-14 10:00:00", ("a@contoso.com",), {"a@contoso.com": "UserNotFound"})
    log.lines.insert(3, "\0\0\0\0\0\0")
    path = log.write(tmp_path / "CloudUserSync.log")
    fast = EventStream([path], kinds=TRACKED_KINDS | {"unparsed"}, fast=True)
    plain = EventStream([path], kinds=TRACKED_KINDS | {"unparsed"}, fast=False)
    assert list(fast) == list(plain)
    assert [e.kind for e in fast] == [
        "sync_started",
        "remove_totals",
        "users_removed",
        "unparsed",
        "user_add_requested",
        "user_add_failed",
        "add_totals",
    ]


def test_naive_and_aware_inputs_do_not_merge_silently() -> None:
    with pytest.raises(UsageError, match="give --source-tz ZONE"):
        list(
            EventStream(
                [
                    str(SAMPLES / "pasted" / "ticket.txt"),
                    str(SAMPLES / "spec-case" / "CloudUserSync.log"),
                ]
            )
        )


_batches = st.lists(  # one input: batches of rows (key, input, position), keys not always sorted
    st.lists(st.integers(min_value=0, max_value=12), max_size=6), max_size=5
)


def row_by_row(streams: list[list[tuple[int, int, int]]], names: list[str]) -> list[object]:
    """The reference merge: `heapq.merge` of the inputs one row at a time, the inputs ranked
    by their first row's key, then the rotated `.lo_` first, then by name, then as given."""
    heads = sorted(
        (rows[0][0], 0 if name.lower().endswith(".lo_") else 1, name, index, rows)
        for index, (rows, name) in enumerate(zip(streams, names, strict=True))
        if rows
    )
    return list(heapq.merge(*(rows for *_, rows in heads), key=itemgetter(0)))


@given(
    inputs=st.lists(_batches, min_size=1, max_size=4),
    names=st.lists(st.sampled_from(["a.log", "a.lo_", "b.LO_", "c.log"]), min_size=4, max_size=4),
)
def test_merging_batches_gives_the_rows_of_the_row_by_row_merge(
    inputs: list[list[list[int]]], names: list[str]
) -> None:
    tagged = [
        [[(key, index, position) for position, key in enumerate(batch)] for batch in batches]
        for index, batches in enumerate(inputs)
    ]
    names = names[: len(inputs)]
    expected = row_by_row([[r for b in bs for r in b] for bs in tagged], names)
    runs = list(merge_batches([iter(bs) for bs in tagged], names))
    assert [row for run in runs for row in run] == expected


@given(
    items=st.lists(st.integers(min_value=0, max_value=9), max_size=30),
    size=st.integers(min_value=1, max_value=7),
)
def test_items_in_batches_are_the_items_in_order(items: list[int], size: int) -> None:
    batches = list(in_batches(iter(items), size))
    assert [item for batch in batches for item in batch] == items
    assert all(len(batch) == size for batch in batches[:-1])
    assert all(0 < len(batch) <= size for batch in batches)


def test_batches_of_inputs_that_do_not_overlap_go_on_whole() -> None:
    older = [[(1, "lo_"), (2, "lo_")], [(3, "lo_")]]
    newer = [[(3, "log"), (4, "log")], [], [(5, "log")]]
    runs = list(merge_batches([iter(newer), iter(older)], ["x.log", "x.lo_"]))
    # at the equal instant 3 the rotated .lo_ comes first; the .log then runs on alone
    assert runs == [older[0], older[1], newer[0], [], [(5, "log")]]


@pytest.mark.parametrize("native", [True, False])
def test_a_log_cut_mid_record_and_one_with_cr_line_ends_merge_in_either_order(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, native: bool
) -> None:
    """A log copied while it was written (its last record cut off mid-time, no line break) and
    a log with CR-only line ends: each alone was fine, together they ended in an IndexError."""
    if not native:
        monkeypatch.setattr("logsync.accel.native", None)
    demo = (SAMPLES / "CloudUserSync.log").read_bytes()
    cut = tmp_path / "copied.log"
    cut.write_bytes(demo[: demo.index(b"07:10:04.422") + 5])  # ...<11-24-2026 07:10
    lines = (SAMPLES / "spec-case" / "CloudUserSync.log").read_bytes().splitlines()
    old_mac = tmp_path / "cr.log"
    old_mac.write_bytes(b"\r".join(lines[:10]) + b"\r")
    for order in ([cut, old_mac], [old_mac, cut]):
        analysis = analyze([str(path) for path in order])
        stats = {Path(s.path).name: (s.lines, s.records, s.unparsed) for s in analysis.inputs}
        # (its last record, cut in its trailer, is read at the time of the one before it:
        # `formats.cutshort.cut_short`)
        assert stats == {"copied.log": (14, 14, 0), "cr.log": (10, 10, 0)}
        assert [(u.upn, u.state, iso(u.last_failure)) for u in analysis.users] == [
            ("scott@contoso.com", "overdue", "2014-09-14T10:23:54-04:00")
        ]
        assert iso(analysis.as_of) == "2026-11-24T07:10:04.285-08:00"
