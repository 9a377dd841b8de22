"""Which scanner reads SMS-trace text: the native one (`logsync._scan`, built from C when the
package was installed with a compiler) or the pure-Python reference.

Both give exactly the same results; the native one declines any chunk that is not plain, and
the pure one reads it. Set LOGSYNC_PURE=1 to use the pure one only.
"""

from __future__ import annotations

import os
from types import ModuleType

PURE_VARIABLE = "LOGSYNC_PURE"


def _load() -> tuple[ModuleType | None, str]:
    if os.environ.get(PURE_VARIABLE, "") not in ("", "0"):
        return None, f"pure Python ({PURE_VARIABLE} is set)"
    try:
        from . import _scan  # type: ignore[attr-defined,unused-ignore]
    except ImportError:
        return None, "pure Python (the native scanner is not built)"
    return _scan, "native scanner"


native, description = _load()
"""The native module, or None; and which scanner is active, in words."""
