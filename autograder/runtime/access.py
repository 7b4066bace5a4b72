"""What a scheduling point touches, decided from the objects on the stack when it is reached.

Keys name state by the object that holds it, numbered in the execution (``Execution.number``):

- ``#3['balance']``: attribute ``balance`` of an object whose ``__dict__`` is object 3: an
  instance's attributes are the slots of its ``__dict__``, so ``o.x``, ``o.__dict__["x"]``,
  ``vars(o)["x"]``, ``getattr(o, "x")`` and ``setattr(o, "x", v)`` share one key however the
  dict was reached; ``#3[*]`` is every attribute (``vars(o)`` iterated, an untraced function
  handed the object). ``#4.count``: attribute ``count`` of an object without a ``__dict__`` (a
  class, an object with ``__slots__``); ``#4.*``: all of them.
- ``#5[1]``, ``#5['k']``: one slot of container 5; ``#5[*]``: any slot, or the container's size
  and order (``len``, iteration, ``in``, ``append``).
- ``.balance``: attribute ``balance`` of an object the engine could not see (coarse: it overlaps
  every object's ``balance``); ``[]``: the contents of anything (coarse: it overlaps every slot
  and attribute of every object).

Each function here returns the keys an access touches and whether it writes, or None when the
instruction touches no state another thread can see (a call of the test's own function, whose
body has points of its own; ``len`` of a tuple).
"""

from __future__ import annotations

import _io
import builtins
import collections
import gc
import types
from collections.abc import Callable
from typing import Any

from ..base._seal import seal
from ..base.trace import VALUE_CHARS

#: Methods that change the object they are called on.
MUTATORS = frozenset({
    "append", "extend", "insert", "pop", "remove", "clear", "sort", "reverse", "update",
    "setdefault", "popitem", "add", "discard", "difference_update", "intersection_update",
    "symmetric_difference_update", "appendleft", "extendleft", "popleft", "rotate", "write",
    "writelines", "flush", "truncate", "seek", "close", "move_to_end", "subtract",
    "__setitem__", "__delitem__", "__iadd__", "__ior__", "__iand__", "__isub__", "__ixor__",
    "__imul__", "__init__",
})
#: Values with no state another thread could change (a tuple's items can be lists).
SCALARS = frozenset({int, float, bool, str, bytes, complex, type(None), range, type(Ellipsis),
                     type(NotImplemented), slice})
#: Containers whose contents are state of their own: one key per object (slots for exact
#: lists and dicts).
#: (``_io._IOBase``, not the ``io.IOBase`` ABC, whose ``isinstance`` runs Python code.)
CONTAINERS = (list, dict, set, bytearray, collections.deque, _io._IOBase)
_VIEWS = (type({}.keys()), type({}.values()), type({}.items()))
#: Modules whose objects are synchronisation: their operations are steps of their own.
_SYNC_MODULES = ("threading", "_thread", "queue", "autograder", "concurrent.futures",
                 "multiprocessing")
#: Builtins that only look at their arguments' identity or type.
_BLIND = frozenset({id, isinstance, issubclass, type, callable, super, object, hash,
                    getattr(builtins, "breakpoint", None)}) - {None}
#: How many objects an untraced call may reach before the engine gives up naming them.
CAP = 48
WILDCARD = "[]"

Access = tuple[tuple[str, ...], bool]


def is_sync(obj: Any) -> bool:
    """Whether ``obj`` is a controlled primitive, a thread, a queue, or part of the engine."""
    module = getattr(type(obj), "__module__", "") or ""
    return module.startswith(_SYNC_MODULES)


def instance_dict(obj: Any) -> dict | None:
    """``obj.__dict__`` without running code of the test (no ``__getattr__``), or None."""
    try:
        found = object.__getattribute__(obj, "__dict__")
    except (AttributeError, TypeError):
        return None
    return found if type(found) is dict else None


def slot(container: Any, index: Any) -> str:
    """The slot ``container[index]`` names in a key: ``1``, ``'k'``, or ``*`` for any."""
    kind = type(container)
    if type(index) in (int, bool) and kind in (list, dict):
        if kind is list and index < 0:
            return "*"  # x[-1] and x[len(x) - 1] are one slot
        return str(int(index))
    if type(index) is str and kind is dict:
        return repr(index)
    return "*"


class Keys:
    """Key-making for one execution: object numbers, and which dicts are instance dicts."""

    def __init__(self, number: Callable[[Any], int]) -> None:
        self.number = number

    # ---- attributes ------------------------------------------------------------------------
    def attr(self, owner: Any, name: str, write: bool) -> tuple[str, ...]:
        """The keys of attribute ``name`` of ``owner``: the slot of its ``__dict__`` (so that
        ``o.x``, ``o.__dict__["x"]`` and ``vars(o)["x"]`` are one state, however the dict was
        reached), and, for a read the instance cannot answer, the class attribute it falls
        back to (``Cls.count`` written, ``obj.count`` read)."""
        if isinstance(owner, types.ModuleType):
            return ("g" + name,)  # the same state as the module's code loading the global
        own = None if isinstance(owner, type) else instance_dict(owner)
        key = (f"#{self.number(own)}[{name!r}]" if own is not None
               else f"#{self.number(owner)}.{name}")
        if write or isinstance(owner, type) or (own is not None and name in own):
            return (key,)
        for cls in type(owner).__mro__:
            if name in vars(cls):
                if cls.__module__ == "builtins":
                    return (key,)
                return (key, f"#{self.number(cls)}.{name}")
        return (key,)

    # ---- contents --------------------------------------------------------------------------
    def item(self, container: Any, index: Any) -> str:
        """The key of ``container[index]``."""
        return f"#{self.number(container)}[{slot(container, index)}]"

    def subscript(self, container: Any, index: Any, write: bool,
                  traced: Callable[[types.CodeType], bool]) -> Access | None:
        """What ``container[index]`` touches (a load, or a store or delete with ``write``)."""
        kind = type(container)
        if kind in SCALARS or kind is tuple or kind is frozenset or isinstance(container, type):
            return None
        method = getattr(kind, "__setitem__" if write else "__getitem__", None)
        if isinstance(method, types.FunctionType) and traced(method.__code__):
            return None  # the class's own code: its body has points
        if isinstance(container, collections.defaultdict):
            write = True  # reading a missing key inserts it
        return (self.item(container, index),), write

    def contents(self, obj: Any) -> str:
        """The key of everything ``obj`` holds."""
        return f"#{self.number(obj)}[*]"

    def reach(self, values: list[Any], *, opaque: bool, deep: bool = True) -> list[str]:
        """The keys of the mutable state reachable from ``values`` that code the engine does
        not trace may read (``opaque=False``: builtins, which call back into traced code for
        the objects they compare or print) or read and write (``opaque=True``); with
        ``deep=False``, not what a container's items hold (a loop's next item). A list with
        the wildcard when more than :data:`CAP` objects are reachable."""
        out: list[str] = []
        seen: set[int] = set()
        todo = list(values)
        while todo:
            v = todo.pop()
            kind = type(v)
            if kind in SCALARS or id(v) in seen:
                continue
            seen.add(id(v))
            if len(seen) > CAP:
                return [WILDCARD]
            if kind is tuple or kind is frozenset:
                todo.extend(v)
            elif isinstance(v, CONTAINERS):
                out.append(self.contents(v))
                if not deep:
                    continue
                if isinstance(v, dict):
                    todo.extend(v.keys())
                    todo.extend(v.values())
                elif not isinstance(v, _io._IOBase):
                    todo.extend(list(v))
            elif isinstance(v, _VIEWS):
                todo.extend(gc.get_referents(v))
            elif isinstance(v, (types.FunctionType, types.BuiltinFunctionType, type,
                                types.ModuleType, types.CodeType)) or is_sync(v):
                continue
            elif isinstance(v, (types.GeneratorType, types.CoroutineType)):
                if not opaque:
                    continue  # traced generators have points of their own
                out.append(WILDCARD)
            elif hasattr(kind, "__next__") or isinstance(v, types.MethodType):
                todo.extend(gc.get_referents(v))  # an iterator: what it iterates
            elif getattr(kind, "__dictoffset__", 0):
                if opaque:
                    own = instance_dict(v)
                    if own is not None:
                        out.append(self.contents(own))
                        todo.extend(own.values())
                    else:
                        out.append(f"#{self.number(v)}.*")
            elif opaque:
                out.append(self.contents(v))
        return out

    # ---- calls -----------------------------------------------------------------------------
    def call(self, func: Any, self_arg: Any, args: list[Any],
             traced: Callable[[types.CodeType], bool]) -> Access | None:
        """What calling ``func`` (on ``self_arg`` when it is a method looked up on an object)
        with ``args`` touches before the callee's own points."""
        if isinstance(func, types.MethodType):
            func, self_arg = func.__func__, func.__self__
        if isinstance(func, types.FunctionType):
            if traced(func.__code__):
                return None
            receiver = [] if self_arg is None else [self_arg]
            if self_arg is not None and is_sync(self_arg) or _is_sync_function(func):
                return None
            return self._opaque(receiver + args)
        owner = func.__self__ if isinstance(
            func, (types.BuiltinMethodType, types.MethodWrapperType)) else None
        if self_arg is None and owner is not None and not isinstance(owner, types.ModuleType):
            self_arg = owner
        if self_arg is not None and isinstance(func, (types.BuiltinMethodType,
                                                      types.MethodDescriptorType,
                                                      types.WrapperDescriptorType,
                                                      types.MethodWrapperType,
                                                      types.ClassMethodDescriptorType)):
            return self._method(self_arg, getattr(func, "__name__", ""), args)
        if isinstance(func, type):
            if is_sync_type(func):
                return None
            return self._read(args)
        if isinstance(func, types.BuiltinFunctionType):
            if func in _BLIND:
                return None
            if isinstance(owner, types.ModuleType) and owner is not builtins:
                return self._opaque(args)  # heapq.heappush(h, x), copy.deepcopy(s)
            return self._builtin(func, args)
        if callable(func) and not is_sync(func):
            return self._opaque([func, *args])
        return None

    def _method(self, obj: Any, name: str, args: list[Any]) -> Access | None:
        if is_sync(obj) or type(obj) in SCALARS or type(obj) is tuple:
            return self._read(args) if type(obj) in (str, bytes) else None
        if type(obj) is dict and args and type(args[0]) in (str, int, bool) and name in (
                "get", "setdefault", "pop", "__getitem__", "__contains__", "__setitem__",
                "__delitem__"):
            write = name not in ("get", "__getitem__", "__contains__")
            return (self.item(obj, args[0]),) + tuple(self.reach(args[1:], opaque=False)), write
        write = name in MUTATORS
        keys = (self.contents(obj),) + tuple(self.reach(list(args), opaque=False))
        return keys, write

    def _builtin(self, func: Any, args: list[Any]) -> Access | None:
        if func in (getattr, hasattr) and len(args) >= 2 and type(args[1]) is str:
            return self.attr(args[0], args[1], False), False
        if func in (setattr, delattr) and len(args) >= 2 and type(args[1]) is str:
            return self.attr(args[0], args[1], True), True
        if func is vars:
            return None  # the dict it returns is keyed where it is used
        return self._read(args)

    def _read(self, values: list[Any]) -> Access | None:
        keys = self.reach(values, opaque=False)
        return (tuple(keys), False) if keys else None

    def _opaque(self, values: list[Any]) -> Access | None:
        keys = self.reach(values, opaque=True)
        return (tuple(keys), True) if keys else None


_SHOWN = (list, dict, set, tuple, frozenset)


def show(value: Any, limit: int = VALUE_CHARS) -> str | None:
    """A short text of ``value`` for a step table: numbers, strings, ``None`` and small builtin
    containers of them; None for anything else (showing it could run code of the test, such
    as its own ``__repr__``)."""
    kind = type(value)
    if kind in SCALARS:
        text = repr(value)
    elif kind in _SHOWN and len(value) <= 8 and all(
            type(x) in SCALARS for x in (list(value.items()) and
                                         [y for kv in value.items() for y in kv]
                                         if kind is dict else value)):
        text = repr(value)
    else:
        return None
    return text if len(text) <= limit else text[:limit - 3] + "..."


def plain_attribute(owner: Any, name: str) -> Any:
    """``owner.name`` read from the instance and class dicts only (no property runs)."""
    own = instance_dict(owner) or {}
    if name in own:
        return own[name]
    for cls in type(owner).__mro__:
        if name in vars(cls):
            found = vars(cls)[name]
            return found if type(found) in SCALARS else None
    return None


def plain_item(container: Any, index: Any) -> Any:
    """``container[index]`` for an exact list or dict, without running code; else None."""
    if type(container) is list and type(index) is int and -len(container) <= index < len(
            container):
        return container[index]
    if type(container) is dict and type(index) in (int, str, bool):
        return container.get(index)
    return None


def is_sync_type(cls: type) -> bool:
    return (getattr(cls, "__module__", "") or "").startswith(_SYNC_MODULES)


def _is_sync_function(func: types.FunctionType) -> bool:
    return (getattr(func, "__module__", "") or "").startswith(_SYNC_MODULES) or (
        func.__globals__.get("__name__", "") or "").startswith(_SYNC_MODULES)


#: Iterators over values no thread can change: their next item is no step (not a frozenset's:
#: its iterator type is a set's).
_FIXED_ITERATORS = frozenset(type(x) for x in (
    iter(range(0)), iter(range(1 << 70)), iter(()), iter(""), iter(b"")))
#: Iterators over one builtin container: their next item reads it (``gc.get_referents`` gives
#: the container while the iterator is not exhausted).
CONTAINER_ITERATORS = frozenset(type(x) for x in (
    iter([]), reversed([]), iter({}), iter({}.values()), iter({}.items()), reversed({}),
    iter(set()), iter(bytearray()), iter(collections.deque())))


def sized_iteration(keys: Keys, iterable: Any) -> Access | None:
    """What making a loop's iterator over ``iterable`` reads: a dict's or a set's size (its
    iterator raises "changed size during iteration" at a later fetch when it differs); a
    list's iterator takes nothing (it reads by position at each fetch)."""
    if isinstance(iterable, (dict, set)):
        return (keys.contents(iterable),), False
    if isinstance(iterable, _VIEWS):
        found = [keys.contents(d) for d in gc.get_referents(iterable) if isinstance(d, dict)]
        return (tuple(found), False) if found else None
    return None


def iteration(keys: Keys, iterator: Any) -> Access | None:
    """What fetching the next item from ``iterator`` reads (a ``for`` loop's step)."""
    kind = type(iterator)
    if kind in _FIXED_ITERATORS:
        return None
    if kind in CONTAINER_ITERATORS:
        for container in gc.get_referents(iterator):
            if isinstance(container, CONTAINERS):
                return (keys.contents(container),), False
        return None
    found = keys.reach([iterator], opaque=False, deep=False)
    return (tuple(found), False) if found else None


__all__ = ["Keys", "iteration", "sized_iteration", "MUTATORS", "SCALARS", "WILDCARD"]

seal(__name__)  # the code under test cannot rewrite the grader
