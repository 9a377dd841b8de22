"""Shared fixtures: where the samples and the real site-server logs are, and a log builder."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "sample_logs"
REAL_LOGS = ROOT / "tests" / "data" / "real-logs"
"""Real site-server logs of other ConfigMgr components (MIT; see the README there)."""


@pytest.fixture
def in_root(monkeypatch: pytest.MonkeyPatch) -> Path:
    """Run from the repository root, so paths in output are the short relative ones."""
    monkeypatch.chdir(ROOT)
    return ROOT


def read_in_blocks(monkeypatch: pytest.MonkeyPatch, block: int, native: bool = True) -> None:
    """Read inputs `block` bytes at a time (many chunks from a small file), with the native
    scanner if it is active (`native`) or with the pure-Python one."""
    monkeypatch.setattr("logsync.sources.BLOCK_SIZE", block)
    if not native:
        monkeypatch.setattr("logsync.accel.native", None)


@pytest.fixture(autouse=True)
def _plain_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "160")
    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.delenv("FORCE_COLOR", raising=False)


def env_without_color() -> dict[str, str]:
    env = dict(os.environ)
    env.pop("FORCE_COLOR", None)
    return env
