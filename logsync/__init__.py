"""logsync: which CloudUserSync.log users are stuck, why, and when each will recover.

from logsync import analyze
analysis = analyze(["CloudUserSync.log"])
for user in analysis.users:
    print(user.upn, user.state, user.expected_recovery)
"""

from __future__ import annotations

__version__ = "0.1.0"

from .analysis import Analysis, analyze
from .tracker import UserState

__all__ = ["Analysis", "UserState", "__version__", "analyze"]
