"""`watch`'s live view on a terminal."""

from __future__ import annotations

from pathlib import Path

from rich.console import Console, Group, RenderableType
from rich.live import Live
from rich.text import Text

from ..analysis import Analysis
from ..safety import visible
from ..tracker import Result, UserState
from . import (
    Display,
)
from .human import (
    clock,
    report_parts,
)


def live(console: Console) -> Live:
    """A live region that the watch loop redraws itself (no refresh thread)."""
    return Live(console=console, auto_refresh=False, transient=False)


def watch_view(
    path: Path,
    status: str,
    result: Result,
    analysis: Analysis,
    shown: list[UserState],
    counts: dict[str, int],
    display: Display,
    width: int,
) -> RenderableType:
    """The watch screen: which log, the last cycle and connector status, then the report."""
    header = Text(f"Watching {visible(str(path))}", style="bold")
    header.append(f" · last cycle {clock(result.last_cycle, display)}", style="dim")
    header.append(" · connector ")
    header.append(status, style="green" if status == "ok" else "bold red")
    return Group(header, *report_parts(analysis, shown, counts, display, width, quiet=True))
