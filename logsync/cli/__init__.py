"""The `logsync` command line: one module per command; the application, its error handling
and the entry point in `application`, the options the commands share in `options`, the notes
on stderr beside the output (and the reading they follow) in `notes`. No command formats its
output: each picks a document and a format of `render.printers` and maps the outcome to an
exit code.

A command registers itself when its module is imported. The entry point imports only the
module of the command it runs (typer then builds that command alone); `app` from here has
every command.
"""

from __future__ import annotations

import importlib
from types import ModuleType
from typing import Any

from .commands import COMMANDS, load


def __getattr__(name: str) -> Any:
    if name == "main":
        from .application import main

        return main
    if name == "app":
        from .application import app

        load()
        globals()["app"] = app
        return app
    if name == "Env":
        from .application import Env

        return Env
    if name in (*COMMANDS, "options", "notes"):
        module: ModuleType = importlib.import_module(f"{__name__}.{name}")
        return module
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = ["COMMANDS", "Env", "app", "load", "main", *COMMANDS]
