"""The limits and switches of one exploration: :class:`Options`."""

from __future__ import annotations

from dataclasses import dataclass

from ..base._seal import Sealed, seal


@dataclass
class Options(metaclass=Sealed):
    """Limits of one exploration (all have defaults that suit a notebook test). ``explore``,
    ``replay`` and ``run_once`` take any field as a keyword argument."""

    max_executions: int = 2000
    """Default 2000. The most executions one ``explore`` runs, the warm-up run, the DPOR search
    and the PCT runs together; ``1 - random_share`` of it is the systematic (DPOR) part."""

    time_budget: float = 3.0
    """Default 3.0 (seconds of wall-clock time). The search stops when it has run this long,
    even with executions left; the result then notes that the count depends on the machine."""

    seed: int = 0
    """Default 0. Seeds the PCT runs, and ``random`` before each execution (so a program that
    draws random numbers draws the same ones in every execution): the same seed, the same
    result."""

    bounds: tuple[int | None, ...] = (None,)
    """Default ``(None,)``. Preemption bounds DPOR searches in turn (``(0, 1, 2)``: first the
    schedules with no preemption, then with one, ...); None is unbounded. The search is
    exhaustive only when a bound's search completes with nothing pruned by the bound."""

    random_share: float = 0.25
    """Default 0.25. The share of ``max_executions`` kept for seeded PCT runs when DPOR does not
    complete within the rest of the budget."""

    watchdog: float = 1.5
    """Default 1.5 (seconds of wall-clock time). When no thread takes a step for this long, the
    running thread is stuck in something the engine does not control (``blocked``) or in a
    loop that touches no shared state (``spin``), and the execution ends with that verdict."""

    spin_limit: int = 2000
    """Default 2000. Steps one thread may take in a row without changing anything another thread
    can see; past it the execution fails with ``spin`` (a busy-wait that never ends)."""

    fair_limit: int = 3
    """Default 3. Times in a row a thread may repeat the same steps without progress (a polling
    loop's turns) before it yields to the threads that are not polling (fair scheduling, as in
    CHESS), until some thread makes progress."""

    busy_wait: bool = True
    """Default True. Report a thread that busy-waits (loops re-reading state until another
    thread changes it) as ``spin`` when nothing else fails: the course's contracts say waiting
    blocks. False accepts a polling loop that terminates."""

    max_steps: int = 20000
    """Default 20000. Steps one execution may take, all threads together; past it the execution
    fails with ``spin`` (a livelock or an endless loop)."""

    check_every_step: bool = False
    """Default False. Also check ``invariant`` after every step (it must then only read, and
    holds between steps, not only at the end); DPOR then treats every memory access as
    observed by the check, so it explores more orders."""

    lock_order: bool = True
    """Default True. When no execution failed, report locks taken in inconsistent orders by
    different threads across the executions (``lock-order``: a deadlock that other timings
    would hit), even if none deadlocked."""

seal(__name__)  # the code under test cannot rewrite the grader
