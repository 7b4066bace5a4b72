"""Operations a thread is about to perform, and which pairs of them can race."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ..base._seal import Sealed, seal
from ..base.errors import EngineUsageError

if TYPE_CHECKING:  # annotations only: execution imports this module
    from .execution import Execution
    from .threads import MThread


class Op(metaclass=Sealed):
    """What a thread will do next when it is scheduled.

    ``key`` names the state the operation touches, ``write`` says whether it changes it. Two
    operations of different threads are *dependent* (their order can matter) when they touch the
    same key and at least one writes. Synchronisation operations always write their object.
    """

    __slots__ = ("key", "write", "label", "kind", "obj", "line", "filename", "function", "source",
                 "progress", "deadline", "more_keys", "value", "turn")
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
        #: What a memory step read or stored, for the trace: a short text, or a function that
        #: gives it once the step has run (None: not shown).
        self.value: Any = None
        #: For a loop's next-item fetch: how many items were left (each fetch moves the loop
        #: on, so fetches never repeat as a poll's steps do).
        self.turn: int | None = None

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


#: The key of the contents of anything (see :mod:`autograder.runtime.access`).
WILDCARD = "[]"


def _split(key: str) -> tuple[str, str, str]:
    """``#12.x`` -> ``("12", ".", "x")``; ``#12[3]`` -> ``("12", "[", "3]")``."""
    i = 1
    while key[i].isdigit():
        i += 1
    return key[1:i], key[i], key[i + 1:]


def _attribute_of(key: str, name: str) -> bool:
    """Whether the object key ``key`` can be attribute ``name`` of its object (``#4.name``), or
    of an object whose ``__dict__`` it is (``#3['name']``)."""
    _, sep, rest = _split(key)
    if sep == ".":
        return rest == name or rest == "*"
    return rest == "*]" or rest == f"{name!r}]"


def overlap(a: str, b: str) -> bool:
    """Whether keys ``a`` and ``b`` can name the same state (keys are described in
    :mod:`autograder.runtime.access`): equal; the wildcard ``[]`` and any object's slot or
    attribute; an attribute of an unknown object (``.x``) and attribute ``x`` of any object
    (or slot ``'x'`` of any dict: an instance's attributes are its ``__dict__``'s slots);
    two keys of one object (``#3``) that name the same slot or attribute, or any (``*``)."""
    if a == b:
        return True
    fa, fb = a[:1], b[:1]
    if fa == "[":
        return fb in ("#", ".", "[")
    if fb == "[":
        return fa in ("#", ".")
    if fa == "#":
        if fb == "#":
            na, sa, ra = _split(a)
            nb, sb, rb = _split(b)
            return na == nb and sa == sb and (ra == rb or ra in ("*", "*]") or rb in ("*", "*]"))
        return fb == "." and _attribute_of(a, b[1:])
    if fb == "#":
        return fa == "." and _attribute_of(b, a[1:])
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
