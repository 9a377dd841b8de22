"""The commands of the command line, each a module of this package that registers itself
when imported."""

from __future__ import annotations

import importlib
from collections.abc import Iterable

COMMANDS = ("check", "completion", "events", "report", "summary", "timeline", "watch")


def load(names: Iterable[str] = COMMANDS) -> None:
    """Register these commands (importing a module twice does nothing)."""
    for name in names:
        importlib.import_module(f"{__package__}.{name}")
