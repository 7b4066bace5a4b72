"""Random small concurrent programs, as real Python files the engine traces.

A program is data (:class:`Program`: the shared state's primitives and, per thread, a list of
statements), written out as Python source by :meth:`Program.source`. The same data is what the
independent model (``model.py``) interprets, so the two agree on what the program means.

Statements (tuples, first item the kind):

- ``("inc", var, k)``: ``s.var += k`` (a read, then a write: two steps);
- ``("put", var, k)``: ``s.var = k``;
- ``("log", tag)``: ``s.log.append(tag)``;
- ``("log_if", var, tag)``: ``if s.var: s.log.append(tag)``;
- ``("with", prim, body)``: ``with s.prim:`` around ``body`` (a Lock, RLock, Semaphore,
  BoundedSemaphore or Condition);
- ``("try", prim, body)``: ``if s.prim.acquire(blocking=False):`` body, release; else log;
- ``("timed", prim, body)``: the same with ``acquire(timeout=0.5)``;
- ``("release", prim)``: ``s.prim.release()``, its ValueError/RuntimeError logged;
- ``("locked", prim)``: ``s.log.append(s.prim.locked())``;
- ``("set", ev)``, ``("clear", ev)``, ``("is_set", ev)``, ``("wait", ev, timeout)``;
- ``("notify", cond, all)``, ``("cwait", cond, timeout)``: with the condition held;
- ``("sleep", d)``: ``time.sleep(d)`` on the virtual clock;
- ``("qput", tag)``, ``("qget", how, tag)``: ``s.Q.put(tag)`` on a ``queue.Queue(1)`` (blocks while
  full), ``s.Q.get`` without blocking or with a timeout, logging what it got or ``'empty'``;
- ``("bwait", tag)``: ``s.log.append((tag, s.A.wait()))`` on a ``threading.Barrier(2)``;
- ``("sinc", i, k, via)``, ``("sput", i, k, via)``, ``("slog", i, tag, via)``: ``s.slots[i] += k``,
  ``s.slots[i] = k``, ``s.log.append((tag, s.slots[i]))``, the index a constant, a local or a
  global (``K0``, ``K1``): precise keys for list slots (each loads ``s.slots`` first, so a rebind
  in between leaves it working on the old list);
- ``("ssum", tag)``: ``s.log.append((tag, sum(s.slots)))``; ``("rebind", k)``: ``s.slots = [k, k]``;
- ``("boxlist", tag)``: ``s.box = [tag]`` (``s.box`` starts as 0); ``("boxadd", tag)``:
  ``b = s.box`` then ``b.append(tag)`` if it is a list; ``("boxlog", tag)``: log what
  ``s.box`` holds (a load of a number that another thread may rebind to a list before it runs).
"""

from __future__ import annotations

import importlib.util
import itertools
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

Stmt = tuple[Any, ...]

#: Primitive name -> (constructor source, kind).
PRIMS = {
    "L": ("threading.Lock()", "Lock"),
    "R": ("threading.RLock()", "RLock"),
    "S": ("threading.Semaphore(2)", "Semaphore"),
    "B": ("threading.BoundedSemaphore(1)", "BoundedSemaphore"),
    "E": ("threading.Event()", "Event"),
    "C": ("threading.Condition(threading.Lock())", "Condition"),
    "D": ("threading.Condition(threading.RLock())", "Condition"),
    "Q": ("queue.Queue(1)", "Queue"),
    "A": ("threading.Barrier(2)", "Barrier"),
}
LOCKISH = ("L", "R", "S", "B", "C", "D")
VARS = ("x", "y")
TIMEOUT = 0.5


class Draw(Protocol):
    """Where random choices come from (hypothesis's ``data.draw`` or a seeded generator)."""

    def choice(self, options: Sequence[Any]) -> Any: ...

    def integer(self, lo: int, hi: int) -> int: ...


@dataclass
class Program:
    """Shared state (which primitives, which taken at setup) and the threads' statements."""

    prims: list[str]
    preheld: list[str]
    threads: list[list[Stmt]]
    tags: itertools.count = field(default_factory=lambda: itertools.count(1), repr=False)

    def source(self) -> str:
        """The program as a Python module: ``setup``, ``THREADS``, ``observe``."""
        out = ["import queue", "import threading", "import time", "", "",
               "class State:", "    def __init__(self):"]
        out += [f"        self.{v} = 0" for v in VARS]
        out.append("        self.log = []")
        out.append("        self.slots = [0, 0]")
        out.append("        self.box = 0")
        for p in self.prims:
            out.append(f"        self.{p} = {PRIMS[p][0]}")
        for p in self.preheld:
            out.append(f"        self.{p}.acquire()")
        out += ["", "", "K0, K1 = 0, 1", "", "",
                "def seen(b):", "    return tuple(b) if type(b) is list else b", "", "",
                "def setup():", "    return State()", ""]
        for n, body in enumerate(self.threads):
            out += ["", f"def t{n}(s):"]
            out += _block(body, 1) or ["    pass"]
        names = ", ".join(f"t{n}" for n in range(len(self.threads)))
        out += ["", "", f"THREADS = [{names}]", "", "",
                "def observe(s):",
                "    return (" + ", ".join(f"s.{v}" for v in VARS)
                + ", tuple(s.log), tuple(s.slots), seen(s.box))", ""]
        return "\n".join(out)


def _block(body: Sequence[Stmt], depth: int) -> list[str]:
    pad = "    " * depth
    lines: list[str] = []
    for st in body:
        kind = st[0]
        if kind == "inc":
            lines.append(f"{pad}s.{st[1]} += {st[2]}")
        elif kind == "put":
            lines.append(f"{pad}s.{st[1]} = {st[2]}")
        elif kind == "log":
            lines.append(f"{pad}s.log.append({st[1]!r})")
        elif kind == "log_if":
            lines += [f"{pad}if s.{st[1]}:", f"{pad}    s.log.append({st[2]!r})"]
        elif kind in ("sinc", "sput", "slog"):
            index, via = st[1], st[-1]
            if via == "local":
                lines.append(f"{pad}i = {index}")
            at = {"const": str(index), "local": "i", "global": f"K{index}"}[via]
            if kind == "sinc":
                lines.append(f"{pad}s.slots[{at}] += {st[2]}")
            elif kind == "sput":
                lines.append(f"{pad}s.slots[{at}] = {st[2]}")
            else:
                lines.append(f"{pad}s.log.append(({st[2]!r}, s.slots[{at}]))")
        elif kind == "ssum":
            lines.append(f"{pad}s.log.append(({st[1]!r}, sum(s.slots)))")
        elif kind == "rebind":
            lines.append(f"{pad}s.slots = [{st[1]}, {st[1]}]")
        elif kind == "boxlist":
            lines.append(f"{pad}s.box = [{st[1]!r}]")
        elif kind == "boxadd":
            lines += [f"{pad}b = s.box", f"{pad}if type(b) is list:",
                      f"{pad}    b.append({st[1]!r})"]
        elif kind == "boxlog":
            lines.append(f"{pad}s.log.append(({st[1]!r}, seen(s.box)))")
        elif kind == "sleep":
            lines.append(f"{pad}time.sleep({st[1]})")
        elif kind == "qput":
            lines.append(f"{pad}s.Q.put({st[1]!r})")
        elif kind == "qget":
            arg = "block=False" if st[1] == "nowait" else f"timeout={TIMEOUT}"
            lines += [f"{pad}try:", f"{pad}    got = s.Q.get({arg})",
                      f"{pad}except queue.Empty:", f"{pad}    got = 'empty'",
                      f"{pad}s.log.append(({st[2]!r}, got))"]
        elif kind == "bwait":
            lines.append(f"{pad}s.log.append(({st[1]!r}, s.A.wait()))")
        elif kind == "with":
            lines.append(f"{pad}with s.{st[1]}:")
            lines += _block(st[2], depth + 1) or [f"{pad}    pass"]
        elif kind in ("try", "timed"):
            arg = "blocking=False" if kind == "try" else f"timeout={TIMEOUT}"
            lines.append(f"{pad}if s.{st[1]}.acquire({arg}):")
            lines += _block(st[2], depth + 1)
            lines += [f"{pad}    s.{st[1]}.release()", f"{pad}else:",
                      f"{pad}    s.log.append({st[3]!r})"]
        elif kind == "release":
            lines += [f"{pad}try:", f"{pad}    s.{st[1]}.release()",
                      f"{pad}except (ValueError, RuntimeError) as e:",
                      f"{pad}    s.log.append(({st[2]!r}, type(e).__name__))"]
        elif kind == "locked":
            lines.append(f"{pad}s.log.append(({st[2]!r}, s.{st[1]}.locked()))")
        elif kind == "set":
            lines.append(f"{pad}s.{st[1]}.set()")
        elif kind == "clear":
            lines.append(f"{pad}s.{st[1]}.clear()")
        elif kind == "is_set":
            lines.append(f"{pad}s.log.append(({st[2]!r}, s.{st[1]}.is_set()))")
        elif kind == "wait":
            arg = "" if st[2] is None else repr(st[2])
            lines.append(f"{pad}s.log.append(({st[3]!r}, s.{st[1]}.wait({arg})))")
        elif kind == "notify":
            call = "notify_all" if st[2] else "notify"
            lines += [f"{pad}with s.{st[1]}:", f"{pad}    s.{st[1]}.{call}()"]
        elif kind == "cwait":
            arg = "" if st[2] is None else repr(st[2])
            lines += [f"{pad}with s.{st[1]}:",
                      f"{pad}    s.log.append(({st[3]!r}, s.{st[1]}.wait({arg})))"]
        else:
            raise ValueError(f"unknown statement {st!r}")
    return lines


def draw_program(d: Draw, *, max_threads: int = 3, max_stmts: int = 3) -> Program:
    """A random program: 2 to ``max_threads`` threads of 1 to ``max_stmts`` statements."""
    prims = sorted({d.choice(list(PRIMS)) for _ in range(d.integer(1, 3))})
    preheld = [p for p in prims if p in ("L", "B", "S") and d.integer(0, 3) == 0]
    prog = Program(prims, preheld, [])
    for n in range(d.integer(2, max_threads)):
        prog.threads.append(_draw_body(d, prog, n, d.integer(1, max_stmts), nested=True))
    return prog


def _draw_body(d: Draw, prog: Program, n: int, count: int, nested: bool) -> list[Stmt]:
    body = []
    for _ in range(count):
        body.append(_draw_stmt(d, prog, n, nested))
    return body


def _draw_stmt(d: Draw, prog: Program, n: int, nested: bool) -> Stmt:
    def tag() -> str:
        return f"{n}.{next(prog.tags)}"

    kinds = ["inc", "put", "log", "log_if", "sinc", "sput", "slog", "ssum", "rebind",
             "boxlist", "boxadd", "boxlog"]
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
    kinds.append("sleep")
    kind = d.choice(kinds)
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
        return ("with", d.choice(lockish), _draw_body(d, prog, n, d.integer(1, 2), False))
    if kind in ("try", "timed"):
        return (kind, d.choice(locks), _draw_body(d, prog, n, d.integer(0, 2), False), tag())
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


_loaded = itertools.count()


def load(prog: Program, folder: Path) -> Any:
    """Write ``prog`` to a file in ``folder`` and import it (a traced file: not a package's)."""
    name = f"randprog_{next(_loaded)}"
    path = folder / f"{name}.py"
    path.write_text(prog.source())
    spec = importlib.util.spec_from_file_location(name, path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


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


Checker = Callable[[Program], None]
