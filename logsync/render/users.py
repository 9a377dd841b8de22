"""The users of a result in the machine formats (`machine`): the ISO texts of their instants
(`InstantTexts`), and their compact JSON records built by hand (`user_json`)."""

from __future__ import annotations

import json
from collections.abc import Callable
from math import isfinite

from ..formats.paste import redacted
from ..times import NO_TIMES, NO_TIMES_REASON, moment_iso
from ..tracker import UserState, ZoneTable
from . import Display, number

_encode: Callable[[str], str] = json.encoder.encode_basestring_ascii  # (as json.dumps writes)

_MIXED = object()
"""A zone table of more than one zone (or times shown in another: `--tz`)."""


class InstantTexts:
    """The ISO texts of users' instants (`UserState.instants`), each in the offset the log used
    then (or in `--tz`). The users of one result share their zone table and many instants (a
    failure, its cycle's time), so each text is made once; where the table has one zone and
    times are shown as logged (most logs), each is written straight from its microseconds."""

    __slots__ = ("_display", "_shown", "_table", "_zone")

    def __init__(self, display: Display) -> None:
        self._display = display
        self._table: ZoneTable | None = None
        self._zone: object = _MIXED
        self._shown: dict[int | None, str | None] = {}

    def of(self, user: UserState, count: int) -> list[str | None]:
        """The texts of the user's first `count` instants."""
        table = user.zones
        if table is not self._table:  # (the users of one result share one)
            self._table, self._shown = table, {}
            zones, shown_as_logged = table.zones, self._display.tz is None
            one = len(zones) == 1 and shown_as_logged and zones[0] is not NO_TIMES
            self._zone = zones[0] if one else _MIXED
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


def user_json(user: UserState, texts: InstantTexts) -> str:
    """`machine.user_record` as compact JSON, built by hand: the bytes `json.dumps` writes of
    it, several times faster (a report of many users writes tens of thousands)."""
    (
        first_failure,
        last_failure,
        full_sync_due,
        expected_recovery,
        recovered_at,
        synced_at,
        first_seen,
        last_seen,
        full_sync_due_by,
    ) = ("null" if text is None else f'"{text}"' for text in texts.of(user, 9))  # (ASCII)
    remaining = None if user.seconds_remaining is None else round(float(user.seconds_remaining), 3)
    text = (
        f'{{"upn":{_encode(user.upn)},"state":{_value(user.state)},"reason":{_value(user.reason)},'
        f'"first_failure":{first_failure},"last_failure":{last_failure},'
        f'"failures":{_value(user.failures)},"full_sync_due":{full_sync_due},'
        f'"full_sync_due_by":{full_sync_due_by},"expected_recovery":{expected_recovery},'
        f'"expected_recovery_bound":{_value(user.bound)},'
        f'"expected_recovery_observed":{_value(user.expected_recovery_observed)},'
        f'"recovery_by":{_value(user.recovery_by)},"recovered_at":{recovered_at},'
        f'"synced_at":{synced_at},'
        f'"seconds_remaining":{_value(remaining)},'
        f'"requests":{_value(user.requests)},"skipped":{_value(user.skipped)},'
        f'"first_seen":{first_seen},"last_seen":{last_seen},'
        f'"failure_before_input":{_value(user.before_input)},'
        f'"pending_reason":{_value(user.pending_reason)}'
    )
    if user.time_saved_s is not None:
        text += f',"time_saved_s":{_value(number(user.time_saved_s))}'
    if user.in_azure_ad is not None:
        text += f',"in_azure_ad":{_value(user.in_azure_ad)}'
    if user.no_times:
        text += f',"times_unknown":{_encode(NO_TIMES_REASON)}'
    if redacted(user.upn):
        text += ',"upn_redacted":true'
    return text + "}"


def _value(value: str | float | bool | None) -> str:
    """A text, number or flag of a user's record as JSON, as `json.dumps` writes it."""
    if value is None:
        return "null"
    if value is True:
        return "true"
    if value is False:
        return "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return repr(value) if isfinite(value) else json.dumps(value)  # (NaN, Infinity)
    return _encode(value)
