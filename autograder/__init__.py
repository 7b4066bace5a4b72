"""The deterministic interleaving engine behind the course's tests (pure standard library).

Test cells call :func:`explore` on the classes and functions a student defined::

    from autograder import explore

    result = explore(setup=Counter, threads=[increment_twice, increment_twice],
                     invariant=lambda c: c.value == 4)
    result.assert_ok()   # AssertionError with the failing interleaving, step by step

Names are loaded on first use, so ``autograder.base.trace`` (the data model) imports on its own.
"""

from __future__ import annotations

import importlib
from typing import Any

from .base._seal import seal

_EXPORTS = {
    "explore": "exploration.search", "replay": "exploration.search",
    "run_once": "exploration.search", "Options": "exploration.options",
    "Result": "exploration.result", "ManualSession": "exploration.manual",
    "name": "sync.base",
    "Event": "base.trace", "Trace": "base.trace", "WaitEdge": "base.trace",
    "FirstScheduler": "exploration.schedulers", "ReplayScheduler": "exploration.schedulers",
    "RandomScheduler": "exploration.schedulers", "PCTScheduler": "exploration.schedulers",
    "ManualScheduler": "exploration.schedulers",
}

__all__ = sorted(_EXPORTS)


def __getattr__(attr: str) -> Any:
    module = _EXPORTS.get(attr)
    if module is None:
        raise AttributeError(f"module 'autograder' has no attribute {attr!r}")
    value = getattr(importlib.import_module(f".{module}", __name__), attr)
    globals()[attr] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_EXPORTS))


seal(__name__)
