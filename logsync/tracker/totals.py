"""The reconciliation of a cycle's totals (SPEC §4 rules 2 and 2b): who was received, added,
held back, or skipped past its due time.

A cycle's totals line counts the users it received and added, never names them: `CycleTotals`
matches the counts against the users the cycle notified (the tracker's `Ledger`), decides
what it can, leaves for the next complete cycle what only it can tell, and keeps the cycles
whose counts do not add up as evidence.
"""

from __future__ import annotations

from typing import Any, cast

from ..times import moment_time
from .ledger import Ledger, Notified
from .model import MAX_KEPT, USER_NOT_FOUND, CycleEvidence, Moment
from .openings import Openings
from .users import Seen, User, held_unknown

ABSENT = (
    " in a cycle before this one, which does not name it (a user held back is named in every cycle)"
)
"""Of an add told by a user's absence from a complete cycle (rule 2b): when it was added."""
HELD_BEFORE = "not received: held back since before the log (its failure is not in the input)"
HELD_WITHIN = (
    "not received: held back by a failure the input leaves out (the log's first whole cycle "
    "did not name it, so it failed after that)"
)
"""The timeline's note where counts hold back a user with no failure in the input (rule 2b)."""


class CycleTotals:
    """Reads each totals line of a `Ledger`'s cycles (`read`); keeps the undecided users and
    the evidence of cycles that do not reconcile."""

    def __init__(self, ledger: Ledger) -> None:
        self.ledger = ledger
        self.undecided: dict[str, tuple[Seen, int, int]] = {}
        """Users of the last cycle whose counts could not say who was received; the next
        complete cycle tells, by whom it notifies again."""
        self.unreconciled: list[CycleEvidence] = []
        """The first `MAX_KEPT` cycles whose counts do not reconcile."""
        self.unreconciled_count = 0
        self.unnamed = 0
        """Adds that failed, by the totals lines (`received` less `added`), beyond the failure
        lines of their cycles: users the input does not name (an excerpt of totals lines)."""
        self.unnamed_at: tuple[Moment, str, int] | None = None
        """The first such totals line: its moment, source and line."""
        self.first_unnamed: tuple[int, tuple[Moment, str, int]] | None = None
        """Such adds in the input's first cycle whose start is not in it, and its totals line:
        their failure lines may lie before the input, and so may the users' own, who are then
        held back since before it (rule 2b): they count beyond those users (`unnamed_failures`)."""
        self.held_before = 0
        """Users held back since before the input, with no failure in it (rule 2b)."""
        self.held_within = 0
        """Users held back by a failure the input leaves out: first notified after its first
        whole cycle, which did not name them, so not held back since before it."""
        self.room_at: int | None = None
        """The instant of the last totals line whose `received` count is more than the users
        the input names in its cycle: it may have received a user whose line is not in the
        input (an excerpt), so a retry it does not show may have come there."""
        self.first_complete: int | None = None
        """The instant of the totals line of the input's first cycle whose start is in it too:
        a user held back is notified in every cycle, so one first notified after it was not
        held back since before the input (see `outlook`)."""
        self._unseen: set[str] = set()
        """Of the `undecided`, those named in a cycle with no totals line (see `unread`)."""
        self.openings = Openings()
        """Where cycles whose start the input leaves out begin."""
        self._undecided_at: tuple[int, Moment, str, int] | None = None
        """The undecided cycle's start, totals and the totals' line."""
        self._rooms: dict[int, int | None] = {}
        """Users each undecided cycle added, by its totals line's instant (None: unknown)."""
        self.gaps: tuple[int | None, int | None] | None = None
        """Where the input leaves lines out between its parts (`grep -C`'s `--`): the instant
        of the record before the first place (None: no record before it) and of the record
        after the last (None: none after it); None where it leaves none out. A user's failure,
        or its retry, may be there. Set once the input is read (`analysis`)."""
        self.unheard: tuple[int | None, int | None] | None = None
        """Where a silence of the connector shows no stall: as `gaps`, widened to the span of
        each pasted excerpt among the inputs (see `stats.unheard`). Set with `gaps`."""
        self.unfollowed: int | None = None
        """The end of a rotated log that no input goes on from (`stats.unfollowed`)."""
        self.in_a_row = True
        """Whether the cycles of each input are in a row: no input leaves lines out inside it
        nor is a pasted excerpt (a rotated log whose next file is not given is whole)."""

    def unread(
        self, start: int | None, notified: int, here: Moment, source: str, line: int
    ) -> None:
        """A cycle begins (`here`), and `notified` users were named since the last totals line:
        a cycle whose totals line is not in the input (cut off, or left out of an excerpt) named
        them, and whom it received the input cannot say: it may have added a user whose retry
        came there. That cycle began at `start`; or, with no start since the last totals line
        (`start` None: left out too, or before the input), before now: a user whose retry is
        due by now may have been retried there. Whom it received the next complete cycle tells,
        as where a cycle's counts cannot say (`_undecide`). (`Tracker._cycle_begins` calls it
        only so: most cycles name nobody before their start, the last one had its totals.)"""
        self.room_at = here[0] if start is None else start  # (its lines left out too)
        ledger = self.ledger  # (a user whose timer ran out: see `outlook`, retry unseen)
        failed = ledger.failed
        candidates = {
            k: v for k, v in ledger.received.items() if k not in failed and not v[0].failing
        }
        if candidates:
            self._undecide(candidates, here, source, line, None, unseen=True)

    def _maybe_retried(self, us: int) -> None:
        """The users a running timer held back in this cycle, whose counts received more users
        than the input names besides them: a full sync may have retried them (see
        `User.maybe_retried`)."""
        ledger = self.ledger
        start = ledger.cycle_start
        for _, user in ledger.timers.running(us if start is None else start):
            failed = user.last_failure is not None and user.last_failure[0] >= user.last_seen
            if user.cycle == ledger.cycle_no and not failed:
                user.maybe_retried = us  # (one that failed again here was retried, and failed)

    def unnamed_failures(self) -> tuple[int, tuple[Moment, str, int] | None]:
        """The failed adds no failure line names, and the first totals line that shows one:
        those of the input's first cycle count beyond the users held back since before the
        input (each may be one of them: a gate never passes because a failure lies before the
        input, nor counts a user twice where the input shows whom it failed)."""
        if self.first_unnamed is None:
            return self.unnamed, self.unnamed_at
        first, at = self.first_unnamed
        beyond = max(0, first - self.held_before)
        if not beyond:
            return self.unnamed, self.unnamed_at
        return self.unnamed + beyond, at  # (the input's first totals line comes first)

    def regrown(self, key: str, user: User) -> None:
        """A user's record was made a `User`."""
        if key in self.undecided:
            _, when, cycle = self.undecided[key]
            self.undecided[key] = (user, when, cycle)

    def read(
        self, here: Moment, data: Any, source: str, line: int, complete: bool, first_partial: bool
    ) -> None:
        """A totals line (`complete`: its cycle's start is in the input; `first_partial`: it
        ends the first cycle, whose start is not)."""
        ledger = self.ledger
        self.openings.totals()
        if ledger.cycle_start is None and ledger.received:  # (its start not in the input)
            ledger.log.heard_through(min(n[1] for n in ledger.received.values()), here[0])
        if complete:
            if self.first_complete is None:
                self.first_complete = here[0]
            # a user held back is notified in every cycle: who is not, was received before
            if self.undecided:
                self._decide_by_presence(here, source, line)
            if ledger.held:
                self._released_by_absence(here, source, line)
        received = ledger.received
        failed = ledger.failed
        named = ledger.notified  # the users the input names in the cycle
        failures = unheld = 0
        if failed:  # (most cycles fail nobody)
            unheld = sum(1 for key in failed if key not in received)
            named += unheld
            failures = sum(failed.values())
        unnamed = data.received - data.added - failures
        # (a redacted name several users share counts once among the names: see `more_users`)
        more = self.openings.more_users(received, ledger.cycle_no) if received else 0
        got = data.received - more if more <= data.received else 0  # (counted as names are)
        # (users a timer holds back are named, not received: rule 2)
        if got > len(received) + unheld:
            self.room_at = here[0]
            self._maybe_retried(here[0])
        if unnamed > 0 and first_partial:  # (its failures, and the users, may precede it)
            self.first_unnamed = (unnamed, (here, source, line))
        elif unnamed > 0:
            self.unnamed += unnamed
            if self.unnamed_at is None:
                self.unnamed_at = (here, source, line)
        if not received and not failed:  # most cycles: nobody to add
            if got and not first_partial:  # (its users may precede the input)
                self._unreconciled_cycle(here, source, line, data, 0)
            return
        candidates = (
            {key: value for key, value in received.items() if key not in failed}
            if failed
            else received
        )
        taken = got - (len(received) - len(candidates))  # not failed, received
        if got == len(received) and not (first_partial and candidates):
            if data.added >= len(candidates):
                # The add happened with the request; the totals line only confirms it.
                for key, (user, requested_at, _) in candidates.items():
                    self._confirm(key, user, requested_at, here, source, line)
            else:
                self._unreconciled_cycle(here, source, line, data, len(received))
        elif got == len(received) or (
            first_partial and got >= named and len(candidates) <= data.added
        ):
            # the log starts inside this cycle: the users it shows may not be those received
            # (users it notified before the input count in its totals too; those the next
            # cycle finds received were added, as many as the totals allow)
            self._undecide(candidates, here, source, line, data.added)
        elif (uncertain := sum(1 for _, _, maybe in candidates.values() if maybe)) and (
            0 < taken == len(candidates) - uncertain
        ):
            # everyone received but the users that may be held back since before the input
            if data.added >= taken:
                for key, (user, requested_at, maybe) in candidates.items():
                    if maybe:
                        self._hold(key, user, here, source, line)
                        self._held_now(key, user)
                    else:
                        self._confirm(key, user, requested_at, here, source, line)
            else:
                self._unreconciled_cycle(here, source, line, data, len(received))
        elif data.added == 0 and (got == 0 or taken == 0):
            # nobody was received beyond the failed users (with received = 0, not even those):
            # the others are held back, or were skipped by the connector past their due time
            pool = received if got == 0 else candidates
            others = False
            start = here[0] if ledger.cycle_start is None else ledger.cycle_start
            for key, (user, _, _) in pool.items():
                others |= not self._not_received(key, user, start, here, source, line)
            if others:
                self._unreconciled_cycle(here, source, line, data, len(received))
        elif uncertain and 0 < taken < len(candidates) and data.added <= taken:
            # some users that may be held back were received: the next cycle will tell which
            self._undecide(candidates, here, source, line, data.added)
        else:
            self._unreconciled_cycle(here, source, line, data, len(received))
        if data.added == 0:  # nobody was added in this cycle, whatever else its counts say
            # (users `_hold` made `User`s are in `received` as such: see `Ledger.grown`)
            for key, (user, _, _) in received.items():
                self._held_now(key, user)
        elif failed:  # a user that failed in it was not added in it either, whoever else was
            for key in failed.keys() & received.keys():
                self._held_now(key, received[key][0])

    def _not_received(
        self, key: str, user: Seen, cycle_start: int, here: Moment, source: str, line: int
    ) -> bool:
        """A user notified and not received in the cycle that started at `cycle_start`
        (counts that leave no room for it): held back, or skipped past its due time; False
        when neither can be (it was added before, or failed for another reason)."""
        if held_unknown(user):
            # past the latest due time, or after a restart's full sync: the retry did not come
            bound = self.ledger.bound_cycle
            if (bound is not None and cycle_start >= bound[0]) or user.failure_restarts != len(
                self.ledger.restarts
            ):
                self._skipped(key, cast(User, user), here, source, line)
            return True
        if user.failing and user.reason == USER_NOT_FOUND:
            due = user.full_sync_due
            restarted = user.failure_restarts != len(self.ledger.restarts)
            past_due = (  # (a cycle in the due time's second or minute: not known to be past)
                due is not None and cycle_start >= due and cycle_start >= due + self.ledger.log.unit
            )
            if (past_due or restarted) and not self.ledger.no_times:  # (no times: unknown)
                self._skipped(key, cast(User, user), here, source, line)
            return True
        if not user.ever_failed and user.synced_at is None:
            self._hold(key, user, here, source, line)
            return True
        return False

    def _held_now(self, key: str, user: Seen) -> None:
        """The counts of the cycle under way left no room for the user: not added in it."""
        held = self.ledger.held.get(key, user)
        if type(held) is User:
            held.held_in = user.cycle

    def _skipped(self, key: str, user: User, here: Moment, source: str, line: int) -> None:
        user.skipped += 1
        detail = "notified after full sync due, not received (received = 0)"
        self.ledger.note(key, here, "skipped", detail, source, line)

    def _hold(self, key: str, user: Seen, here: Moment, source: str, line: int) -> None:
        """Rule 2b: a user with no failure in the input, notified and not received, is held
        back since before the input (a known one stays so; one whose failure is in an input with
        no times is held back by its timer, which may still run), or, first notified after the
        input's first whole cycle, by a failure in what the input leaves out."""
        if held_unknown(user) or user.failing:
            return
        ledger = self.ledger
        grown = ledger.grown(key, user)
        within = self.first_complete is not None and user.first_seen > self.first_complete
        if within:
            self.held_within += 1
        else:
            self.held_before += 1
        grown.failing = grown.ever_failed = True
        grown.before_input = not within
        unnamed = self.unnamed_at  # (a failed add no line names: it may be the user's)
        if within or (unnamed is not None and unnamed[0][0] <= here[0]):
            grown.failed_by = here[0]
        grown.reason = None
        grown.full_sync_due = None
        grown.recovered_at = None
        grown.failure_restarts = len(ledger.restarts)
        grown.restart_cycle = None
        ledger.held[key] = grown
        ledger.note(
            key,
            here,
            "held_back",
            HELD_WITHIN if within else HELD_BEFORE,
            source,
            line,
        )

    def _undecide(
        self, candidates: dict[str, Notified], here: Moment, source: str, line: int,
        added: int | None, unseen: bool = False,
    ) -> None:
        """Counts that cannot say who of these users was received: the next complete cycle
        tells (a user held back is notified again; one received and added is not). With no
        counts (`unseen`, see `unread`), only the first: a user missing from the next cycle
        may have failed in the lines its totals were left out with (failed users are not
        notified again), so it stays undecided."""
        # (the users of an earlier cycle no complete cycle has decided stay undecided)
        cycle = here[0]  # (its totals line's: its users are decided against its adds)
        new = {key: (user, when, cycle) for key, (user, when, _) in candidates.items()}
        self.undecided = {**self.undecided, **new}
        start = self.ledger.cycle_start
        self._undecided_at = (here[0] if start is None else start, here, source, line)
        self._rooms[cycle] = added
        detail = "the cycle's counts cannot say whether it was received or held back"
        if unseen:
            detail = "the cycle's totals are not in the input: whether it was received or held back"
            self._unseen.update(candidates)
        else:
            self._unseen.difference_update(candidates)
        for key in new:
            self.ledger.note(key, here, "undecided", detail, source, line)

    def _decide_by_presence(self, here: Moment, source: str, line: int) -> None:
        """Decide the last undecided cycle: a user notified again in this complete cycle was
        held back then; one that is not was received then and added (no failure line named
        it), unless the connector was not heard since (`ConnectorLog.unheard`): then it stays
        undecided (held back then, it may have been passed over since, past its due time); as
        do all of them where more are missing than that cycle added: a received user whose
        failure line the input leaves out (`grep -v Failed`) is not named again either."""
        assert self._undecided_at is not None
        start, then, then_source, then_line = self._undecided_at
        unheard = self.ledger.log.unheard
        silent = unheard is not None and unheard[1] > start
        failed, cycle_no = self.ledger.failed, self.ledger.cycle_no
        kept: dict[str, tuple[Seen, int, int]] = {}
        missing: dict[int, list[tuple[str, Seen, int]]] = {}
        for key, (user, requested_at, cycle) in list(self.undecided.items()):
            if key in failed:
                continue  # its failure in this cycle speaks for it
            if user.cycle == cycle_no:
                self._not_received(key, user, start, then, then_source, then_line)
            elif silent or key in self._unseen:
                kept[key] = (user, requested_at, cycle)
            else:
                missing.setdefault(cycle, []).append((key, user, requested_at))
        for cycle, users in missing.items():
            room = self._rooms.get(cycle)
            for key, user, requested_at in users:
                if room is not None and len(users) > room:
                    kept[key] = (user, requested_at, cycle)
                else:
                    self._confirm(key, user, requested_at, here, source, line, ABSENT)
        self.undecided = kept
        self._rooms = {cycle: self._rooms.get(cycle) for _, _, cycle in kept.values()}
        self._unseen.intersection_update(kept)
        self._undecided_at = self._undecided_at if kept else None

    def _released_by_absence(self, here: Moment, source: str, line: int) -> None:
        """A user held back since before the input that this complete cycle does not notify
        was received in the cycle before, and added there; unless that cycle's counts left no
        room for it (`received = 0`): then the connector passed it over, as it passes over a
        user past its due time, and it is not added. Of a user whose failure is not in the
        input, the timer ran out by then: this cycle is the one it was due in
        (`User.due_cycle`), and it is overdue once that is past."""
        ledger = self.ledger
        restarts = len(ledger.restarts)
        cycle_no = ledger.cycle_no
        unheard = ledger.log.unheard  # (since the user's last cycle, a silence of the
        # connector: whether that cycle was the last before this one, who can say)
        for key, user in list(ledger.held.items()):
            if user.cycle != cycle_no and user.failure_restarts == restarts:
                if user.held_in != user.cycle:
                    if unheard is None or unheard[1] <= user.last_seen:
                        self._confirm(key, user, user.last_seen, here, source, line, ABSENT)
                elif user.due_cycle is None and user.reason is None:  # (none in the input)
                    # its timer ran out by this cycle's start (a user that failed in the cycle
                    # before, even with no time, is missing for another reason: it just failed)
                    start = ledger.cycle_start
                    assert start is not None  # (read only of a complete cycle: see `read`)
                    user.due_cycle = (start, here[1])
                    detail = "passed over: not notified, nor received, after its timer ran out"
                    ledger.note(key, user.due_cycle, "skipped", detail, source, line)

    def _confirm(
        self,
        key: str,
        user: Seen,
        requested_at: int,
        here: Moment,
        source: str,
        line: int,
        why: str = "",
    ) -> None:
        """A user received at `requested_at` added (shown at `here`, the totals line that says
        so; `why` the words of an add told by the user's absence from this cycle)."""
        ledger = self.ledger
        user.synced_at = requested_at
        if user.failing:
            user = cast(User, user)
            user.failing = False
            user.recovered_at = requested_at
            ledger.held.pop(key, None)
            if key == ledger.follow:
                ledger.note(key, here, "added", "added to the cloud: recovered" + why, source, line)
        elif key == ledger.follow:
            ledger.note(key, here, "added", "added to the cloud" + why, source, line)

    def _unreconciled_cycle(
        self, here: Moment, source: str, line: int, data: Any, notified: int
    ) -> None:
        """Counts that do not add up confirm nobody; the cycle is kept as evidence: its start
        line, or the totals line when the log starts inside the cycle."""
        ledger = self.ledger
        self.unreconciled_count += 1
        detail = (
            f"cycle counts do not reconcile: received {data.received}, added {data.added}, "
            f"{notified} notified and not held back"
        )
        for key, (user, _, uncertain) in ledger.received.items():
            ledger.note(key, here, "not_confirmed", detail, source, line)
            if user.failing and not uncertain and key not in ledger.failed:  # (retried: then?)
                cast(User, user).maybe_retried = here[0]
        if len(self.unreconciled) < MAX_KEPT:
            start = ledger.cycle_start
            started = start is not None
            self.unreconciled.append(
                CycleEvidence(
                    time=moment_time(here[0] if start is None else start, here[1]),
                    source=ledger.cycle_where[0] if started else source,
                    line=ledger.cycle_where[1] if started else line,
                    totals_line=line,
                    received=data.received,
                    added=data.added,
                    notified=notified,
                )
            )
