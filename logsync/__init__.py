"""logsync: which CloudUserSync.log users are stuck, why, and when each will recover.

from logsync import analyze
analysis = analyze(["CloudUserSync.log"])
for user in analysis.users:
    print(user.upn, user.state, user.expected_recovery)
"""

from __future__ import annotations

__version__ = "0.1.0"

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .analysis import Analysis, analyze
    from .tracker import UserState

__all__ = ["Analysis", "UserState", "__version__", "analyze"]


def __getattr__(name: str) -> Any:
    """The library's names, imported when first used (the command line's `--version` and
    `--help` need none of them)."""
    if name in ("Analysis", "analyze"):
        from . import analysis

        return getattr(analysis, name)
    if name == "UserState":
        from .tracker import UserState

        return UserState
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
