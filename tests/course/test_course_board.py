"""Boards that always answer: every click says what it did (with the value read or written),
a thread can run on to its next interesting step, "Show me" says at once when no schedule
exists, and the board's symbols need no emoji font."""

from __future__ import annotations

import threading
import time
from types import SimpleNamespace

import course_programs as prog
import pytest

autograder = pytest.importorskip("autograder")
pytest.importorskip("ipywidgets")

from course.bridge.game import SchedulerGame, deadlock, lost_update, value_of  # noqa: E402
from course.widgets.game_view import DONE, SKIP, STEP, scheduler  # noqa: E402

COUNTER = {"A": prog.increment, "B": prog.increment}


def locked_setup() -> SimpleNamespace:
    return SimpleNamespace(count=0, lock=threading.Lock())


def locked_increment(s: SimpleNamespace) -> None:
    with s.lock:
        s.count += 1


LOCKED = {"A": locked_increment, "B": locked_increment}


@pytest.fixture
def games():
    made: list[SchedulerGame] = []

    def make(*args, **kwargs) -> SchedulerGame:
        made.append(SchedulerGame(*args, **kwargs))
        return made[-1]

    yield make
    for game in made:
        game.close()


def test_every_step_says_what_it_did_with_values(games):
    game = games(prog.counter_setup, COUNTER, lost_update(lambda s: s.count < 2))
    said = []
    for name in ["A", "A", "A", "B", "B"]:
        game.step(name)
        said.append(game.last_move())
    assert said == ["A starts", "A reads s.count → 0", "A writes s.count = 1; then finishes",
                    "B starts", "B reads s.count → 1"]
    assert len(set(said)) == len(said)  # no click looks like the one before


def test_reading_a_lock_says_so(games):
    game = games(locked_setup, LOCKED)
    game.step("A")
    game.step("A")
    assert game.last_move() == "A reads s.lock (the Lock)"
    game.step("A")
    assert game.last_move() == "A acquires lock"
    game.undo()
    assert game.last_move() == "A reads s.lock (the Lock)"
    game.reset()
    assert game.last_move() == ""


def test_value_of_reads_plain_data_only():
    class Box:
        def __init__(self):
            self.n = 3
            self.items = {"k": [1, 2]}

        @property
        def boom(self):  # never run: properties are code
            raise AssertionError("a property was run")

    box = Box()
    assert value_of("self.n", box) == "3"
    assert value_of("s.items.k", box) == "[1, 2]"
    assert value_of("self.boom", box) is None
    assert value_of("self.missing", box) is None
    assert value_of("s.lock", SimpleNamespace(lock=threading.Lock())) is None
    assert value_of("s.long", SimpleNamespace(long="x" * 200)).endswith("...")


def test_skip_runs_on_to_the_next_lock_operation_or_write(games):
    game = games(locked_setup, LOCKED, lost_update(lambda s: s.count < 2))
    events = game.skip("A")
    assert [e.op for e in events] == ["start", "read", "acquire"]  # start, s.lock, the lock
    assert game.last_move() == "A acquires lock"
    events = game.skip("A")
    assert [e.op for e in events] == ["read", "write"]
    assert game.said[-1].text() == "A writes s.count = 1"
    game.skip("A")
    game.skip("A")
    assert game.thread_status("A") == "finished"
    assert game.skip("A") == []  # a finished thread does not move


def test_skip_stops_where_the_thread_blocks(games):
    game = games(prog.locks_setup, {"T1": prog.a_then_b, "T2": prog.b_then_a}, deadlock())
    for name in ["T1", "T2"]:
        game.skip(name)  # each takes its first lock
    game.skip("T1")
    game.skip("T2")
    assert game.reached and game.session.outcome == "deadlock"
    assert len(game.moves) < 14  # the guide's deadlock, in fewer clicks than step by step


def test_show_me_says_no_schedule_exists_at_once():
    view = scheduler(locked_setup, LOCKED, lost_update(lambda s: s.count < 2))
    try:
        started = time.monotonic()
        view.solve_button.click()
        took = time.monotonic() - started
        assert view.game.impossible and not view.game.reached
        assert "No schedule exists" in view.status.value
        assert "budget" not in view.status.value
        assert took < 2.0, f"'Show me' took {took:.1f} s"
        view.buttons["A"].click()  # the answer goes once the student moves on
        assert "No schedule exists" not in view.status.value
    finally:
        view.game.close()


def test_show_me_on_a_goal_the_engine_does_not_search_is_honest(games):
    flag = {"A": prog.flag_worker, "B": prog.flag_worker}
    game = games(prog.flag_setup, flag, lost_update(lambda s: s.inside > 5))
    assert game.solution(budget=0.0) is None
    assert not game.impossible  # the budget ran out: nothing is claimed


def test_every_click_changes_the_board():
    view = scheduler(locked_setup, LOCKED, lost_update(lambda s: s.count < 2))
    try:
        before = view.static_html()
        while not view.buttons["A"].disabled:
            view.buttons["A"].click()
            now = view.static_html()
            assert now != before
            before = now
    finally:
        view.game.close()


def dejavu_chars() -> set[int]:
    from matplotlib import font_manager
    from matplotlib.ft2font import FT2Font

    path = font_manager.findfont("DejaVu Sans", fallback_to_default=False)
    return set(FT2Font(path).get_charmap())


def test_symbols_need_no_emoji_font():
    view = scheduler(locked_setup, LOCKED, lost_update(lambda s: s.count < 2))
    try:
        view.solve_button.click()
        view.game.play(["A"] * 6 + ["B"] * 6)
        texts = [view.static_html(), view.status.value, view.log.value,
                 *(b.description for b in [*view.buttons.values(), *view.skip_buttons.values(),
                                           view.undo_button, view.reset_button,
                                           view.solve_button])]
    finally:
        view.game.close()
    used = {ord(ch) for text in [*texts, STEP, SKIP, DONE] for ch in text if ord(ch) > 127}
    assert used, "expected the board's symbols"
    assert not {c for c in used if c >= 0x1F000}, "an emoji-only character"
    assert used <= dejavu_chars(), [chr(c) for c in used - dejavu_chars()]


def test_show_me_on_a_graded_board_gives_only_the_start():
    """A graded puzzle's "Show me" plays the engine's first steps, never its whole answer,
    until the board has reached the goal; then it replays the whole answer."""
    view = scheduler(prog.counter_setup, COUNTER, lost_update(lambda s: s.count < 2), graded=True)
    try:
        whole = view.game.solution()
        assert whole, "the engine finds a lost update"
        view.solve_button.click()
        shown = view.game.history
        assert 0 < len(shown) < len(whole) and shown == whole[:len(shown)]
        assert len(shown) <= len(whole) // 2
        assert not view.game.reached and "the rest is yours" in view.status.value
        assert " → ".join(whole) not in view.status.value
        view.game.play(whole)  # the student's own schedule reaches the goal
        view.refresh()
        view.solve_button.click()
        assert view.game.reached and "The engine's way there" in view.status.value
    finally:
        view.game.close()
