"""The canary (issue 22): before grading anyone, grading day grades the lesson's own solution in
the students' sandbox and kernel; when it does not earn full marks, the command stops with the
cause in one line, grades nobody and writes no grades file.

The lesson's solution is broken here (its counter answer raises) after the lesson was released,
as an environment that breaks the grader would break it: a student's submission waits in the
exchange, and the run must not give it a 0.
"""

from __future__ import annotations

import os
import subprocess
import sys

from autograder.grading import lessons, notebooks

from . import classroom

LESSON = "01_race_conditions"


def test_a_failing_canary_stops_grading_day_before_anyone_is_graded(tmp_path):
    root = classroom.make_course(tmp_path / "course", LESSON, roster=[("ann", "Ann", "A")])
    student = classroom.Student(tmp_path / "home" / "ann", "ann", root / "exchange")
    student.fetch(LESSON)
    student.submit(LESSON)
    path = root / "source" / LESSON / f"{LESSON}.ipynb"
    nb = notebooks.read(path)
    answer = lessons.exercises(nb, LESSON, LESSON)["counter"].answer_index
    nb.cells[answer].source = "raise RuntimeError('the grading environment is broken')"
    notebooks.write(nb, path)

    env = dict(os.environ, COLUMNS="300")
    env["PATH"] = os.path.dirname(sys.executable) + os.pathsep + env.get("PATH", "")
    env.pop("GRADEBOOK_URL", None)
    done = subprocess.run([sys.executable, "-m", "autograder.grading", "day", LESSON,
                           "--workers", "1"], cwd=root, env=env, capture_output=True,
                          text=True, timeout=600)
    out = done.stdout + done.stderr
    assert done.returncode == 2, out
    lines = [line for line in done.stderr.splitlines() if "canary:" in line]
    assert len(lines) == 1, out  # the cause, in one line
    assert "own solution" in lines[0] and "scored" in lines[0], lines
    assert "RuntimeError: the grading environment is broken" in lines[0], lines
    assert "nobody was graded" in lines[0]
    assert not (root / "grades.csv").exists()
    assert not (root / "autograded").exists() and not (root / "feedback").exists()
    from nbgrader.api import Gradebook

    with Gradebook(f"sqlite:///{root / 'gradebook.db'}", classroom.COURSE_ID) as gb:
        assert gb.find_assignment(LESSON).submissions == []
