"""``autograder.runtime.stack`` reads what is really on a frame's stack: at every ``STORE_FAST``
of real standard-library code (generators, comprehensions, exception handlers, closures), the
value it peeks is the one the local then holds. On 3.12+ this checks the stack depths computed
from the bytecode; on 3.10/3.11 the depth the frame saved for the tracer."""

from __future__ import annotations

import difflib
import json
import sys
import textwrap
import types

import pytest

from autograder.runtime import stack


def _workload() -> None:
    json.loads(json.dumps({"a": [1, 2, {"b": (3, 4)}], "c": "x"}, indent=2, sort_keys=True))
    textwrap.fill("threads and locks " * 40, 30)
    list(difflib.unified_diff(["a\n", "b\n"] * 10, ["a\n", "c\n"] * 10))
    try:
        json.loads("{bad")
    except ValueError:
        pass


def _codes() -> list[types.CodeType]:
    found = []
    for module in (json.encoder, json.decoder, json.scanner, textwrap, difflib):
        for value in vars(module).values():
            funcs = [value] if isinstance(value, types.FunctionType) else [
                v for v in vars(value).values() if isinstance(v, types.FunctionType)
            ] if isinstance(value, type) else []
            for func in funcs:
                todo = [func.__code__]
                while todo:
                    code = todo.pop()
                    found.append(code)
                    todo.extend(c for c in code.co_consts if isinstance(c, types.CodeType))
    return found


class _Checker:
    """At each STORE_FAST, peek the top of the stack; at the frame's next instruction, the
    local must hold that object."""

    def __init__(self) -> None:
        self.pending: dict[int, tuple[str, object]] = {}
        self.checked = 0
        self.wrong: list[str] = []
        self.stores: dict[types.CodeType, dict[int, str]] = {}

    def on(self, frame: types.FrameType, offset: int) -> None:
        code = frame.f_code
        waiting = self.pending.pop(id(frame), None)
        if waiting is not None:
            name, value = waiting
            self.checked += 1
            if frame.f_locals.get(name, value) is not value:
                self.wrong.append(f"{code.co_name} line {frame.f_lineno}: {name}")
        stores = self.stores.get(code)
        if stores is None:
            import dis

            stores = self.stores[code] = {i.offset: str(i.argval) for i in
                                          dis.get_instructions(code) if i.opname == "STORE_FAST"}
        name = stores.get(offset)
        if name is not None:
            top = stack.peek(frame, offset, 1)
            if top is None:
                self.wrong.append(f"{code.co_name} line {frame.f_lineno}: could not read")
            else:
                self.pending[id(frame)] = (name, top[0])


def _run_monitored(checker: _Checker, codes: list[types.CodeType]) -> None:
    mon = sys.monitoring  # type: ignore[attr-defined]
    tool = next(t for t in (5, 2, 1, 0) if mon.get_tool(t) is None)
    mon.use_tool_id(tool, "test_stack")
    try:
        mon.register_callback(tool, mon.events.INSTRUCTION,
                              lambda code, offset: checker.on(sys._getframe(1), offset))
        for code in codes:
            mon.set_local_events(tool, code, mon.events.INSTRUCTION)
        _workload()
    finally:
        for code in codes:
            mon.set_local_events(tool, code, 0)
        mon.register_callback(tool, mon.events.INSTRUCTION, None)
        mon.free_tool_id(tool)


def _run_traced(checker: _Checker, codes: list[types.CodeType]) -> None:
    wanted = set(codes)

    def local(frame, event, arg):
        if event == "opcode":
            checker.on(frame, frame.f_lasti)
        return local

    def start(frame, event, arg):
        if frame.f_code in wanted:
            frame.f_trace_opcodes = True
            return local
        return None

    previous = sys.gettrace()
    sys.settrace(start)
    try:
        _workload()
    finally:
        sys.settrace(previous)


@pytest.mark.skipif(sys.version_info >= (3, 14), reason="a frame layout stack.py does not know")
def test_the_stack_read_is_what_the_code_stores():
    checker = _Checker()
    codes = _codes()
    if sys.version_info >= (3, 12):
        _run_monitored(checker, codes)
    else:
        _run_traced(checker, codes)
    assert checker.checked > 1000, checker.checked
    assert checker.wrong == [], checker.wrong[:10]
