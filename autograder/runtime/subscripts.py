"""Precise keys for subscripts: which container, which slot.

``s.meals[i] += 1`` run by two threads with different ``i`` touches two different slots. With one
key for every subscript, each such pair looks dependent and the search explodes (five dining
philosophers that count their meals). Where the instructions right before a subscript are plain
loads (a local, a constant, a global, a closure cell, one attribute of a local), no other thread
can have run since they were loaded, so the container and the index can be read back from the
frame when the subscript's scheduling point is reached. The key then names the container by its
number in the execution and the slot: ``#3[1]``, ``#3['bill']``, or ``#3[*]`` when the slot cannot
be named (a negative list index, a key of another type). An augmented store (``x[i] += 1``) reuses
the key its own load computed: between the two, other threads may have run and rebound names.

Everything else keeps the wildcard key, which overlaps every contents key: a precise key only
makes independent what is certainly independent (see :func:`autograder.runtime.ops.overlap`).
"""

from __future__ import annotations

import dis
import sys
import types
from dataclasses import dataclass
from typing import Any

from ..base._seal import Sealed, seal

SUBSCRIPTS = frozenset({"BINARY_SUBSCR", "STORE_SUBSCR", "DELETE_SUBSCR"})
#: Instructions that push a value without running code another thread could interleave with,
#: other than the attribute and global loads that are scheduling points themselves.
_LOADS = frozenset({
    "LOAD_FAST", "LOAD_FAST_CHECK", "LOAD_FAST_LOAD_FAST", "LOAD_CONST", "LOAD_GLOBAL",
    "LOAD_DEREF", "LOAD_ATTR",
})
#: Index values whose equality is equality of their key: ``d[1]`` and ``d[True]`` are one slot,
#: and no int or bool equals a str.
_INDEX_TYPES = (int, bool, str)


@dataclass(frozen=True)
class Load(metaclass=Sealed):
    """How to read one stack value back from the frame."""

    kind: str  # "fast", "const", "global", "deref", "attr" (``owner.name``, owner a local)
    name: str = ""
    value: Any = None
    owner: str = ""


@dataclass(frozen=True)
class Target(metaclass=Sealed):
    """What a subscript instruction indexes, when it can be known at run time."""

    container: Load | None
    index: Load | None
    #: For the store of ``x[i] += ...``: the offset of the load whose key it reuses.
    reuse: int | None = None
    #: For that load: keep its key for the store.
    keep: bool = False
    #: Offset of the index's own scheduling point (a cell or global load) when the container
    #: must be read there, before other threads may run and rebind it, not at the subscript.
    capture_at: int | None = None
    #: Offset of the instruction that loaded the container.
    container_at: int | None = None


def _is_method_load(ins: dis.Instruction) -> bool:
    return ins.opname == "LOAD_ATTR" and sys.version_info >= (3, 12) and bool((ins.arg or 0) & 1)


def _pushes_null(ins: dis.Instruction) -> bool:
    return ins.opname == "LOAD_GLOBAL" and sys.version_info >= (3, 11) and bool((ins.arg or 0) & 1)


def _simulate(run: list[dis.Instruction]) -> list[tuple[Load | None, int]]:
    """The values ``run`` (plain loads only) leaves on the stack, each with the offset of the
    instruction that pushed it; None for unknown ones."""
    stack: list[tuple[Load | None, int]] = []
    for ins in run:
        op, at = ins.opname, ins.offset
        if op in ("LOAD_FAST", "LOAD_FAST_CHECK"):
            stack.append((Load("fast", str(ins.argval)), at))
        elif op == "LOAD_FAST_LOAD_FAST":
            stack.extend((Load("fast", str(n)), at) for n in ins.argval)
        elif op == "LOAD_CONST":
            stack.append((Load("const", value=ins.argval), at))
        elif op == "LOAD_GLOBAL":
            stack.extend([(None, at), (None, at)] if _pushes_null(ins)
                         else [(Load("global", str(ins.argval)), at)])
        elif op == "LOAD_DEREF":
            stack.append((Load("deref", str(ins.argval)), at))
        else:  # LOAD_ATTR, not a method load
            owner = stack.pop()[0] if stack else None
            name = ins.argval[-1] if isinstance(ins.argval, tuple) else ins.argval
            stack.append((Load("attr", str(name), owner=owner.name)
                          if owner is not None and owner.kind == "fast" else None, at))
    return stack


def targets(code: types.CodeType) -> dict[int, Target]:
    """Each subscript instruction of ``code`` whose container and index can be read back."""
    instrs = [i for i in dis.get_instructions(code) if i.opname not in ("CACHE", "EXTENDED_ARG")]
    found: dict[int, Target] = {}
    last_dup_load: int | None = None
    for k, ins in enumerate(instrs):
        if ins.opname not in SUBSCRIPTS:
            continue
        if ins.opname == "STORE_SUBSCR" and _after_swaps(instrs, k):
            if last_dup_load is not None and not ins.is_jump_target:
                found[ins.offset] = Target(None, None, reuse=last_dup_load)
            last_dup_load = None
            continue
        j, dup = k - 1, False
        if ins.opname == "BINARY_SUBSCR":
            if j >= 0 and instrs[j].opname == "DUP_TOP_TWO":
                j, dup = j - 1, True
            elif j >= 1 and all(x.opname == "COPY" and x.arg == 2 for x in instrs[j - 1:j + 1]):
                j, dup = j - 2, True
        if dup:  # the load of ``x[i] op= v``: its store reuses this key, if it has one
            last_dup_load = None
        end = j + 1
        while j >= 0 and instrs[j].opname in _LOADS and not _is_method_load(instrs[j]):
            j -= 1
        run = instrs[j + 1:end]
        if not run or any(x.is_jump_target for x in instrs[j + 2:k + 1]):
            continue
        stack = _simulate(run)
        if len(stack) < 2 or stack[-1][0] is None or stack[-2][0] is None:
            continue
        (container, container_at), (index, index_at) = stack[-2], stack[-1]
        if container.kind == "const" or index.kind == "attr":
            continue
        # A cell or global index is loaded at a scheduling point of its own, after which other
        # threads may rebind the container's name: read the container there (a local's value
        # cannot change).
        capture = index.kind in ("deref", "global") and container.kind != "fast"
        found[ins.offset] = Target(container, index, keep=dup,
                                   capture_at=index_at if capture else None,
                                   container_at=container_at)
        if dup:
            last_dup_load = ins.offset
    return found


def _after_swaps(instrs: list[dis.Instruction], k: int) -> bool:
    """Whether the store at ``k`` is the store of an augmented assignment ``x[i] op= v``."""
    if k >= 1 and instrs[k - 1].opname == "ROT_THREE":
        return True
    return k >= 2 and [(x.opname, x.arg) for x in instrs[k - 2:k]] == [("SWAP", 3), ("SWAP", 2)]


def container_loads(found: dict[int, Target]) -> set[int]:
    """Offsets of the attribute, global and cell loads that only fetch a subscript's container
    (the subscript's own key covers the contents)."""
    return {t.container_at for t in found.values() if t.container is not None
            and t.container.kind in ("attr", "global", "deref") and t.container_at is not None}


MISSING = object()
#: Attribute lookups that read the instance dict and the class, and run no code of their own.
_GENERIC_GETATTR = (object.__getattribute__, types.SimpleNamespace.__getattribute__)


def read(load: Load, frame: types.FrameType) -> Any:
    """The value ``load`` pushed in ``frame``, read back; :data:`MISSING` when unsure."""
    if load.kind == "const":
        return load.value
    if load.kind == "global":
        return frame.f_globals.get(load.name, MISSING)
    local = frame.f_locals
    if load.kind in ("fast", "deref"):
        return local.get(load.name, MISSING)
    owner = local.get(load.owner, MISSING)
    cls = type(owner)
    if cls.__getattribute__ not in _GENERIC_GETATTR:
        return MISSING
    for base in cls.__mro__:  # a data descriptor (property, slot) wins over the instance dict
        attr = base.__dict__.get(load.name, MISSING)
        if attr is not MISSING:
            if hasattr(type(attr), "__set__") or hasattr(type(attr), "__delete__"):
                return MISSING
            break
    try:
        return vars(owner).get(load.name, MISSING)
    except TypeError:  # no __dict__
        return MISSING


#: Values with no contents another thread could change (a tuple's items can be lists).
SCALARS = frozenset({int, float, bool, str, bytes, complex, type(None)})


def slot(container: Any, index: Any) -> str | None:
    """The slot ``container[index]`` names, or ``*`` for any slot; None for a container whose
    subscripts may run arbitrary code (anything but an exact list or dict)."""
    kind = type(container)
    if kind is not list and kind is not dict:
        return None
    if type(index) not in _INDEX_TYPES:
        return "*"
    if isinstance(index, str):
        return repr(index) if kind is dict else "*"
    if kind is list and index < 0:
        return "*"  # x[-1] and x[len(x) - 1] are one slot
    return str(int(index))


def key(target: Target, frame: types.FrameType, number: Any,
        container: Any = MISSING) -> str | None:
    """The precise key of the subscript ``target`` about to run in ``frame``, or None.
    ``number(obj)`` gives an object its number in the execution; ``container`` is the one read
    at ``target.capture_at``, if any."""
    assert target.container is not None and target.index is not None
    if target.capture_at is None:
        container = read(target.container, frame)
    index = read(target.index, frame)
    if container is MISSING or index is MISSING:
        return None
    which = slot(container, index)
    if which is None:
        return None
    return f"#{number(container)}[{which}]"

seal(__name__)  # the code under test cannot rewrite the grader
