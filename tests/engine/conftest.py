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


@pytest.fixture(autouse=True)
def operands_always_read():
    """On every supported interpreter every point's operands are read from the frame's stack:
    no step of any engine test is keyed coarsely (a wrong stack layout would be)."""
    before = tracing.coarse_points
    yield
    assert tracing.coarse_points == before, "a step's operands could not be read from the stack"
