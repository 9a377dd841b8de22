"""Exit codes and the errors a user can cause (bad input, bad option values)."""

from __future__ import annotations

from enum import IntEnum


class ExitCode(IntEnum):
    """The process exit codes; README documents them and the tests hold them."""

    OK = 0
    """Nothing to report (or, for `check`, nothing beyond the allowed limit)."""
    FINDINGS = 1
    """`check` found users in a failing state (or `--fail-on` matched elsewhere)."""
    USAGE = 2
    """A usage or input error: bad option value, missing or unrecognisable file."""
    SOFTWARE = 70
    """A bug in logsync (sysexits' EX_SOFTWARE): its traceback, never the code of a finding."""


class UsageError(Exception):
    """An error the user caused; the CLI prints it as one line and exits 2."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class InputError(UsageError):
    """An input that cannot be read or holds nothing recognisable."""

    def __init__(self, source: str, problem: str) -> None:
        super().__init__(f"{source}: {problem}")
        self.source = source
        self.problem = problem


class NoRecordsError(InputError):
    """A non-empty input in which no line is a log record of any known format."""

    def __init__(self, source: str, mail: bool = False) -> None:
        problem = "no CloudUserSync records found (not SMS trace, CMTrace or text pasted from them)"
        if mail:  # (see `mail.mail_text`)
            problem = (
                "an e-mail with no CloudUserSync records in its message, the messages it forwards "
                "or a CloudUserSync attachment"
            )
        super().__init__(source, problem)
