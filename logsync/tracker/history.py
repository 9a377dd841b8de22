"""The history `timeline` shows: the steps of one user and of the connector, kept as the rows
are read. The user is named whole, or in part (`TrackerOptions.follow_part`): then it is the
user whose UPN the part is, else the first user met whose UPN holds it, so that the part is
resolved in the same reading."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta

from ..times import iso, moment_time, timeless
from .model import LATEST, TIME_MARK, Moment, Step, UserState, ZoneTable, timer_label


def step_of(
    time: datetime,
    what: str,
    template: str,
    source: str,
    line: int,
    instants: Sequence[int],
    zones: ZoneTable,
) -> Step:
    """A step whose `template` names the `instants` (see `Step.template`), each in the offset
    the log used then as far as `zones` knows it: made once the whole log is read, so that a
    change of offset after the step is known (SPEC §4 rule 8)."""
    if not instants:
        return Step(time, what, template, source, line)
    times = tuple(moment_time(us, zones.at(us)) for us in instants)
    step = Step(time, what, template, source, line, times, template)
    return step._replace(detail=step.text(iso))


class History:
    """The steps kept for the followed user (`key`) and the connector."""

    def __init__(self, follow: str | None, part: bool, zones: ZoneTable) -> None:
        self.on = follow is not None
        """Whether any history is kept."""
        self.part = follow if part else None
        """The part of a UPN to follow (lower case), if given in part."""
        self.key = None if part else follow
        """The key of the user whose steps are kept (with a part: once met, see `met`)."""
        self.matches: list[str] = []
        """With a part: the keys that hold it, in the order met."""
        self._zones = zones
        """The offsets the log used, as read (complete once the whole log is)."""
        self._kept: list[tuple[str | None, Moment, str, str, str, int, tuple[int, ...]]] = []
        """Each step as noted: its user (None: the connector's), moment, kind, detail (a
        template where it names `times`), file, line and the instants it names."""

    def note(
        self, key: str | None, at: Moment, what: str, detail: str, source: str, line: int,
        times: tuple[int, ...] = (),
    ) -> None:
        """A step of the followed user's timeline (`key` None: a step of the connector's), kept
        if history is kept; `times`: the instants its `detail` names (see `Step.times`). Made
        a `Step` by `followed`, once the log's offsets are known."""
        if self.on and (key is None or key == self.key):
            self._kept.append((key, at, what, detail, source, line, times))

    def met(self, key: str) -> str | None:
        """A user met for the first time: a match when its key holds the part; the user whose
        key it is, else the first match, is followed (the key returned). Once the user whose key
        it is is met, no other matters: the name is no longer a part (no user met after is
        looked at)."""
        part = self.part
        if part is not None and part in key:
            self.matches.append(key)
            if key == part:
                self.key, self.part = key, None
            elif self.key is None:
                self.key = key
        return self.key

    def named(self) -> str | None:
        """The key of the user the name given names: the user whose key it is, else the only
        one whose key holds it; None when no user, or several, do."""
        if self.key is None or self.part is None:
            return self.key
        return self.key if self.key == self.part or len(self.matches) == 1 else None

    def followed(self) -> list[Step]:
        """The steps of the followed user and the connector's, in the order kept, naming their
        times in the offsets the log used (as far as it is read)."""
        key, zones = self.key, self._zones
        return [
            step_of(moment_time(*at), what, detail, source, line, times, zones)
            for of, at, what, detail, source, line, times in self._kept
            if of in (None, key)
        ]


def fold_held_back(steps: list[Step]) -> list[Step]:
    """A run of held-back notifications (one per cycle) as one step: the first, with the count
    and the last time."""
    folded: list[Step] = []
    run: list[Step] = []
    for step in [*steps, None]:
        if step is not None and step.what == "held_back" and step.detail.startswith("notified"):
            run.append(step)
            continue
        if len(run) == 1:
            folded.append(run[0])
        elif run:
            first, last = run[0], run[-1]
            held = f"; held back in {len(run)} cycles"
            detail, template = first.detail + held, (first.template or first.detail) + held
            times = first.times
            if not timeless(last.time):
                detail += f", the last at {iso(last.time)}"
                template, times = f"{template}, the last at {TIME_MARK}", (*times, last.time)
            folded.append(
                Step(first.time, "held_back", detail, first.source, first.line, times, template)
            )
        run = []
        if step is not None:
            folded.append(step)
    return folded


def outlook_steps(user: UserState, timer: timedelta) -> list[Step]:
    """The computed steps of a user's timeline: when its timer runs out, when it should recover."""
    steps = []
    if user.full_sync_due is not None:
        detail = f"{timer_label(timer)} timer runs out"
        steps.append(Step(user.full_sync_due, "full_sync_due", detail))
    elif user.full_sync_due_by is not None:
        timer_text = timer_label(timer)
        detail = f"{timer_text} timer runs out at the latest (its failure is before the log)"
        steps.append(Step(user.full_sync_due_by, "full_sync_due", detail))
    if user.stuck and user.expected_recovery is not None:
        how = "observed cycle" if user.expected_recovery_observed else "predicted cycle"
        latest = ", at the latest" if user.bound == LATEST else ""
        steps.append(
            Step(user.expected_recovery, "expected_recovery", f"{how} ({user.recovery_by}{latest})")
        )
    return steps
