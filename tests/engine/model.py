"""An independent model of the random programs of ``randprog.py``: CPython's semantics of each
primitive, written from the ``threading`` documentation, with every interleaving enumerated.

It shares no code with the engine. Each thread is a Python generator that yields the shared
operations of its statements one at a time (a read or write of ``s.x``, an append to the log, one
synchronisation operation) and receives their results (``model_threads.py``); this module holds the
shared state, what each operation does to it, and the search: the model explores every order of
those operations (memoised on the shared state and every thread's history of results, which fixes
the generator's state), with the engine's virtual clock: a wait with a timeout gives up only when no
thread can move, and the clock then jumps to the earliest deadline.

:func:`outcomes` returns every reachable end: ``("ok", "", observed_state)``, ``("deadlock", "",
None)`` or ``(kind, "T<n> raised <Exception>", None)`` for an uncaught exception.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any

from .model_threads import Ctx, Op, Raised, thread_ops
from .randprog import DICT0, ITEMS0, PRIMS, SET0, TIMEOUT, VARS, Program


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
