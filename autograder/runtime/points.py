"""Which instructions of which code are scheduling points, and what each needs to be keyed.

A scheduling point is an instruction that can read or write state other threads can see:

- a load or store of a global, a closure cell, an attribute, a subscript or a slice;
- an instruction that *uses* an object's contents: a call (``len(items)``, ``items.append(x)``,
  ``get("k")`` through a stored bound method, ``setattr(o, "x", v)``), the next-item fetch of a
  ``for`` loop or comprehension, ``in``, comparisons, operators (``items += [x]`` writes the
  list), unpacking, f-string formatting, ``[*items]``, truth tests (``if items:``).

This module only classifies instructions (:class:`Point`); which object a point touches is
decided when it is reached, from the values on the frame's stack (:mod:`.stack`, :mod:`.access`).
A use point whose operands hold no state another thread can change (numbers, strings, tuples of
them, the test's own functions) is no step at all.
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

V = sys.version_info[:2]
_GLOBAL_LOADS = {"LOAD_GLOBAL", "LOAD_NAME", "LOAD_FROM_DICT_OR_GLOBALS"}
_GLOBAL_STORES = {"STORE_GLOBAL", "DELETE_GLOBAL", "STORE_NAME", "DELETE_NAME"}
_CELL_LOADS = {"LOAD_DEREF", "LOAD_CLASSDEREF", "LOAD_FROM_DICT_OR_DEREF"}
_CELL_STORES = {"STORE_DEREF", "DELETE_DEREF"}
#: Instructions that use the contents of stack values: name -> (positions from the top, deep).
_USES: dict[str, tuple[tuple[int, ...], bool]] = {
    "CONTAINS_OP": ((0,), True),
    "COMPARE_OP": ((0, 1), True),
    "UNPACK_SEQUENCE": ((0,), False),
    "UNPACK_EX": ((0,), False),
    "GET_LEN": ((0,), False),
    "LIST_EXTEND": ((0,), False),
    "SET_UPDATE": ((0,), False),
    "DICT_UPDATE": ((0,), False),
    "DICT_MERGE": ((0,), False),
    "FORMAT_SIMPLE": ((0,), True),
    "CONVERT_VALUE": ((0,), True),
    "FORMAT_WITH_SPEC": ((1,), True),
    "TO_BOOL": ((0,), False),
    "UNARY_NOT": ((0,), False),
    "POP_JUMP_IF_TRUE": ((0,), False),
    "POP_JUMP_IF_FALSE": ((0,), False),
    "POP_JUMP_FORWARD_IF_TRUE": ((0,), False),
    "POP_JUMP_FORWARD_IF_FALSE": ((0,), False),
    "POP_JUMP_BACKWARD_IF_TRUE": ((0,), False),
    "POP_JUMP_BACKWARD_IF_FALSE": ((0,), False),
    "JUMP_IF_TRUE_OR_POP": ((0,), False),
    "JUMP_IF_FALSE_OR_POP": ((0,), False),
}
#: BINARY_OP's in-place operators (``+=``, ``|=``, ...): NB_INPLACE_ADD .. NB_INPLACE_XOR.
_INPLACE_ARGS = range(13, 26)
_SKIP = {"CACHE", "EXTENDED_ARG", "NOP", "RESUME"}
_BUILTINS = frozenset(vars(builtins))


@dataclass(frozen=True)
class Point(metaclass=Sealed):
    """One scheduling point: what kind of access, on which name, how to find its operands."""

    #: ``global``, ``cell``, ``attr``, ``dict`` (``o.__dict__``), ``subscr``, ``slice``,
    #: ``iter`` (a loop's iterator made: a dict's or set's takes its size), ``next`` (a loop's
    #: next item), ``call``, ``use``.
    kind: str
    write: bool
    label: str
    line: int | None
    name: str = ""
    #: For ``call``: the stack layout and the argument count (see ``tracing``); for ``use``:
    #: the stack positions used, whether deeply, and which one is written; ``("del",)`` for a
    #: deletion.
    arg: tuple = ()


def _label(ins: dis.Instruction, prev: dis.Instruction | None) -> str:
    name = str(ins.argval[-1] if isinstance(ins.argval, tuple) and ins.argval else ins.argval)
    owner = prev.argval if prev is not None and prev.opname in (
        "LOAD_FAST", "LOAD_GLOBAL", "LOAD_DEREF", "LOAD_NAME", "LOAD_FAST_CHECK",
        "LOAD_FAST_LOAD_FAST") else None
    if isinstance(owner, tuple):
        owner = owner[-1]
    return f"{owner}.{name}" if isinstance(owner, str) else f".{name}"


def _segment(ins: dis.Instruction, lines: list[str] | None) -> str | None:
    """The source text of ``ins`` (3.11+ positions), on one line, or None."""
    pos = getattr(ins, "positions", None)
    if not lines or pos is None or pos.lineno is None or pos.lineno != pos.end_lineno:
        return None
    if pos.col_offset is None or pos.end_col_offset is None or pos.lineno > len(lines):
        return None
    text = lines[pos.lineno - 1].encode()[pos.col_offset:pos.end_col_offset].decode(
        errors="replace").strip()
    return text or None


def _deleting(op: str) -> tuple:
    """The ``arg`` of a point that deletes (it stores no value)."""
    return ("del",) if op.startswith("DELETE_") else ()


def _call_layout(op: str) -> str | None:
    if op == "CALL_FUNCTION_EX":
        return "ex"
    if V == (3, 10):
        return {"CALL_FUNCTION": "plain", "CALL_FUNCTION_KW": "kw",
                "CALL_METHOD": "method"}.get(op)
    if V >= (3, 13):
        return {"CALL": "callself", "CALL_KW": "callselfkw"}.get(op)
    return "method" if op == "CALL" else None


def _source_lines(code: types.CodeType) -> list[str] | None:
    import linecache

    lines = linecache.getlines(code.co_filename)
    return lines or None


def analyse(code: types.CodeType) -> dict[int, Point]:
    """Map each point instruction's offset in ``code`` to its :class:`Point`."""
    points: dict[int, Point] = {}
    lines = _source_lines(code)
    line = code.co_firstlineno
    prev: dis.Instruction | None = None
    iterable = "an iterable"
    owners: dict[tuple[int, str], str] = {}  # (line, attribute) -> its label with an owner
    for ins in dis.get_instructions(code):
        op = ins.opname
        if op in _SKIP:
            continue
        lineno = ins.positions.lineno if getattr(ins, "positions", None) else None
        if lineno is None:
            lineno = getattr(ins, "starts_line", None)
            if isinstance(lineno, bool):
                lineno = None
        if lineno:
            line = lineno
        point = _classify(ins, prev, line, lines, iterable)
        if point is not None and point.kind == "attr":  # ``s.x += 1``: the store's owner
            if point.label.startswith("."):
                point = replace(point, label=owners.get((line, point.name), point.label))
            else:
                owners[(line, point.name)] = point.label
        if op == "GET_ITER":
            iterable = _segment(ins, lines) or "an iterable"
        if point is not None:
            points[ins.offset] = point
        if op not in ("COPY", "DUP_TOP", "DUP_TOP_TWO"):
            prev = ins
    return points


def _classify(ins: dis.Instruction, prev: dis.Instruction | None, line: int,
              lines: list[str] | None, iterable: str) -> Point | None:
    op = ins.opname
    value = ins.argval
    name = str(value[-1] if isinstance(value, tuple) and value else value)
    if op in _GLOBAL_LOADS or op in _GLOBAL_STORES:
        if op in _GLOBAL_LOADS and name in _BUILTINS:
            return None  # print, range, len...: nothing another thread of the test rebinds
        return Point("global", op in _GLOBAL_STORES, name, line, name, _deleting(op))
    if op in _CELL_LOADS or op in _CELL_STORES:
        return Point("cell", op in _CELL_STORES, name, line, name)
    if op in ("LOAD_ATTR", "STORE_ATTR", "DELETE_ATTR"):
        if op == "LOAD_ATTR" and V >= (3, 12) and (ins.arg or 0) & 1:
            return None  # a method looked up to be called: the call is the point
        if name == "__dict__":
            return Point("dict", False, _label(ins, prev), line, name) if op == "LOAD_ATTR" \
                else Point("attr", True, _label(ins, prev), line, name)
        return Point("attr", op != "LOAD_ATTR", _label(ins, prev), line, name, _deleting(op))
    if op in ("BINARY_SUBSCR", "STORE_SUBSCR", "DELETE_SUBSCR"):
        return Point("subscr", op != "BINARY_SUBSCR", _segment(ins, lines) or "an item", line,
                     "", _deleting(op))
    if op in ("BINARY_SLICE", "STORE_SLICE"):
        return Point("slice", op == "STORE_SLICE", _segment(ins, lines) or "a slice", line)
    if op == "FOR_ITER":
        return Point("next", False, f"the next item of {iterable}", line)
    if op == "GET_ITER":
        return Point("iter", False, f"the size of {_segment(ins, lines) or 'an iterable'}", line)
    layout = _call_layout(op)
    if layout is not None:
        return Point("call", False, _segment(ins, lines) or "a call", line, "",
                     (layout, ins.arg or 0))
    if op == "BINARY_OP" or (op.startswith(("BINARY_", "INPLACE_")) and V == (3, 10)
                             and op not in ("BINARY_SUBSCR",)):
        inplace = op.startswith("INPLACE_") or (op == "BINARY_OP" and ins.arg in _INPLACE_ARGS)
        return Point("use", False, _segment(ins, lines) or "an operator", line, "",
                     ((0, 1), True, 1 if inplace else None))
    if op == "FORMAT_VALUE":
        where = (1,) if (ins.arg or 0) & 4 else (0,)
        return Point("use", False, _segment(ins, lines) or "a formatted value", line, "",
                     (where, True, None))
    use = _USES.get(op)
    if use is not None:
        return Point("use", False, _segment(ins, lines) or op.lower(), line, "",
                     (use[0], use[1], None))
    return None


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
