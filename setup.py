"""Builds the optional native scanner (logsync/_scan.c) when a C compiler is at hand.

Any failure to build it is reported and the pure-Python package is installed instead: the
native scanner only makes reading faster, never different. LOGSYNC_NO_EXTENSION=1 skips it;
LOGSYNC_EXTENSION_CFLAGS adds compiler flags (the sanitizer build in .ci/run uses it).
"""

import hashlib
import os
import shlex
import sys

from setuptools import Extension, setup
from setuptools.command.build_ext import build_ext


class OptionalBuildExt(build_ext):
    """build_ext that leaves the extension out, with a warning, if it cannot be built."""

    def run(self) -> None:
        try:
            super().run()
        except Exception as error:  # any failure to build means: no extension
            _warn(error)

    def build_extension(self, ext: Extension) -> None:
        try:
            super().build_extension(ext)
        except Exception as error:
            _warn(error)


def _warn(error: BaseException) -> None:
    print(
        f"warning: the native scanner was not built ({error}); "
        "logsync works the same in pure Python, only slower",
        file=sys.stderr,
    )


extra = shlex.split(os.environ.get("LOGSYNC_EXTENSION_CFLAGS", ""))
# The digest of the C source the scanner was built from: the test suite compares it with the tree
# beside it, so that it never tests a scanner built from older code.
_SOURCE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "logsync", "_scan.c")
with open(_SOURCE, "rb") as c:
    source_digest = hashlib.sha256(c.read()).hexdigest()
extensions = []
if os.environ.get("LOGSYNC_NO_EXTENSION", "") in ("", "0"):
    extensions.append(
        Extension(
            "logsync._scan",
            ["logsync/_scan.c"],
            define_macros=[("LOGSYNC_SCAN_SOURCE_SHA256", f'"{source_digest}"')],
            extra_compile_args=["-O2", *extra] if os.name != "nt" else [],
            extra_link_args=extra,
            optional=True,
        )
    )

setup(ext_modules=extensions, cmdclass={"build_ext": OptionalBuildExt})
