"""What the command line says on stderr beside its output (SPEC's notes), and the reading and
judging that every command that concludes shares: a progress bar, then the notes."""

from __future__ import annotations

import difflib
import os
import re
from collections.abc import Collection, Iterable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

from .. import times
from ..formats.paste import redacted
from ..masks import masked_as
from ..safety import visible
from ..sources import display_name
from ..times import human_duration
from ..tracker import SHARED_NAME
from ..tracker.users import user_key
from .application import Env
from .localtimes import note_local_times
from .options import Common

if TYPE_CHECKING:  # (imported by the functions that use them: --help needs none)
    from datetime import datetime

    from ..analysis import Analysis
    from ..sources import InputStats, Progress


PROGRESS_MIN_BYTES = 32 << 20
"""Inputs smaller than this are read too fast for a progress bar to help."""


@contextmanager
def reading(opts: Common, env: Env, enabled: bool = True) -> Iterator[Progress | None]:
    """A progress callback drawing a bar on stderr, for long inputs and a terminal only."""
    total = sum(os.path.getsize(p) for p in opts.paths if p != "-" and os.path.isfile(p))
    if not enabled or opts.quiet or not env.stderr_isatty or total < PROGRESS_MIN_BYTES:
        yield None
        return
    from ..render.progress import byte_progress

    with byte_progress(total, env.stderr, opts.color) as advance:
        yield advance




MAX_SUGGESTIONS = 5


def did_you_mean(wanted: str, names: Iterable[str]) -> str:
    """`; did you mean heidi@contoso.com?` for a part of a UPN (or a glob, or a close spelling),
    or nothing."""
    key = wanted.lower().strip("*?[]")
    names = list(names)
    found = [name for name in names if key and key in name.lower()]
    if not found:
        lowered = {name.lower(): name for name in names}
        close = difflib.get_close_matches(key, lowered, MAX_SUGGESTIONS, 0.85)
        found = [lowered[name] for name in close]
    wanted_local = re.sub(r"[*?\[\]]", "", wanted.lower()).partition("@")[0]
    if not found and wanted_local:  # a misspelt name before the @ (`bobb*`, `rob*t`, `bobb@*`)
        local: dict[str, list[str]] = {}
        for name in names:
            local.setdefault(name.lower().partition("@")[0], []).append(name)
        close = difflib.get_close_matches(wanted_local, local, MAX_SUGGESTIONS, 0.75)
        found = [name for part in close for name in local[part]]
    if not found:
        return ""
    shown = ", ".join(visible(name) for name in found[:MAX_SUGGESTIONS])
    more = f" and {len(found) - MAX_SUGGESTIONS} more" if len(found) > MAX_SUGGESTIONS else ""
    return f"; did you mean {shown}{more}?"


def unmatched_users(opts: Common, upns: Iterable[str], where: str = "the log") -> str | None:
    """`--user bobb@contoso.com matches no user of the log; did you mean …?` when the `--user`
    globs match none of `upns` (the users of `where`), else None."""
    names = list(upns)
    if not opts.users or any(opts.wants(name) for name in names):
        return None
    globs = " ".join(f"--user {visible(glob)}" for glob in opts.users)
    noun = "matches" if len(opts.users) == 1 else "match"
    return f"{globs} {noun} no user of {where}{did_you_mean(opts.users[0], names)}"


def unmatched_in(opts: Common, analysis: Analysis) -> str | None:
    """`unmatched_users` of the users judged (`judged_log`)."""
    return unmatched_users(opts, analysis.upns(), judged_log(opts, analysis))


def judged_log(opts: Common, analysis: Analysis) -> str:
    """"the log", or "the log up to T" where `--now` left later records out: a user not in
    the answer may be there."""
    if analysis.left_out:
        return f"the log up to {opts.display.iso(analysis.as_of)}"
    return "the log"


def judge(opts: Common, env: Env, **extra: Any) -> Analysis:
    """Read and judge the inputs (with a progress bar on a terminal); say on stderr how many
    records `--now` left out."""
    with reading(opts, env) as progress:
        analysis = opts.analyze(progress=progress, **extra)
    if analysis.left_out and not opts.quiet:
        noun = "record" if analysis.left_out == 1 else "records"
        env.stderr.write(
            f"logsync: as of {opts.display.iso(analysis.as_of)}: {analysis.left_out:,} later "
            f"{noun} left out\n"
        )
    note_local_times(analysis.inputs, opts, env)
    note_unparsed(analysis.inputs, opts, env)
    note_apart(analysis.inputs, analysis.as_of, opts, env)
    note_unheard(analysis, opts, env)
    note_to_the_minute(analysis, opts, env)
    note_runs(analysis.runs, opts, env)
    note_duplicates(analysis.duplicates, opts, env)
    note_log_end(analysis, opts, env)
    note_after_log(analysis, opts, env)
    undetermined = analysis.result.undetermined
    if undetermined and not opts.quiet:
        users = "1 user was" if undetermined == 1 else f"{undetermined:,} users were"
        where = "before it; the earlier log (CloudUserSync.lo_) would tell"
        totals = analysis.tracker.totals
        if totals.gaps is not None or analysis.tracker.log.unheard or totals.held_within:
            where = "before it or in the lines it leaves out; the whole log would tell"
        env.stderr.write(
            f"logsync: {users} notified with no outcome in the log: the counts of their cycles "
            f"cannot say whether they were held back by a failure {where}\n"
        )
    unnamed = analysis.result.unnamed_failures
    if unnamed and not opts.quiet:  # (every output but check's own lines would not say it)
        from ..render import unnamed_text

        text = unnamed_text(unnamed, analysis.result.unnamed_at, explained=True)
        env.stderr.write(f"logsync: {text}\n")
    note_outdated(analysis.cloud.outdated if analysis.cloud is not None else (), opts, env)
    note_created_later(analysis, opts, env)
    note_masked(analysis, opts, env)
    return analysis


_MOST_SEARCHED = 10_000
"""Users past which the names of all are not searched for redacted ones (a redaction leaves
few names; a log of that many users holds their names)."""


def _redacted_failed(analysis: Analysis) -> list[str]:
    """The redacted names that failed and that no cycle names twice (judged as one user's),
    whatever users the output lists: a gate may pass on what such a name hides."""
    users = analysis.tracker.users
    several = analysis.tracker.totals.openings.several
    listed = (user.upn for user in analysis.result.users if user.failures)
    names = (user.upn for user in users.values() if user.failures)
    return [
        upn
        for upn in (names if len(users) <= _MOST_SEARCHED else listed)
        if redacted(upn) and user_key(upn) not in several
    ]


def note_masked(analysis: Analysis, opts: Common, env: Env) -> None:
    """Say which redacted names several users share (`tracker.SHARED_NAME`), that one that
    failed is judged as one user's where no cycle shows it is several's, and which masked
    names may be users of the input named in full elsewhere in it (`masks.masked_as`): each is
    judged as two users, neither with its whole history."""
    if opts.quiet:
        return
    from ..render import times_words

    several = analysis.tracker.totals.openings.several
    for user in analysis.result.users:
        if user.pending_reason == SHARED_NAME:
            (us, zone), source, line = several[user_key(user.upn)]
            where = visible(display_name(source)) + (f":{line}" if line else "")
            when = opts.display.iso(times.moment_time(us, zone))  # (None: the input has no times)
            at = f" at {when}" if when is not None else ""
            users = user.shared_by
            env.stderr.write(
                f"logsync: {visible(user.upn)} is the name of at least {users} users (named again "
                f"in one cycle{at}, {where}; one cycle names it {times_words(users)}): judged as "
                f"one, pending, whose outcome is unknown, that a gate counts as {users} at least "
                "(no limit passes); give their names unredacted to judge each\n"
            )
    for upn in _redacted_failed(analysis):
        env.stderr.write(
            f"logsync: {visible(upn)} is a redacted name, judged as one user (no cycle names it "
            "twice): if it stands for several, their failures and states are judged as one's, "
            "and a gate counts one; give the names unredacted to judge each\n"
        )
    for masked, names in masked_as(analysis.tracker.users.upns()):  # (listed or not)
        shown = [visible(name) for name in names[:3]]
        if len(names) > 3:
            shown.append(f"{len(names) - 3} others")
        which = " or ".join([", ".join(shown[:-1]), shown[-1]] if len(shown) > 1 else shown)
        env.stderr.write(
            f"logsync: {visible(masked)} may be {which}, its name masked in some lines only: "
            "judged as two users, neither state may hold; mask the name in every line, or in "
            "none\n"
        )


def note_after_log(analysis: Analysis, opts: Common, env: Env) -> None:
    """Say which sibling logs' records about the connector come after its own log's last,
    left out of the judgement (a folder copied after the connector's log was exported), and
    the `--now` that counts them."""
    late = analysis.after_log
    if late and not opts.quiet:
        last = max(late, key=lambda row: row[0])
        when = opts.display.iso(times.moment_time(last[0], last[1]))
        names = ", ".join(dict.fromkeys(visible(display_name(row[4])) for row in late))
        records, them = ("1 record", "it") if len(late) == 1 else (f"{len(late)} records", "them")
        env.stderr.write(
            f"logsync: {names}: {records} about the connector after its own log ends, up to "
            f"{when}, left out (judged as of the connector's log); --now {when} counts {them}\n"
        )


def note_outdated(outdated: Collection[str], opts: Common, env: Env) -> None:
    """Say which users of the Azure AD export the log failed with UserNotFound after it was
    taken (`CloudUsers.outdated`): what the export says of them, the log contradicts."""
    if outdated and not opts.quiet:
        from ..render import count_of

        names = ", ".join(sorted(outdated)[:3]) + (", …" if len(outdated) > 3 else "")
        env.stderr.write(
            f"logsync: {count_of(len(outdated), 'user')} of the Azure AD export "
            f"({visible(names)}) failed with UserNotFound after it was taken: whether Azure AD "
            "holds them now, a newer export would tell\n"
        )


def note_created_later(analysis: Analysis, opts: Common, env: Env) -> None:
    """Say which users listed the Azure AD export holds, but created there after the time
    judged at (its `createdDateTime`): every output says they were not in Azure AD then."""
    cloud, as_of = analysis.cloud, analysis.as_of
    if cloud is None or opts.quiet:
        return
    later = [
        user.upn
        for user in analysis.users
        if user.in_azure_ad is False and cloud.created_after(user.upn, as_of)
    ]
    if later:
        from ..render import count_of

        names = ", ".join(later[:3]) + (", …" if len(later) > 3 else "")
        env.stderr.write(
            f"logsync: {count_of(len(later), 'user')} of the Azure AD export ({visible(names)}) "
            f"{'was' if len(later) == 1 else 'were'} created there after "
            f"{opts.display.iso(as_of)} (createdDateTime): not in Azure AD as of then\n"
        )


def note_log_end(analysis: Analysis, opts: Common, env: Env) -> None:
    """SPEC §4 rule 5: say once on stderr that the log has no times, or that it ended long
    before the wall clock (`Analysis.ended_ago`); also with --quiet, which leaves out the header
    that says it: what the times shown are (none, or as of the log's end, not now)."""
    end = analysis.as_of
    if times.timeless(end):
        env.stderr.write(
            f"logsync: {times.NO_TIMES_REASON}: its lines are read in order; every time, timer "
            "and due time is null\n"
        )
    elif analysis.ended_ago is not None:
        env.stderr.write(
            f"logsync: the log ends {opts.display.iso(end)} ({human_duration(analysis.ended_ago)}"
            " ago); times are as of its last record; --now now judges as of now\n"
        )
    elif analysis.ahead is not None:
        env.stderr.write(
            f"logsync: the log ends {opts.display.iso(end)}, {human_duration(analysis.ahead)} "
            "after this machine's clock: the site server's clock is ahead, this one's behind, or "
            "the log's UTC offsets are wrong; times are as of its last record\n"
        )


def note_runs(runs: Iterable[tuple[str, int]], opts: Common, env: Env) -> None:
    """Say which inputs hold runs whose times go back (files pasted together): read merged by
    time, as separate files would be."""
    if opts.quiet:
        return
    for name, count in runs:
        if count < 2:  # (an export newest first, read in reverse: one run, said as it was read)
            continue
        back = "once" if count == 2 else f"{count - 1} times"
        env.stderr.write(
            f"logsync: {visible(display_name(name))}: time goes back {back} (logs pasted "
            f"together?); its {count} runs are merged by time\n"
        )


def note_duplicates(duplicates: int, opts: Common, env: Env) -> None:
    """Say how many records two inputs, or two runs of one (a file pasted twice), both held
    (overlapping exports), each counted once."""
    if duplicates and not opts.quiet:
        records = "1 record" if duplicates == 1 else f"{duplicates:,} records"
        env.stderr.write(
            f"logsync: {records} found in more than one input or run (the same instant, thread, "
            "component and text) counted once; the copies were left out\n"
        )


def note_unparsed(inputs: Iterable[InputStats], opts: Common, env: Env) -> None:
    """Say which inputs hold lines that are no record (a log cut inside its last line, text
    around a pasted excerpt): they were not judged, and `events` shows them. Sibling logs, read
    only for their records about the connector, are left out."""
    if opts.quiet:
        return
    for stats in inputs:
        if stats.sibling:
            continue
        name = visible(display_name(stats.path))
        if stats.format == "empty":  # (left out beside inputs that hold records)
            env.stderr.write(f"logsync: {name} is empty (a log just rotated?): nothing to read\n")
        if stats.gaps:
            places = "1 place" if stats.gaps == 1 else f"{stats.gaps:,} places"
            env.stderr.write(
                f"logsync: {name}: an excerpt that leaves lines out in {places} (grep's `--`, "
                "`...`): users whose failure or retry may be there are pending; the whole log "
                "would tell\n"
            )
        if stats.untimed_head:
            head = stats.untimed_head
            records = "record comes" if head == 1 else f"{head:,} records come"
            env.stderr.write(
                f"logsync: {name}: its first {records} "
                f"before its first time ({opts.display.iso(stats.first_time)}), by how much it "
                "does not say: a user they leave failing is held back since before that time\n"
            )
        # (a rotated log's last line says it; an excerpt's gaps are said above)
        unparsed = stats.unread  # (lines cut off: refused)
        if unparsed:
            lines = "1 line is" if unparsed == 1 else f"{unparsed:,} lines are"
            env.stderr.write(
                f"logsync: {name}: {lines} no record and not judged "
                "(logsync events --kind unparsed lists them)\n"
            )


def note_unheard(analysis: Analysis, opts: Common, env: Env) -> None:
    """Say where the connector was not heard for longer than it may be silent before it counts
    as stalled, and then was again (`ConnectorLog.unheard`): lines may be left out there. Not
    of excerpts alone (dated lines someone chose): so much is known; nor where
    the input marks lines left out (`[snip]`, `--`: said with its input)."""
    from ..tracker.connector import leaves_out

    span = analysis.tracker.log.unheard
    pasted = all(s.chosen for s in analysis.inputs if not s.sibling)  # (see `stats.chosen`)
    if span is None or opts.quiet or pasted:
        return
    if leaves_out(analysis.unheard_within, *span):
        return
    table, shown = analysis.tracker.zone_table, opts.display.moment_iso
    silence = human_duration((span[1] - span[0]) / 1_000_000)
    env.stderr.write(
        f"logsync: the connector was not heard from {shown(table.moment(span[0]))} to "
        f"{shown(table.moment(span[1]))} ({silence} with no cycle, then cycles again): lines may "
        "be left out there (an excerpt in pieces?), or it stalled; users whose failure or retry "
        "may be there are pending\n"
    )


APART_SECONDS = 86400
"""Inputs further apart than this (a day: the per-user timer) leave a hole in the history:
rotated halves of one log meet within seconds."""


def note_apart(
    inputs: Iterable[InputStats], as_of: datetime | None, opts: Common, env: Env
) -> None:
    """Say where the inputs leave more than a day that none of them holds (logs of other weeks
    given together): what happened then is in none, though they are read as one. Inputs that
    begin after `as_of` were left out."""
    if opts.quiet or as_of is None or times.timeless(as_of):
        return
    judged = times.instant_key(as_of)
    spans = sorted(
        (
            (times.instant_key(s.first_time), times.instant_key(s.last_time), s)
            for s in inputs
            if not s.sibling
            and s.first_time is not None
            and s.last_time is not None
            and times.instant_key(s.first_time) <= judged
        ),
        key=lambda span: span[0],
    )
    if not spans:
        return
    end, before = spans[0][1], spans[0][2]  # the input that reaches furthest so far
    for start, last, after in spans[1:]:
        if start - end > APART_SECONDS:
            env.stderr.write(
                f"logsync: {visible(display_name(before.path))} ends "
                f"{opts.display.iso(before.last_time)} and {visible(display_name(after.path))} "
                f"begins {opts.display.iso(after.first_time)}, {human_duration(start - end)} "
                "later: what happened between is in neither, though they are read as one "
                "history\n"
            )
        if last > end:
            end, before = last, after


_MINUTE_US = 60_000_000
_OBSERVED = (0, 1, 4, 5, 6, 7)
"""Of `UserState.instants`, those read from records (failures, recovery, sync, first and last
seen), not worked out."""


def note_to_the_minute(analysis: Analysis, opts: Common, env: Env) -> None:
    """Say where pasted times are to the minute (rows pasted into a spreadsheet, saved with its
    `m/d/yyyy h:mm`): a due time is then up to a minute early, and whether the cycle in its
    minute came before it or after is not known (a recovery foretold up to a cycle late; the
    cycles' schedule, to the minute, up to a minute early)."""
    if opts.quiet or not analysis.tracker.log.unit:  # (to the second, at least)
        return
    seen = {  # (three times at least: one line's time is every instant of its user)
        us for user in analysis.result.users for us in map(user.instants.__getitem__, _OBSERVED)
        if us is not None
    }
    if len(seen) >= 3 and not any(us % _MINUTE_US for us in seen):
        env.stderr.write(
            "logsync: the input's times are to the minute (rows saved from a spreadsheet?): due "
            "times may be up to a minute early, and each recovery foretold up to a minute early "
            "or a cycle late; copy the rows with their seconds to know\n"
        )
