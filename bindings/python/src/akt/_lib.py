"""Loads the compiled extension: cffi's ffi/lib for the public headers (private to the
package), and the C fast path module."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING

from . import _native

ffi = _native.ffi
lib = _native.lib

if lib.akt_py_fastpath_install() != 0:  # registers sys.modules["akt._fast"]
    raise ImportError("akt: the C fast path could not be initialized (see the error above)")
if TYPE_CHECKING:  # what type checkers see of it: _fast.pyi
    from . import _fast as _fast  # re-exported: the package imports it from here
else:
    _fast = sys.modules["akt._fast"]


def text(ptr: object) -> str:
    """A C string from akt (static or borrowed) as str."""
    return ffi.string(ptr).decode("utf-8", "replace")
