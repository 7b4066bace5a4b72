"""A controlled ``threading.RLock``: a lock its owner may take again."""

from __future__ import annotations

from typing import Any

from ..base import _real
from ..base._seal import Sealed, seal
from ..runtime.threads import MThread
from .base import _managed, misuse, primitive
from .lock import Lock


@primitive
class RLock(Lock, metaclass=Sealed):
    """A controlled ``threading.RLock``: its owner may acquire it again."""

    _kind = "RLock"
    _real_types = tuple(t for t in (_real.RealRLockType, _real.REAL_PY_RLOCK) if t is not None)

    def _can_take(self, t: MThread | None) -> bool:
        return self._count == 0 or self._owner is t

    def _give(self, t: MThread | None) -> None:
        if self._count == 0 or self._owner is not t:
            raise misuse(RuntimeError("cannot release un-acquired lock"))
        super()._give(t)

    def _is_owned(self) -> bool:
        return self._owner_is_caller()

    def _owner_is_caller(self) -> bool:
        return self._count > 0 and self._owner is _managed()

    def locked(self) -> bool:  # Python 3.13 added RLock.locked()
        return super().locked()

    def _recursion_count(self) -> int:
        """How many times the calling thread holds the lock (0 when another thread does)."""
        return self._count if self._owner_is_caller() else 0

    def _release_save(self) -> tuple[int, MThread | None]:
        """Release the lock completely (as ``Condition.wait`` does); the state to restore."""
        t = _managed()
        if not self._owned_by(t):
            raise RuntimeError("cannot release un-acquired lock")
        count = self._count
        self._count = 1
        self.release()
        return count, t

    def _acquire_restore(self, state: tuple[int, MThread | None]) -> None:
        """Take the lock again with the recursion count ``_release_save`` returned."""
        self.acquire()
        self._count = state[0]

    @classmethod
    def _twin_of(cls, real: Any) -> RLock:
        return cls()

seal(__name__)  # the code under test cannot rewrite the grader
