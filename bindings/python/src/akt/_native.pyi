"""The cffi extension: ``ffi`` and ``lib`` give the whole of akt.h (see build_ffi.py).

cffi ships no type stubs: ``_FFI`` types the few members whose result akt relies on
(``string``, the ``callback`` decorator) and leaves the rest ``Any``."""

from typing import Any, Callable, Optional, TypeVar

_F = TypeVar("_F", bound=Callable[..., Any])

class _FFI:
    NULL: Any
    def string(self, cdata: Any, maxlen: int = ...) -> bytes: ...
    def callback(self, cdecl: str, *, error: Any = ...,
                 onerror: Optional[Callable[[Any, Any, Any], Any]] = ...) -> Callable[[_F], _F]: ...
    def __getattr__(self, name: str) -> Any: ...

ffi: _FFI
lib: Any
