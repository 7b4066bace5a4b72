"""The search is sound: random programs explored by the engine agree with an independent model
of the primitives (and, for the smallest, with a brute-force walk over every schedule).

The number of programs is ``AUTOGRADER_DIFF_EXAMPLES`` (default 40 per Python); hypothesis
draws them from a fixed seed (``derandomize``), so every run checks the same programs and a
failure shrinks to a small program. The long soak over thousands of seeds is
``python -m tests.engine.soak`` (docs/engine.md).
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pytest

hypothesis = pytest.importorskip("hypothesis")
from hypothesis import HealthCheck, Phase, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from . import model, realthreads  # noqa: E402
from .differential import check  # noqa: E402
from .randdraw import HypothesisDraw, draw_program  # noqa: E402
from .randprog import load  # noqa: E402
from .reference import all_schedules, dpor_outcomes  # noqa: E402

EXAMPLES = int(os.environ.get("AUTOGRADER_DIFF_EXAMPLES", "40"))
#: Programs of the shared-state families (issue 18) in each of their two tests.
SHARED_EXAMPLES = max(4, EXAMPLES // 5)
SETTINGS = settings(max_examples=EXAMPLES, derandomize=True, deadline=None, database=None,
                    suppress_health_check=list(HealthCheck), print_blob=True)


@pytest.fixture(scope="module")
def folder():
    with tempfile.TemporaryDirectory() as tmp:
        yield Path(tmp)


@SETTINGS
@given(st.data())
def test_engine_agrees_with_the_model(folder, data):
    prog = draw_program(HypothesisDraw(data), modes=["classic"])
    v = check(prog, folder)
    assert not v.problems, "\n".join([*v.problems, prog.source()])


@settings(max_examples=SHARED_EXAMPLES, derandomize=True, deadline=None, database=None,
          suppress_health_check=list(HealthCheck), phases=[Phase.generate])
@given(st.data())
def test_engine_agrees_with_the_model_on_the_shared_state_families(folder, data):
    """Loops and comprehensions over shared containers while another thread mutates them,
    aliases, bound methods, attributes reached two ways, child threads, Queue.join."""
    prog = draw_program(HypothesisDraw(data), modes=["shared", "mixed"])
    v = check(prog, folder)
    assert not v.problems, "\n".join([*v.problems, prog.source()])


@settings(max_examples=SHARED_EXAMPLES, derandomize=True, deadline=None, database=None,
          suppress_health_check=list(HealthCheck))
@given(st.data())
def test_the_model_is_what_real_threads_do(folder, data):
    """Every end the model reaches, forced on real threads through the model's schedule (no
    engine involved), ends the same: the model is CPython's semantics at this granularity."""
    prog = draw_program(HypothesisDraw(data), max_threads=2, modes=["shared"])
    hypothesis.assume("'timed'" not in repr(prog.threads))  # timeouts really wait on real threads
    for end, schedule in sorted(model.explore(prog).items(), key=repr)[:6]:
        got = realthreads.run(prog, schedule, folder)
        assert realthreads.same_end(got, end), f"{schedule}: model {end!r}, real {got!r}\n{prog!r}"


@settings(max_examples=max(5, EXAMPLES // 6), derandomize=True, deadline=None, database=None,
          suppress_health_check=list(HealthCheck))
@given(st.data())
def test_every_schedule_agrees_with_the_search_and_twice_is_the_same(folder, data):
    prog = draw_program(HypothesisDraw(data), max_threads=2, max_stmts=2, modes=["classic"])
    module = load(prog, folder)
    brute = all_schedules(module.setup, module.THREADS, module.observe, limit=400)
    got = dpor_outcomes(module.setup, module.THREADS, module.observe)
    again = dpor_outcomes(module.setup, module.THREADS, module.observe)
    assert (set(again.seen), again.executions) == (set(got.seen), got.executions)
    assert set(got.seen) <= set(brute.seen) or not brute.complete, prog.source()
    if brute.complete and not any(k[0] not in ("ok", "deadlock") for k in brute.seen):
        assert set(brute.seen) == set(got.seen), prog.source()
        # every Mazurkiewicz trace of the program is explored (the definition of a sound DPOR)
        missed = brute.traces - got.traces
        assert not missed, f"{len(missed)} of {len(brute.traces)} traces missed\n{prog.source()}"


@pytest.mark.parametrize("prims, threads", [
    (["Q"], [[("qput", "a"), ("qput", "b")], [("qget", "timed", "g1")],
             [("qget", "nowait", "g2"), ("sleep", 0.25)]]),
    (["A"], [[("bwait", "x"), ("put", "x", 1)], [("bwait", "y"), ("inc", "x", 1)]]),
    (["A"], [[("bwait", "x")], [("bwait", "y")], [("bwait", "z")]]),  # a third party: stuck
    (["L"], [[("sleep", 0.5), ("timed", "L", [("log", "in")], "gave up")],
             [("with", "L", [("sleep", 0.25), ("sleep", 0.5)])]]),
], ids=["queue", "barrier", "barrier-three", "sleep-and-timeout"])
def test_queue_barrier_and_sleep_agree_with_the_model(tmp_path, prims, threads):
    """The primitives the random draw reaches least often, in programs written for them."""
    from .randprog import Program

    verdict = check(Program(prims, [], threads), tmp_path, twice=True)
    assert not verdict.problems, "\n".join(verdict.problems)
