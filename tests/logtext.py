"""Build CloudUserSync.log text in the connector's own words for tests."""

from __future__ import annotations

import re
from datetime import datetime, timedelta

from dateutil import parser as date_parser

COMPONENT = "SMS_CLOUD_USERSYNC"


def sms_line(
    when: datetime,
    message: str,
    bias: int | None = 240,
    thread: int = 5616,
    component: str = COMPONENT,
) -> str:
    stamp = when.strftime("%m-%d-%Y %H:%M:%S.") + f"{when.microsecond // 1000:03d}"
    offset = "" if bias is None else f"{bias:+d}"
    return f"{message}  $$<{component}><{stamp}{offset}><thread={thread} (0x{thread:X})>"


class Log:
    """An SMS-trace log written line by line; `cycle` writes what one connector cycle logs."""

    def __init__(self, bias: int = 240) -> None:
        self.bias = bias
        self.lines: list[str] = []

    def at(
        self, when: str | datetime, message: str, bias: int | None = None, thread: int = 5616
    ) -> Log:
        moment = date_parser.parse(when) if isinstance(when, str) else when
        self.lines.append(sms_line(moment, message, self.bias if bias is None else bias, thread))
        return self

    def cycle(
        self,
        when: str | datetime,
        requested: tuple[str, ...] = (),
        failed: dict[str, str] | None = None,
        added: int | None = None,
        bias: int | None = None,
    ) -> Log:
        failed = failed or {}
        moment = date_parser.parse(when) if isinstance(when, str) else when
        self.at(moment, "Starting user delta sync, raise failure status messages = True", bias)
        self.at(moment, "Total received users from SCCM to be removed from cloud = 0", bias)
        self.at(moment, "Successfully removed users from cloud 0", bias)
        for upn in requested:
            moment += timedelta(seconds=2)
            self.at(moment, f"NotifyAccountAddition - SCCM user to add = {upn}", bias)
            if upn in failed:
                self.at(moment, f"Failed to add user {upn}; reason {failed[upn]}", bias)
        ok = len(requested) - len(failed) if added is None else added
        self.at(
            moment,
            f"Total received users to add from SCCM = {len(requested)}, "
            f"Total Successfully added users to Cloud = {ok}",
            bias,
        )
        self.at(moment, f"UserDeltaSync:- Users Added = {ok}, Users Removed = 0", bias)
        return self

    def steady(
        self, when: datetime, *notified: str, received: int = 0, added: int = 0
    ) -> Log:
        """The seed's steady-state block: a cycle notifying users, then its totals (by default
        `received = 0`: every user it notifies is held back)."""
        self.at(when, "Starting user delta sync, raise failure status messages = True")
        for upn in notified:
            self.at(when + timedelta(seconds=2), f"NotifyAccountAddition - SCCM user to add = {upn}")
        self.at(
            when + timedelta(seconds=3),
            f"Total received users to add from SCCM = {received}, "
            f"Total Successfully added users to Cloud = {added}",
        )
        return self

    def cycles(self, start: str, end: str, every: timedelta = timedelta(minutes=5)) -> Log:
        """Quiet cycles from `start` up to (not including) `end`."""
        moment = date_parser.parse(start)
        stop = date_parser.parse(end)
        while moment < stop:
            self.cycle(moment)
            moment += every
        return self

    def restart(self, when: str, thread: int = 7012) -> Log:
        self.at(
            when,
            f"SMS_EXECUTIVE started {COMPONENT} as thread ID {thread} (0x{thread:X}).",
            thread=3604,
        )
        self.at(when, "CCloudUserSync::Process - User sync processing has started.", thread=thread)
        return self

    def text(self) -> str:
        return "\r\n".join(self.lines) + "\r\n"

    def write(self, path) -> str:  # type: ignore[no-untyped-def]
        path.write_text(self.text(), encoding="utf-8")
        return str(path)


def grep(lines: list[str], word: str, around: int = 0) -> list[str]:
    """`grep -i -C<around> word --no-group-separator` of `lines`: those holding `word` (given
    in lower case), with `around` lines on each side, each line once."""
    hits = [n for n, line in enumerate(lines) if word in line.lower()]
    kept = {n + d for n in hits for d in range(-around, around + 1)} & set(range(len(lines)))
    return [lines[n] for n in sorted(kept)]


def rebiased(text: str, bias: int) -> str:
    """The same records (the same instants) as logged by a site whose bias is `bias`."""

    def moved(found: re.Match[str]) -> str:
        month, day, year, clock, fraction, old = found.groups()
        local = datetime.strptime(f"{year}-{month}-{day} {clock}", "%Y-%m-%d %H:%M:%S")
        there = local + timedelta(minutes=int(old) - bias)
        return f"<{there:%m-%d-%Y %H:%M:%S}.{fraction}{bias:+d}>"

    return re.sub(r"<(\d\d)-(\d\d)-(\d{4}) (\d\d:\d\d:\d\d)\.(\d+)([+-]\d+)>", moved, text)
