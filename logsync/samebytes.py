"""Inputs that hold the same bytes: an export given twice, or copied under another name, is
read once (`same_bytes`); and the bytes two inputs share at their seam (`same_bytes_at`)."""

from __future__ import annotations

import os
from collections.abc import Sequence
from typing import BinaryIO

from .archives import STDIN, zip_member
from .lognames import is_sibling
from .stdin import BLOCK_SIZE


def same_bytes(names: Sequence[str]) -> dict[str, str]:
    """The inputs whose bytes are those of an earlier input (an export given twice, or copied
    under another name), each with that input: it is read once, and the copy's records count
    as the duplicates they are (a `.lo_` copied under another name too: its records are those
    of one older half). Only files of the same size are compared; a sibling log, stdin and a
    zip member never are."""
    by_size: dict[int, list[str]] = {}
    copies: dict[str, str] = {}
    for name in names:
        if name == STDIN or is_sibling(name) or zip_member(name) is not None:
            continue
        try:
            size = os.stat(name).st_size
        except OSError:
            continue  # reading it says what is wrong
        if not size:
            continue
        same = by_size.setdefault(size, [])
        original = next((earlier for earlier in same if _identical(earlier, name, size)), None)
        if original is None:
            same.append(name)
        else:
            copies[name] = original
    return copies


def _identical(first: str, second: str, size: int) -> bool:
    """Whether two files of `size` bytes hold the same bytes, and no more (one may have grown
    since it was measured)."""
    try:
        with open(first, "rb") as one, open(second, "rb") as two:
            return same_bytes_at(one, 0, two, 0, size) and one.read(1) == two.read(1) == b""
    except OSError:
        return False


def same_bytes_at(one: BinaryIO, at: int, other: BinaryIO, other_at: int, size: int) -> bool:
    """Whether the `size` bytes from `at` in `one` are those from `other_at` in `other` (which
    may be the same handle)."""
    done = 0
    while done < size:
        step = min(BLOCK_SIZE, size - done)
        one.seek(at + done)
        block = one.read(step)
        other.seek(other_at + done)
        if block != other.read(step):
            return False
        done += step
    return True
