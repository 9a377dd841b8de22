"""Every sample log's event stream and report match the golden files beside it."""

from __future__ import annotations

from pathlib import Path

import pytest

from . import golden


@pytest.mark.parametrize(
    ("sample", "path", "text"),
    golden.cases(),
    ids=lambda v: str(v)[-60:] if isinstance(v, Path) else "",
)
def test_golden(sample: str, path: Path, text: str) -> None:
    assert path.exists(), "missing golden file; run: python tests/golden.py --update"
    assert text == path.read_text(encoding="utf-8"), (
        f"{sample} changed; if intended: python tests/golden.py --update"
    )
