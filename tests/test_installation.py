"""The suite tests the source tree beside it: tests/conftest.py stops the run when the installed
package is another (an edit since the last `pip install`, a scanner built from older C)."""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

from .conftest import ROOT, stale_installation

TREE = ROOT / "logsync"
DIGEST = hashlib.sha256((TREE / "_scan.c").read_bytes()).hexdigest()


def installed_copy(folder: Path) -> Path:
    copy = folder / "site-packages" / "logsync"
    shutil.copytree(TREE, copy, ignore=shutil.ignore_patterns("__pycache__", "*.so", "*.pyd"))
    return copy


def test_a_copy_of_the_tree_with_its_scanner_is_the_tree(tmp_path: Path) -> None:
    copy = installed_copy(tmp_path)
    assert stale_installation(TREE, copy, DIGEST) is None
    assert stale_installation(TREE, copy, None) is None  # no native scanner: nothing built
    assert stale_installation(TREE, TREE, DIGEST) is None  # an editable install


def test_an_edited_or_new_module_is_named(tmp_path: Path) -> None:
    copy = installed_copy(tmp_path)
    (copy / "tracker" / "rules.py").write_text("# older\n")
    assert stale_installation(TREE, copy, DIGEST) == "logsync/tracker/rules.py differs from the installed copy"
    copy = installed_copy(tmp_path / "again")
    (copy / "times.py").unlink()
    assert stale_installation(TREE, copy, DIGEST) == "logsync/times.py differs from the installed copy"


def test_a_scanner_built_from_other_c_is_stale(tmp_path: Path) -> None:
    copy = installed_copy(tmp_path)
    other = hashlib.sha256(b"/* older */").hexdigest()
    assert stale_installation(TREE, copy, other) == "the native scanner was built from another logsync/_scan.c"
    assert stale_installation(TREE, TREE, "") == "the native scanner was built from another logsync/_scan.c"
