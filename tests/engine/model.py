"""An independent model of the random programs of ``randprog.py``: CPython's semantics of each
primitive, written from the ``threading`` documentation, with every interleaving enumerated.

It shares no code with the engine. Each thread is a Python generator that yields the shared
operations of its statements one at a time (a read or write of ``s.x``, an append to the log, one
synchronisation operation) and receives their results; the model explores every order of those
operations (memoised on the shared state and every thread's history of results, which fixes the
generator's state), with the engine's virtual clock: a wait with a timeout gives up only when no
thread can move, and the clock then jumps to the earliest deadline.

:func:`outcomes` returns every reachable end: ``("ok", "", observed_state)``, ``("deadlock", "",
None)`` or ``(kind, "T<n> raised <Exception>", None)`` for an uncaught exception.
"""

from __future__ import annotations

from collections.abc import Generator
from dataclasses import dataclass, field, replace
from typing import Any

from .randprog import PRIMS, TIMEOUT, VARS, Program, Stmt

Op = tuple[Any, ...]
ThreadGen = Generator[Op, Any, None]


class Raised(Exception):
    """An operation raised ``name`` in the modelled thread."""

    def __init__(self, name: str, kind: str = "exception") -> None:
        super().__init__(name)
        self.name = name
        self.kind = kind


# ---- the threads: statements -> generators of operations ------------------------------------
def lock_of(prim: str) -> str:
    """The lock a ``with`` takes: a condition's own lock is modelled under the same name."""
    return prim


def thread_ops(body: list[Stmt]) -> ThreadGen:
    for st in body:
        yield from _stmt(st)


def _stmt(st: Stmt) -> ThreadGen:
    kind = st[0]
    if kind == "inc":
        v = yield ("read", st[1])
        yield ("write", st[1], v + st[2])
    elif kind == "put":
        yield ("write", st[1], st[2])
    elif kind == "log":
        yield ("append", st[1])
    elif kind == "log_if":
        v = yield ("read", st[1])
        if v:
            yield ("append", st[2])
    elif kind in ("sinc", "sput", "slog"):  # load s.slots (its binding), then the slot
        ref = yield ("sref",)
        if kind == "sput":
            yield ("sset", ref, st[1], st[2])
        else:
            v = yield ("sget", ref, st[1])
            if kind == "sinc":  # into the list loaded, rebound since or not
                yield ("sset", ref, st[1], v + st[2])
            else:
                yield ("append", (st[2], v))
    elif kind == "ssum":  # sum() reads the whole list as it loads it
        v = yield ("sall",)
        yield ("append", (st[1], v))
    elif kind == "sleep":
        yield ("sleep", st[1])
    elif kind == "qput":  # Queue's own lock makes put and get atomic to everyone else
        yield ("qput", st[1])
    elif kind == "qget":
        got = yield ("qget", st[1])
        yield ("append", (st[2], got))
    elif kind == "bwait":
        index, gen, released = yield ("barrive",)
        if not released:
            yield ("bwake", gen)
        yield ("append", (st[1], index))
    elif kind in ("rebind", "boxlist"):
        yield (kind, st[1])
    elif kind == "boxadd":
        b = yield ("boxget",)
        if b != 0:
            yield ("boxapp", b[1], st[1])
    elif kind == "boxlog":
        v = yield ("boxseen",)
        yield ("append", (st[1], v))
    elif kind == "with":
        yield ("acquire", st[1], "block")
        yield from thread_ops(st[2])
        yield ("release", st[1], False)
    elif kind in ("try", "timed"):
        ok = yield ("acquire", st[1], kind)
        if ok:
            yield from thread_ops(st[2])
            yield ("release", st[1], False)
        else:
            yield ("append", st[3])
    elif kind == "release":
        err = yield ("release", st[1], True)
        if err:
            yield ("append", (st[2], err))
    elif kind == "locked":
        v = yield ("locked", st[1])
        yield ("append", (st[2], v))
    elif kind in ("set", "clear"):
        yield (kind, st[1])
    elif kind == "is_set":
        v = yield ("is_set", st[1])
        yield ("append", (st[2], v))
    elif kind == "wait":
        v = yield ("ewait", st[1], st[2])
        yield ("append", (st[3], v))
    elif kind == "notify":
        yield ("acquire", st[1], "block")
        yield ("notify", st[1], st[2])
        yield ("release", st[1], False)
    elif kind == "cwait":
        yield ("acquire", st[1], "block")
        yield ("cwait", st[1])
        got = yield ("cwake", st[1], st[2])
        yield ("reacquire", st[1])
        yield ("append", (st[3], got))
        yield ("release", st[1], False)
    else:
        raise ValueError(f"unknown statement {st!r}")


# ---- the shared state ----------------------------------------------------------------------
@dataclass(frozen=True)
class World:
    """Everything shared, hashable: variables, log, primitives, clock, who waits since when."""

    vars: tuple[int, ...]
    log: tuple[Any, ...]
    #: per primitive: Lock -> holder or -1; RLock -> (owner, count); semaphores -> value;
    #: Event -> flag; Condition -> (lock state, waiters queue of thread ids, notified ids)
    prims: tuple[tuple[str, Any], ...]
    now: float = 0.0
    #: per thread: the virtual time its pending operation was reached
    arrived: tuple[float, ...] = ()
    #: per thread: the RLock count a condition wait saved, to restore on reacquire
    saved: tuple[int, ...] = ()
    #: the lists the program made, by number: 0 is the first ``s.slots``
    heap: tuple[tuple[Any, ...], ...] = ((0, 0),)
    #: the list ``s.slots`` is bound to
    slots: int = 0
    #: ``s.box``: 0, or ("list", number) once a thread bound it to a new list
    box: Any = 0

    def prim(self, name: str) -> Any:
        return dict(self.prims)[name]

    def with_list(self, ref: int, items: tuple[Any, ...]) -> World:
        return replace(self, heap=self.heap[:ref] + (items,) + self.heap[ref + 1:])

    def box_seen(self) -> Any:
        """What ``seen(s.box)`` returns: 0, or the items of the list it is bound to."""
        return self.heap[self.box[1]] if self.box != 0 else 0

    def with_prim(self, name: str, value: Any) -> World:
        return replace(self, prims=tuple((k, value if k == name else v) for k, v in self.prims))


def initial_world(prog: Program) -> World:
    prims = []
    for p in prog.prims:
        kind = PRIMS[p][1]
        if kind == "Lock":
            value: Any = -1
        elif kind == "RLock":
            value = (-1, 0)
        elif kind == "Semaphore":
            value = 2 if p == "S" else 1
        elif kind == "BoundedSemaphore":
            value = 1
        elif kind == "Event":
            value = False
        elif kind == "Queue":  # the items in it (maxsize 1)
            value = ()
        elif kind == "Barrier":  # (threads waiting, generation)
            value = (0, 0)
        else:  # Condition over a Lock (C) or an RLock (D)
            value = (((-1, 0) if p == "D" else -1), (), ())
        prims.append((p, value))
    w = World(tuple(0 for _ in VARS), (), tuple(prims),
              arrived=tuple(0.0 for _ in prog.threads), saved=tuple(0 for _ in prog.threads))
    for p in prog.preheld:  # acquired by setup, which is not a thread
        kind = PRIMS[p][1]
        if kind == "Lock":
            w = w.with_prim(p, -2)
        else:
            w = w.with_prim(p, w.prim(p) - 1)
    return w


# ---- lock-like state: Lock, RLock, semaphores, a condition's lock --------------------------
def _lock_state(w: World, p: str) -> Any:
    v = w.prim(p)
    return v[0] if PRIMS[p][1] == "Condition" else v


def _with_lock_state(w: World, p: str, state: Any) -> World:
    if PRIMS[p][1] == "Condition":
        _, q, notified = w.prim(p)
        return w.with_prim(p, (state, q, notified))
    return w.with_prim(p, state)


def _reentrant(p: str) -> bool:
    return PRIMS[p][1] == "RLock" or p == "D"


def _counting(p: str) -> bool:
    return PRIMS[p][1] in ("Semaphore", "BoundedSemaphore")


def can_take(w: World, p: str, t: int) -> bool:
    st = _lock_state(w, p)
    if _counting(p):
        return st > 0
    if _reentrant(p):
        return st[0] in (-1, t)
    return st == -1


def take(w: World, p: str, t: int, count: int = 1) -> World:
    st = _lock_state(w, p)
    if _counting(p):
        return _with_lock_state(w, p, st - 1)
    if _reentrant(p):
        return _with_lock_state(w, p, (t, st[1] + count))
    return _with_lock_state(w, p, t)


def give(w: World, p: str, t: int) -> World:
    """Release once; raises :class:`Raised` as CPython does for a wrong release."""
    st = _lock_state(w, p)
    if _counting(p):
        if PRIMS[p][1] == "BoundedSemaphore" and st >= 1:
            raise Raised("ValueError", "bad-release")
        return _with_lock_state(w, p, st + 1)
    if _reentrant(p):
        if st[0] != t:
            raise Raised("RuntimeError", "bad-release")
        return _with_lock_state(w, p, (-1, 0) if st[1] == 1 else (t, st[1] - 1))
    if st == -1:
        raise Raised("RuntimeError", "bad-release")
    return _with_lock_state(w, p, -1)  # a Lock has no owner: any thread may release it


# ---- operations ----------------------------------------------------------------------------
def deadline(w: World, t: int, timeout: float | None) -> float | None:
    return None if timeout is None else w.arrived[t] + timeout


def enabled(op: Op, w: World, t: int) -> bool:
    kind = op[0]
    if kind == "acquire":
        if op[2] == "try" or can_take(w, op[1], t):
            return True
        return op[2] == "timed" and w.now >= w.arrived[t] + 0.5
    if kind == "reacquire":
        return can_take(w, op[1], t)
    if kind == "ewait":
        d = deadline(w, t, op[2])
        return w.prim(op[1]) or (d is not None and w.now >= d)
    if kind == "cwake":
        d = deadline(w, t, op[2])
        return t in w.prim(op[1])[2] or (d is not None and w.now >= d)
    if kind == "sleep":
        return w.now >= w.arrived[t] + op[1]
    if kind == "qput":
        return len(w.prim("Q")) < 1
    if kind == "qget":
        if op[1] == "nowait" or w.prim("Q"):
            return True
        return w.now >= w.arrived[t] + TIMEOUT
    if kind == "bwake":
        return w.prim("A")[1] > op[1]
    return True


def timeout_of(op: Op) -> float | None:
    if op[0] == "acquire" and op[2] == "timed":
        return 0.5
    if op[0] in ("ewait", "cwake"):
        return op[2]
    if op[0] == "sleep":
        return op[1]
    if op[0] == "qget" and op[1] == "timed":
        return TIMEOUT
    return None


def apply(op: Op, w: World, t: int) -> tuple[World, Any]:
    """Run ``op`` of thread ``t``: the new world and the result the thread receives."""
    kind = op[0]
    if kind == "read":
        return w, w.vars[VARS.index(op[1])]
    if kind == "write":
        i = VARS.index(op[1])
        return replace(w, vars=w.vars[:i] + (op[2],) + w.vars[i + 1:]), None
    if kind == "append":
        return replace(w, log=w.log + (op[1],)), None
    if kind == "sleep":
        return w, None
    if kind == "qput":
        return w.with_prim("Q", w.prim("Q") + (op[1],)), None
    if kind == "qget":
        items = w.prim("Q")
        if not items:
            return w, "empty"
        return w.with_prim("Q", items[1:]), items[0]
    if kind == "barrive":  # the second to arrive lets both through (index: arrival order)
        count, gen = w.prim("A")
        if count + 1 == 2:
            return w.with_prim("A", (0, gen + 1)), (count, gen, True)
        return w.with_prim("A", (count + 1, gen)), (count, gen, False)
    if kind == "bwake":
        return w, None
    if kind == "sref":
        return w, w.slots
    if kind == "sget":
        return w, w.heap[op[1]][op[2]]
    if kind == "sset":
        ref, k, v = op[1], op[2], op[3]
        return w.with_list(ref, w.heap[ref][:k] + (v,) + w.heap[ref][k + 1:]), None
    if kind == "sall":
        return w, sum(w.heap[w.slots])
    if kind == "rebind":
        return replace(w, heap=w.heap + ((op[1], op[1]),), slots=len(w.heap)), None
    if kind == "boxlist":
        return replace(w, heap=w.heap + ((op[1],),), box=("list", len(w.heap))), None
    if kind == "boxget":
        return w, w.box
    if kind == "boxapp":
        ref = op[1]
        return w.with_list(ref, w.heap[ref] + (op[2],)), None
    if kind == "boxseen":
        return w, w.box_seen()
    if kind == "acquire":
        if can_take(w, op[1], t):
            return take(w, op[1], t), True
        return w, False
    if kind == "release":
        try:
            return give(w, op[1], t), None
        except Raised as e:
            if op[2]:
                return w, e.name
            raise
    if kind == "locked":
        return w, w.prim(op[1]) != -1
    if kind == "set":
        return w.with_prim(op[1], True), None
    if kind == "clear":
        return w.with_prim(op[1], False), None
    if kind in ("is_set", "ewait"):
        return w, w.prim(op[1])
    if kind == "notify":
        lock, queue, notified = w.prim(op[1])
        woken = queue if op[2] else queue[:1]
        w = w.with_prim(op[1], (lock, queue[len(woken):], notified + woken))
        return w, None
    if kind == "cwait":  # release the lock fully and join the queue, in one step
        p = op[1]
        st = _lock_state(w, p)
        count = st[1] if _reentrant(p) else 1
        w = _with_lock_state(w, p, (-1, 0) if _reentrant(p) else -1)
        lock, queue, notified = w.prim(p)
        w = w.with_prim(p, (lock, queue + (t,), notified))
        return replace(w, saved=w.saved[:t] + (count,) + w.saved[t + 1:]), None
    if kind == "cwake":
        lock, queue, notified = w.prim(op[1])
        if t in notified:
            return w.with_prim(op[1], (lock, queue, tuple(x for x in notified if x != t))), True
        return w.with_prim(op[1], (lock, tuple(x for x in queue if x != t), notified)), False
    if kind == "reacquire":
        return take(w, op[1], t, w.saved[t]), None
    raise ValueError(f"unknown operation {op!r}")


# ---- exploration ---------------------------------------------------------------------------
@dataclass
class _Search:
    prog: Program
    seen: set[Any] = field(default_factory=set)
    ends: set[tuple[Any, ...]] = field(default_factory=set)

    def pending(self, hist: tuple[tuple[Any, ...], ...]) -> list[Op | None]:
        """Each thread's next operation after receiving the results in ``hist``."""
        out: list[Op | None] = []
        for body, results in zip(self.prog.threads, hist, strict=True):
            gen = thread_ops(body)
            try:
                op = next(gen)
                for r in results:
                    op = gen.send(r)
            except StopIteration:
                op = None
            out.append(op)
        return out

    def run(self, w: World, hist: tuple[tuple[Any, ...], ...]) -> None:
        stack = [(w, hist)]
        while stack:
            w, hist = stack.pop()
            if (w, hist) in self.seen:
                continue
            self.seen.add((w, hist))
            ops = self.pending(hist)
            movable = [t for t, op in enumerate(ops) if op is not None and enabled(op, w, t)]
            if not movable:
                if all(op is None for op in ops):
                    self.ends.add(("ok", "", (*w.vars, w.log, w.heap[w.slots], w.box_seen())))
                    continue
                future = [d for t, op in enumerate(ops) if op is not None
                          for d in [deadline(w, t, timeout_of(op))] if d is not None and d > w.now]
                if future:
                    stack.append((replace(w, now=min(future)), hist))
                else:
                    self.ends.add(("deadlock", "", None))
                continue
            for t in movable:
                try:
                    w2, result = apply(ops[t], w, t)  # type: ignore[arg-type]
                except Raised as e:
                    self.ends.add((e.kind, f"T{t + 1} raised {e.name}", None))
                    continue
                w2 = replace(w2, arrived=w2.arrived[:t] + (w2.now,) + w2.arrived[t + 1:])
                stack.append((w2, hist[:t] + (hist[t] + (result,),) + hist[t + 1:]))


def outcomes(prog: Program) -> set[tuple[Any, ...]]:
    """Every end the program can reach, under every interleaving."""
    s = _Search(prog)
    s.run(initial_world(prog), tuple(() for _ in prog.threads))
    return s.ends
