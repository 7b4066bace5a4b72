"""The values on a traced frame's evaluation stack, read where a scheduling point stops it.

An instruction's operands are on the frame's value stack when the point before it is reached: the
object whose attribute is loaded, the container and index of a subscript, the iterator of a
``for`` loop, the callable and arguments of a call. Reading them is what lets the engine key a
step by the *object* it touches (its identity in the execution), whatever path reached it: an
attribute, a local alias, a stored bound method, ``getattr``.

CPython keeps the stack in the frame's memory; Python has no API to read it, so this module reads
it with :mod:`ctypes` from the layout of each supported version (3.10 to 3.13):

- 3.10 and 3.11 (``sys.settrace`` opcode events): the frame saves its stack depth before calling
  the tracer (``f_stackdepth``, ``stacktop``);
- 3.12 and 3.13 (``sys.monitoring`` instruction events): the stack pointer is not saved, so the
  depth before each instruction is computed from the bytecode, as the compiler does (each
  instruction's :func:`dis.stack_effect`, exception handlers from the exception table).

Every read first checks that the frame's layout is the one expected (the code object pointer
where it must be). When it is not (an unknown build), :func:`peek` returns None and the engine
keys the step coarsely and says so.
"""

from __future__ import annotations

import ctypes
import dis
import sys
import types
from typing import Any

from ..base._seal import seal

V = sys.version_info[:2]
_P = ctypes.sizeof(ctypes.c_void_p)


class _Null:
    """An empty stack slot (the unused half of a call's callable/self pair)."""

    __slots__ = ()

    def __repr__(self) -> str:
        return "NULL"


NULL = _Null()

_void_at = ctypes.c_void_p.from_address
_int_at = ctypes.c_int.from_address
_as_object = ctypes.py_object


def _ptr(addr: int) -> int:
    return _void_at(addr).value or 0


def _object_at(addr: int) -> Any:
    """The object whose pointer is stored at ``addr`` (no Python-level ctypes helper runs, so
    the watchdog never finds the grader on top of a student's loop)."""
    return _as_object.from_address(addr).value


def _nlocalsplus(code: types.CodeType) -> int:
    """How many slots the frame keeps before its stack: locals, cells, free variables (an
    argument that is also a cell has one slot)."""
    return (len(code.co_varnames) + len(set(code.co_cellvars) - set(code.co_varnames))
            + len(code.co_freevars))


_NO_FALLTHROUGH = frozenset({
    "RETURN_VALUE", "RETURN_CONST", "RAISE_VARARGS", "RERAISE", "JUMP_FORWARD", "JUMP_BACKWARD",
    "JUMP_ABSOLUTE", "JUMP", "JUMP_NO_INTERRUPT", "JUMP_BACKWARD_NO_INTERRUPT",
})


def static_depths(code: types.CodeType) -> dict[int, int]:
    """The stack depth before each instruction of ``code`` (offset -> depth), as the compiler
    computes it."""
    instrs = list(dis.get_instructions(code))
    index = {ins.offset: k for k, ins in enumerate(instrs)}
    out: dict[int, int] = {}
    work = [(instrs[0].offset, 0)] if instrs else []
    for entry in getattr(dis.Bytecode(code), "exception_entries", ()):
        work.append((entry.target, entry.depth + (1 if entry.lasti else 0) + 1))
    while work:
        offset, depth = work.pop()
        k = index.get(offset)
        while k is not None and k < len(instrs):
            ins = instrs[k]
            if ins.offset in out:
                break
            out[ins.offset] = depth
            arg = ins.arg if ins.opcode >= dis.HAVE_ARGUMENT else None
            if ins.opcode in dis.hasjrel or ins.opcode in dis.hasjabs:
                work.append((ins.argval, depth + dis.stack_effect(ins.opcode, arg, jump=True)))
                if ins.opname in _NO_FALLTHROUGH:
                    break
                depth += dis.stack_effect(ins.opcode, arg, jump=False)
            else:
                if ins.opname in _NO_FALLTHROUGH:
                    break
                effect = dis.stack_effect(ins.opcode, arg)
                if ins.opname == "RETURN_GENERATOR" and effect == 0:
                    effect = 1  # 3.12: a resumed generator finds the sent value there
                depth += effect
            k += 1
    return out


_depths: dict[types.CodeType, tuple[int, dict[int, int]]] = {}

if V == (3, 10):
    def _stack(frame: types.FrameType, offset: int) -> tuple[int, int] | None:
        addr = id(frame)
        if _ptr(addr + 32) != id(frame.f_code):  # f_code
            return None
        depth = _int_at(addr + 80).value  # f_stackdepth
        return (_ptr(addr + 64), depth) if depth >= 0 else None  # f_valuestack
elif V == (3, 11):
    def _stack(frame: types.FrameType, offset: int) -> tuple[int, int] | None:
        iframe = _ptr(id(frame) + 24)  # f_frame
        if not iframe or _ptr(iframe + 32) != id(frame.f_code):
            return None
        top = _int_at(iframe + 64).value  # stacktop, counted from localsplus
        if top < 0:
            return None
        skip = _nlocalsplus(frame.f_code)
        return iframe + 72 + skip * _P, top - skip
elif V in ((3, 12), (3, 13)):
    def _stack(frame: types.FrameType, offset: int) -> tuple[int, int] | None:
        iframe = _ptr(id(frame) + 24)  # f_frame
        code = frame.f_code
        if not iframe or _ptr(iframe) != id(code):  # f_code / f_executable
            return None
        known = _depths.get(code)
        if known is None:
            known = _depths[code] = (_nlocalsplus(code), static_depths(code))
        depth = known[1].get(offset)
        return None if depth is None else (iframe + 72 + known[0] * _P, depth)
else:  # pragma: no cover - a version this module does not know
    def _stack(frame: types.FrameType, offset: int) -> tuple[int, int] | None:
        return None


def peek(frame: types.FrameType, offset: int, n: int) -> list[Any] | None:
    """The top ``n`` values of ``frame``'s stack before the instruction at ``offset`` runs, the
    top first (:data:`NULL` for an empty slot); None when they cannot be read."""
    where = _stack(frame, offset)
    if where is None:
        return None
    base, top = where  # top: how many values the stack holds
    if top < n:
        return None
    out = []
    for k in range(1, n + 1):
        addr = base + (top - k) * _P
        out.append(_object_at(addr) if _ptr(addr) else NULL)
    return out

seal(__name__)  # the code under test cannot rewrite the grader
