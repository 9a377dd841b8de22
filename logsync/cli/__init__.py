"""The `logsync` command line: one module per command; the application, its error handling
and the entry point in `app`, the options the commands share in `options`."""

from . import check, events, report, summary, timeline, watch  # registers the commands
from .app import Env, app, main

__all__ = ["Env", "app", "check", "events", "main", "report", "summary", "timeline", "watch"]
