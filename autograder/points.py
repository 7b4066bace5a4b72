"""Which instructions of which code are scheduling points, and what shared state each touches.

A scheduling point is an instruction that reads or writes state other threads can see: a global,
an attribute, a subscript, a closure cell. Each point has a *key* naming that state (coarsely: two
different objects' ``value`` attributes share the key ``.value``; sharing a key can only make the
engine explore more, never miss an interleaving) and whether it writes.
"""

from __future__ import annotations

import builtins
import dis
import os
import sys
import sysconfig
import types
from dataclasses import dataclass

from ._seal import Sealed, seal

READS = {
    "LOAD_GLOBAL": "g", "LOAD_NAME": "g", "LOAD_FROM_DICT_OR_GLOBALS": "g",
    "LOAD_ATTR": ".", "LOAD_METHOD": ".", "LOAD_SUPER_ATTR": ".",
    "LOAD_DEREF": "c", "LOAD_CLASSDEREF": "c", "LOAD_FROM_DICT_OR_DEREF": "c",
    "BINARY_SUBSCR": "[", "BINARY_SLICE": "[",
}
WRITES = {
    "STORE_GLOBAL": "g", "DELETE_GLOBAL": "g", "STORE_NAME": "g", "DELETE_NAME": "g",
    "STORE_ATTR": ".", "DELETE_ATTR": ".",
    "STORE_DEREF": "c", "DELETE_DEREF": "c",
    "STORE_SUBSCR": "[", "DELETE_SUBSCR": "[", "STORE_SLICE": "[",
}
#: Methods that mutate the object they are called on: loading the object to call one of these is
#: treated as a write of that object.
MUTATORS = frozenset({
    "append", "extend", "insert", "pop", "remove", "clear", "sort", "reverse", "update",
    "setdefault", "popitem", "add", "discard", "difference_update", "intersection_update",
    "symmetric_difference_update", "appendleft", "extendleft", "popleft", "rotate", "write",
    "writelines", "flush", "truncate", "seek",
    "__setitem__", "__delitem__", "__iadd__", "heappush", "heappop",
})
_SKIP = {"CACHE", "EXTENDED_ARG", "NOP", "RESUME"}


_BUILTINS = frozenset(vars(builtins))


def _argname(ins: dis.Instruction) -> str:
    name = ins.argval
    return str(name[-1] if isinstance(name, tuple) else name)


@dataclass(frozen=True)
class Point(metaclass=Sealed):
    """One scheduling point: the key of the state it touches, whether it writes, a label."""

    key: str
    write: bool
    label: str
    line: int | None


def _label(kind: str, name: str, prev: dis.Instruction | None) -> str:
    if kind == ".":
        owner = prev.argval if prev is not None and prev.opname in (
            "LOAD_FAST", "LOAD_GLOBAL", "LOAD_DEREF", "LOAD_NAME", "LOAD_FAST_CHECK",
            "LOAD_FAST_LOAD_FAST") else None
        if isinstance(owner, tuple):
            owner = owner[-1]
        return f"{owner}.{name}" if isinstance(owner, str) else f".{name}"
    if kind == "[":
        return "an item"
    return str(name)


def analyse(code: types.CodeType) -> dict[int, Point]:
    """Map each point instruction's offset in ``code`` to its :class:`Point`."""
    points: dict[int, Point] = {}
    instrs = [i for i in dis.get_instructions(code) if i.opname not in _SKIP]
    line = code.co_firstlineno
    prev: dis.Instruction | None = None
    prev_offset: int | None = None
    owners: dict[tuple[int, str], str] = {}
    for ins in instrs:
        lineno = ins.positions.lineno if getattr(ins, "positions", None) else None
        if lineno is None:
            lineno = getattr(ins, "starts_line", None)
            if isinstance(lineno, bool) or lineno is None:
                lineno = None
        if lineno:
            line = lineno
        op = ins.opname
        is_method_load = op == "LOAD_METHOD" or (
            op == "LOAD_ATTR" and sys.version_info >= (3, 12) and (ins.arg or 0) & 1)
        if is_method_load:
            # Looking up a method to call it reads no state another thread writes; but calling a
            # mutator writes the object it was looked up on.
            if ins.argval in MUTATORS and prev_offset in points:
                p = points[prev_offset]
                points[prev_offset] = Point(p.key, True, p.label, p.line)
        elif op in ("LOAD_GLOBAL", "LOAD_NAME") and _argname(ins) in _BUILTINS:
            pass  # print, range, len...: nothing another thread of the test rebinds
        elif op in READS or op in WRITES:
            kind = READS.get(op) or WRITES[op]
            name = ins.argval if kind != "[" else "[]"
            if isinstance(name, tuple):  # LOAD_SUPER_ATTR and friends
                name = name[-1]
            name = str(name)
            key = "[]" if kind == "[" else kind + name
            if (kind == "." and name in MUTATORS and prev_offset is not None
                    and prev_offset in points):
                p = points[prev_offset]
                points[prev_offset] = Point(p.key, True, p.label, p.line)
            label = _label(kind, name, prev)
            if label.startswith(".") and (line, name) in owners:
                label = owners[(line, name)]
            elif kind == ".":
                owners[(line, name)] = label
            points[ins.offset] = Point(key, op in WRITES, label, line)
        if op not in ("COPY", "DUP_TOP", "DUP_TOP_TWO"):
            prev, prev_offset = ins, ins.offset
    return points


def _roots() -> tuple[str, ...]:
    """Folders whose code is never traced: stdlib, site-packages, this project's packages."""
    roots = set()
    for key in ("stdlib", "platstdlib", "purelib", "platlib"):
        path = sysconfig.get_paths().get(key)
        if path:
            roots.add(os.path.realpath(path))
    for p in sys.path:
        if "site-packages" in p or "dist-packages" in p:
            roots.add(os.path.realpath(p))
    here = os.path.dirname(os.path.realpath(__file__))
    roots.add(here)
    roots.add(os.path.join(os.path.dirname(here), "course"))
    return tuple(sorted(roots))


_UNTRACED_ROOTS = _roots()
_file_cache: dict[str, bool] = {}


def is_traced_file(filename: str) -> bool:
    """True for code a student or a test wrote: notebook cells and files outside the stdlib,
    site-packages and this project's own packages."""
    hit = _file_cache.get(filename)
    if hit is not None:
        return hit
    if filename.startswith("<"):
        traced = filename.startswith(("<ipython-input", "<cell"))
    else:
        real = os.path.realpath(filename)
        traced = not any(real == r or real.startswith(r + os.sep) for r in _UNTRACED_ROOTS)
    _file_cache[filename] = traced
    return traced


def nested_code(code: types.CodeType):
    """``code`` and every code object defined inside it."""
    yield code
    for const in code.co_consts:
        if isinstance(const, types.CodeType):
            yield from nested_code(const)

seal(__name__)  # the code under test cannot rewrite the grader
