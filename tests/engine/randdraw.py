"""Random programs drawn (:func:`draw_program`): which statements, primitives and threads a
:class:`~randprog.Program` of ``randprog.py`` gets, from hypothesis (:class:`HypothesisDraw`,
shrinkable) or a seeded generator (:class:`RandomDraw`, the soak command's source).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, Protocol

from .randprog import (
    BOUND,
    COMPS,
    DELS,
    DICT_KEYS,
    GETS,
    ITERS,
    LOCKISH,
    MAX_DICT_PUTS,
    MAX_LOOPS,
    NEW_KINDS,
    PRIMS,
    READS,
    SET0,
    SET_ADDS,
    SETS,
    TIMEOUT,
    VARS,
    Program,
    Stmt,
)


class Draw(Protocol):
    """Where random choices come from (hypothesis's ``data.draw`` or a seeded generator)."""

    def choice(self, options: Sequence[Any]) -> Any: ...

    def integer(self, lo: int, hi: int) -> int: ...


CLASSIC = ("inc", "put", "log", "log_if", "sinc", "sput", "slog", "ssum", "rebind", "boxlist",
           "boxadd", "boxlog")
SHARED = ("lapp", "lpop", "lrem", "lrebind", "lext", "dput", "ddel", "sadd", "sdisc", "cread",
          "cread", "loop", "loop", "comp", "comp", "alias", "bound", "ginc", "gput", "glog",
          "inc", "log")


#: The kinds of program :func:`draw_program` draws, as often as listed.
MODES = ("classic", "shared", "shared", "mixed")


def draw_program(d: Draw, *, max_threads: int = 3, max_stmts: int = 3,
                 modes: Sequence[str] = MODES) -> Program:
    """A random program: 2 to ``max_threads`` threads of 1 to ``max_stmts`` statements, of the
    classic families (primitives, attributes, list slots), the shared-state families
    (iteration, aliases, bound methods, attributes reached two ways, child threads, a work
    queue) or both (``modes``: which of ``classic``, ``shared``, ``mixed``)."""
    mode = d.choice(list(modes))
    if mode == "shared":
        prims = sorted({d.choice(["L", "W"]) for _ in range(d.integer(0, 1))})
    else:
        names = [p for p in PRIMS if p != "W" or mode == "mixed"]
        prims = sorted({d.choice(names) for _ in range(d.integer(1, 3))})
    preheld = [p for p in prims if p in ("L", "B", "S") and d.integer(0, 3) == 0]
    prog = Program(prims, preheld, [])
    count = d.integer(2, max_threads)
    longest = max_stmts if mode == "classic" or count == 2 else min(max_stmts, 2)
    for n in range(count):
        prog.threads.append(_draw_body(d, prog, n, d.integer(1, longest), True, mode))
    return prog


def _draw_body(d: Draw, prog: Program, n: int, count: int, nested: bool,
               mode: str = "classic") -> list[Stmt]:
    return [_draw_stmt(d, prog, n, nested, mode) for _ in range(count)]


def _draw_stmt(d: Draw, prog: Program, n: int, nested: bool, mode: str = "classic") -> Stmt:
    def tag() -> str:
        return f"{n}.{next(prog.tags)}"

    kinds = list(CLASSIC) if mode != "shared" else []
    if mode != "classic":
        kinds += SHARED
        if nested:
            kinds += ["spawn"]
    lockish = [p for p in prog.prims if p in LOCKISH]
    locks = [p for p in prog.prims if p in ("L", "R", "S", "B")]
    plain = [p for p in prog.prims if p == "L"]  # only Lock has locked()
    events = [p for p in prog.prims if p == "E"]
    conds = [p for p in prog.prims if p in ("C", "D")]
    if lockish and nested:
        kinds += ["with", "with"]
    if locks:
        kinds += ["release"] + (["try", "timed"] if nested else [])
    if plain:
        kinds.append("locked")
    if events:
        kinds += ["set", "clear", "is_set", "wait"]
    if conds:
        kinds += ["notify", "cwait"]
    if "Q" in prog.prims:
        kinds += ["qput", "qget", "qget"]
    if "A" in prog.prims:
        kinds.append("bwait")
    if "W" in prog.prims:
        kinds += ["wput", "wput", "wget", "wjoin"]
    if mode != "shared":
        kinds.append("sleep")
    kind = d.choice(kinds)
    if kind in NEW_KINDS:
        return _draw_shared(d, prog, n, kind, tag, mode)
    if kind == "sleep":
        return ("sleep", d.choice([0.25, TIMEOUT]))
    if kind == "qput":
        return ("qput", tag())
    if kind == "qget":
        return ("qget", d.choice(["nowait", "timed"]), tag())
    if kind == "bwait":
        return ("bwait", tag())
    if kind == "inc":
        return ("inc", d.choice(VARS), d.integer(1, 2))
    if kind == "put":
        return ("put", d.choice(VARS), d.integer(0, 2))
    if kind == "log":
        return ("log", tag())
    if kind == "log_if":
        return ("log_if", d.choice(VARS), tag())
    if kind in ("sinc", "sput", "slog"):
        index, via = d.integer(0, 1), d.choice(["const", "local", "global"])
        value = tag() if kind == "slog" else d.integer(1, 2)
        return (kind, index, value, via)
    if kind == "ssum":
        return ("ssum", tag())
    if kind == "rebind":
        return ("rebind", d.integer(0, 2))
    if kind in ("boxlist", "boxadd", "boxlog"):
        return (kind, tag())
    if kind == "with":
        return ("with", d.choice(lockish),
                _draw_body(d, prog, n, d.integer(1, 2), False, mode))
    if kind in ("try", "timed"):
        return (kind, d.choice(locks), _draw_body(d, prog, n, d.integer(0, 2), False, mode),
                tag())
    if kind == "release":
        return ("release", d.choice(locks), tag())
    if kind == "locked":
        return ("locked", "L", tag())
    if kind in ("set", "clear"):
        return (kind, "E")
    if kind == "is_set":
        return ("is_set", "E", tag())
    if kind == "wait":
        return ("wait", "E", d.choice([None, TIMEOUT]), tag())
    if kind == "notify":
        return ("notify", d.choice(conds), d.choice([False, True]))
    return ("cwait", d.choice(conds), d.choice([None, TIMEOUT]), tag())


def _draw_shared(d: Draw, prog: Program, n: int, kind: str, tag: Callable[[], str],
                 mode: str) -> Stmt:
    """One statement of the shared-container families (``kind`` drawn by the caller)."""
    if kind == "dput" and prog.dict_puts >= MAX_DICT_PUTS:
        kind = "ddel"
    if kind in ("loop", "comp") and prog.loops >= MAX_LOOPS:
        kind = "cread"
    if kind == "lapp":
        return ("lapp", d.integer(3, 4))
    if kind == "lpop":
        return ("lpop", d.choice([None, 0]), tag())
    if kind == "lrem":
        return ("lrem", d.integer(1, 3), tag())
    if kind in ("lrebind", "lext"):
        return (kind, d.integer(5, 6))
    if kind == "dput":
        prog.dict_puts += 1
        return ("dput", d.choice(DICT_KEYS), d.integer(3, 4))
    if kind == "ddel":
        return ("ddel", d.choice(DICT_KEYS[:2]), d.choice(["pop", "del"]), tag())
    if kind == "sadd":
        return ("sadd", d.choice(SET_ADDS))
    if kind == "sdisc":
        return ("sdisc", d.choice(sorted(SET0)))
    if kind == "cread":
        c = d.choice(list(READS))
        return ("cread", c, d.choice(READS[c]), tag())
    if kind in ("loop", "comp"):
        prog.loops += 1
        c = d.choice(list(ITERS))
        src = d.choice(ITERS[c])
        if kind == "loop":
            body = [_draw_loop_stmt(d, prog, n)]
        else:
            body = d.choice(list(COMPS))
        return (kind, c, src, body, d.choice([False, True]), tag())
    if kind == "alias":
        uses = []
        for _ in range(d.integer(1, 2)):
            use = d.choice(["aext", "aapp", "alen", "aset", "aget", "other"])
            if use in ("aext", "aapp"):
                uses.append((use, d.integer(7, 8)))
            elif use == "alen":
                uses.append(("alen", tag()))
            elif use == "aset":
                uses.append(("aset", d.integer(0, 2), d.integer(7, 8), tag()))
            elif use == "aget":
                uses.append(("aget", d.integer(0, 2), tag()))
            else:
                uses.append(_draw_plain(d, prog, n, tag))
        return ("alias", uses)
    if kind == "bound":
        which = d.choice(list(BOUND))
        mid = [_draw_plain(d, prog, n, tag) for _ in range(d.integer(0, 1))]
        return ("bound", which, mid, d.choice(BOUND[which][2]), tag())
    if kind in ("ginc", "gput", "glog"):
        var = d.choice(VARS)
        if kind == "ginc":
            return ("ginc", var, d.choice(list(GETS)), d.integer(1, 2), d.choice(list(SETS)))
        if kind == "gput":
            return ("gput", var, d.integer(0, 2), d.choice(list(SETS)))
        if d.integer(0, 3) == 0:  # now and then an attribute deleted (and re-created by a put)
            return ("gdel", var, d.choice(list(DELS)), tag())
        return ("glog", var, d.choice(list(GETS)), tag())
    if kind == "spawn":
        prog.children.append([])
        ci = len(prog.children) - 1
        prog.children[ci] = _draw_body(d, prog, n, d.integer(1, 2), False, mode)
        mid = [_draw_plain(d, prog, n, tag) for _ in range(d.integer(0, 1))]
        return ("spawn", ci, mid)
    if kind in ("wput", "wget", "wjoin"):
        return (kind, tag())
    if kind == "inc":
        return ("inc", d.choice(VARS), d.integer(1, 2))
    return ("log", tag())


def _draw_loop_stmt(d: Draw, prog: Program, n: int) -> Stmt:
    kind = d.choice(["vlog", "vlog", "inc", "log"])
    if kind == "inc":
        return ("inc", d.choice(VARS[:2]), 1)
    return (kind, f"{n}.{next(prog.tags)}")


def _draw_plain(d: Draw, prog: Program, n: int, tag: Callable[[], str]) -> Stmt:
    """A statement between taking a local alias or a bound method and using it."""
    kind = d.choice(["log", "inc", "lrebind", "lapp", "dput", "sdisc"])
    if kind == "dput" and prog.dict_puts >= MAX_DICT_PUTS:
        kind = "log"
    if kind in ("lrebind", "lapp", "dput", "sdisc"):
        return _draw_shared(d, prog, n, kind, tag, "shared")
    if kind == "inc":
        return ("inc", d.choice(VARS), 1)
    return ("log", tag())


class RandomDraw:
    """:class:`Draw` from a seeded ``random.Random`` (the soak command's source)."""

    def __init__(self, rng: Any) -> None:
        self.rng = rng

    def choice(self, options: Sequence[Any]) -> Any:
        return self.rng.choice(list(options))

    def integer(self, lo: int, hi: int) -> int:
        return self.rng.randint(lo, hi)


class HypothesisDraw:
    """:class:`Draw` from hypothesis's ``data`` object (shrinkable)."""

    def __init__(self, data: Any) -> None:
        from hypothesis import strategies as st

        self.data = data
        self.st = st

    def choice(self, options: Sequence[Any]) -> Any:
        return self.data.draw(self.st.sampled_from(list(options)))

    def integer(self, lo: int, hi: int) -> int:
        return self.data.draw(self.st.integers(lo, hi))
