"""Simulate the Windows Intune Connector for days, in its own words, and keep the truth.

    python sample_logs/simulate.py 96 out.log     # four days of a busy connector

The connector cycles every 5 minutes. Users are discovered over time; each reaches Azure AD at
its own time (DirSync runs every few hours, some users days later). A user tried before it is
in Azure AD fails with `reason UserNotFound` and is held back for 24 hours: notified in every
cycle, not received (`Total received users to add from SCCM` counts only the users tried). When
its timer runs out, the next cycle tries it again. SMS Executive restarts now and then; the
first cycle after a restart is a full sync that tries every held-back user. A few users fail
for another reason, and are not tried again.

Every line is written with `generate.cycle` (the same lines as the bundled samples), and the
truth is kept: for each cycle, the line of its totals and who was stuck once it ended. Tests cut
histories into windows (an excerpt, a rotated log's newer half) and compare logsync's verdict on
the window with the truth.
"""

from __future__ import annotations

import argparse
import random
import sys
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from generate import SmsTrace, Timers, cycle, startup

UNF = "UserNotFound"


@dataclass
class History:
    lines: list[str] = field(default_factory=list)
    outcomes: list[tuple[int, str, bool]] = field(default_factory=list)
    """(line index, user, stuck): a user fails with UserNotFound at its failure line (stuck), or
    is added at its cycle's totals line, or fails for another reason (not stuck)."""
    totals: list[int] = field(default_factory=list)
    """The line index of each cycle's totals line."""
    users: dict[str, datetime] = field(default_factory=dict)
    """Each user's time of reaching Azure AD."""

    def text(self, start: int = 0, end: int | None = None) -> str:
        """Lines [start, end) as the connector writes them."""
        return "\r\n".join(self.lines[start:end]) + "\r\n"

    def stuck_at(self, end: int) -> set[str]:
        """The users stuck once the lines before `end` were written."""
        stuck: set[str] = set()
        for line, upn, is_stuck in self.outcomes:
            if line >= end:
                break
            if is_stuck:
                stuck.add(upn)
            else:
                stuck.discard(upn)
        return stuck


def simulate(hours: float, seed: int = 1, per_day: int = 60, bias: int = 300) -> History:
    """`hours` of a connector that discovers about `per_day` users a day."""
    rng = random.Random(seed)
    log = SmsTrace(bias=bias)
    history = History(lines=log.lines)
    timers = Timers()
    start = datetime(2026, 3, 1, 0, 0, 3, 211000)
    end = start + timedelta(hours=hours)
    startup(log, start - timedelta(seconds=9))
    full_sync = True
    number = 0
    moment = start
    while moment < end:
        requested: list[str] = []
        for _ in range(_arrivals(rng, per_day)):
            number += 1
            upn = f"user{number:05d}@contoso.com"
            roll = rng.random()
            if roll < 0.55:
                arrives = moment - timedelta(hours=1)  # already in Azure AD
            elif roll < 0.93:
                arrives = moment + timedelta(minutes=rng.randrange(1, 9 * 60))
            else:  # days later (a UPN suffix the tenant lacks, until someone fixes it)
                arrives = moment + timedelta(hours=rng.randrange(48, 96))
            history.users[upn] = arrives
            requested.append(upn)
        # the users whose timer ran out; at a restart's full sync, every held-back user
        due = [upn for upn, when in timers.due.items() if full_sync or when <= moment]
        requested = due + requested
        failures: dict[str, str] = {}
        for upn in requested:
            if moment < history.users[upn]:
                failures[upn] = UNF if rng.random() > 0.03 else "LicenseLimitReached"
        if full_sync:
            timers.restarted()
            full_sync = False
        first = len(log.lines)
        cycle(log, moment, requested, failures, timers=timers)
        totals = len(log.lines) - 2
        history.totals.append(totals)
        for index in range(first, totals):
            line = log.lines[index]
            if line.startswith("Failed to add user "):
                upn = line[len("Failed to add user ") : line.index(";")]
                history.outcomes.append((index, upn, failures[upn] == UNF))
        history.outcomes.extend((totals, upn, False) for upn in requested if upn not in failures)
        moment += timedelta(minutes=5, milliseconds=rng.randrange(0, 120))
        if rng.random() < 0.002:  # SMS Executive restarts (about once in two days)
            moment += timedelta(seconds=rng.randrange(20, 90))
            startup(log, moment, thread=rng.randrange(3000, 9000))
            moment += timedelta(seconds=9)
            full_sync = True
    return history


def _arrivals(rng: random.Random, per_day: int) -> int:
    """Users discovered in one 5-minute cycle (about `per_day` a day, in bursts)."""
    rate = per_day / 288
    count = 0
    while rng.random() < rate / (1 + rate):
        count += 1
    return count


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__.splitlines()[0],
        epilog="example: python sample_logs/simulate.py 96 out.log  (four days of a busy connector)",
    )
    parser.add_argument("hours", nargs="?", type=float, default=96.0, help="hours to simulate")
    parser.add_argument(
        "target", nargs="?", type=Path, default=Path("simulated.log"), help="the log to write"
    )
    parser.add_argument("--seed", type=int, default=1, help="the same seed writes the same log")
    parser.add_argument("--per-day", type=int, default=60, help="users discovered a day")
    args = parser.parse_args()
    if args.hours <= 0:
        parser.error("hours must be more than 0")
    history = simulate(args.hours, seed=args.seed, per_day=args.per_day)
    args.target.write_text("\ufeff" + history.text(), encoding="utf-8", newline="")
    print(f"{args.target}: {len(history.lines)} lines, {len(history.users)} users")


if __name__ == "__main__":
    main()
