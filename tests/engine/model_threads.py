"""The model's threads (``model.py``): each thread of a random program (``randprog.py``) as a
Python generator that yields the shared operations of its statements one at a time (a read or
write of ``s.x``, an append to the log, one synchronisation operation) and receives their results.
"""

from __future__ import annotations

from collections.abc import Generator
from dataclasses import dataclass
from typing import Any

from .randprog import NEW_KINDS, Stmt

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
