"""Machine formats: JSON, NDJSON, CSV and tab-separated text, written with the standard library."""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable, Iterator
from typing import IO, TYPE_CHECKING, Any

from ..formats.paste import redacted
from ..safety import csv_text, tab_joined, visible
from ..times import NO_TIMES_REASON, timeless
from ..tracker import STATES, Step, UserState
from . import Display, known_interval, number
from .jsontext import encode_text, json_value
from .users import InstantTexts, seconds, user_json

if TYPE_CHECKING:  # health is imported by the commands that summarize
    from ..analysis import Analysis
    from ..events import Event

_COMPACT = (",", ":")

USER_FIELDS = (
    "upn",
    "state",
    "reason",
    "first_failure",
    "last_failure",
    "failures",
    "full_sync_due",
    "expected_recovery",
    "seconds_remaining",
    "recovered_at",
    "synced_at",
    "expected_recovery_bound",
)
"""Columns of `report` in text and CSV (the JSON object holds these and more). Each holds one
kind of value: a latest bound is `latest` in `expected_recovery_bound`, never `by …` in a time
column."""


def user_record(
    user: UserState, display: Display, texts: InstantTexts | None = None
) -> dict[str, Any]:
    """A user's JSON record (SPEC §5); `texts`: shared by the records of one result."""
    times = (texts or InstantTexts(display)).times(user)
    record: dict[str, Any] = {
        "upn": user.upn,
        "state": user.state,
        "reason": user.reason,
        "first_failure": times.first_failure,
        "last_failure": times.last_failure,
        "failures": user.failures,
        "full_sync_due": times.full_sync_due,
        "full_sync_due_by": times.full_sync_due_by,
        "expected_recovery": times.expected_recovery,
        "expected_recovery_bound": user.bound,
        "expected_recovery_observed": user.expected_recovery_observed,
        "recovery_by": user.recovery_by,
        "recovered_at": times.recovered_at,
        "synced_at": times.synced_at,
        "seconds_remaining": seconds(user.seconds_remaining),
        "requests": user.requests,
        "skipped": user.skipped,
        "first_seen": times.first_seen,
        "last_seen": times.last_seen,
        "failure_before_input": user.before_input,
        "pending_reason": user.pending_reason,
    }
    if user.time_saved_s is not None:
        record["time_saved_s"] = number(user.time_saved_s)
    if user.in_azure_ad is not None:
        record["in_azure_ad"] = user.in_azure_ad
    if user.no_times:
        record["times_unknown"] = NO_TIMES_REASON
    if redacted(user.upn):
        record["upn_redacted"] = True
    if user.shared_by > 1:
        record["shared_by"] = user.shared_by
    return record


def users_records(users: Iterable[UserState], display: Display) -> list[dict[str, Any]]:
    """The JSON records of the users of one result."""
    texts = InstantTexts(display)
    return [user_record(user, display, texts) for user in users]


def state_counts(users: Iterable[UserState]) -> dict[str, int]:
    """How many of `users` are in each state, every state listed."""
    counts = dict.fromkeys(STATES, 0)
    for user in users:
        counts[user.state] += 1
    return counts


def report_document(
    analysis: Analysis, shown: list[UserState], counts: dict[str, int], display: Display
) -> dict[str, Any]:
    """The `report --format json` object (SPEC §5): `shown` users, and `counts` by state."""
    result = analysis.result
    document: dict[str, Any] = {
        "as_of": display.iso(analysis.as_of),
        "inputs": [stats.as_dict() for stats in analysis.inputs],
        "users": users_records(shown, display),
        "summary": {
            "waiting": counts["waiting"],
            "overdue": counts["overdue"],
            "recovered": counts["recovered"],
            "synced": counts["synced"],
            "failed": counts["failed"],
            "pending": counts["pending"],
            "stuck": counts["waiting"] + counts["overdue"],
            "cycles": result.cycles,
            "restarts": len(result.restarts),
            "interval_s": known_interval(result.interval, analysis.interval_basis),
            "interval_observed": analysis.interval_basis == "observed",
            "interval_basis": analysis.interval_basis,
            "unnamed_failures": result.unnamed_failures,
        },
    }
    if timeless(analysis.as_of):
        document["times_unknown"] = NO_TIMES_REASON
    return document


def write_report_json(
    document: dict[str, Any],
    users: list[UserState],
    display: Display,
    out: IO[str],
    pretty: bool = False,
) -> None:
    """The report document with `users` as its user list. Compact output writes one user at a
    time, so that their records are never all held at once (the bytes are those of `write_json`
    of the whole document)."""
    if pretty:
        write_json({**document, "users": users_records(users, display)}, out, True)
        return
    head, tail = json.dumps({**document, "users": []}, separators=_COMPACT).split('"users":[]', 1)
    out.write(head + '"users":[')
    texts = InstantTexts(display)
    batch: list[str] = []
    separator = ""  # (before each batch but the first)
    for user in users:
        batch.append(user_json(user, texts))
        if len(batch) >= 512:
            out.write(separator + ",".join(batch))
            separator = ","
            batch.clear()
    if batch:
        out.write(separator + ",".join(batch))
    out.write("]" + tail + "\n")


def write_json(document: object, out: IO[str], pretty: bool = False) -> None:
    """One JSON document: indented for a person at a terminal, compact (and C-fast) otherwise."""
    if pretty:
        out.write(json.dumps(document, indent=2))
    else:
        out.write(json.dumps(document, separators=_COMPACT))
    out.write("\n")


def cell(value: object) -> str:
    """A field of a tab-separated record, control characters shown as escapes."""
    return visible(_field(value))


def _field(value: object) -> str:
    if value is None:
        return "-"
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def write_text_rows(rows: Iterable[Iterable[object]], out: IO[str]) -> None:
    """One record per line, tab-separated; fields show control characters visibly."""
    lines: list[str] = []
    for row in rows:
        lines.append(tab_joined([value if type(value) is str else _field(value) for value in row]))
        if len(lines) >= 512:
            lines.append("")
            out.write("\n".join(lines))
            lines.clear()
    if lines:
        lines.append("")
        out.write("\n".join(lines))


def write_csv(header: Iterable[str], rows: Iterable[Iterable[object]], out: IO[str]) -> None:
    """CSV with a header; control characters are escaped visibly, wherever it goes: a file
    written now is shown on a terminal later (`cat report.csv`)."""
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(list(header))
    for row in rows:
        writer.writerow(csv_cells(row))


def csv_cells(values: Iterable[object]) -> list[object]:
    """The cells of a CSV row: text made safe (`safety.csv_text`), nothing as an empty cell, a
    truth value as JSON and the text rows write it (`true`, `false`)."""
    return [
        csv_text(v) if isinstance(v, str) else "" if v is None else _field(v)
        if isinstance(v, bool) else v
        for v in values
    ]


def user_fields(cloud: bool) -> tuple[str, ...]:
    """The text and CSV columns of `report`: `USER_FIELDS`, and `in_azure_ad` after them when
    the users were checked against an export of Azure AD users."""
    return (*USER_FIELDS, "in_azure_ad") if cloud else USER_FIELDS


def user_rows(
    users: Iterable[UserState], display: Display, cloud: bool = False
) -> Iterator[list[object]]:
    """`user_fields(cloud)` of each user for text and CSV, as `user_record` holds them (built
    apart from it: a report of many users writes only these)."""
    texts = InstantTexts(display)
    for user in users:
        first, last, due, expected, recovered_at, synced_at = texts.of(user, 6)
        row: list[object] = [
            user.upn,
            user.state,
            user.reason,
            first,
            last,
            user.failures,
            due,
            expected,
            seconds(user.seconds_remaining),
            recovered_at,
            synced_at,
            user.bound,
        ]
        if cloud:
            row.append(user.in_azure_ad)
        yield row


# -- events ---------------------------------------------------------------------------------


class EventEncoder:
    """Events as compact JSON objects, built by hand: several times faster than json.dumps.

    Messages repeat, so the JSON of an event's text and fields is remembered per text.
    """

    TAIL_CACHE_LIMIT = 1 << 14

    def __init__(self, display: Display) -> None:
        self.display = display
        self._sources: dict[str, str] = {}
        self._components: dict[str, str] = {}
        self._payload_keys: dict[type, tuple[str, ...]] = {}
        self._tails: dict[tuple[str, str], str] = {}

    def encode(self, event: Event) -> str:
        source = self._sources.get(event.source)
        if source is None:
            source = self._sources[event.source] = encode_text(event.source)
        component = self._components.get(event.component)
        if component is None:
            component = self._components[event.component] = encode_text(event.component)
        time = event.time
        shown = None if time is None else self.display.iso(time)  # None: the input has no times
        stamp = "null" if shown is None else '"' + shown + '"'
        thread = "null" if event.thread is None else str(event.thread)
        return (
            f'{{"kind":"{event.kind}","time":{stamp},"source":{source},"line":{event.line},'
            f'"component":{component},"thread":{thread},"severity":"{event.severity}",'
            + self.tail(event.kind, event.text, event.data)
        )

    def tail(self, kind: str, text: str, data: Any) -> str:
        """`"text":...` and the kind's fields, closing the object."""
        key = (kind, text)
        tail = self._tails.get(key)
        if tail is not None:
            return tail
        tail = '"text":' + encode_text(text)
        if data is not None:
            keys = self._payload_keys.get(type(data))
            if keys is None:
                keys = self._payload_keys[type(data)] = tuple(
                    f',"{name}":' for name in data._fields
                )
            fields = zip(keys, data, strict=True)
            tail += "".join(name + json_value(value) for name, value in fields)
        tail += "}"
        if len(self._tails) >= self.TAIL_CACHE_LIMIT:
            self._tails.clear()
        self._tails[key] = tail
        return tail

    def record(self, event: Event) -> dict[str, Any]:
        """The same object as `encode`, as a dict."""
        record: dict[str, Any] = {
            "kind": event.kind,
            "time": self.display.iso(event.time),
            "source": event.source,
            "line": event.line,
            "component": event.component,
            "thread": event.thread,
            "severity": event.severity,
            "text": event.text,
        }
        record.update(event.fields())
        return record


def write_events_ndjson(
    events: Iterable[Event], out: IO[str], display: Display, flush: bool
) -> int:
    encode = EventEncoder(display).encode
    count = 0
    batch: list[str] = []
    for event in events:
        batch.append(encode(event))
        count += 1
        if flush or len(batch) >= 512:
            batch.append("")
            out.write("\n".join(batch))
            batch = []
            if flush:
                out.flush()
    if batch:
        batch.append("")
        out.write("\n".join(batch))
    return count


def write_events_json(events: Iterable[Event], out: IO[str], display: Display) -> int:
    """A JSON array, streamed one element at a time."""
    encode = EventEncoder(display).encode
    count = 0
    out.write("[")
    for event in events:
        out.write(",\n" if count else "\n")
        out.write(encode(event))
        count += 1
    out.write("\n]\n" if count else "]\n")
    return count


EVENT_COLUMNS = (
    "kind",
    "time",
    "source",
    "line",
    "component",
    "thread",
    "severity",
    "text",
    "upn",
    "reason",
    "mode",
    "received",
    "added",
    "removed",
    "thread_id",
    "minutes",
    "raise_failure_status",
    "id",
    "sev",
    "status_component",
    "problem",
)


def event_rows(events: Iterable[Event], display: Display) -> Iterator[list[object]]:
    record = EventEncoder(display).record
    for event in events:
        values = record(event)
        yield [values.get(name) for name in EVENT_COLUMNS]


def event_text_rows(events: Iterable[Event], display: Display) -> Iterator[list[object]]:
    for event in events:
        yield [
            display.iso(event.time),
            event.kind,
            f"{event.source}:{event.line}",
            event.component,
            event.thread,
            event.severity,
            event.text,
        ]


# -- timeline -------------------------------------------------------------------------------


def step_record(step: Step, display: Display) -> dict[str, Any]:
    return {
        "time": display.iso(step.time),
        "what": step.what,
        "detail": step.text(display.iso),
        "source": step.source or None,
        "line": step.line or None,
    }
