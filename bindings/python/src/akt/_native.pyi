"""The cffi extension: ``ffi`` and ``lib`` give the whole of akt.h (see build_ffi.py)."""

from typing import Any

ffi: Any
lib: Any
