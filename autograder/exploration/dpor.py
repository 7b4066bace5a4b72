"""Source-DPOR: dynamic partial-order reduction with source sets and sleep sets.

The algorithm is Source-DPOR of Abdulla, Aronis, Jonsson and Sagonas ("Optimal dynamic partial
order reduction", POPL 2014; "Source sets", JACM 2017), which explores at least one execution of
every Mazurkiewicz trace (every class of executions equal up to swapping adjacent independent
steps) and, with sleep sets, usually exactly one.

The explorer keeps the current path of scheduling decisions. After each execution it finds
*every* race: a pair of dependent steps ``e`` (thread q) and ``e'`` (thread p) that could have
happened in the other order, because ``e`` is not ordered before ``e'`` by happens-before through
p's earlier steps. For each race it takes the steps after ``e`` that do not depend on it, followed
by ``e'`` (the sequence ``v`` of the paper), and makes sure that the backtrack set of the state
before ``e`` holds one of the threads that can start ``v`` (its *initials*). Where the engine's
model goes beyond the paper's (blocking steps, timeouts on a virtual clock): a pair whose reversal
cannot start from the earlier state (no initial of ``v`` is enabled there, as an acquire waits for
the release before it) is no race, and a step that ran because the virtual clock advanced depends
on every step that could have been waiting at that moment (:func:`clock_sensitive`).

Sleep sets skip choices already covered by an explored sibling. With a preemption bound, choices
that would preempt a running thread more than ``bound`` times are skipped (and counted, so the
caller knows the search was partial).

Soundness is checked by ``tests/engine/test_differential.py`` against a brute-force enumeration
of every schedule and against an independent model of the primitives.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from ..base._seal import Sealed, seal
from ..runtime.execution import Execution
from ..runtime.ops import MemoryOp, Op, co_enabled, dependent, keys, keys_overlap, overlap
from ..runtime.threads import MThread
from .schedulers import keep_running

#: The key every step reads and every clock-driven step writes (see :meth:`Explorer.keys`).
CLOCK = "virtual-clock"


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

    #: Ask the execution for fair scheduling (see ``Execution._fair``).
    fair = True

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
            rec = rt.records[-1]
            sleep = {q: qop for q, qop in {**parent.sleep, **{
                d: parent.pending[d] for d in parent.done if d != parent.chosen}}.items()
                if q != parent.chosen and q in pending and not self.x.dep_rec(qop, rec)}
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


def clocked(op: Op, now: float) -> bool:
    """Whether ``op`` ran at or after its deadline: the virtual clock had to advance for it,
    which happens only when no thread can run, so its outcome depends on every other thread."""
    return op.deadline is not None and now >= op.deadline


def can_wait(op: Op) -> bool:
    """Whether ``op`` may have to wait (its enabledness depends on the state) or gives up at a
    deadline."""
    return type(op).enabled is not Op.enabled or op.deadline is not None


def clock_sensitive(rt: Execution) -> list[bool]:
    """Per step: whether moving it past a jump of the virtual clock can change what happens.

    The clock jumps only when no thread can run, so a step that is always enabled (a memory
    access, a release, a set) cannot be pending at a jump unless it is followed by a wait with a
    deadline, whose deadline counts from the step before it. Steps that may wait, have
    deadlines, or come just before a step with a deadline are sensitive.
    """
    recs = rt.records
    nxt: dict[int, Op | None] = {t.tid: t.pending for t in rt.threads if not t.finished}
    out = [False] * len(recs)
    for j in range(len(recs) - 1, -1, -1):
        op = recs[j].op
        after = nxt.get(recs[j].tid)
        out[j] = can_wait(op) or (after is not None and after.deadline is not None)
        nxt[recs[j].tid] = op
    return out


class Explorer(metaclass=Sealed):
    """Depth-first Source-DPOR over executions, one :class:`DporScheduler` per execution."""

    def __init__(self, bound: int | None = None, observe_all: bool = False) -> None:
        #: With a check after every step, the check reads all shared state: every memory
        #: access then depends on every write, whatever it touches.
        self.observe_all = observe_all
        self.path: list[Node] = []
        self.bound = bound
        self.pruned_by_bound = 0

    def keys(self, op: Op, is_clocked: bool = False) -> tuple[str, ...]:
        """The state ``op`` touches, as far as races go."""
        base = ("memory",) if self.observe_all and isinstance(op, MemoryOp) else keys(op)
        return (*base, CLOCK) if is_clocked else base

    def dep(self, a: Op, b: Op) -> bool:
        """Whether ``a`` and ``b`` (of different threads) cannot be swapped without effect."""
        if not self.observe_all:
            return dependent(a, b)
        return (a.write or b.write) and keys_overlap(self.keys(a), self.keys(b))

    def dep_rec(self, a: Op, rec: object) -> bool:
        """``dep`` against an executed step, which depends on everything if it was clocked."""
        op = rec.op  # type: ignore[attr-defined]
        return clocked(op, rec.now) or self.dep(a, op)  # type: ignore[attr-defined]

    def scheduler(self) -> DporScheduler:
        return DporScheduler(self)

    def record(self, rt: Execution) -> None:
        """Find every race of a finished execution and add backtrack points for them."""
        recs = rt.records
        path = self.path
        n = min(len(recs), len(path))
        tids: list[int] = []
        clocks: list[dict[int, int]] = []
        thread_clock: dict[int, dict[int, int]] = {}
        last_of: dict[int, int] = {}
        by_key: dict[str, list[int]] = {}
        spawned = {t.tid: t.spawned_at for t in rt.threads}
        clock_steps: list[int] = []
        sensitive = clock_sensitive(rt)
        races: list[tuple[int, int, dict[int, int]]] = []
        for j in range(n):
            rec = recs[j]
            p, op = rec.tid, rec.op
            before = self._thread_clock(p, j, thread_clock, spawned, clocks)
            is_clocked = clocked(op, rec.now)
            op_keys = self.keys(op, is_clocked)
            earlier = self._dependent_before(j, op, is_clocked, op_keys, by_key, clock_steps,
                                             recs, sensitive, sensitive[j])
            vc = self._join(before, earlier, op, last_of, clocks)
            vc[p] = j
            for i in earlier:
                if self._is_race(i, recs[i], p, op, before):
                    races.append((i, j, vc))
            tids.append(p)
            clocks.append(vc)
            thread_clock[p] = vc
            last_of[p] = j
            for key in op_keys:
                by_key.setdefault(key, []).append(j)
            if is_clocked:
                clock_steps.append(j)
        for i, j, vc in races:
            self._backtrack(i, j, tids[j], vc, tids, clocks)
        if len(recs) != n:
            return
        # threads still waiting at the end race with what ran before
        for t in rt.threads:
            if t.finished or t.pending is None:
                continue
            p, op = t.tid, t.pending
            before = self._thread_clock(p, n, thread_clock, spawned, clocks)
            op_keys = self.keys(op)
            earlier = self._dependent_before(n, op, False, op_keys, by_key, clock_steps, recs,
                                             sensitive, True)
            vc = self._join(before, earlier, op, last_of, clocks)
            vc[p] = n
            for i in earlier:
                if self._is_race(i, recs[i], p, op, before):
                    self._backtrack(i, n, p, vc, tids, clocks)

    @staticmethod
    def _thread_clock(p: int, j: int, thread_clock: dict[int, dict[int, int]],
                      spawned: dict[int, int | None], clocks: list[dict[int, int]]
                      ) -> dict[int, int]:
        """Happens-before of ``p``'s steps so far (its spawn's, for its first step)."""
        if p not in thread_clock:
            at = spawned.get(p)
            thread_clock[p] = dict(clocks[at]) if at is not None and at < j else {}
        return thread_clock[p]

    def _dependent_before(self, j: int, op: Op, is_clocked: bool, op_keys: tuple[str, ...],
                          by_key: dict[str, list[int]], clock_steps: list[int],
                          recs: list, sensitive: list[bool], j_sensitive: bool) -> list[int]:
        """The steps before ``j`` that ``op`` depends on, newest first."""
        if is_clocked:
            cands = {i for i in range(j) if sensitive[i]}
            cands.update(i for k in op_keys for k2, steps in by_key.items() if overlap(k, k2)
                         for i in steps)
        else:
            cands = {i for k in op_keys for k2, steps in by_key.items() if overlap(k, k2)
                     for i in steps}
            if j_sensitive:
                cands.update(clock_steps)
        out = []
        for i in sorted(cands, reverse=True):
            other = recs[i]
            if (is_clocked and sensitive[i]) or (j_sensitive and clocked(other.op, other.now)) \
                    or self.dep(other.op, op):
                out.append(i)
        return out

    @staticmethod
    def _join(before: dict[int, int], earlier: list[int], op: Op, last_of: dict[int, int],
              clocks: list[dict[int, int]]) -> dict[int, int]:
        vc = dict(before)
        deps = list(earlier)
        child = getattr(op, "child", None)
        if child is not None and child.tid in last_of:
            deps.append(last_of[child.tid])
        for d in deps:
            for k, v in clocks[d].items():
                if vc.get(k, -1) < v:
                    vc[k] = v
        return vc

    def _is_race(self, i: int, other: object, p: int, op: Op, before: dict[int, int]) -> bool:
        q = other.tid  # type: ignore[attr-defined]
        if q == p:
            return False
        if before.get(q, -1) >= i:
            return False  # already ordered by happens-before through p's own past
        node = self.path[i]
        if not co_enabled(other.op, op) and not (  # type: ignore[attr-defined]
                p in node.enabled and _same(node.pending.get(p), op)):
            return False  # never both enabled (a release and the acquire it allowed)
        return True

    def _backtrack(self, i: int, j: int, p: int, vc_j: dict[int, int], tids: list[int],
                   clocks: list[dict[int, int]]) -> None:
        """Make the state before step ``i`` try a thread that can start ``notdep(i).j``."""
        node = self.path[i]
        q = tids[i]
        first: dict[int, int] = {}  # thread -> its first step in v
        for k in range(i + 1, min(j, len(tids))):
            if clocks[k].get(q, -1) >= i:
                continue  # happens after step i: not in v
            first.setdefault(tids[k], k)
        initials = []
        for r, f in first.items():
            if not self._preceded(f, clocks[f], r, first):
                initials.append(r)
        if p not in first and not self._preceded(j, vc_j, p, first):
            initials.append(p)
        if set(initials) & node.backtrack:
            return
        awake = [r for r in initials if r in node.enabled and r not in node.sleep]
        if awake:
            node.backtrack.add(p if p in awake else awake[0])
        # Otherwise nothing is added. Every thread that could start v asleep: the orders
        # starting with it were covered already. None of them enabled here: v cannot run from
        # this state (its first step waits for something that happens only after step i, as an
        # acquire waits for the release before it), so this was no race.

    @staticmethod
    def _preceded(f: int, vc: dict[int, int], r: int, first: dict[int, int]) -> bool:
        """Whether step ``f`` of thread ``r`` happens after another thread's step in v."""
        return any(s != r and k < f and vc.get(s, -1) >= k for s, k in first.items())

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
