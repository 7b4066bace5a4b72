"""What every controlled primitive shares, and the registry of primitives.

Inside a managed thread every operation is a scheduling step: the thread publishes what it is
about to do, and it runs only when the scheduler picks it and the operation is enabled (a lock is
free, an event is set, a timeout has passed on the virtual clock). Outside a managed thread (a
test's setup or final check) they act at once, and raise instead of blocking forever.

The registry: :func:`primitive` records a class in :data:`KINDS` (by the name of the
``threading`` factory it replaces) and under the real types it twins. ``autograder/sync/
__init__.py`` imports each primitive's file, one line per file, which registers it; patching
builds its factories and twins from the registry alone.
"""

from __future__ import annotations

import weakref
from _thread import TIMEOUT_MAX
from collections.abc import Callable
from typing import Any, TypeVar

from ..base import _real
from ..base._seal import Sealed, seal
from ..base.errors import EngineUsageError
from ..runtime.execution import Execution, controllers, registry
from ..runtime.ops import Op
from ..runtime.threads import MThread


def _managed() -> MThread | None:
    return registry.get(_real.get_ident())


def _creating_execution() -> Execution | None:
    t = registry.get(_real.get_ident())
    if t is not None:
        return t.rt
    return controllers.get(_real.get_ident())


def misuse(exc: BaseException, kind: str = "bad-release") -> BaseException:
    """Tag an exception a primitive raises for misuse, so that the verdict names it."""
    exc._autograder_kind = kind  # type: ignore[attr-defined]
    return exc


def _would_block(what: str) -> EngineUsageError:
    return EngineUsageError(
        f"{what} would wait forever here: it was called outside the threads under test "
        "(in a setup or a check), where nothing else can run.")


class Primitive(metaclass=Sealed):
    """Common bookkeeping: the creation number within its execution and a display name.

    A primitive class says which ``threading`` factory it replaces (``_kind``), which real
    objects it stands in for (``_real_types``) and how to make a twin of one (``_twin_of``).
    """

    _kind = "Primitive"
    #: The real classes whose instances in the student's state this primitive replaces.
    _real_types: tuple[type, ...] = ()

    def __init__(self) -> None:
        rt = _creating_execution()
        # a weak reference: a primitive the code under test drops can be collected, as in CPython
        self._eid = rt.register(weakref.ref(self)) if rt is not None else 0
        self._name: str | None = None

    @property
    def _label(self) -> str:
        return self._name or f"{self._kind} {self._eid}"

    def _key(self) -> str:
        return f"o:{self._eid}" if self._eid else f"o:id{id(self)}"

    def __repr__(self) -> str:  # CPython's form, with the label: "<threading.Event at 0x..: set>"
        state = f": {self._state()}" if self._state() else ""
        return f"<controlled.{self._kind} at {id(self):#x} {self._label!r}{state}>"

    def _state(self) -> str:
        return ""

    @classmethod
    def _twin_of(cls, real: Any) -> Primitive:
        """A fresh controlled primitive in the state the real one ``real`` is in now."""
        return cls()


def name(obj: Any, label: str) -> Any:
    """Give a primitive the name that traces and messages show; returns ``obj``."""
    try:
        obj._name = label
    except AttributeError:
        pass
    return obj


def _check_timeout(timeout: float | None) -> None:
    """CPython's limit on a blocking wait's timeout."""
    if timeout is not None and timeout > TIMEOUT_MAX:
        raise OverflowError("timeout value is too large")


def _deadline(rt: Execution, timeout: float | None) -> float | None:
    if timeout is None or timeout < 0:
        return None
    return rt.now + timeout


class _ObjOp(Op, metaclass=Sealed):
    __slots__ = ()

    def __init__(self, obj: Primitive, write: bool = True, key: str | None = None) -> None:
        super().__init__(key or obj._key(), write, obj._label, obj._kind, obj)


class _AcquireOp(_ObjOp, metaclass=Sealed):
    """Take a lock, or a semaphore's permit; enabled when available or once the timeout passed.

    Two acquires of one semaphore that both took a permit at once, leaving permits behind, and
    neither of which had to wait (``roomy``), commute: either order leaves the same count and
    both succeed. Which ones are roomy cannot change by swapping roomy ones (each saw at least
    two permits; any order of a run of them does). Any other pair is dependent: the acquire
    that took the last permit (another would have waited), one that waited (a release let it
    go), one that failed (a try or a timeout), and every acquire with every release.
    """

    __slots__ = ("blocking", "waited", "took_last", "failed")

    @property  # type: ignore[override]
    def acquire(self) -> bool:
        """A lock's untimed acquire is never enabled beside its release. A semaphore's can be
        (permits left), so it races with releases as well as with other acquires."""
        return self.obj._exclusive and self.blocking and self.deadline is None

    def __init__(self, lock: Primitive, rt: Execution, blocking: bool,
                 timeout: float | None, key: str | None = None) -> None:
        super().__init__(lock, True, key)
        self.progress = False
        self.blocking = blocking
        self.deadline = _deadline(rt, timeout) if blocking else None
        #: Found unable to run while pending (set by :meth:`enabled`, so also while pending).
        self.waited = False
        #: Once run: it left nothing to take (a semaphore's last permit), or it failed.
        self.took_last = False
        self.failed = False

    def enabled(self, rt: Execution, t: MThread) -> bool:
        if not self.blocking or self.obj._can_take(t):
            return True
        self.waited = True
        # a timeout CPython cannot wait for raises (a semaphore's, once it would wait)
        return self.deadline is not None and (rt.now >= self.deadline
                                              or self.deadline - rt.now > TIMEOUT_MAX)

    def execute(self, rt: Execution, t: MThread) -> bool:
        lock = self.obj
        if lock._can_take(t):
            lock._take(t, rt, self)
            self.took_last = not lock._can_take(t)
            return True
        self.failed = True
        if self.deadline is not None and self.deadline - rt.now > TIMEOUT_MAX:
            raise OverflowError("timeout value is too large")
        return False

    @property
    def roomy(self) -> bool:
        """A semaphore acquire that, so far, neither waited, failed nor took the last permit."""
        return not (self.obj._exclusive or self.waited or self.took_last or self.failed)

    def commutes(self, other: Op) -> bool:
        return type(other) is _AcquireOp and other.obj is self.obj and self.roomy \
            and other.roomy

    def event_op(self, result: Any) -> str:
        return "acquire" if result else "timeout"

    def observe(self, rt: Execution, t: MThread) -> bool:
        return True  # a check between steps sees a consistent state: it need not take locks


class _ReadOp(_ObjOp, metaclass=Sealed):
    __slots__ = ("fn", "what")

    def __init__(self, obj: Primitive, fn: Callable[[], Any], what: str = "read") -> None:
        super().__init__(obj, False)
        self.fn = fn
        self.what = what

    def execute(self, rt: Execution, t: MThread) -> Any:
        return self.fn()

    def event_op(self, result: Any) -> str:
        return self.what


P = TypeVar("P", bound=type[Primitive])

#: Every controlled primitive by its kind, the name of the ``threading`` factory it replaces
#: (filled by :func:`primitive` as ``autograder.sync`` imports each primitive's file).
KINDS: dict[str, type[Primitive]] = {}
#: The controlled primitive that twins each real type.
_BY_REAL: dict[type, type[Primitive]] = {}


def primitive(cls: P) -> P:
    """Register a controlled primitive (a class decorator): ``threading.<cls._kind>`` makes one
    inside the threads under test, and a real object of one of ``cls._real_types`` found in the
    student's state is replaced by ``cls._twin_of(real)`` for the run. Both ``_kind`` and
    ``_real_types`` must be the class's own: a subclass (``RLock`` of ``Lock``) that inherited
    them would take its base's place."""
    own = vars(cls)
    if "_kind" not in own or "_real_types" not in own:
        raise TypeError(f"{cls.__name__} must define its own _kind and _real_types")
    if own["_kind"] in KINDS:
        raise TypeError(f"a primitive of kind {own['_kind']!r} is already registered")
    KINDS[own["_kind"]] = cls
    for real in own["_real_types"]:
        _BY_REAL[real] = cls
    return cls


def twin_class(real: Any) -> type[Primitive] | None:
    """The registered primitive that twins ``real`` (the most derived of its real types)."""
    if isinstance(real, Primitive):
        return None
    for klass in type(real).__mro__:
        found = _BY_REAL.get(klass)
        if found is not None:
            return found
    return None


def twin(real: Any) -> Any:
    """A controlled twin of the real primitive ``real`` (``real`` itself if none is registered)."""
    klass = twin_class(real)
    return real if klass is None else klass._twin_of(real)

seal(__name__)  # the code under test cannot rewrite the grader
