"""Output: machine formats (json, ndjson, csv, text), rich tables for people, JUnit XML.

This package is the only place that knows about rich; machine formats use the standard
library and never emit colour codes.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta, tzinfo
from typing import IO, TYPE_CHECKING, NamedTuple, cast

from ..safety import visible
from ..times import human_duration, instant_key, iso, micros, moment_iso, moment_time, timeless
from ..tracker import SHARED_NAME, Connector, Moment, UserState, cause_text, unnamed_words
from .bounds import bound_reason, bounded, due_shown, named_bound

if TYPE_CHECKING:
    from ..analysis import Analysis
    from ..health import Summary


def version_line(version: str, scanner: str, python: str) -> str:
    """`logsync --version`: the version, which scanner reads the logs, and the Python."""
    return f"logsync {version} ({scanner}; Python {python})"


class Display(NamedTuple):
    """How times are shown: as logged, or converted to `tz` (`--tz`)."""

    tz: tzinfo | None = None

    def time(self, value: datetime | None) -> datetime | None:
        if value is None or timeless(value):
            return None  # an input with no times: its instants only order its lines
        if self.tz is None or value.tzinfo is None:
            return value
        return value.astimezone(self.tz)

    def iso(self, value: datetime | None) -> str | None:
        return iso(self.time(value))

    def moment_iso(self, moment: Moment | None) -> str | None:
        """`iso` of one of the tracker's moments, without a datetime when times are shown
        as logged."""
        if moment is None:
            return None
        if self.tz is None:
            return moment_iso(*moment)
        return iso(self.time(moment_time(*moment)))


def offset_text(value: datetime) -> str:
    """`-04:00`: a time's UTC offset as people read it; empty when the time has none."""
    offset = value.utcoffset()
    if offset is None:
        return ""
    minutes = int(offset.total_seconds() // 60)
    sign = "-" if minutes < 0 else "+"
    return f"{sign}{abs(minutes) // 60:02d}:{abs(minutes) % 60:02d}"


def stamp(value: datetime | None, display: Display) -> str | None:
    """`2014-09-15 10:23:54 -04:00`: seconds precision and the offset, if known; None for none."""
    shown = display.time(value)
    if shown is None:
        return None
    text = shown.strftime("%Y-%m-%d %H:%M:%S")
    offset = offset_text(shown)
    return f"{text} {offset}" if offset else text


BEFORE_INPUT = "held back since before the log: its failure is not in the input"
"""The story of a user held back since before the input (SPEC §4 rule 2b)."""


def none_asked_for(analysis: Analysis, counts: dict[str, int]) -> bool:
    """Whether no user of the log is among those asked for (`--user`): the counts cover every
    user asked for, and count nobody."""
    return not any(counts.values()) and bool(analysis.tracker.users)


def empty_list_text(analysis: Analysis, counts: dict[str, int]) -> str:
    """What a report says where it lists nobody: no user stuck or failed in the log, or, where
    no user of the log is among those asked for, that (the findings beside it are the log's)."""
    if none_asked_for(analysis, counts):
        return "No user of the log is among those asked for (--user)."
    return "No user is stuck or failed in the log."


def before_input_text(user: UserState) -> str:
    """The story of a user held back since before the input (SPEC §4 rule 2b): where the
    input holds a later failure of it (a retry, a restart's full sync), only its first is
    missing."""
    if user.failures:
        return "held back since before the log's first time: when it first failed, it does not say"
    return BEFORE_INPUT
AZURE_AD_TEXT = {
    (True, True): "in Azure AD: a restart adds it",
    (False, True): "not in Azure AD: a restart will not add it",
    (True, False): "in Azure AD",
    (False, False): "not in Azure AD",
}
"""Whether a user is in the export of Azure AD users, and for a stuck one what that means."""


UNDETERMINED_TEXT = (
    "outcome unknown: notified in cycles whose counts cannot say whether it was held back; "
    "the earlier log (CloudUserSync.lo_), or for an excerpt the whole log, would tell"
)
RETRY_UNSEEN_TEXT = (
    "outcome unknown: its timer may have run out, or a restart may have retried it, and the input "
    "holds no cycle's start or totals, leaves lines out, shows no cycle where the schedule had "
    "one after its due time, names it in a cycle off the cycles' "
    "schedule, or cycles since then received users it does not name: it cannot show whether it "
    "was retried and added; the whole log would tell"
)


RETRY_AWAITED_TEXT = (
    "outcome unknown: retried after its failure in a cycle whose totals the input does not hold "
    "yet: it may be held back still"
)


def shared_name_text(users: int) -> str:
    """Why the outcome of a redacted name that `users` users at least share is unknown."""
    return (
        f"outcome unknown: a redacted name that at least {users} users share (the input names "
        f"it {times_words(users)} in one cycle): whose failures these are, and whether each is "
        "stuck, it cannot say"
    )


def times_words(count: int) -> str:
    """`twice`, `3 times`: how often (2 at least)."""
    return "twice" if count == 2 else f"{count} times"


def unknown_outcome_text(user: UserState) -> str | None:
    """Why the outcome of a pending user that may be stuck is unknown, or None."""
    if user.undetermined:
        return UNDETERMINED_TEXT
    if user.pending_reason == SHARED_NAME:
        return shared_name_text(user.shared_by)
    if user.retry_awaited:
        return RETRY_AWAITED_TEXT
    return RETRY_UNSEEN_TEXT if user.outcome_unknown else None


def wrap_words(text: str, width: int, indent: str = "") -> list[str]:
    """`text` in lines of at most `width` (20 at least) characters, broken only between words
    (a UPN or a time is never cut, even where it is wider than the line); later lines start
    with `indent`."""
    import textwrap

    return textwrap.wrap(
        text,
        max(width, 20),
        subsequent_indent=indent,
        break_long_words=False,
        break_on_hyphens=False,
    ) or [""]


def when(value: datetime | None, display: Display) -> str:
    return stamp(value, display) or "–"


USER_COLUMNS = (
    "User",
    "State",
    "Reason",
    "Stuck since",
    "Full sync due",
    "Expected recovery",
    "Remaining",
)


def user_columns(cloud: bool) -> tuple[str, ...]:
    """`USER_COLUMNS`, and "In Azure AD" after them when the users were checked against an
    export of Azure AD users."""
    return (*USER_COLUMNS, "In Azure AD") if cloud else USER_COLUMNS


def user_cells(user: UserState, display: Display) -> list[str]:
    """A user's row as plain text, in `user_columns` order (escape it for the format)."""
    since = stuck_from(user)
    expected = bounded(user, when(user.expected_recovery, display))
    if named_bound(user):
        expected += f" (at the latest: {bound_reason(user)})"
    if user.recovery_by == "what-if":
        expected += " (if restarted)"
    elif user.expected_recovery is not None and not user.expected_recovery_observed:
        expected += " (predicted)"
    cells = [
        user.upn,
        user.state,
        user.reason or "–",
        stuck_since(user, when(since, display)),
        due_shown(user, lambda time: when(time, display)),
        expected,
        remaining_text(user, "–"),
    ]
    if user.in_azure_ad is not None:
        cells.append("yes" if user.in_azure_ad else "no")
    return cells


def judged_later(summary: Summary) -> bool:
    """Whether a summary is judged after its last record (`--now` past the log's end)."""
    end, as_of = summary.end, summary.as_of
    return end is not None and as_of is not None and instant_key(as_of) > instant_key(end)


def judged_text(
    summary: Summary, display: Display, shown: Callable[[datetime, Display], str]
) -> str:
    """` (judged as of …)` after a summary's span that ends before its judgement."""
    return f" (judged as of {shown(summary.as_of, display)})" if judged_later(summary) else ""  # type: ignore[arg-type]


def log_end_note(ended_ago: float | None) -> str:
    """` (the log's end, 2d 17h ago)` after the as-of time of a log that ended long ago."""
    return "" if ended_ago is None else f" (the log's end, {human_duration(ended_ago)} ago)"


def state_parts(user: UserState, shown: Callable[[datetime], str]) -> list[str]:
    """What follows a user's state in its one-line summary (`timeline`'s title and its last
    text row), each time shown by `shown`."""
    parts = [before_input_text(user)] if user.before_input else []
    if user.failures:
        parts.append(f"{count_of(user.failures, 'failure')} ({visible(user.reason or '?')})")
    if user.full_sync_due is not None:
        parts.append(f"full sync due {shown(user.full_sync_due)}")
    elif user.full_sync_due_by is not None:
        parts.append(f"full sync due by {shown(user.full_sync_due_by)}")
    if user.expected_recovery is not None:
        parts.append(f"expected recovery {bounded(user, shown(user.expected_recovery))}")
    unknown = unknown_outcome_text(user)
    if unknown is not None:
        parts.append(unknown)
    if user.recovered_at is not None:
        parts.append(f"recovered {shown(user.recovered_at)}")
    if user.in_azure_ad is not None:
        parts.append(AZURE_AD_TEXT[user.in_azure_ad, user.stuck])
    return parts


def stuck_from(user: UserState) -> datetime | None:
    """Since when a user is (or was) stuck: its first failure, else, held back since before the
    input, its first notification (a bound: see `stuck_since`); None for a user never seen
    stuck (synced, or notified with no outcome yet)."""
    if user.first_failure is not None:
        return user.first_failure
    return user.first_seen if user.before_input else None


def stuck_since(user: UserState, shown: str) -> str:
    """A shown "stuck since" (the first failure, else the first notification), as `before …`
    when the failure is before the input: its time is not known, only that it came earlier
    (than the log's first time, where its lines before that have no time)."""
    if user.first_failure is not None or not user.before_input:
        return shown
    if user.first_seen is not None:
        return f"before {shown}"
    return "before the log" if user.no_times else "before the log's first time"


def remaining_text(user: UserState, none: str = "-") -> str:
    """`in 3h 12m`, `due now`, `overdue 2h 05m`: how long until a stuck user's expected recovery
    (a what-if recovery is always ahead); `none` for a user without one."""
    seconds = user.seconds_remaining
    if seconds is None:
        return none
    if user.state == "overdue" and user.recovery_by != "what-if":
        return f"overdue {human_duration(-seconds)}"
    return "due now" if seconds <= 0 else f"in {human_duration(seconds)}"


def known_interval(interval: timedelta, basis: str) -> int | float | None:
    """The cycle interval in seconds for machines; None when the input has no times."""
    return None if basis == "unknown" else number(interval.total_seconds())


def cycles_every(summary: Summary) -> str:
    """`398 cycles every 5m`, `1 cycle`, `398 cycles` (no times: no interval): the cycles as
    people's formats show them."""
    every = shown_interval(summary)
    cycles = count_of(summary.cycles, "cycle")
    return cycles if every is None else f"{cycles} every {every}"


def shown_interval(summary: Summary) -> str | None:
    """The cycle interval as people's formats show it (`cycle_interval`); None with fewer than
    two cycles, or no times (no gap to measure)."""
    if summary.cycles < 2 or summary.interval_basis == "unknown":
        return None
    return cycle_interval(summary)


def cycle_interval(summary: Summary) -> str:
    """The cycle interval as people read it, with how it is known unless the log shows it."""
    if summary.interval_basis == "unknown":
        return "unknown (the input has no times)"
    every = human_duration(summary.interval.total_seconds())
    if summary.interval_basis == "given":
        return f"{every} (--interval)"
    if summary.interval_basis == "default":
        near = "no two cycles in a row near enough to measure it"
        return f"{every} (the default: the input shows {near})"
    return every


def number(value: float | None) -> int | float | None:
    """Whole seconds as int, else three decimals."""
    if value is None:
        return None
    return int(value) if value == int(value) else round(value, 3)


CONNECTOR_STATE_TEXT = {
    "running": "running",
    "stalled": "stalled",
    "waiting_for_certificate": "waiting for its certificate",
    "no_cycles": "no cycle in the log",
    "stopped": "stopped",
}


def connector_text(connector: Connector, as_of: datetime | None, display: Display) -> str:
    """`connector running, last cycle …`, `connector stalled since … (1h 35m without a cycle)`,
    with the cause that sibling logs show, if any (`…: the site has no Intune subscription
    (dmpuploader.log:8), so the connector gets no certificate (CertMgr.log:29)`)."""
    text = _state_text(connector, as_of, display)
    cause = cause_text(connector.causes)
    return f"{text}: {cause}" if cause else text


def _state_text(connector: Connector, as_of: datetime | None, display: Display) -> str:
    state = CONNECTOR_STATE_TEXT[connector.state]
    if connector.state == "running":
        last = display.iso(connector.last_cycle)
        return f"connector {state}, last cycle {last}" if last else f"connector {state}"
    since = display.iso(connector.since)
    if connector.state == "stalled" and since and as_of is not None and connector.since:
        # by instant, as the tracker counts (a log may mix records with and without an offset)
        silent = human_duration((micros(as_of) - micros(connector.since)) / 1e6)
        if connector.last_cycle is None and not connector.source:  # (users' lines alone)
            return (
                f"connector {state} since {since} ({silent} with no sign of work: the input "
                "holds only users' lines, which stop once a user is added; it may have run after)"
            )
        return f"connector {state} since {since} ({silent} without a cycle)"
    if connector.state == "stopped" and since:
        waited = display.iso(connector.certificate_since)
        after = f" after waiting for its certificate since {waited}" if waited else ""
        return f"connector {state} since {since}{after}"
    if connector.state == "waiting_for_certificate" and since:
        return f"connector {state} since {since}"
    return f"connector: {state}"


def connector_record(
    connector: Connector, as_of: datetime | None, display: Display
) -> dict[str, object]:
    """The `connector` object of the JSON documents."""
    return {
        "state": connector.state,
        "problem": connector.code,
        "since": display.iso(connector.since),
        "last_cycle": display.iso(connector.last_cycle),
        "last_restart": display.iso(connector.last_restart),
        "problems": list(connector.problems),
        "text": connector_text(connector, as_of, display),
        "evidence": (
            {"source": connector.source, "line": connector.line} if connector.source else None
        ),
        "causes": [
            {
                "kind": cause.kind,
                "time": display.iso(cause.time),
                "source": cause.source,
                "line": cause.line,
                "status_ids": list(cause.status_ids),
            }
            for cause in connector.causes
        ],
    }


def count_of(count: int, noun: str) -> str:
    """`1 cycle`, `2 cycles`."""
    return f"{count} {noun}" if count == 1 else f"{count} {noun}s"


def where_of(at: tuple[datetime, str, int] | None) -> str | None:
    """A record's `file:line`, made safe to show."""
    return None if at is None else visible(f"{at[1]}:{at[2]}")


def unnamed_text(count: int, at: tuple[datetime, str, int] | None, explained: bool = False) -> str:
    """Failed adds that no failure line names, in words (`at`: the first totals line that
    counts one, `Result.unnamed_at`); `explained`, with what they mean (the gate's row, JUnit,
    the stderr note)."""
    where = where_of(at)
    first = f", first at {where}" if where else ""
    text = f"{unnamed_words(count)} (cycle totals{first})"
    if explained:
        text += (
            ": whose they are and whether those users are stuck the input cannot say (an "
            "excerpt of totals lines?); the whole log can"
        )
    return text


class _WrappedNotes:
    """A terminal's stderr whose notes (`logsync: …` lines, written whole) are broken between
    words to fit its width; anything else (a progress bar) is written as it is."""

    def __init__(self, stream: IO[str], width: int) -> None:
        self._stream = stream
        self._width = width

    def write(self, text: str) -> int:
        if text.startswith("logsync: ") and text.endswith("\n"):
            text = "".join(
                "\n".join(wrap_words(line, self._width, indent="    ")) + "\n"
                for line in text[:-1].split("\n")
            )
        return self._stream.write(text)

    def __getattr__(self, name: str) -> object:
        return getattr(self._stream, name)


def notes_to_width(stream: IO[str]) -> IO[str]:
    """`stream` (stderr on a terminal) with its notes fitted to the terminal's width (`COLUMNS`,
    else the terminal's own, else 80)."""
    import os

    columns = os.environ.get("COLUMNS", "")
    width = int(columns) if columns.isdigit() else 0
    if width <= 0:
        try:
            width = os.get_terminal_size(stream.fileno()).columns
        except (AttributeError, ValueError, OSError):
            width = 80
    return cast("IO[str]", _WrappedNotes(stream, width or 80))
