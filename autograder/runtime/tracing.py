"""Stops managed threads before every scheduling point of traced code.

Python 3.12+ uses ``sys.monitoring`` (instruction events switched on only for traced code
objects, and switched off for each instruction that is not a point the first time it runs);
Python 3.10 and 3.11 use ``sys.settrace`` with opcode events in traced frames only.
"""

from __future__ import annotations

import sys
import types
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from ..base import _real
from ..base._seal import seal
from . import access, points, stack
from .ops import MemoryOp

if TYPE_CHECKING:  # annotations only
    from .threads import MThread

is_traced_file = points.is_traced_file

_points: dict[types.CodeType, dict[int, points.Point]] = {}
_untraced: set[types.CodeType] = set()
USE_MONITORING = sys.version_info >= (3, 12)


def is_traced_code(code: types.CodeType) -> bool:
    if code in _points:
        return True
    if code in _untraced:
        return False
    return is_traced_file(code.co_filename)


def points_of(code: types.CodeType) -> dict[int, points.Point] | None:
    """The scheduling points of ``code``, or None when it is not traced."""
    found = _points.get(code)
    if found is not None:
        return found
    if code in _untraced:
        return None
    if not is_traced_file(code.co_filename):
        _untraced.add(code)
        return None
    found = _points[code] = points.analyse(code)
    return found


#: Managed threads by OS thread ident (filled by the runtime).
registry: dict[int, MThread] = {}


_sources: dict[tuple[str, int], str] = {}


def _source(code: types.CodeType, line: int | None) -> str:
    """The text of ``line`` of ``code``'s file (cached: a cell's file name is new for every
    version of the cell)."""
    if not line:
        return ""
    text = _sources.get((code.co_filename, line))
    if text is None:
        import linecache

        text = _sources[(code.co_filename, line)] = linecache.getline(
            code.co_filename, line).strip()
    return text


def _hit(code: types.CodeType, offset: int, p: points.Point, frame: types.FrameType) -> None:
    t = registry.get(_real.get_ident())
    if t is None or t.in_check:
        return
    found = _access(p, frame, offset, t.rt.keys)
    if found is None:
        return
    keys, write = found
    op = MemoryOp(keys[0], write, p.label)
    if p.kind in ("attr", "subscr", "global") and p.arg != ("del",):
        op.value = _value(p, frame, offset)
    elif p.kind == "next":
        op.turn = _items_left(frame, offset)
    if len(keys) > 1:
        op.more_keys = keys[1:]
    op.line = p.line
    op.filename = code.co_filename
    op.function = code.co_name
    op.source = _source(code, p.line)
    t.rt.point(t, op)


def _access(p: points.Point, frame: types.FrameType, offset: int,
            keys: access.Keys) -> access.Access | None:
    """The keys the point ``p`` touches and whether it writes, or None for no step."""
    kind = p.kind
    if kind == "global":
        return ("g" + p.name,), p.write
    if kind == "cell":
        return ("c" + p.name,), p.write
    if kind == "attr":
        top = stack.peek(frame, offset, 1)
        if top is None:
            return _coarse(("." + p.name,), p.write)
        return keys.attr(top[0], p.name, p.write), p.write
    if kind == "dict":
        return None  # ``o.__dict__``: the dict is keyed where it is used, as ``o``'s attributes
    if kind == "subscr":
        top = stack.peek(frame, offset, 2)
        if top is None:
            return _coarse((access.WILDCARD,), True)
        index, container = top
        return keys.subscript(container, index, p.write, is_traced_code)
    if kind == "slice":
        top = stack.peek(frame, offset, 3)
        if top is None:
            return _coarse((access.WILDCARD,), True)
        container = top[2]
        if type(container) in access.SCALARS or type(container) is tuple:
            return None
        return (keys.contents(container),), p.write
    if kind == "iter":
        top = stack.peek(frame, offset, 1)
        if top is None:
            return _coarse((access.WILDCARD,), False)
        return access.sized_iteration(keys, top[0])
    if kind == "next":
        top = stack.peek(frame, offset, 1)
        if top is None:
            return _coarse((access.WILDCARD,), False)
        return access.iteration(keys, top[0])
    if kind == "call":
        parts = _call_parts(p, frame, offset)
        if parts is None:
            return _coarse((access.WILDCARD,), True)
        func, self_arg, args = parts
        return keys.call(func, self_arg, args, is_traced_code)
    # a use of stack values' contents
    where, deep, written = p.arg
    top = stack.peek(frame, offset, max(where) + 1)
    if top is None:
        return _coarse((access.WILDCARD,), written is not None)
    if written is not None:
        target = top[written]
        if isinstance(target, access.CONTAINERS):
            others = keys.reach([top[k] for k in where if k != written], opaque=False)
            return (keys.contents(target), *others), True
    found = keys.reach([top[k] for k in where], opaque=False, deep=deep)
    return (tuple(found), False) if found else None


def _value(p: points.Point, frame: types.FrameType, offset: int) -> Any:
    """What the memory step at ``p`` stores (known now) or reads (known once it has run: a
    function of no arguments), as a short text for the trace."""
    if p.kind == "global":
        if p.write:
            top = stack.peek(frame, offset, 1)
            return access.show(top[0]) if top else None
        return lambda: access.show(frame.f_globals.get(p.name))
    if p.kind == "attr":
        top = stack.peek(frame, offset, 2 if p.write else 1)
        if top is None:
            return None
        if p.write:
            return access.show(top[1]) if len(top) > 1 else None
        owner = top[0]
        return lambda: access.show(access.plain_attribute(owner, p.name))
    top = stack.peek(frame, offset, 3 if p.write else 2)
    if top is None:
        return None
    if p.write:
        return access.show(top[2]) if len(top) > 2 else None
    index, container = top[0], top[1]
    return lambda: access.show(access.plain_item(container, index))


def _items_left(frame: types.FrameType, offset: int) -> int | None:
    """How many items a loop's builtin iterator has left (its position), or None."""
    top = stack.peek(frame, offset, 1)
    if top is None or type(top[0]) not in access.CONTAINER_ITERATORS:
        return None
    return top[0].__length_hint__()


#: Points whose operands could not be read (an unknown interpreter build): keyed coarsely.
coarse_points = 0


def _coarse(keys: tuple[str, ...], write: bool) -> access.Access:
    global coarse_points
    coarse_points += 1
    return keys, write


def _call_parts(p: points.Point, frame: types.FrameType,
                offset: int) -> tuple[Any, Any, list[Any]] | None:
    """The callable, the object a method was looked up on (or None), and the arguments of the
    call at ``offset``, from the stack laid out as this Python version lays it out."""
    layout, argc = p.arg
    null = stack.NULL
    if layout == "ex":
        kw = argc & 1
        below = 2 if sys.version_info >= (3, 13) else 1
        top = stack.peek(frame, offset, 1 + kw + below)
        if top is None:
            return None
        func = top[kw + below]
        args = list(top[kw]) if isinstance(top[kw], (tuple, list)) else [top[kw]]
        if kw and isinstance(top[0], dict):
            args += list(top[0].values())
        return func, None, args
    extra = 1 if layout in ("kw", "callselfkw") else 0
    depth = argc + extra + (1 if layout in ("plain", "kw") else 2)
    top = stack.peek(frame, offset, depth)
    if top is None:
        return None
    args = top[extra:extra + argc][::-1]
    if layout in ("plain", "kw"):
        return top[argc + extra], None, args
    if layout == "method":
        meth, other = top[argc + 1], top[argc]
        return (other, None, args) if meth is null else (meth, other, args)
    func, self_arg = top[argc + extra + 1], top[argc + extra]
    return func, (None if self_arg is null else self_arg), args


# ---- Python 3.10 / 3.11: sys.settrace ------------------------------------------------------------
def _global_tracer(frame: types.FrameType, event: str, arg: Any) -> Any:
    if event != "call":
        return None
    if points_of(frame.f_code) is None:
        return None
    frame.f_trace_lines = False
    frame.f_trace_opcodes = True
    return _local_tracer


def _local_tracer(frame: types.FrameType, event: str, arg: Any) -> Any:
    if event == "opcode":
        code = frame.f_code
        p = _points[code].get(frame.f_lasti)
        if p is not None:
            _hit(code, frame.f_lasti, p, frame)
    elif event == "exception":
        tb = arg[2].tb_next if arg[2] is not None else None
        while tb is not None:  # raised in traced code further in: reported there
            if points_of(tb.tb_frame.f_code) is not None:
                return _local_tracer
            tb = tb.tb_next
        _raised(arg[1], frame.f_code, frame.f_lineno)
    return _local_tracer


# ---- exceptions ----------------------------------------------------------------------------------
#: Exceptions that are how loops and generators end, not something that went wrong.
_QUIET = (StopIteration, StopAsyncIteration, GeneratorExit)


def _raised(exc: BaseException, code: types.CodeType, line: int | None) -> None:
    """An exception reached traced code (raised there, or by untraced code it called): a row
    of the trace, caught or not (a lock left held by a raise is otherwise invisible)."""
    if not isinstance(exc, Exception) or isinstance(exc, _QUIET):
        return
    t = registry.get(_real.get_ident())
    if t is None or t.in_check or t.rt.aborting:
        return
    t.rt.raised(t, exc, code, line)


# ---- Python 3.12+: sys.monitoring ----------------------------------------------------------------
_tool: int | None = None
#: Code objects given instruction events, by identity: code objects compare *equal* by value,
#: so a cell run again (or a module loaded twice) makes a new, equal code object that needs its
#: own events (keeping the old one alive keeps its id from being reused).
_instrumented: dict[int, types.CodeType] = {}


def _is_instrumented(code: types.CodeType) -> bool:
    return _instrumented.get(id(code)) is code


def _install_monitoring() -> None:
    global _tool
    if _tool is not None:
        return
    mon = sys.monitoring  # type: ignore[attr-defined]
    for tool in (4, 3, 2, 1, 5):
        if mon.get_tool(tool) is None:
            mon.use_tool_id(tool, "autograder")
            _tool = tool
            break
    else:  # pragma: no cover - every tool id taken by debuggers and profilers
        raise RuntimeError("no free sys.monitoring tool id for the grader")
    mon.register_callback(_tool, mon.events.PY_START, _on_start)
    mon.register_callback(_tool, mon.events.INSTRUCTION, _on_instruction)
    mon.register_callback(_tool, mon.events.RAISE, _on_raise)
    mon.set_events(_tool, mon.events.PY_START | mon.events.RAISE)


def instrument(codes: Iterable[types.CodeType]) -> None:
    """Switch on instruction events for ``codes`` (and the code nested in them) ahead of time."""
    for code in codes:
        for c in points.nested_code(code):
            if _is_instrumented(c) or points_of(c) is None:
                continue
            if USE_MONITORING:
                _install_monitoring()
                sys.monitoring.set_local_events(  # type: ignore[attr-defined]
                    _tool, c, sys.monitoring.events.INSTRUCTION)  # type: ignore[attr-defined]
            _instrumented[id(c)] = c


def _on_start(code: types.CodeType, offset: int) -> Any:
    if _is_instrumented(code):
        return None
    if points_of(code) is None:
        return sys.monitoring.DISABLE  # type: ignore[attr-defined]
    instrument([code])
    return None


def _on_instruction(code: types.CodeType, offset: int) -> Any:
    table = _points.get(code)
    p = table.get(offset) if table is not None else None
    if p is None:
        return sys.monitoring.DISABLE  # type: ignore[attr-defined]
    _hit(code, offset, p, sys._getframe(1))
    return None


def _line_at(code: types.CodeType, offset: int) -> int | None:
    for start, end, line in code.co_lines():
        if start <= offset < end:
            return line
    return None


def _on_raise(code: types.CodeType, offset: int, exc: BaseException) -> Any:
    """Raised here, or arrived here from a call (3.12+ reports both as a raise; the first
    traced frame it reaches is where the student sees it)."""
    if _real.get_ident() in registry and points_of(code) is not None:
        _raised(exc, code, _line_at(code, offset))
    return None


# ---- per-thread switches -------------------------------------------------------------------------
def start_thread() -> None:
    """Called first thing in every managed thread."""
    if USE_MONITORING:
        _install_monitoring()
    else:
        _real_settrace(_global_tracer)


def stop_thread() -> None:
    """Called last thing in every managed thread."""
    if not USE_MONITORING:
        _real_settrace(None)


_real_settrace = sys.settrace


def prepare() -> None:
    """Make sure the process-wide machinery is in place before a run."""
    if USE_MONITORING:
        _install_monitoring()

seal(__name__)  # the code under test cannot rewrite the grader
