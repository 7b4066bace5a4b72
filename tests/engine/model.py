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

from .randprog import DICT0, ITEMS0, NEW_KINDS, PRIMS, SET0, TIMEOUT, VARS, Program, Stmt

Op = tuple[Any, ...]
ThreadGen = Generator[Op, Any, None]


class Raised(Exception):
    """An operation raised ``name`` in the modelled thread."""

    def __init__(self, name: str, kind: str = "exception") -> None:
        super().__init__(name)
        self.name = name
        self.kind = kind


# ---- the threads: statements -> generators of operations ------------------------------------
@dataclass
class Ctx:
    """What a thread's statements share: the loop's item, the local alias ``a``, the thread
    slots of its children."""

    nthreads: int
    item: Any = None
    alias: Any = None


def lock_of(prim: str) -> str:
    """The lock a ``with`` takes: a condition's own lock is modelled under the same name."""
    return prim


def thread_ops(body: list[Stmt], ctx: Ctx | None = None) -> ThreadGen:
    ctx = ctx if ctx is not None else Ctx(0)
    for st in body:
        yield from _stmt(st, ctx)


def _stmt(st: Stmt, ctx: Ctx) -> ThreadGen:
    kind = st[0]
    if kind in NEW_KINDS:
        yield from _shared_stmt(st, ctx)
    elif kind == "inc":
        v = yield ("read", st[1], "attr")
        yield ("write", st[1], v + st[2])
    elif kind == "put":
        yield ("write", st[1], st[2])
    elif kind == "log":
        yield ("append", st[1])
    elif kind == "log_if":
        v = yield ("read", st[1], "attr")
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
    elif kind == "ssum":  # load s.slots, then sum() reads the list it loaded
        ref = yield ("sref",)
        v = yield ("ssum", ref)
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
    elif kind == "boxlog":  # load s.box, then tuple() reads the list it loaded
        b = yield ("boxget",)
        v = 0
        if b != 0:
            v = yield ("boxread", b[1])
        yield ("append", (st[1], v))
    elif kind == "with":
        yield ("acquire", st[1], "block")
        yield from thread_ops(st[2], ctx)
        yield ("release", st[1], False)
    elif kind in ("try", "timed"):
        ok = yield ("acquire", st[1], kind)
        if ok:
            yield from thread_ops(st[2], ctx)
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


def _shared_stmt(st: Stmt, ctx: Ctx) -> ThreadGen:
    kind = st[0]
    if kind in ("lapp", "lpop", "lrem", "lext"):
        ref = yield ("bind",)
        if kind == "lapp":
            yield ("lextend", ref, (st[1],))
        elif kind == "lext":  # s.items += [v]: extend the list loaded, store it back
            yield ("lextend", ref, (st[1],))
            yield ("setbind", ref)
        else:
            err = yield ("lpop", ref, st[1]) if kind == "lpop" else ("lremove", ref, st[1])
            if err:
                yield ("append", (st[2], "missing"))
    elif kind == "lrebind":
        yield ("newlist", (st[1],))
    elif kind == "dput":
        yield ("dput", st[1], st[2])
    elif kind == "ddel":
        err = yield ("ddel", st[1], st[2] == "del")
        if err:
            yield ("append", (st[3], "missing"))
    elif kind in ("sadd", "sdisc"):
        yield (kind, st[1])
    elif kind == "cread":
        ref = (yield ("bind",)) if st[1] == "items" else None
        v = yield ("cread", st[1], ref, st[2])
        yield ("append", (st[3], v))
    elif kind in ("loop", "comp"):
        c, src, guard, tag = st[1], st[2], st[-2], st[-1]
        items: list[Any] = []
        it = yield ("iter", c, src)  # the iterator is made in the step that loads s.c
        while True:
            got = yield ("next", it, guard)  # each fetch a step, the one that ends included
            if got[0] != "item":
                end = got[0]
                break
            it = got[2]
            items.append(got[1])
            if kind == "loop":
                ctx.item = got[1]
                yield from thread_ops(st[3], ctx)
        if kind == "loop":
            if end == "error":
                yield ("append", (tag, "changed"))
        else:
            res = "changed" if end == "error" else _comp_result(st[3], items)
            yield ("append", (tag, res))
    elif kind == "vlog":
        yield ("append", (st[1], ctx.item))
    elif kind == "alias":
        ctx.alias = yield ("bind",)
        yield from thread_ops(st[1], ctx)
    elif kind in ("aext", "aapp"):
        yield ("lextend", ctx.alias, (st[1],))
    elif kind == "alen":
        v = yield ("cread", "items", ctx.alias, "len(C)")
        yield ("append", (st[1], v))
    elif kind == "aset":
        err = yield ("lset", ctx.alias, st[1], st[2])
        if err:
            yield ("append", (st[3], "short"))
    elif kind == "aget":
        v = yield ("lget", ctx.alias, st[1])
        yield ("append", (st[2], v))
    elif kind == "bound":
        which, arg = st[1], st[3]
        ref = (yield ("bind",)) if which == "append" else None
        yield from thread_ops(st[2], ctx)
        if which in ("get", "pop"):
            v = yield ("dget" if which == "get" else "dpop", arg)
            yield ("append", (st[4], v))
        elif which == "append":
            yield ("lextend", ref, (arg,))
        else:
            yield ("sadd" if which == "add" else "sdisc", arg)
    elif kind == "ginc":
        v = yield ("read", st[1], st[2])
        yield ("write", st[1], v + st[3])
    elif kind == "gput":
        yield ("write", st[1], st[2])
    elif kind == "glog":
        v = yield ("read", st[1], st[2])
        yield ("append", (st[3], v))
    elif kind == "gdel":
        err = yield ("delete", st[1], st[2])
        if err:
            yield ("append", (st[3], err))
    elif kind == "spawn":
        slot = ctx.nthreads + st[1]
        yield ("start", slot)
        yield from thread_ops(st[2], ctx)
        yield ("join", slot)
    elif kind == "wput":
        yield ("wput", st[1])
    elif kind == "wget":
        got = yield ("wget",)
        yield ("append", (st[1], got))
        yield ("wdone",)
    elif kind == "wjoin":
        yield ("wjoin",)
        yield ("append", (st[1], "joined"))
    else:
        raise ValueError(f"unknown statement {st!r}")


def _comp_result(form: str, items: list[Any]) -> Any:
    """What a comprehension of ``COMPS[form]`` logs, from the items its loop fetched."""
    if form == "set":
        return tuple(sorted(set(items)))
    if form == "dict":
        return tuple(dict.fromkeys(items))
    if form == "gensum":
        return len(items)
    return tuple(items)


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
    #: the list ``s.items`` is bound to (number 1 at first)
    items: int = 1
    #: ``s.d``'s entry table in insertion order, a deleted entry left as ``None`` (CPython keeps
    #: the slot: an iterator walks the table by position)
    d: tuple[Any, ...] = DICT0
    #: ``s.st``: small ints, each in the slot of its value, so iterated in ascending order
    st: frozenset[int] = SET0
    #: the child threads started so far (by slot)
    started: frozenset[int] = frozenset()

    def prim(self, name: str) -> Any:
        return dict(self.prims)[name]

    def with_list(self, ref: int, items: tuple[Any, ...]) -> World:
        return replace(self, heap=self.heap[:ref] + (items,) + self.heap[ref + 1:])

    def box_seen(self) -> Any:
        """What ``seen(s.box)`` returns: 0, or the items of the list it is bound to."""
        return self.heap[self.box[1]] if self.box != 0 else 0

    def live(self) -> dict[str, Any]:
        """``s.d`` as a dict."""
        return dict(e for e in self.d if e is not None)

    def observed(self) -> tuple[Any, ...]:
        """What the program's ``observe`` returns of this final state."""
        work = self.prim("W") if "W" in dict(self.prims) else (None, None)
        return (*self.vars, self.log, self.heap[self.slots], self.box_seen(),
                self.heap[self.items], tuple(self.live().items()), tuple(sorted(self.st)),
                *work)

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
        elif kind == "WorkQueue":  # (the items in it, unfinished tasks)
            value = ((), 0)
        else:  # Condition over a Lock (C) or an RLock (D)
            value = (((-1, 0) if p == "D" else -1), (), ())
        prims.append((p, value))
    slots = len(prog.threads) + len(prog.children)
    w = World(tuple(0 for _ in VARS), (), tuple(prims), arrived=tuple(0.0 for _ in range(slots)),
              saved=tuple(0 for _ in range(slots)), heap=((0, 0), ITEMS0))
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


def enabled(op: Op, w: World, t: int, finished: frozenset[int] = frozenset()) -> bool:
    """Whether thread ``t`` can run ``op`` now (``finished``: the threads that ended)."""
    kind = op[0]
    if kind == "unborn":
        return False
    if kind == "join":
        return op[1] in finished
    if kind == "wget":
        return bool(w.prim("W")[0])
    if kind == "wjoin":
        return w.prim("W")[1] == 0
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
    if kind in SHARED_OPS:
        return apply_shared(op, w, t)
    if kind == "read":  # an attribute read one of the ways of GETS
        v = w.vars[VARS.index(op[1])]
        if v is None:
            raise Raised("KeyError" if op[2] in ("dict", "vars") else "AttributeError")
        return w, v
    if kind in ("write", "delete"):
        i = VARS.index(op[1])
        if kind == "delete" and w.vars[i] is None:
            return w, "KeyError" if op[2] == "dict" else "AttributeError"
        v = op[2] if kind == "write" else None
        return replace(w, vars=w.vars[:i] + (v,) + w.vars[i + 1:]), None
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
    if kind == "ssum":
        return w, sum(w.heap[op[1]])
    if kind == "boxread":
        return w, w.heap[op[1]]
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


# ---- shared containers, child threads, the work queue ---------------------------------------
SHARED_OPS = frozenset({
    "bind", "setbind", "newlist", "lextend", "lpop", "lremove", "lset", "lget", "dput", "ddel",
    "dget", "dpop", "sadd", "sdisc", "cread", "iter", "next", "start", "join", "wput", "wget",
    "wdone", "wjoin"})


def container(w: World, c: str, ref: int | None) -> Any:
    """A container's contents as the Python object a read of it sees."""
    if c == "items":
        return list(w.heap[ref if ref is not None else w.items])
    if c == "d":
        return w.live()
    return set(w.st)


def next_item(w: World, it: tuple[Any, ...]) -> tuple[Any, ...]:
    """One fetch of an iterator (CPython's ``listiter``, ``dictiter``, ``setiter``):
    ``("item", value, iterator after)``, ``("stop",)`` or ``("error",)`` for the RuntimeError."""
    if it[0] == "L":
        _, ref, index = it
        items = w.heap[ref]
        if index < len(items):
            return ("item", items[index], ("L", ref, index + 1))
        return ("stop",)
    if it[0] == "S":
        _, pos, used = it
        if len(w.st) != used:  # "Set changed size during iteration"
            return ("error",)
        later = [v for v in w.st if v >= pos]
        if not later:
            return ("stop",)
        return ("item", min(later), ("S", min(later) + 1, used))
    _, src, pos, used, left = it
    if len(w.live()) != used:  # "dictionary changed size during iteration"
        return ("error",)
    while pos < len(w.d) and w.d[pos] is None:
        pos += 1
    if pos >= len(w.d):
        return ("stop",)
    if left == 0:  # "dictionary keys changed during iteration"
        return ("error",)
    k, v = w.d[pos]
    item = {"c": k, "c.items()": (k, v), "c.values()": v}[src]
    return ("item", item, ("D", src, pos + 1, used, left - 1))


def apply_shared(op: Op, w: World, t: int) -> tuple[World, Any]:
    """:func:`apply` for the operations of the shared-container families."""
    kind = op[0]
    if kind == "bind":
        return w, w.items
    if kind == "setbind":
        return replace(w, items=op[1]), None
    if kind == "newlist":
        return replace(w, heap=w.heap + (op[1],), items=len(w.heap)), None
    if kind in ("lextend", "lpop", "lremove", "lset", "lget"):
        ref = op[1]
        items = list(w.heap[ref])
        try:
            if kind == "lextend":
                items.extend(op[2])
            elif kind == "lpop":
                items.pop(*(() if op[2] is None else (op[2],)))
            elif kind == "lremove":
                items.remove(op[2])
            elif kind == "lset":
                items[op[2]] = op[3]
            else:
                return w, items[op[2]]
        except (IndexError, ValueError) as e:
            return w, ("short" if kind == "lget" else type(e).__name__)
        return w.with_list(ref, tuple(items)), None
    if kind in ("dput", "ddel", "dpop", "dget"):
        k = op[1]
        at = [i for i, e in enumerate(w.d) if e is not None and e[0] == k]
        if kind == "dget":
            return w, w.d[at[0]][1] if at else None
        if kind == "dput":
            if at:
                return replace(w, d=w.d[:at[0]] + ((k, op[2]),) + w.d[at[0] + 1:]), None
            return replace(w, d=w.d + ((k, op[2]),)), None
        if not at:
            return w, ("KeyError" if kind == "ddel" and op[2] else None)
        old = w.d[at[0]][1]
        w = replace(w, d=w.d[:at[0]] + (None,) + w.d[at[0] + 1:])
        return w, (old if kind == "dpop" else None)
    if kind == "sadd":
        return replace(w, st=w.st | {op[1]}), None
    if kind == "sdisc":
        return replace(w, st=w.st - {op[1]}), None
    if kind == "cread":
        value = eval(op[3].replace("C", "c"), {"c": container(w, op[1], op[2])})  # noqa: S307
        return w, value
    if kind == "iter":
        c = op[1]
        if c == "items":
            return w, ("L", w.items, 0)
        if c == "st":
            return w, ("S", 0, len(w.st))
        n = len(w.live())
        return w, ("D", op[2], 0, n, n)
    if kind == "next":
        got = next_item(w, op[1])
        if got[0] == "error" and not op[2]:
            raise Raised("RuntimeError")
        return w, got
    if kind == "start":
        return replace(w, started=w.started | {op[1]}), None
    if kind == "join":
        return w, None
    items, unfinished = w.prim("W")
    if kind == "wput":
        return w.with_prim("W", (items + (op[1],), unfinished + 1)), None
    if kind == "wget":
        return w.with_prim("W", (items[1:], unfinished)), items[0]
    if kind == "wdone":
        if unfinished == 0:
            raise Raised("ValueError")
        return w.with_prim("W", (items, unfinished - 1)), None
    return w, None  # wjoin: enabled only once every task is done


# ---- exploration ---------------------------------------------------------------------------
@dataclass
class _Search:
    prog: Program
    seen: set[Any] = field(default_factory=set)
    #: every end reached, with the first schedule (thread slots, one per operation) to it
    ends: dict[tuple[Any, ...], tuple[int, ...]] = field(default_factory=dict)

    def pending(self, w: World, hist: tuple[tuple[Any, ...], ...]) -> list[Op | None]:
        """Each thread's next operation after receiving the results in ``hist`` (a child not
        started yet: ``("unborn",)``)."""
        n = len(self.prog.threads)
        bodies = self.prog.threads + self.prog.children
        out: list[Op | None] = []
        for t, (body, results) in enumerate(zip(bodies, hist, strict=True)):
            if t >= n and t not in w.started:
                out.append(("unborn",))
                continue
            gen = thread_ops(body, Ctx(n))
            try:
                op = next(gen)
                for r in results:
                    op = gen.send(r)
            except StopIteration:
                op = None
            out.append(op)
        return out

    def end(self, key: tuple[Any, ...], path: tuple[int, ...]) -> None:
        self.ends.setdefault(key, path)

    def run(self, w: World, hist: tuple[tuple[Any, ...], ...]) -> None:
        n = len(self.prog.threads)
        stack: list[tuple[World, tuple[tuple[Any, ...], ...], tuple[int, ...]]] = [(w, hist, ())]
        while stack:
            w, hist, path = stack.pop()
            if (w, hist) in self.seen:
                continue
            self.seen.add((w, hist))
            ops = self.pending(w, hist)
            finished = frozenset(t for t, op in enumerate(ops) if op is None)
            movable = [t for t, op in enumerate(ops)
                       if op is not None and enabled(op, w, t, finished)]
            if not movable:
                if all(op is None for op in ops):
                    self.end(("ok", "", w.observed()), path)
                    continue
                future = [d for t, op in enumerate(ops) if op is not None
                          for d in [deadline(w, t, timeout_of(op))] if d is not None and d > w.now]
                if future:
                    stack.append((replace(w, now=min(future)), hist, path))
                else:
                    self.end(("deadlock", "", None), path)
                continue
            for t in movable:
                try:
                    w2, result = apply(ops[t], w, t)  # type: ignore[arg-type]
                except Raised as e:
                    who = f"T{t + 1}" if t < n else "child"
                    self.end((e.kind, f"{who} raised {e.name}", None), path + (t,))
                    continue
                w2 = replace(w2, arrived=w2.arrived[:t] + (w2.now,) + w2.arrived[t + 1:])
                stack.append((w2, hist[:t] + (hist[t] + (result,),) + hist[t + 1:], path + (t,)))


def explore(prog: Program) -> dict[tuple[Any, ...], tuple[int, ...]]:
    """Every end the program can reach, each with a schedule that reaches it."""
    s = _Search(prog)
    slots = len(prog.threads) + len(prog.children)
    s.run(initial_world(prog), tuple(() for _ in range(slots)))
    return s.ends


def outcomes(prog: Program) -> set[tuple[Any, ...]]:
    """Every end the program can reach, under every interleaving."""
    return set(explore(prog))
