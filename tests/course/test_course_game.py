"""The scheduler game (logic and widget, headless) and engine counterexamples, on the engine."""

from __future__ import annotations

import inspect

import course_programs as prog
import pytest

autograder = pytest.importorskip("autograder")
if not hasattr(autograder, "ManualSession"):
    pytest.skip("the engine's ManualSession is not there yet", allow_module_level=True)

from course.bridge.counterexample import counterexample, walk  # noqa: E402
from course.bridge.game import (  # noqa: E402
    SchedulerGame,
    both_inside,
    deadlock,
    lost_update,
    snapshot,
)
from course.widgets.game_view import DONE, scheduler  # noqa: E402

COUNTER = {"A": prog.increment, "B": prog.increment}
LOCKS = {"T1": prog.a_then_b, "T2": prog.b_then_a}
FLAGS = {"A": prog.flag_worker, "B": prog.flag_worker}


@pytest.fixture
def games():
    made: list[SchedulerGame] = []

    def make(*args, **kwargs) -> SchedulerGame:
        game = SchedulerGame(*args, **kwargs)
        made.append(game)
        return game

    yield make
    for game in made:
        game.close()


def lost() -> object:
    return lost_update(lambda s: s.count < 2)


def test_the_student_reaches_a_lost_update(games):
    game = games(prog.counter_setup, COUNTER, lost())
    assert game.names == ["A", "B"] and game.runnable() == ["A", "B"]
    assert not game.reached and "lost" in game.status()
    for name in ["A", "B", "A", "B"]:  # both start, both read 0
        game.step(name)
    write = inspect.getsourcelines(prog.increment)[1] + 2
    assert game.where("A") == f"line {write}: s.count = tmp + 1"
    assert [c.number for c in game.code("A") if c.current] == [write]
    assert game.variables() == {"count": "0"}
    game.step("A")
    assert game.thread_status("A") == "finished" and game.variables() == {"count": "1"}
    assert not game.reached
    game.step("B")
    assert game.reached and game.session.done
    assert game.status().startswith("An update was lost")
    assert game.history == ["A", "B", "A", "B", "A", "B"]


def test_a_serial_run_does_not_reach_it_and_says_so(games):
    game = games(prog.counter_setup, COUNTER, lost())
    for name in ["A", "A", "A", "B", "B", "B"]:
        game.step(name)
    assert game.session.done and not game.reached
    assert game.variables() == {"count": "2"}
    assert "not reached" in game.status()


def test_undo_and_reset(games):
    game = games(prog.counter_setup, COUNTER, lost())
    game.step("A")
    game.step("A")
    game.undo()
    assert game.history == ["A"] and len(game.moves) == 1
    game.undo()
    game.undo()  # nothing left to undo: no error
    assert game.history == [] and game.moves == []
    game.step("B")
    game.reset()
    assert game.history == [] and game.thread_status("B") == "not started"


def test_stepping_a_thread_that_cannot_move_is_refused(games):
    game = games(prog.locks_setup, LOCKS, deadlock())
    for name in ["T1", "T1", "T1"]:
        game.step(name)  # T1 holds a
    for name in ["T2", "T2", "T2"]:
        game.step(name)  # T2 holds b
    assert game.holders() == {"a": "T1", "b": "T2"}
    game.step("T1")  # T1 blocks on b
    assert game.thread_status("T1") == "blocked on b"
    with pytest.raises(ValueError):
        game.step("T1")
    game.step("T2")
    assert game.reached and game.session.outcome == "deadlock"
    assert game.runnable() == []


def test_the_engine_shows_the_way(games):
    game = games(prog.counter_setup, COUNTER, lost())
    schedule = game.solution()
    assert schedule and len(schedule) == 6
    assert game.show_solution() and game.reached
    assert game.history == schedule
    dl = games(prog.locks_setup, LOCKS, deadlock())
    assert dl.show_solution() and dl.session.outcome == "deadlock"
    assert {dl.thread_status(n) for n in dl.names} == {"blocked on a", "blocked on b"}


def test_position_goal_found_by_search(games):
    game = games(prog.flag_setup, FLAGS, both_inside(marker="# critical"))
    assert not game.reached
    schedule = game.solution()
    assert schedule is not None
    assert game.show_solution() and game.reached
    inside = [n for n, (_line, src) in game.session.positions().items() if "# critical" in src]
    assert inside == ["A", "B"]
    first = inspect.getsourcelines(prog.flag_worker)[1] + 4  # the two "# critical" lines
    by_lines = both_inside(lines=(first, first + 1))
    assert by_lines.reached(game.session)


def test_goals_need_a_place():
    with pytest.raises(ValueError):
        both_inside()


def test_snapshot_shows_plain_shared_values():
    import threading
    from types import SimpleNamespace

    state = SimpleNamespace(n=1, name="x", lock=threading.Lock(), fn=print, _private=2)
    assert snapshot(state) == {"n": "1", "name": "'x'"}
    assert snapshot({"a": [1]}) == {"a": "[1]"}
    assert snapshot(None) == {}
    assert snapshot(5) == {"state": "5"}


def test_widget_headless_clicks():
    view = scheduler(prog.locks_setup, LOCKS, deadlock())
    try:
        assert set(view.buttons) == {"T1", "T2"}
        assert view.undo_button.disabled
        view.buttons["T1"].click()
        assert view.game.history == ["T1"] and not view.undo_button.disabled
        assert "▶" in view.codes["T1"].value and "with s.a:" in view.codes["T1"].value
        assert view.image.value[:4] == b"\x89PNG"
        view.undo_button.click()
        assert view.game.history == []
        view.solve_button.click()
        assert view.game.reached
        assert DONE in view.status.value and "engine's way there" in view.status.value
        assert all(b.disabled for b in view.buttons.values())
        assert "blocked on" in view.states["T1"].value
        view.reset_button.click()
        assert view.game.history == [] and not view.game.reached
        bundle = view._repr_mimebundle_()
        assert "application/vnd.jupyter.widget-view+json" in bundle
        assert "with s.a:" in bundle["text/html"] and "<img" in bundle["text/html"]
    finally:
        view.game.close()


def test_counterexample_with_state_per_step():
    bug = counterexample(prog.counter_setup, [prog.increment, prog.increment],
                         invariant=lambda s: s.count == 2)
    assert bug is not None and bug.result.verdict == "invariant"
    assert bug.trace.outcome == "invariant"
    assert len(bug.schedule) == 6
    table = bug.table()
    writes = [r for r in table.rows if r.op == "write"]
    assert [r.state for r in writes] == ["count = 1", "count = 1"]
    assert bug._repr_html_().startswith("<p><b>")
    assert bug.timeline().axes and bug.wait_for().axes


def test_no_counterexample_for_a_correct_program():
    assert counterexample(prog.locks_setup, {"A": prog.a_then_b, "B": prog.a_then_b}) is None


def test_walk_follows_a_schedule():
    trace, states = walk(prog.counter_setup, COUNTER, ["A", "A", "A", "B", "B", "B"])
    assert trace.outcome == "ok"
    assert states[max(states)] == {"count": "2"}
    assert [e.thread for e in trace.events if e.op == "write"] == ["A", "B"]


def test_engine_trace_with_sleeps_on_the_virtual_clock():
    from course.drawing.timeline import plot_timeline

    trace = autograder.run_once(prog.sleepy_setup, [prog.sleeper, prog.sleeper]).trace
    fig = plot_timeline(trace, x="time")
    spans = {a.get_gid(): a for a in fig.axes[0].collections if a.get_gid()}
    xs = spans["hold|T2|lock"].get_paths()[0].vertices[:, 0]
    assert (xs.min(), xs.max()) == (0.5, 1.0)
    assert "sleep|T1" in spans and "wait|T2|lock" in spans


def test_board_follows_a_thread_into_a_method(games):
    game = games(prog.Account, {"A": lambda acc: acc.deposit(1), "B": lambda acc: acc.deposit(2)},
                 lost_update(lambda acc: acc.balance != 3))
    game.step("A")
    game.step("A")
    code = game.code("A")
    assert code[0].text.strip() == "def deposit(self, amount: int) -> None:"
    assert [c.text.strip() for c in code if c.current] == ["self.balance = new"]
    assert game.show_solution() and game.reached
