"""Shared helpers for the engine's tests."""

from __future__ import annotations

import pytest

from autograder.runtime import execution, tracing

#: Executions the engine adds before exploring (a warm-up run on Python 3.12+).
WARMUP = 1 if tracing.USE_MONITORING else 0


@pytest.fixture(autouse=True)
def no_leaked_threads():
    """Every test leaves no managed thread behind (except deliberate zombies it cleans up)."""
    yield
    assert not execution.controllers, "an execution's controller was left registered"
