"""Builds the optional native scanner (logsync/_scan.c) when a C compiler is at hand.

Any failure to build it is reported and the pure-Python package is installed instead: the
native scanner only makes reading faster, never different. LOGSYNC_NO_EXTENSION=1 skips it;
LOGSYNC_EXTENSION_CFLAGS adds compiler flags (the sanitizer build in .ci/run uses it).
"""

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
        except Exception as error:  # noqa: BLE001 - any build failure means: no extension
            _warn(error)

    def build_extension(self, ext: Extension) -> None:
        try:
            super().build_extension(ext)
        except Exception as error:  # noqa: BLE001
            _warn(error)


def _warn(error: BaseException) -> None:
    print(
        f"warning: the native scanner was not built ({error}); "
        "logsync works the same in pure Python, only slower",
        file=sys.stderr,
    )


extra = shlex.split(os.environ.get("LOGSYNC_EXTENSION_CFLAGS", ""))
extensions = []
if os.environ.get("LOGSYNC_NO_EXTENSION", "") in ("", "0"):
    extensions.append(
        Extension(
            "logsync._scan",
            ["logsync/_scan.c"],
            extra_compile_args=["-O2", *extra] if os.name != "nt" else [],
            extra_link_args=extra,
            optional=True,
        )
    )

setup(ext_modules=extensions, cmdclass={"build_ext": OptionalBuildExt})
