"""Operations a thread is about to perform, and which pairs of them can race."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ..base._seal import Sealed, seal
from ..base.errors import EngineUsageError

if TYPE_CHECKING:  # annotations only: execution imports this module
    from .execution import Execution, MThread


class Op(metaclass=Sealed):
    """What a thread will do next when it is scheduled.

    ``key`` names the state the operation touches, ``write`` says whether it changes it. Two
    operations of different threads are *dependent* (their order can matter) when they touch the
    same key and at least one writes. Synchronisation operations always write their object.
    """

    __slots__ = ("key", "write", "label", "kind", "obj", "line", "filename", "function", "source",
                 "progress", "deadline", "more_keys")
    trace_op = "read"
    #: True for an operation after which the same object cannot be acquired by another thread
    #: until a release: such a release and another thread's acquire are never enabled together.
    release = False
    acquire = False
    #: The trace word recorded when the thread reaches the op and must wait (None: record none).
    block_word: str | None = "block"

    def __init__(self, key: str, write: bool, label: str, kind: str | None = None,
                 obj: Any = None) -> None:
        self.key = key
        self.write = write
        self.label = label
        self.kind = kind
        self.obj = obj
        self.line: int | None = None
        self.filename: str | None = None
        self.function: str | None = None
        self.source = ""
        #: Whether executing the op changed something another thread can see (not spinning).
        self.progress = write
        #: Virtual time at which a blocked op gives up (a timeout), or None.
        self.deadline: float | None = None
        #: Further state the op touched, known once it ran (the waiters a notify woke).
        self.more_keys: tuple[str, ...] = ()

    def enabled(self, rt: Execution, t: MThread) -> bool:
        """Whether the operation can run now (a blocked acquire cannot)."""
        return True

    def execute(self, rt: Execution, t: MThread) -> Any:
        """Perform the operation's effect on engine-controlled state; return its result."""
        return None

    def observe(self, rt: Execution, t: MThread) -> Any:
        """The op run by an invariant checked between steps: it must not change anything."""
        if not self.enabled(rt, t):
            raise EngineUsageError(f"the check would wait for {self.label}")
        return self.execute(rt, t)

    def event_op(self, result: Any) -> str:
        """The trace vocabulary word for this operation once executed with ``result``."""
        return self.trace_op

    def blocks_on(self) -> str | None:
        """A plain-words description of what the thread waits for while the op is disabled."""
        return self.label

    def commutes(self, other: Op) -> bool:
        """Whether this op and ``other``, which touch the same state, commute all the same (two
        semaphore acquires that leave permits: see ``autograder/sync/semaphore.py``). Must be
        symmetric; the default is no."""
        return False

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.key} {'w' if self.write else 'r'}>"


class MemoryOp(Op, metaclass=Sealed):
    """A read or write of shared state at a traced instruction."""

    __slots__ = ()

    @property  # type: ignore[override]
    def trace_op(self) -> str:  # noqa: D401
        return "write" if self.write else "read"


class StartOp(Op, metaclass=Sealed):
    """A thread's first step: it begins running its function."""

    __slots__ = ()
    trace_op = "start"


def keys(op: Op) -> tuple[str, ...]:
    """Every key of the state ``op`` touches."""
    return (op.key, *op.more_keys) if op.more_keys else (op.key,)


#: The key of a subscript or of any object's contents (see :mod:`autograder.runtime.points`).
WILDCARD = "[]"


def overlap(a: str, b: str) -> bool:
    """Whether keys ``a`` and ``b`` can name the same state: equal; the wildcard and any
    contents key; a slot of a known container (``#3[1]``, see
    :mod:`autograder.runtime.subscripts`) and any contents key not of another known container
    or slot."""
    if a == b:
        return True
    if a[:1] == "#":
        if b[:1] == "#":
            ca, _, ia = a.partition("[")
            cb, _, ib = b.partition("[")
            return ca == cb and (ia == ib or ia == "*]" or ib == "*]")
        return b.endswith(WILDCARD)
    if b[:1] == "#":
        return a.endswith(WILDCARD)
    if a == WILDCARD:
        return b.endswith(WILDCARD)
    if b == WILDCARD:
        return a.endswith(WILDCARD)
    return False


def keys_overlap(ka: tuple[str, ...], kb: tuple[str, ...]) -> bool:
    return any(overlap(a, b) for a in ka for b in kb)


def dependent(a: Op, b: Op) -> bool:
    """Whether swapping ``a`` and ``b`` (of different threads) can change the outcome."""
    if not (a.write or b.write):
        return False
    if not (a.more_keys or b.more_keys):
        return overlap(a.key, b.key) and not a.commutes(b)
    return keys_overlap(keys(a), keys(b)) and not a.commutes(b)


def co_enabled(a: Op, b: Op) -> bool:
    """Whether ``a`` and ``b`` (same key) can both be enabled in one state."""
    return not ((a.release and b.acquire) or (b.release and a.acquire))

seal(__name__)  # the code under test cannot rewrite the grader
