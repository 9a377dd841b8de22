"""The users of a result in the machine formats (`machine`): the ISO texts of their instants
(`InstantTexts`), and their compact JSON records built by hand (`user_json`)."""

from __future__ import annotations

from typing import NamedTuple

from ..formats.paste import redacted
from ..times import NO_TIMES, NO_TIMES_REASON, moment_iso
from ..tracker import UserState, ZoneTable
from . import Display, number
from .jsontext import encode_text, json_value

_MIXED = object()
"""A zone table of more than one zone (or times shown in another: `--tz`)."""


class UserTimes(NamedTuple):
    """A user's times as written (`UserState.instants`, in that order)."""

    first_failure: str | None
    last_failure: str | None
    full_sync_due: str | None
    expected_recovery: str | None
    recovered_at: str | None
    synced_at: str | None
    first_seen: str | None
    last_seen: str | None
    full_sync_due_by: str | None


_TIMES = len(UserTimes._fields)


class InstantTexts:
    """The ISO texts of users' instants (`UserState.instants`), each in the offset the log used
    then (or in `--tz`). The users of one result share their zone table and many instants (a
    failure, its cycle's time), so each text is made once; where the table has one zone and
    times are shown as logged (most logs), each is written straight from its microseconds."""

    __slots__ = ("_display", "_quoted", "_shown", "_table", "_zone")

    def __init__(self, display: Display) -> None:
        self._display = display
        self._table: ZoneTable | None = None
        self._zone: object = _MIXED
        self._shown: dict[int | None, str | None] = {}
        self._quoted: dict[int | None, str] = {}

    def _use(self, table: ZoneTable) -> None:
        """The zone table of the users that follow (the users of one result share one)."""
        self._table, self._shown, self._quoted = table, {}, {}
        zones, shown_as_logged = table.zones, self._display.tz is None
        one = len(zones) == 1 and shown_as_logged and zones[0] is not NO_TIMES
        self._zone = zones[0] if one else _MIXED

    def of(self, user: UserState, count: int) -> list[str | None]:
        """The texts of the user's first `count` instants."""
        table = user.zones
        if table is not self._table:
            self._use(table)
        shown, zone = self._shown, self._zone
        if len(shown) >= 4096:  # (users in order share the times of their cycles: few held)
            shown.clear()
        texts: list[str | None] = []
        for us in user.instants[:count]:
            if us in shown:
                texts.append(shown[us])
                continue
            text: str | None
            if zone is not _MIXED and us is not None:
                text = moment_iso(us, zone)  # type: ignore[arg-type]
            else:
                text = self._display.moment_iso(table.moment(us))
            shown[us] = text
            texts.append(text)
        return texts

    def times(self, user: UserState) -> UserTimes:
        """The texts of all the user's instants, by name."""
        return UserTimes._make(self.of(user, _TIMES))

    def quoted(self, user: UserState) -> list[str]:
        """The texts of all the user's instants as JSON (`null`, or the text quoted: ISO texts
        are ASCII with nothing to escape), in the order of `UserTimes`."""
        if user.zones is not self._table:
            self._use(user.zones)
        quoted, zone = self._quoted, self._zone
        if len(quoted) >= 4096:  # (as `of`)
            quoted.clear()
        texts: list[str] = []
        for us in user.instants[:_TIMES]:
            text = quoted.get(us)
            if text is None:
                if zone is not _MIXED and us is not None:  # (`of_one`, without the call)
                    text = quoted[us] = f'"{moment_iso(us, zone)}"'  # type: ignore[arg-type]
                else:
                    shown = self.of_one(us)
                    text = quoted[us] = "null" if shown is None else f'"{shown}"'
            texts.append(text)
        return texts

    def of_one(self, us: int | None) -> str | None:
        """The text of one instant (of the users of the zone table in use)."""
        zone = self._zone
        if zone is not _MIXED and us is not None:
            return moment_iso(us, zone)  # type: ignore[arg-type]
        assert self._table is not None
        return self._display.moment_iso(self._table.moment(us))


def user_json(user: UserState, texts: InstantTexts) -> str:
    """`machine.user_record` as compact JSON, built by hand: the bytes `json.dumps` writes of
    it, several times faster (a report of many users writes tens of thousands)."""
    (first_failure, last_failure, full_sync_due, expected_recovery, recovered_at, synced_at,
     first_seen, last_seen, full_sync_due_by) = texts.quoted(user)
    reason, recovery_by, pending = user.reason, user.recovery_by, user.pending_reason
    text = (
        f'{{"upn":{encode_text(user.upn)},"state":{_text(user.state)},'
        f'"reason":{"null" if reason is None else _text(reason)},'
        f'"first_failure":{first_failure},"last_failure":{last_failure},'
        f'"failures":{json_value(user.failures)},"full_sync_due":{full_sync_due},'
        f'"full_sync_due_by":{full_sync_due_by},'
        f'"expected_recovery":{expected_recovery},'
        f'"expected_recovery_bound":{json_value(user.bound)},'
        f'"expected_recovery_observed":{_flag(user.expected_recovery_observed)},'
        f'"recovery_by":{"null" if recovery_by is None else _text(recovery_by)},'
        f'"recovered_at":{recovered_at},"synced_at":{synced_at},'
        f'"seconds_remaining":{json_value(seconds(user.seconds_remaining))},'
        f'"requests":{json_value(user.requests)},"skipped":{json_value(user.skipped)},'
        f'"first_seen":{first_seen},"last_seen":{last_seen},'
        f'"failure_before_input":{_flag(user.before_input)},'
        f'"pending_reason":{"null" if pending is None else _text(pending)}'
    )
    if user.time_saved_s is not None:
        text += f',"time_saved_s":{json_value(number(user.time_saved_s))}'
    if user.in_azure_ad is not None:
        text += f',"in_azure_ad":{json_value(user.in_azure_ad)}'
    if user.no_times:
        text += f',"times_unknown":{encode_text(NO_TIMES_REASON)}'
    if redacted(user.upn):
        text += ',"upn_redacted":true'
    if user.shared_by > 1:
        text += f',"shared_by":{user.shared_by}'
    return text + "}"


_TEXTS: dict[str, str] = {}
"""The JSON of the few texts users' fields hold (states, reasons), by text."""


def _text(value: object) -> str:
    """`json_value` of a field that holds a text, or not None, with its texts' JSON kept."""
    if type(value) is not str:
        return json_value(value)
    found = _TEXTS.get(value)
    if found is None:
        if len(_TEXTS) >= 256:
            _TEXTS.clear()
        found = _TEXTS[value] = json_value(value)
    return found


def _flag(value: object) -> str:
    """`json_value` of a field that holds a flag."""
    return "true" if value is True else "false" if value is False else json_value(value)


def seconds(value: float | None) -> float | None:
    """A count of seconds at one precision, milliseconds, whatever its value."""
    return None if value is None else round(float(value), 3)
