"""Which events `events` writes: inside the time bounds (the reader's one bound rule,
`bounds`), of the kinds asked for, naming a user `--user` takes. One filter for every way the
events are written (`render.ndjson`'s chunks and the event stream)."""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Iterator, Sequence
from dataclasses import dataclass, field

from . import events as catalogue
from .bounds import Bound
from .times import timeless

HELD_NAMES = 1 << 15
"""Users named by the input held while `--user` matches none of them, to say whom it may have
meant (the first so many: a log of 182,000 users held them all, 112 MB)."""


@dataclass
class Filters:
    """Which events `events` writes beyond their kind: those inside the time `bounds`
    (`--since`, `--until`, by the reader's one bound rule, `bounds`) that name a user `wants`
    takes (`--user`). With `wants`, `seen` collects every user the input names, of any kind,
    inside the bounds or not, until one is taken (to say when `--user` matches nobody, and
    whom it may have meant: the first `HELD_NAMES` of them)."""

    bounds: Sequence[Bound] = ()
    wants: Callable[[str], bool] | None = None
    kinds: Collection[str] | None = None
    """The kinds written (`--kind`; None: every kind). The bounds judge every record, whatever
    its kind: an unparsed line goes with the record before it in the input."""
    seen: dict[str, None] = field(default_factory=dict)
    matched: bool = field(init=False, default=False)
    """Whether `wants` took a user the input names (`seen` then holds only that one)."""
    keep: bool = field(init=False, default=True)
    """Whether the last record read was inside the bounds: an unparsed line goes with it."""

    def __post_init__(self) -> None:
        self.keep = all(bound.upper for bound in self.bounds)  # (a line before any record)

    def names(self, data: object) -> bool:
        """Whether an event with `data` is kept by `--user`; the user it names is noted until
        one is kept (then `seen` holds that one: `--user` matches, whatever comes after)."""
        wants = self.wants
        if wants is None:
            return True
        upn: str | None = getattr(data, "upn", None)
        if not upn:
            return False
        taken = wants(upn)
        if not self.matched:
            if taken:
                self.seen, self.matched = {upn: None}, True
            elif len(self.seen) < HELD_NAMES:
                self.seen.setdefault(upn)
        return taken

    def inside(self, event: catalogue.Event) -> bool:
        """Whether an event is inside the bounds (an unparsed line: as the record before)."""
        time = event.time
        if time is not None and self.bounds:
            if timeless(time):
                from .formats.paste import before_times, judged_at_a_time
                from .sources import display_name

                if not before_times(time):
                    raise judged_at_a_time(self.bounds[0].option, display_name(event.source))
                # before the input's first time, by an unknown amount: as a line before any
                # record, inside `--until` alone
                self.keep = all(bound.upper for bound in self.bounds)
                return self.keep
            self.keep = all([bound.keeps_time(time) for bound in self.bounds])  # (each judges)
        return self.keep

    def kept(self, events: Iterable[catalogue.Event]) -> Iterator[catalogue.Event]:
        kinds = self.kinds
        for event in events:
            inside = self.inside(event)
            named = self.names(event.data)
            if (kinds is None or event.kind in kinds) and named and inside:
                yield event
