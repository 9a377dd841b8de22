"""Ctrl-C that meets a finalizer (a generator closed as it is freed, under load): Python cannot
raise it there, and printed "Exception ignored in: <generator …>"; the command ran on to its end
and left with 0, as a gate's pass (`test_safety.py::test_ctrl_c_ends_quietly[as-it-starts]` met
it once in CI). It is now silent there, and the command leaves with 130 once it has run."""

from __future__ import annotations

import sys
from types import SimpleNamespace

import pytest

from logsync.cli import application


def test_ctrl_c_in_a_finalizer_is_no_note_on_stderr(capsys: pytest.CaptureFixture[str]) -> None:
    def closed() -> None:
        raise application._Interrupted

    try:
        closed()
    except application._Interrupted as exc:
        application._unraisable(SimpleNamespace(exc_value=exc, exc_type=type(exc), exc_traceback=None, err_msg=None, object=closed))
    assert capsys.readouterr().err == ""


def test_another_error_in_a_finalizer_is_said_as_python_says_it(monkeypatch: pytest.MonkeyPatch) -> None:
    seen = []
    monkeypatch.setattr(sys, "__unraisablehook__", seen.append)
    info = SimpleNamespace(exc_value=ValueError("x"), exc_type=ValueError, exc_traceback=None, err_msg=None, object=None)
    application._unraisable(info)
    assert seen == [info]


@pytest.mark.parametrize("code", [0, 1, 2])
def test_a_command_that_met_ctrl_c_leaves_with_130(monkeypatch: pytest.MonkeyPatch, code: int) -> None:
    monkeypatch.setattr(application, "_INTERRUPTED", [])
    assert application.final_code(code) == code
    monkeypatch.setattr(application, "_INTERRUPTED", [2])
    assert application.final_code(code) == 130
