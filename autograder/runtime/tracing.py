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
from . import points, subscripts
from .ops import MemoryOp

if TYPE_CHECKING:  # annotations only: execution imports this module
    from .execution import MThread

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


def _make_op(code: types.CodeType, p: points.Point) -> MemoryOp:
    op = MemoryOp(p.key, p.write, p.label)
    op.more_keys = p.more
    op.line = p.line
    op.filename = code.co_filename
    op.function = code.co_name
    if p.line:
        import linecache

        op.source = linecache.getline(code.co_filename, p.line).strip()
    return op


_op_cache: dict[tuple[types.CodeType, int], MemoryOp] = {}


#: Managed threads by OS thread ident (filled by the runtime).
registry: dict[int, MThread] = {}


def _hit(code: types.CodeType, offset: int, p: points.Point, frame: types.FrameType) -> None:
    t = registry.get(_real.get_ident())
    if t is None or t.in_check:
        return
    op = _op_cache.get((code, offset))
    if op is None:
        op = _op_cache[(code, offset)] = _make_op(code, p)
    if p.target is not None:
        op = _precise(op, p.target, frame, t, offset)
    elif p.capture is not None:  # the index of a subscript: its container, before others run
        load, subscript = p.capture
        t.subscript_keys[(id(frame), -subscript)] = subscripts.read(load, frame)
    if p.value is not None and not p.write:
        value = subscripts.read(p.value, frame)
        if type(value) in subscripts.SCALARS:
            # A number or a string: the load reads the binding only. Should another thread
            # rebind the name before this step runs (a write of the binding, so a race the
            # search explores), the step is recorded with the contents it then reads.
            t.rt.point(t, _binding_only(code, offset, op))
            if subscripts.read(p.value, frame) is not value:
                t.rt.amend(t, op)
            return
    t.rt.point(t, op)


_binding_ops: dict[tuple[types.CodeType, int], MemoryOp] = {}


def _binding_only(code: types.CodeType, offset: int, op: MemoryOp) -> MemoryOp:
    light = _binding_ops.get((code, offset))
    if light is None:
        light = _binding_ops[(code, offset)] = _keyed(op, op.key)
    return light


def _keyed(op: MemoryOp, key: str) -> MemoryOp:
    """A copy of ``op`` (same access, label and place) that touches ``key`` only."""
    copy = MemoryOp(key, op.write, op.label)
    copy.line, copy.filename = op.line, op.filename
    copy.function, copy.source = op.function, op.source
    return copy


def _precise(op: MemoryOp, target: subscripts.Target, frame: types.FrameType, t: Any,
             offset: int) -> MemoryOp:
    """``op`` with the key of the container and slot its subscript touches, when known."""
    where = (id(frame), offset)
    if target.reuse is not None:
        key = t.subscript_keys.pop((id(frame), target.reuse), None)
    else:
        container = subscripts.MISSING
        if target.capture_at is not None:
            container = t.subscript_keys.pop((id(frame), -offset), subscripts.MISSING)
        key = subscripts.key(target, frame, t.rt.number, container)
        if key is not None and target.keep:
            t.subscript_keys[where] = key
    return op if key is None else _keyed(op, key)


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
