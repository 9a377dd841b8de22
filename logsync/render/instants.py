"""The ISO texts of the users' instants in a result, for the machine formats (`machine`)."""

from __future__ import annotations

from ..times import NO_TIMES, moment_iso
from ..tracker import UserState, ZoneTable
from . import Display

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
