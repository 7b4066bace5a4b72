"""The grading-day benchmark's synthetic class (no grading: that is the benchmark's own run)."""

from __future__ import annotations

from pathlib import Path

from autograder.grading.base import lessons, notebooks
from autograder.grading.bench import grading_day
from autograder.grading.checks import corpus

REPO = Path(__file__).resolve().parents[2]


def test_the_class_takes_every_kind_of_answer_in_turn_over_the_lessons():
    course = lessons.Course.at(REPO)
    ids = ["01_race_conditions", "05_deadlock"]
    plans = grading_day.class_of(course, ids, 12)
    assert [p[0] for p in plans] == ids * 6
    assert sorted({p[2] for p in plans}) == sorted(grading_day.KINDS)
    assert len({p[1] for p in plans}) == 12  # one student id per submission
    solution = corpus.solutions(notebooks.read(course.source / ids[0] / f"{ids[0]}.ipynb"))
    by_kind = {kind: answers for lesson, _, kind, answers in plans if lesson == ids[0]}
    assert by_kind["right"] == solution
    assert "def broken(:" in next(iter(by_kind["syntax_error"].values()))
    for kind in ("wrong", "deadlocking", "spinning", "tampering"):
        assert by_kind[kind] != solution, kind
    assert "tamper" in by_kind["tampering"]["counter"].lower() or any(
        "tamper" in a.name for a in corpus.load(course.corpus)[0]
        if a.source == by_kind["tampering"]["counter"])


def test_the_figures_say_whether_kernels_find_their_modules_compiled(tmp_path, monkeypatch):
    """A kernel's sandbox cannot cache compiled modules: the benchmark reports whether they were
    compiled beforehand (a module without its cached bytecode: False; with it: True)."""
    import py_compile
    import sys
    from importlib.util import cache_from_source

    (tmp_path / "bench_probe_module.py").write_text("X = 1\n", encoding="utf-8")
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.setattr(grading_day, "KERNEL_MODULES", ("bench_probe_module",))
    cached = Path(cache_from_source(str(tmp_path / "bench_probe_module.py")))
    assert not cached.exists()
    assert grading_day.compiled_modules() is False
    py_compile.compile(str(tmp_path / "bench_probe_module.py"), cfile=str(cached))
    assert grading_day.compiled_modules() is True
    monkeypatch.setattr(grading_day, "KERNEL_MODULES", ("no_such_module_here",))
    assert grading_day.compiled_modules() is False
    sys.modules.pop("bench_probe_module", None)
