"""What an execution's end state means: names for primitives, deadlock cycles, lock order."""

from __future__ import annotations

import itertools
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from ..base._seal import Sealed, seal
from ..base.errors import Failure
from ..base.trace import WaitEdge
from ..runtime.execution import Execution
from ..runtime.threads import MThread
from ..sync.base import Primitive
from ..sync.lock import Lock


def name_primitives(state: Any, namespaces: Iterable[dict[str, Any]]) -> None:
    """Name unnamed primitives after where the test's state or the student's globals keep them."""
    for ns in namespaces:
        for key, value in ns.items():
            if isinstance(value, Primitive) and value._name is None:
                value._name = key
    seen: set[int] = set()

    def walk(obj: Any, path: str, depth: int) -> None:
        if id(obj) in seen or depth > 3:
            return
        seen.add(id(obj))
        if isinstance(obj, Primitive):
            if obj._name is None and path:
                obj._name = path
            inner = getattr(obj, "_lock", None)
            if isinstance(inner, Primitive) and inner._name is None:
                inner._name = obj._label  # a condition's lock goes by the condition's name
            return
        if isinstance(obj, dict):
            items = [(f"{k}" if not path else f"{path}[{k!r}]", v) for k, v in obj.items()]
        elif isinstance(obj, (list, tuple)):
            items = [(_element_name(v, path, i), v) for i, v in enumerate(obj)]
        elif hasattr(obj, "__dict__") and not isinstance(obj, type):
            items = [(f"{path}.{k}" if path else k, v) for k, v in vars(obj).items()]
        else:
            return
        for p, v in items:
            walk(v, p, depth + 1)

    walk(state, "", 0)


def _element_name(value: Any, path: str, i: int) -> str:
    ident = getattr(value, "id", None) if hasattr(value, "__dict__") else None
    if isinstance(ident, (int, str)):
        return f"{type(value).__name__} {ident}"
    return f"{path}[{i}]"


def _holder_of(obj: Any) -> MThread | None:
    if isinstance(obj, Lock) and obj._count:
        return obj._owner
    inner = getattr(obj, "_lock", None)
    if isinstance(inner, Lock) and inner._count:  # waiting to reacquire a condition's lock
        return inner._owner
    return None


def blocked_threads(rt: Execution) -> dict[str, str]:
    """Each thread still waiting at the end, with what it waits for in plain words."""
    out = {}
    for t in rt.threads:
        if t.finished or t.pending is None:
            continue
        op = t.pending
        what = op.blocks_on() or op.label
        holder = _holder_of(op.obj)
        if holder is not None:
            what += f" (held by {holder.name})"
        where = f" at line {op.line}: {op.source}" if op.line else ""
        out[t.name] = f"waits for {what}{where}"
    return out


def wait_cycle(rt: Execution) -> list[WaitEdge] | None:
    """The wait-for cycle among blocked threads, if there is one."""
    waits: dict[MThread, tuple[MThread, Any]] = {}
    for t in rt.threads:
        if not t.finished and t.pending is not None:
            holder = _holder_of(t.pending.obj)
            if holder is not None:
                waits[t] = (holder, t.pending)
    for start in waits:
        seen: list[MThread] = []
        t: MThread | None = start
        while t is not None and t in waits and t not in seen:
            seen.append(t)
            t = waits[t][0]
        if t is not None and t in seen:
            cycle = seen[seen.index(t):]
            return [WaitEdge(x.name, waits[x][1].label, waits[x][0].name, waits[x][1].line,
                             waits[x][1].source) for x in cycle]
    return None


def deadlock_failure(rt: Execution) -> Failure:
    """A plain-words account of a deadlock: the cycle, who holds what, who waits where."""
    cycle = wait_cycle(rt)
    blocked = blocked_threads(rt)
    holding = {t.name: [h._label for h in t.held] for t in rt.threads if t.held}
    details = [f"{name} {what}" for name, what in blocked.items()]
    details += [f"{name} holds {', '.join(locks)}" for name, locks in holding.items()]
    if cycle:
        ring = " -> ".join(f"{e.thread} waits for {e.obj} held by {e.holder}" for e in cycle)
        msg = f"Deadlock: every thread is blocked, in a cycle: {ring}."
    else:
        msg = ("Deadlock: every thread left is blocked and nothing can wake it "
               "(" + "; ".join(f"{n} {w}" for n, w in blocked.items()) + ").")
    first = cycle[0] if cycle else None
    return Failure("deadlock", msg, first.thread if first else None,
                   first.line if first else None, first.source if first else "", details)


@dataclass(frozen=True)
class OrderEdge(metaclass=Sealed):
    """Thread ``thread`` acquired ``second`` while holding ``first`` (at ``line``)."""

    first: str
    second: str
    guards: frozenset[str]
    thread: str
    line: int | None
    source: str


class LockOrder(metaclass=Sealed):
    """Lockdep: the order in which locks are taken, over every explored execution."""

    def __init__(self) -> None:
        self.edges: dict[tuple[str, str], list[OrderEdge]] = {}

    def add(self, rt: Execution) -> None:
        for held, lock, others, t, op in rt.lock_edges:
            e = OrderEdge(held._label, lock._label, frozenset(o._label for o in others),
                          t.name, op.line, op.source)
            same = self.edges.setdefault((e.first, e.second), [])
            if len(same) < 4 and e not in same:
                same.append(e)

    def cycle(self) -> list[OrderEdge] | None:
        """A cycle of the lock-order graph not protected by a common gate lock, if any."""
        graph: dict[str, set[str]] = {}
        for a, b in self.edges:
            graph.setdefault(a, set()).add(b)
        for start in sorted(graph):
            found = self._find(graph, start)
            if found:
                return found
        return None

    def _find(self, graph: dict[str, set[str]], start: str) -> list[OrderEdge] | None:
        stack: list[tuple[str, list[str]]] = [(start, [start])]
        while stack:
            node, path = stack.pop()
            for nxt in sorted(graph.get(node, ())):
                if nxt == start and len(path) > 1:
                    edges = self._pick(path + [start])
                    if edges:
                        return edges
                elif nxt not in path:
                    stack.append((nxt, path + [nxt]))
        return None

    def _pick(self, ring: list[str]) -> list[OrderEdge] | None:
        """Choose one witness per edge from different threads with no common gate lock."""
        choices = [self.edges[(a, b)] for a, b in itertools.pairwise(ring)]

        def search(k: int, chosen: list[OrderEdge]) -> list[OrderEdge] | None:
            if k == len(choices):
                threads = {e.thread for e in chosen}
                common = frozenset.intersection(*(e.guards for e in chosen))
                return list(chosen) if len(threads) > 1 and not common else None
            for e in choices[k]:
                found = search(k + 1, chosen + [e])
                if found:
                    return found
            return None

        return search(0, [])


def lock_order_failure(cycle: list[OrderEdge]) -> Failure:
    parts = [f"{e.thread} takes {e.second} while holding {e.first}"
             + (f" (line {e.line}: {e.source})" if e.line else "") for e in cycle]
    ring = " -> ".join([e.first for e in cycle] + [cycle[0].first])
    return Failure(
        "lock-order",
        f"Lock-order inversion ({ring}): " + "; ".join(parts) + ". No explored schedule "
        "deadlocked, but threads that take the same locks in opposite orders can deadlock. "
        "Take locks in one global order.", cycle[0].thread, cycle[0].line, cycle[0].source,
        parts)

seal(__name__)  # the code under test cannot rewrite the grader
