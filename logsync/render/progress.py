"""A progress bar on stderr while long inputs are read (for people at a terminal)."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import IO

from rich.progress import (
    BarColumn,
    DownloadColumn,
    Progress,
    TextColumn,
    TimeRemainingColumn,
    TransferSpeedColumn,
)

from .human import make_console

PROGRESS_REDRAW_SECONDS = 0.1
"""How often the bar is redrawn, at most (from the reading loop)."""


@contextmanager
def byte_progress(total: int, out: IO[str], color: str) -> Iterator[Callable[[int], None]]:
    """A transient progress bar on `out`; yields the function that advances it by bytes read."""
    console = make_console(out, color)
    columns = (
        TextColumn("reading"),
        BarColumn(),
        DownloadColumn(),
        TransferSpeedColumn(),
        TimeRemainingColumn(),
    )
    # Redrawn from the reading loop, not by a thread of its own.
    with Progress(*columns, console=console, transient=True, auto_refresh=False) as progress:
        task = progress.add_task("read", total=total)
        drawn = time.monotonic()

        def advance(size: int) -> None:
            nonlocal drawn
            progress.advance(task, size)
            now = time.monotonic()
            if now - drawn >= PROGRESS_REDRAW_SECONDS:
                drawn = now
                progress.refresh()

        yield advance
