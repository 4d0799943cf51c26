"""The type variables of akt's typed references (Pid[M], Actor[M]); typing only.

``M`` is the type of the messages an actor accepts. It defaults to ``Any`` (PEP 696), so a
bare ``Pid`` or ``Actor`` means what it always did, also under ``mypy --strict``. The
default needs typing_extensions' TypeVar, which type checkers know; at run time the
standard one (without a default) is enough, so akt does not depend on typing_extensions.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from typing_extensions import TypeVar

    M = TypeVar("M", contravariant=True, default=Any)
    """What a Pid or an Actor accepts: a Pid[object] serves where a Pid[Cmd] is wanted."""
    T = TypeVar("T", default=Any)
    """A spawn's or a send's message type, inferred from its actor or pid."""
else:
    from typing import TypeVar

    M = TypeVar("M", contravariant=True)
    T = TypeVar("T")
