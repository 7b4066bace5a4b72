"""Dynamic partial-order reduction (Flanagan & Godefroid, 2005) with sleep sets and an optional
preemption bound.

The explorer keeps the current path of scheduling decisions. After each execution it finds every
pair of dependent steps of different threads that could have happened in the other order (a race
not ordered by happens-before) and schedules the reversed order to be tried, by adding the later
thread to the earlier step's *backtrack* set. Sleep sets skip orders already known to be
equivalent to one explored. With a preemption bound, choices that would preempt a running thread
more than ``bound`` times are skipped (and counted, so the caller knows the search was partial).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from ._seal import Sealed, seal
from .ops import MemoryOp, Op, co_enabled, dependent, keys
from .runtime import Execution, MThread
from .schedulers import keep_running


@dataclass
class Node(metaclass=Sealed):
    """The state before one step of the current path."""

    enabled: frozenset[int]
    pending: dict[int, Op]
    last: int | None
    preemptions: int
    sleep: dict[int, Op]
    chosen: int
    backtrack: set[int] = field(default_factory=set)
    done: set[int] = field(default_factory=set)

    def preempts(self, tid: int) -> bool:
        return self.last is not None and self.last in self.enabled and tid != self.last


class DporScheduler(metaclass=Sealed):
    """Replays the explorer's current path, then extends it without preemption."""

    def __init__(self, explorer: Explorer) -> None:
        self.x = explorer
        self.diverged = False

    def choose(self, rt: Execution, enabled: Sequence[MThread]) -> MThread | None:
        path = self.x.path
        i = len(rt.records)
        by_tid = {t.tid: t for t in enabled}
        if i < len(path):
            node = path[i]
            t = by_tid.get(node.chosen)
            if t is None or not _same(node.pending.get(node.chosen), t.pending):
                self.diverged = True
                return None
            return t
        pending = {x.tid: x.pending for x in rt.threads if not x.finished and x.pending}
        if path:
            parent = path[-1]
            op = parent.pending[parent.chosen]
            sleep = {q: qop for q, qop in {**parent.sleep, **{
                d: parent.pending[d] for d in parent.done if d != parent.chosen}}.items()
                if q != parent.chosen and q in pending and not self.x.dep(qop, op)}
            last = parent.chosen
            pre = parent.preemptions + (1 if parent.preempts(parent.chosen) else 0)
        else:
            sleep, last, pre = {}, None, 0
        awake = [t for t in enabled if t.tid not in sleep]
        if not awake:
            return None  # every order from here was already covered
        chosen = keep_running(rt, awake)
        node = Node(frozenset(by_tid), pending, last, pre, sleep,  # type: ignore[arg-type]
                    chosen.tid, {chosen.tid}, {chosen.tid})
        path.append(node)
        return chosen


def _same(a: Op | None, b: Op | None) -> bool:
    if a is None or b is None:
        return a is b
    return (a.key, a.write, a.line, type(a)) == (b.key, b.write, b.line, type(b))


class Explorer(metaclass=Sealed):
    """Depth-first DPOR over executions, one :class:`DporScheduler` per execution."""

    def __init__(self, bound: int | None = None, observe_all: bool = False) -> None:
        #: With a check after every step, the check reads all shared state: every memory
        #: access then depends on every write, whatever it touches.
        self.observe_all = observe_all
        self.path: list[Node] = []
        self.bound = bound
        self.pruned_by_bound = 0

    def keys(self, op: Op) -> tuple[str, ...]:
        """The state ``op`` touches, as far as races go."""
        return ("memory",) if self.observe_all and isinstance(op, MemoryOp) else keys(op)

    def dep(self, a: Op, b: Op) -> bool:
        """Whether ``a`` and ``b`` (of different threads) cannot be swapped without effect."""
        if not self.observe_all:
            return dependent(a, b)
        return (a.write or b.write) and not set(self.keys(a)).isdisjoint(self.keys(b))

    def scheduler(self) -> DporScheduler:
        return DporScheduler(self)

    def record(self, rt: Execution) -> None:
        """Find the races of a finished execution and add backtrack points for them."""
        recs = rt.records
        path = self.path
        n = min(len(recs), len(path))
        clocks: list[dict[int, int]] = []
        thread_clock: dict[int, dict[int, int]] = {}
        last_of: dict[int, int] = {}
        by_key: dict[str, list[int]] = {}
        last_write: dict[str, int] = {}
        reads_since: dict[str, list[int]] = {}
        spawned = {t.tid: t.spawned_at for t in rt.threads}
        for j in range(n):
            rec = recs[j]
            p, op = rec.tid, rec.op
            if p not in thread_clock:
                at = spawned.get(p)
                thread_clock[p] = dict(clocks[at]) if at is not None and at < j else {}
            before = thread_clock[p]
            self._race(j, p, op, before, recs, by_key)
            vc = dict(before)
            deps = []
            op_keys = self.keys(op)
            for key in op_keys:
                if key in last_write:
                    deps.append(last_write[key])
                if op.write:
                    deps.extend(reads_since.get(key, ()))
            child = getattr(op, "child", None)
            if child is not None and child.tid in last_of:
                deps.append(last_of[child.tid])
            for d in deps:
                for k, v in clocks[d].items():
                    if vc.get(k, -1) < v:
                        vc[k] = v
            vc[p] = j
            clocks.append(vc)
            thread_clock[p] = vc
            last_of[p] = j
            for key in op_keys:
                by_key.setdefault(key, []).append(j)
                if op.write:
                    last_write[key] = j
                    reads_since[key] = []
                else:
                    reads_since.setdefault(key, []).append(j)
        if len(recs) == n:  # threads still waiting at the end race with what ran before
            for t in rt.threads:
                if not t.finished and t.pending is not None:
                    self._race(n, t.tid, t.pending, thread_clock.get(t.tid, {}), recs, by_key)

    def _race(self, j: int, p: int, op: Op, before: dict[int, int], recs: list,
              by_key: dict[str, list[int]]) -> None:
        found = sorted({i for k in self.keys(op) for i in by_key.get(k, ())}, reverse=True)
        for i in found:
            other = recs[i]
            q = other.tid
            if q == p or not self.dep(other.op, op):
                continue
            node = self.path[i]
            if not co_enabled(other.op, op) and not (
                    p in node.enabled and node.pending.get(p) is op):
                continue  # the static rule says never both enabled, and here they were not
            if before.get(q, -1) >= i:
                continue  # already ordered by happens-before: not a race
            if p in node.enabled:
                node.backtrack.add(p)
            else:
                node.backtrack.update(node.enabled)
            return

    def advance(self) -> bool:
        """Move to the next unexplored choice; False when the search is complete."""
        path = self.path
        while path:
            node = path[-1]
            cands = sorted(node.backtrack - node.done - set(node.sleep))
            if self.bound is not None:
                allowed = [c for c in cands
                           if node.preemptions + node.preempts(c) <= self.bound]
                self.pruned_by_bound += len(cands) - len(allowed)
                node.done.update(c for c in cands if c not in allowed)
                cands = allowed
            if cands:
                pick = node.last if node.last in cands else cands[0]
                node.done.add(pick)
                node.chosen = pick
                return True
            path.pop()
        return False

seal(__name__)  # the code under test cannot rewrite the grader
