"""Open a log for reading without standing in the way of the program that writes it.

SMS Executive renames a full `CloudUserSync.log` to `CloudUserSync.lo_` and starts a new one.
On Windows a rename fails while another process holds the file open without delete sharing,
and Python's `open()` asks only for read and write sharing: a reader that happens to be reading
at that moment would make the connector's rotation fail. `open_shared` asks Windows for read,
write and delete sharing (`CreateFileW`); elsewhere a plain `open()` already lets the writer
rename and delete (POSIX renames never wait for readers).
"""

from __future__ import annotations

import os
import sys
from typing import BinaryIO, Protocol

GENERIC_READ = 0x80000000
FILE_SHARE_READ, FILE_SHARE_WRITE, FILE_SHARE_DELETE = 0x1, 0x2, 0x4
SHARE_ALL = FILE_SHARE_READ | FILE_SHARE_WRITE | FILE_SHARE_DELETE
OPEN_EXISTING = 3
FILE_ATTRIBUTE_NORMAL = 0x80
INVALID_HANDLE_VALUE = -1
"""What `create_file` returns when the file could not be opened."""


class WindowsFiles(Protocol):
    """The few Windows calls `open_shared` makes (a fake stands in for them in tests)."""

    def create_file(self, path: str, access: int, share: int, disposition: int) -> int: ...

    def last_error(self) -> tuple[int, str]: ...

    def open_osfhandle(self, handle: int, flags: int) -> int: ...

    def close_handle(self, handle: int) -> None: ...


def open_shared(path: str | os.PathLike[str], api: WindowsFiles | None = None) -> BinaryIO:
    """The file at `path`, open for reading bytes, that its writer may rename or delete
    meanwhile. `api` (for tests) stands for the Windows calls, and selects the Windows way on
    any platform."""
    if api is None:
        if sys.platform != "win32":
            return open(path, "rb")
        api = _Kernel32()
    name = os.fspath(path)
    handle = api.create_file(name, GENERIC_READ, SHARE_ALL, OPEN_EXISTING)
    if handle == INVALID_HANDLE_VALUE:
        code, message = api.last_error()
        raise OSError(None, message, name, code)
    try:
        descriptor = api.open_osfhandle(handle, os.O_RDONLY | getattr(os, "O_BINARY", 0))
    except OSError:
        api.close_handle(handle)
        raise
    return os.fdopen(descriptor, "rb")


class _Kernel32:
    """`WindowsFiles` through ctypes (Windows only)."""

    def __init__(self) -> None:
        import ctypes
        from ctypes import wintypes

        self._ctypes = ctypes
        kernel32 = ctypes.WinDLL("kernel32", use_last_error=True)  # type: ignore[attr-defined]
        create = kernel32.CreateFileW
        create.argtypes = (
            wintypes.LPCWSTR, wintypes.DWORD, wintypes.DWORD, wintypes.LPVOID,
            wintypes.DWORD, wintypes.DWORD, wintypes.HANDLE,
        )
        create.restype = wintypes.HANDLE
        self._create = create
        self._close = kernel32.CloseHandle

    def create_file(self, path: str, access: int, share: int, disposition: int) -> int:
        handle = self._create(path, access, share, None, disposition, FILE_ATTRIBUTE_NORMAL, None)
        # (HANDLE)-1, as the pointer-sized unsigned number ctypes gives back
        if handle is None or handle in (0xFFFFFFFF, 0xFFFFFFFFFFFFFFFF):
            return INVALID_HANDLE_VALUE
        return int(handle)

    def last_error(self) -> tuple[int, str]:
        code = self._ctypes.get_last_error()  # type: ignore[attr-defined]
        return code, self._ctypes.FormatError(code).strip()  # type: ignore[attr-defined]

    def open_osfhandle(self, handle: int, flags: int) -> int:
        import msvcrt

        return msvcrt.open_osfhandle(handle, flags)  # type: ignore[attr-defined,no-any-return]

    def close_handle(self, handle: int) -> None:
        self._close(handle)

