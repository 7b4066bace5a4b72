"""Random small concurrent programs, as real Python files the engine traces.

A program is data (:class:`Program`: the shared state's primitives and, per thread, a list of
statements), written out as Python source by :meth:`Program.source`. The same data is what the
independent model (``model.py``) interprets, so the two agree on what the program means; random
ones are drawn by ``randdraw.py``.

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

The shared-state families (issue 18), over ``s.items`` (a list), ``s.d`` (a dict), ``s.st`` (a
set of small ints), ``s.a.v`` and ``s.b.v`` (two objects of one class), a ``queue.Queue()``
``s.W`` and child threads:

- ``("lapp", v)``, ``("lpop", None|0, tag)``, ``("lrem", v, tag)``, ``("lext", v)``
  (``s.items += [v]``), ``("lrebind", v)``, ``("dput", k, v)``, ``("ddel", k, "pop"|"del", tag)``,
  ``("sadd", v)``, ``("sdisc", v)``: mutations (an IndexError, ValueError or KeyError logged);
- ``("cread", c, form, tag)``: one read of a whole container (``len``, ``sum``, ``sorted``,
  ``list``, ``max``, ``any``, ``in``, ``==``, a truth test, an f-string, unpacking, a method);
- ``("loop", c, src, body, guard, tag)``: ``for item in s.c`` (or ``.items()``, ``.values()``)
  around ``body``; ``("comp", c, src, form, guard, tag)``: a list, set or dict comprehension or a
  generator expression over it; ``guard``: a RuntimeError (changed size) is caught and logged;
- ``("alias", uses)``: ``a = s.items`` then ``a += [v]``, ``a.append(v)``, ``len(a)``,
  ``a[i] = v``, ``a[i]`` and other statements;
- ``("bound", which, mid, arg, tag)``: ``f = s.d.get`` (``pop``, ``s.items.append``,
  ``s.st.add``, ``discard``), the statements ``mid``, then ``f(arg)``;
- ``("ginc", var, how, k, how)``, ``("gput", var, k, how)``, ``("glog", var, how, tag)``,
  ``("gdel", var, how, tag)``: an attribute read, written or deleted through ``getattr``,
  ``setattr``, ``delattr``, ``__dict__`` or ``vars()``;
- ``("spawn", i, mid)``: start a thread running ``children[i]``, run ``mid``, join it;
- ``("wput", tag)``, ``("wget", tag)`` (get, log, ``task_done()``), ``("wjoin", tag)``.
"""

from __future__ import annotations

import importlib.util
import itertools
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

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
    "W": ("queue.Queue()", "WorkQueue"),
}
LOCKISH = ("L", "R", "S", "B", "C", "D")
#: The shared numbers: two attributes of the state, and ``v`` of two objects of one class.
VARS = ("x", "y", "a.v", "b.v")
TIMEOUT = 0.5
#: The shared containers' first contents. Set elements are small ints, so each sits in the
#: hash-table slot of its own value and a set iterates in ascending order; a value discarded is
#: never added again (its slot would hold a dummy), so adds and discards draw from disjoint pools.
ITEMS0 = (1, 2)
DICT0 = (("a", 1), ("b", 2))
SET0 = frozenset({1, 3, 5})
SET_ADDS = (0, 2, 4, 6)
#: New keys a program may insert into ``s.d``: at most 3 inserts, so the dict's entry table
#: (8 slots, 5 usable) is never resized while a thread iterates it.
MAX_DICT_PUTS = 3
DICT_KEYS = ("a", "b", "c")
#: Loops and comprehensions per program (each fetch is a step: more would make programs the
#: model and the engine cannot search in a reasonable time).
MAX_LOOPS = 1

#: Reads of a whole container, each one call (one scheduling point): expressions over ``C``.
READS = {
    "items": ("len(C)", "sum(C)", "tuple(sorted(C))", "tuple(list(C))", "max(C, default=None)",
              "any(C)", "2 in C", "C == [1, 2]", "('t' if C else 'f')", "f'{C}'", "(*C,)",
              "tuple(C.copy())", "C.count(2)"),
    "d": ("len(C)", "tuple(C)", "tuple(sorted(C))", "C.get('a')", "tuple(C.items())",
          "'c' in C", "('t' if C else 'f')", "tuple(C.values())", "f'{C}'",
          "C == {'a': 1, 'b': 2}", "tuple(C.copy())"),
    "st": ("len(C)", "tuple(sorted(C))", "sum(C)", "3 in C", "max(C, default=None)",
           "('t' if C else 'f')", "C == {1, 3, 5}", "f'{C}'"),
}
#: Comprehensions over a container's items (``{}``), with what is logged of their result.
COMPS = {
    "list": "tuple([v for v in {}])",
    "set": "tuple(sorted({{v for v in {}}}))",
    "dict": "tuple({{v: 1 for v in {}}})",
    "gen": "tuple(v for v in {})",
    "gensum": "sum(1 for v in {})",
}
#: Where a loop over a container takes its items from (``c`` the container).
ITERS = {"items": ("c",), "d": ("c", "c.items()", "c.values()"), "st": ("c",)}
#: Two ways to read or write one attribute ``{o}.{n}``.
GETS = {"attr": "{o}.{n}", "getattr": "getattr({o}, '{n}')", "dict": "{o}.__dict__['{n}']",
        "vars": "vars({o})['{n}']"}
SETS = {"attr": "{o}.{n} = {v}", "setattr": "setattr({o}, '{n}', {v})",
        "dict": "{o}.__dict__['{n}'] = {v}", "vars": "vars({o})['{n}'] = {v}"}
DELS = {"delattr": "delattr({o}, '{n}')", "del": "del {o}.{n}", "dict": "del {o}.__dict__['{n}']"}
#: Bound methods taken at one step and called later: (container, method, argument pool).
BOUND = {"get": ("d", "get", DICT_KEYS), "pop": ("d", "pop", DICT_KEYS),
         "append": ("items", "append", (7, 8)), "add": ("st", "add", SET_ADDS),
         "discard": ("st", "discard", tuple(sorted(SET0)))}


class NotConfirmable(Exception):
    """The program has a statement the real-thread harness cannot force step by step."""


def attr(var: str) -> tuple[str, str]:
    """``("s", "x")`` for ``x``, ``("s.a", "v")`` for ``a.v``: the object and the name."""
    obj, _, name = ("s." + var).rpartition(".")
    return obj, name


@dataclass
class Program:
    """Shared state (which primitives, which taken at setup), the threads' statements and the
    bodies of the threads they start (``children[i]`` is thread ``len(threads) + i``)."""

    prims: list[str]
    preheld: list[str]
    threads: list[list[Stmt]]
    children: list[list[Stmt]] = field(default_factory=list)
    tags: itertools.count = field(default_factory=lambda: itertools.count(1), repr=False)
    dict_puts: int = field(default=0, repr=False)
    loops: int = field(default=0, repr=False)

    def source(self, *, hooked: bool = False) -> str:
        """The program as a Python module: ``setup``, ``THREADS``, ``observe``. ``hooked``: the
        variant for ``realthreads.py``: each shared operation of the model on a line of its
        own, after a call of ``H()`` (the harness's baton, set as a global of the module)."""
        out = ["import queue", "import threading", "import time", "", "",
               "class Box:", "    def __init__(self):", "        self.v = 0", "", "",
               "class State:", "    def __init__(self):", "        self.x = 0",
               "        self.y = 0",
               "        self.a = Box()", "        self.b = Box()", "        self.log = []",
               "        self.slots = [0, 0]", "        self.box = 0",
               f"        self.items = {list(ITEMS0)!r}", f"        self.d = {dict(DICT0)!r}",
               f"        self.st = {set(SET0)!r}"]
        for p in self.prims:
            out.append(f"        self.{p} = {PRIMS[p][0]}")
        for p in self.preheld:
            out.append(f"        self.{p}.acquire()")
        out += ["", "", "K0, K1 = 0, 1", "", "",
                "def seen(b):", "    return tuple(b) if type(b) is list else b", "", "",
                "def setup():", "    return State()", ""]
        if hooked:
            out += ["", "def HI(it):", "    while True:", "        H()", "        try:",
                    "            v = next(it)", "        except StopIteration:",
                    "            return", "        yield v", ""]
        funcs = [(f"t{n}", body) for n, body in enumerate(self.threads)]
        funcs += [(f"c{i}", body) for i, body in enumerate(self.children)]
        for name, body in funcs:
            out += ["", f"def {name}(s):"]
            out += _block(body, 1, hooked, len(self.threads)) or ["    pass"]
        names = ", ".join(f"t{n}" for n in range(len(self.threads)))
        work = "tuple(s.W.queue), s.W.unfinished_tasks" if "W" in self.prims else "None, None"
        out += ["", "", f"THREADS = [{names}]", "", "",
                "def observe(s):",
                "    return (" + ", ".join(f"getattr({o}, {n!r}, None)"
                                          for o, n in map(attr, VARS))
                + ", tuple(s.log), tuple(s.slots), seen(s.box), tuple(s.items),"
                f" tuple(s.d.items()), tuple(sorted(s.st)), {work})", ""]
        return "\n".join(out)


def _block(body: Sequence[Stmt], depth: int, hooked: bool = False, nthreads: int = 0) -> list[str]:
    pad = "    " * depth
    lines: list[str] = []

    def op(*code: str, extra: str = "") -> list[str]:
        """Lines of one shared operation: ``H()`` first in the hooked variant."""
        p = pad + extra
        return ([p + "H()"] if hooked else []) + [p + c for c in code]

    for st in body:
        kind = st[0]
        if kind in NEW_KINDS:
            lines += _new_stmt(st, pad, op, hooked, nthreads, depth)
        elif kind == "inc":
            o, n = attr(st[1])
            if hooked:
                lines += op(f"tmp = {o}.{n}") + op(f"{o}.{n} = tmp + {st[2]}")
            else:
                lines.append(f"{pad}{o}.{n} += {st[2]}")
        elif kind == "put":
            lines += op(f"s.{st[1]} = {st[2]}")
        elif kind == "log":
            lines += op(f"s.log.append({st[1]!r})")
        elif kind == "log_if":
            if hooked:
                lines += op(f"tmp = s.{st[1]}") + [f"{pad}if tmp:"]
            else:
                lines.append(f"{pad}if s.{st[1]}:")
            lines += op(f"s.log.append({st[2]!r})", extra="    ")
        elif kind in ("sinc", "sput", "slog"):
            index, via = st[1], st[-1]
            if hooked:
                lines += op("r = s.slots")
                if kind == "sput":
                    lines += op(f"r[{index}] = {st[2]}")
                else:
                    lines += op(f"tmp = r[{index}]")
                    lines += op(f"r[{index}] = tmp + {st[2]}" if kind == "sinc"
                                else f"s.log.append(({st[2]!r}, tmp))")
                continue
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
            if hooked:
                lines += op("r = s.slots") + op("tmp = sum(r)")
                lines += op(f"s.log.append(({st[1]!r}, tmp))")
            else:
                lines.append(f"{pad}s.log.append(({st[1]!r}, sum(s.slots)))")
        elif kind == "rebind":
            lines += op(f"s.slots = [{st[1]}, {st[1]}]")
        elif kind == "boxlist":
            lines += op(f"s.box = [{st[1]!r}]")
        elif kind == "boxadd":
            lines += op("b = s.box") + [f"{pad}if type(b) is list:"]
            lines += op(f"b.append({st[1]!r})", extra="    ")
        elif kind == "boxlog":
            if hooked:
                lines += op("b = s.box") + [f"{pad}if type(b) is list:"]
                lines += op("b = tuple(b)", extra="    ")
                lines += op(f"s.log.append(({st[1]!r}, b))")
            else:
                lines.append(f"{pad}s.log.append(({st[1]!r}, seen(s.box)))")
        elif kind == "sleep":
            lines += op(f"time.sleep({st[1]})")
        elif kind == "qput":
            lines += op(f"s.Q.put({st[1]!r})")
        elif kind == "qget":
            arg = "block=False" if st[1] == "nowait" else f"timeout={TIMEOUT}"
            lines += [f"{pad}try:", *op(f"got = s.Q.get({arg})", extra="    "),
                      f"{pad}except queue.Empty:", f"{pad}    got = 'empty'"]
            lines += op(f"s.log.append(({st[2]!r}, got))")
        elif kind == "bwait":
            if hooked:
                raise NotConfirmable("Barrier.wait is two steps of the model")
            lines.append(f"{pad}s.log.append(({st[1]!r}, s.A.wait()))")
        elif kind == "with":
            if hooked:
                lines += op(f"s.{st[1]}.acquire()")
                lines += _block(st[2], depth, hooked, nthreads)
                lines += op(f"s.{st[1]}.release()")
            else:
                lines.append(f"{pad}with s.{st[1]}:")
                lines += _block(st[2], depth + 1) or [f"{pad}    pass"]
        elif kind in ("try", "timed"):
            arg = "blocking=False" if kind == "try" else f"timeout={TIMEOUT}"
            lines += op(f"if s.{st[1]}.acquire({arg}):")
            lines += _block(st[2], depth + 1, hooked, nthreads)
            lines += op(f"s.{st[1]}.release()", extra="    ")
            lines.append(f"{pad}else:")
            lines += op(f"s.log.append({st[3]!r})", extra="    ")
        elif kind == "release":
            lines += [f"{pad}try:", *op(f"s.{st[1]}.release()", extra="    "),
                      f"{pad}except (ValueError, RuntimeError) as e:",
                      *op(f"s.log.append(({st[2]!r}, type(e).__name__))", extra="    ")]
        elif kind in ("locked", "is_set", "wait"):
            call = {"locked": "locked()", "is_set": "is_set()"}.get(kind)
            if call is None:
                call = "wait()" if st[2] is None else f"wait({st[2]!r})"
            tag = st[-1]
            if hooked:
                lines += op(f"tmp = s.{st[1]}.{call}") + op(f"s.log.append(({tag!r}, tmp))")
            else:
                lines.append(f"{pad}s.log.append(({tag!r}, s.{st[1]}.{call}))")
        elif kind in ("set", "clear"):
            lines += op(f"s.{st[1]}.{kind}()")
        elif kind == "notify":
            call = "notify_all" if st[2] else "notify"
            if hooked:
                lines += op(f"s.{st[1]}.acquire()") + op(f"s.{st[1]}.{call}()")
                lines += op(f"s.{st[1]}.release()")
            else:
                lines += [f"{pad}with s.{st[1]}:", f"{pad}    s.{st[1]}.{call}()"]
        elif kind == "cwait":
            if hooked:
                raise NotConfirmable("Condition.wait is three steps of the model")
            arg = "" if st[2] is None else repr(st[2])
            lines += [f"{pad}with s.{st[1]}:",
                      f"{pad}    s.log.append(({st[3]!r}, s.{st[1]}.wait({arg})))"]
        else:
            raise ValueError(f"unknown statement {st!r}")
    return lines


NEW_KINDS = frozenset({
    "lapp", "lpop", "lrem", "lrebind", "lext", "dput", "ddel", "sadd", "sdisc", "cread", "loop",
    "comp", "alias", "bound", "ginc", "gput", "glog", "gdel", "spawn", "wput", "wget", "wjoin",
    "vlog", "aext", "aapp", "alen", "aset", "aget"})


def _guarded(lines: list[str], pad: str, handler: list[str]) -> list[str]:
    """``lines`` (already one level deeper) inside ``try:`` / ``except RuntimeError:``."""
    return [f"{pad}try:", *lines, f"{pad}except RuntimeError:", *handler]


def _new_stmt(st: Stmt, pad: str, op: Callable[..., list[str]], hooked: bool, nthreads: int,
              depth: int) -> list[str]:
    """The lines of one statement of the families over shared containers, attributes reached
    two ways, bound methods, child threads and a work queue (see the module docstring)."""
    kind = st[0]
    inner = pad + "    "

    def sub(body: Sequence[Stmt], deeper: int = 0) -> list[str]:
        return _block(body, depth + deeper, hooked, nthreads)

    def log(tag: str, expr: str, extra: str = "") -> list[str]:
        return op(f"s.log.append(({tag!r}, {expr}))", extra=extra)

    def catching(code: str, exc: str, tag: str, what: str) -> list[str]:
        return [f"{pad}try:", *op(code, extra="    "), f"{pad}except {exc}:",
                *log(tag, what, extra="    ")]

    if kind == "lapp":
        return (op("r = s.items") + op(f"r.append({st[1]!r})") if hooked
                else op(f"s.items.append({st[1]!r})"))
    if kind in ("lpop", "lrem"):
        call = (f"pop({'' if st[1] is None else st[1]})" if kind == "lpop"
                else f"remove({st[1]!r})")
        exc = "IndexError" if kind == "lpop" else "ValueError"
        if hooked:
            return op("r = s.items") + catching(f"r.{call}", exc, st[2], "'missing'")
        return catching(f"s.items.{call}", exc, st[2], "'missing'")
    if kind == "lrebind":
        return op(f"s.items = [{st[1]!r}]")
    if kind == "lext":
        if hooked:
            return op("r = s.items") + op(f"r += [{st[1]!r}]") + op("s.items = r")
        return op(f"s.items += [{st[1]!r}]")
    if kind == "dput":
        return op(f"s.d[{st[1]!r}] = {st[2]!r}")
    if kind == "ddel":
        if st[2] == "pop":
            return op(f"s.d.pop({st[1]!r}, None)")
        return catching(f"del s.d[{st[1]!r}]", "KeyError", st[3], "'missing'")
    if kind in ("sadd", "sdisc"):
        return op(f"s.st.{'add' if kind == 'sadd' else 'discard'}({st[1]!r})")
    if kind == "cread":
        c, form, tag = st[1], st[2], st[3]
        if not hooked:
            return log(tag, form.replace("C", f"s.{c}"))
        if c == "items":
            return op("r = s.items") + op("tmp = " + form.replace("C", "r")) + log(tag, "tmp")
        return op("tmp = " + form.replace("C", f"s.{c}")) + log(tag, "tmp")
    if kind in ("loop", "comp"):
        src, guard, tag = st[2].replace("c", f"s.{st[1]}", 1), st[-2], st[-1]
        more = "    " if guard else ""
        p = pad + more
        if kind == "loop":
            if hooked:
                body = [f"{p}H()", f"{p}it = iter({src})", f"{p}while True:",
                        f"{p}    H()", f"{p}    try:", f"{p}        item = next(it)",
                        f"{p}    except StopIteration:", f"{p}        break"]
                body += sub(st[3], len(more) // 4 + 1)
            else:
                body = [f"{p}for item in {src}:", *(sub(st[3], len(more) // 4 + 1)
                                                    or [f"{p}    pass"])]
            if guard:
                return _guarded(body, pad, log(tag, "'changed'", extra="    "))
            return body
        comp = COMPS[st[3]]
        if hooked:
            lines = op(f"it = iter({src})")
            body = [f"{p}res = " + comp.format("HI(it)")]
        else:
            lines, body = [], [f"{p}res = " + comp.format(src)]
        if guard:
            body = _guarded(body, pad, [f"{inner}res = 'changed'"])
        return lines + body + log(tag, "res")
    if kind == "vlog":
        return log(st[1], "item")
    if kind == "alias":
        return op("a = s.items") + sub(st[1])
    if kind in ("aext", "aapp"):
        return op(f"a += [{st[1]!r}]" if kind == "aext" else f"a.append({st[1]!r})")
    if kind == "alen":
        if hooked:
            return op("tmp = len(a)") + log(st[1], "tmp")
        return log(st[1], "len(a)")
    if kind == "aset":
        return catching(f"a[{st[1]}] = {st[2]!r}", "IndexError", st[3], "'short'")
    if kind == "aget":
        return [f"{pad}try:", *op(f"tmp = a[{st[1]}]", extra="    "), f"{pad}except IndexError:",
                f"{inner}tmp = 'short'", *log(st[2], "tmp")]
    if kind == "bound":
        c, method, _ = BOUND[st[1]]
        lines = (op if c == "items" else lambda code: [pad + code])(f"f = s.{c}.{method}")
        lines += sub(st[2])
        arg = st[3]
        if st[1] in ("get", "pop"):
            call = f"f({arg!r})" if st[1] == "get" else f"f({arg!r}, None)"
            return lines + (op(f"tmp = {call}") + log(st[4], "tmp") if hooked
                            else log(st[4], call))
        return lines + op(f"f({arg!r})")
    if kind in ("ginc", "gput", "glog", "gdel"):
        o, n = attr(st[1])
        if kind == "gdel":
            return [f"{pad}try:", *op(DELS[st[2]].format(o=o, n=n), extra="    "),
                    f"{pad}except (AttributeError, KeyError) as e:",
                    *log(st[3], "type(e).__name__", extra="    ")]
        if kind == "gput":
            return op(SETS[st[3]].format(o=o, n=n, v=st[2]))
        get = GETS[st[2]].format(o=o, n=n)
        if kind == "glog":
            return op(f"tmp = {get}") + log(st[3], "tmp") if hooked else log(st[3], get)
        if hooked:
            return op(f"tmp = {get}") + op(SETS[st[4]].format(o=o, n=n, v=f"tmp + {st[3]}"))
        return op(SETS[st[4]].format(o=o, n=n, v=f"{get} + {st[3]}"))
    if kind == "spawn":
        slot = nthreads + st[1]
        if hooked:
            lines = [f"{pad}c = threading.Thread(target=RUN, args=({slot}, c{st[1]}, s), "
                     "daemon=True)", *op(f"START(c, {slot})")]
            return lines + sub(st[2]) + op("c.join(10)")
        lines = [f"{pad}c = threading.Thread(target=c{st[1]}, args=(s,))", f"{pad}c.start()"]
        return lines + sub(st[2]) + [f"{pad}c.join()"]
    if kind == "wput":
        return op(f"s.W.put({st[1]!r})")
    if kind == "wget":
        get = "s.W.get(timeout=10)" if hooked else "s.W.get()"
        return op(f"got = {get}") + log(st[1], "got") + op("s.W.task_done()")
    if kind == "wjoin":
        return op("s.W.join()") + log(st[1], "'joined'")
    raise ValueError(f"unknown statement {st!r}")


_loaded = itertools.count()


def load(prog: Program, folder: Path, *, hooked: bool = False) -> Any:
    """Write ``prog`` (its hooked variant with ``hooked``) to a file in ``folder`` and import it
    (a traced file: not a package's)."""
    name = f"{'hooked' if hooked else 'randprog'}_{next(_loaded)}"
    path = folder / f"{name}.py"
    path.write_text(prog.source(hooked=hooked))
    spec = importlib.util.spec_from_file_location(name, path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


Checker = Callable[[Program], None]
