"""Which instructions of which code are scheduling points, and what shared state each touches.

A scheduling point is an instruction that reads or writes state other threads can see: a global,
an attribute, a subscript, a closure cell. Each point has *keys* naming that state (coarsely: two
different objects' ``value`` attributes share the key ``.value``; sharing a key can only make the
engine explore more, never miss an interleaving) and whether it writes.

A name has two keys: the binding (``.items``: which object the attribute refers to) and the
contents of the object it refers to (``.items[]``). Loading ``s.items`` to call a mutator on it
(``s.items.append(x)``) reads the binding only, and the call writes the contents when it runs,
after its arguments. Any other load of ``s.items`` reads both, since what is done with the object
next (``len``, iteration, ``in``) is not a point of its own. A subscript, and a mutator called on
an object that was not loaded at a point (a local alias), touch the wildcard key ``[]``, which
overlaps every contents key (see :func:`autograder.runtime.ops.overlap`).
"""

from __future__ import annotations

import builtins
import dis
import os
import sys
import sysconfig
import types
from dataclasses import dataclass, replace

from ..base._seal import Sealed, seal
from . import subscripts

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
    #: Further keys the point touches (the contents of what an attribute load returns).
    more: tuple[str, ...] = ()
    #: For a subscript: how to name its container and slot at run time (``key`` is the
    #: fallback when they cannot be named).
    target: subscripts.Target | None = None
    #: For the index load of such a subscript: read its container here, for the subscript at
    #: this offset (see :attr:`autograder.runtime.subscripts.Target.capture_at`).
    capture: tuple[subscripts.Load, int] | None = None
    #: For a load with a contents key: how to read back the value it loads. A number or a
    #: string has no contents another thread can change, so its load touches the binding only.
    value: subscripts.Load | None = None

    def binding_only(self) -> Point:
        """The same load, read as fetching the object only (to call a mutator on it, or to
        subscript it: the call or the subscript touches the contents)."""
        return Point(self.key, self.write, self.label, self.line)

    def contents(self) -> str:
        """The key of the contents of the object this point loads."""
        return self.key if self.key == WILDCARD else self.key + WILDCARD


#: The key of a subscript, and of contents written through an object of unknown origin.
WILDCARD = "[]"


def _value(ins: dis.Instruction, prev: dis.Instruction | None) -> subscripts.Load | None:
    """How to read back from the frame the value ``ins`` loads: a global, a cell, or an
    attribute of a local (the instruction before it)."""
    name = str(ins.argval[-1] if isinstance(ins.argval, tuple) else ins.argval)
    if ins.opname == "LOAD_GLOBAL":
        return subscripts.Load("global", name)
    if ins.opname == "LOAD_DEREF":
        return subscripts.Load("deref", name)
    if ins.opname == "LOAD_ATTR" and prev is not None:
        if prev.opname in ("LOAD_FAST", "LOAD_FAST_CHECK"):
            return subscripts.Load("attr", name, owner=str(prev.argval))
        if prev.opname == "LOAD_FAST_LOAD_FAST":
            return subscripts.Load("attr", name, owner=str(prev.argval[-1]))
    return None


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
    # method lookups awaiting their call, with the point of the object a mutator writes
    mutations: list[tuple[dis.Instruction, int | None]] = []
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
            # mutator writes the object it was looked up on, when the call runs: after its
            # arguments, which may hold points of their own (``log.append(lock.locked())``).
            if ins.argval in MUTATORS:
                if prev_offset in points:
                    points[prev_offset] = points[prev_offset].binding_only()
                    mutations.append((ins, points[prev_offset]))
                else:  # a local alias of who knows what: any contents
                    mutations.append((ins, Point(WILDCARD, True, "an object", line)))
            else:
                mutations.append((ins, None))
        elif _is_call(op) and mutations and _calls(ins, mutations[-1][0]):
            _, obj = mutations.pop()
            if obj is not None:
                points[ins.offset] = Point(obj.contents(), True, obj.label, line)
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
                    and prev_offset in points):  # a bound mutator kept for later
                p = points[prev_offset]
                points[prev_offset] = Point(p.key, True, p.label, p.line, (p.contents(),))
            label = _label(kind, name, prev)
            if label.startswith(".") and (line, name) in owners:
                label = owners[(line, name)]
            elif kind == ".":
                owners[(line, name)] = label
            more = (key + WILDCARD,) if kind != "[" and op in READS else ()
            points[ins.offset] = Point(key, op in WRITES, label, line, more,
                                       value=_value(ins, prev) if more else None)
        if op not in ("COPY", "DUP_TOP", "DUP_TOP_TWO"):
            prev, prev_offset = ins, ins.offset
    for lookup, obj in mutations:  # a call we could not match: write at the lookup
        if obj is not None:
            points[lookup.offset] = Point(obj.contents(), True, obj.label, obj.line)
    found = subscripts.targets(code)
    for offset, target in found.items():
        p = points.get(offset)
        if p is None:
            continue
        at = target.capture_at
        if at is not None:
            q = points.get(at)
            if q is None:  # the index load is no scheduling point: nothing runs in between
                target = replace(target, capture_at=None)
            else:
                assert target.container is not None
                points[at] = Point(q.key, q.write, q.label, q.line, q.more, q.target,
                                   (target.container, offset), q.value)
        points[offset] = Point(p.key, p.write, p.label, p.line, p.more, target)
    for offset in subscripts.container_loads(found):
        p = points.get(offset)
        if p is not None and not p.write:
            points[offset] = p.binding_only()
    return points


def _is_call(opname: str) -> bool:
    return opname.startswith("CALL") and opname != "CALL_INTRINSIC_1" and (
        opname != "CALL_INTRINSIC_2")


def _calls(call: dis.Instruction, lookup: dis.Instruction) -> bool:
    """Whether ``call`` is the call of the method ``lookup`` looked up. Calls nest like
    brackets; on 3.11+ the call's source span also starts where the lookup's does."""
    if sys.version_info < (3, 11):
        return call.opname == "CALL_METHOD"
    a, b = call.positions, lookup.positions
    if a is None or b is None or a.lineno is None:
        return True
    return (a.lineno, a.col_offset) == (b.lineno, b.col_offset)


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
    here = os.path.dirname(os.path.dirname(os.path.realpath(__file__)))  # autograder/
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


def compile_traced(source: str, name: str) -> types.CodeType:
    """Compile ``source`` (grader-supplied code the engine must explore as if a student or a
    test wrote it, such as a model of a shared file) under a file name marked as traced."""
    filename = f"<traced: {name}>"
    _file_cache[filename] = True
    return compile(source, filename, "exec")


def nested_code(code: types.CodeType):
    """``code`` and every code object defined inside it."""
    yield code
    for const in code.co_consts:
        if isinstance(const, types.CodeType):
            yield from nested_code(const)

seal(__name__)  # the code under test cannot rewrite the grader
