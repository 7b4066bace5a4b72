"""The quiz of lesson 08: feedback on a first answer only, shipped data that matches the
instructor's key and the hidden tests, and options that give nothing away by length or place."""

from __future__ import annotations

import json
import re
from pathlib import Path

import nbformat
import pytest

from course import quiz

ROOT = Path(__file__).resolve().parents[2]
LESSON = "08_best_practices"
PLAIN = json.loads((ROOT / "source" / ".quiz_keys" / f"{LESSON}.json").read_text())
NOTEBOOK = ROOT / "source" / LESSON / f"{LESSON}.ipynb"
RIGHT = {int(n): q["right"] for n, q in PLAIN["questions"].items()}


@pytest.fixture(autouse=True)
def fresh_first_answers():
    quiz._FIRST.clear()
    yield
    quiz._FIRST.clear()


def test_feedback_says_right_or_not_and_why():
    q = quiz.Quiz(LESSON)
    wrong = next(x for x in quiz.LETTERS if x != RIGHT[1])
    assert q.feedback(1, f" {RIGHT[1].upper()} ").startswith(f"Question 1: {RIGHT[1]!r} is right.")
    said = q.feedback(2, wrong if RIGHT[2] != wrong else "a")
    assert "is not right" in said or "is right" in said
    assert PLAIN["questions"]["1"]["why"][RIGHT[1]] in q.feedback(1, RIGHT[1])
    assert "one letter" in q.feedback(3, "the first one")


def test_only_the_first_answer_gets_feedback():
    q = quiz.Quiz(LESSON)
    first = next(x for x in quiz.LETTERS if x != RIGHT[4])
    assert "is not right" in q.feedback(4, first)
    again = q.feedback(4, RIGHT[4])
    assert f"you first answered {first!r} (not right" in again
    assert "is right" not in again and PLAIN["questions"]["4"]["why"][RIGHT[4]] not in again


def test_a_loop_over_the_letters_learns_nothing_more_than_its_first_guess():
    q = quiz.Quiz(LESSON)
    for number, right in RIGHT.items():
        found = [x for x in quiz.LETTERS if f"{x!r} is right" in q.feedback(number, x)]
        assert found == (["a"] if right == "a" else []), (number, found)


def test_shipped_data_is_the_encoded_key_and_hides_the_answers():
    shipped = json.loads((quiz.DATA / f"{LESSON}.json").read_text())
    assert shipped == quiz.encode(PLAIN), "run: python -m course.quiz encode " + LESSON
    text = json.dumps(shipped)
    assert "right" not in text and "wrong" not in text
    assert PLAIN["questions"]["1"]["why"]["a"][:20] not in text


def _cells():
    return nbformat.read(NOTEBOOK, as_version=4).cells


def test_hidden_tests_compare_the_digest_of_the_right_letter():
    sources = {c.metadata.get("nbgrader", {}).get("grade_id"): c.source for c in _cells()}
    for number, right in RIGHT.items():
        source = sources[f"test_quiz_q{number}"]
        assert quiz.graded_digest(PLAIN["salt"], number, right) in source
        assert f'== "{right}"' not in source
    assert PLAIN["salt"] == "thread-sync-08"


def _options() -> dict[int, dict[str, str]]:
    text = next(c.source for c in _cells() if "## 4. Quiz (graded)" in c.source)
    found: dict[int, dict[str, str]] = {}
    for block in re.split(r"\*\*Question (\d+)\.\*\*", text)[1:]:
        if block.isdigit():
            number = int(block)
            continue
        options = dict(re.findall(r"^- ([a-d])\) (.*(?:\n  .*)*)", block, re.MULTILINE))
        found[number] = {k: " ".join(v.split()) for k, v in options.items()}
    return found


def test_length_and_position_give_nothing_away():
    options = _options()
    assert sorted(options) == sorted(RIGHT) and all(len(o) == 4 for o in options.values())
    for pick in (max, min):  # always the longest option, or always the shortest
        score = sum(pick(o, key=lambda k, o=o: len(o[k])) == RIGHT[n] for n, o in options.items())
        assert score <= 3, f"choosing the {pick.__name__} option scores {score}/10"
    for letter in quiz.LETTERS:  # always the same letter
        assert sum(r == letter for r in RIGHT.values()) <= 3
    for number, o in options.items():  # the right option is no outlier in length
        lengths = sorted(len(t) for t in o.values())
        assert lengths[-1] - lengths[0] <= 25, (number, o)


def test_the_first_answer_survives_a_kernel_restart(tmp_path):
    """The first answers are kept beside the notebook: a new kernel (an empty _FIRST) still
    gives feedback on the first answer only, from the record or from the saved outputs."""
    wrong = next(letter for letter in quiz.LETTERS if letter != RIGHT[1])
    quiz.Quiz(LESSON, folder=tmp_path).feedback(1, wrong)
    quiz._FIRST.clear()  # the kernel restarts
    again = quiz.Quiz(LESSON, folder=tmp_path).feedback(1, RIGHT[1])
    assert f"you first answered {wrong!r}" in again and "is right" not in again, again
    # the record lost (say, deleted), the notebook's saved feedback still holds the first answer
    wrong = next(letter for letter in quiz.LETTERS if letter != RIGHT[2])
    said = quiz.Quiz(LESSON, folder=tmp_path).feedback(2, wrong)
    (tmp_path / f".{LESSON}.quiz.json").unlink()
    notebook = {"cells": [{"cell_type": "code", "source": "", "metadata": {},
                           "outputs": [{"output_type": "stream", "name": "stdout",
                                        "text": [said + "\n"]}]}]}
    (tmp_path / f"{LESSON}.ipynb").write_text(json.dumps(notebook))
    quiz._FIRST.clear()
    later = quiz.Quiz(LESSON, folder=tmp_path).feedback(2, RIGHT[2])
    assert f"you first answered {wrong!r}" in later, later
