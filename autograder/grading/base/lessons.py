"""The course's lessons as nbgrader sees them: where they are, their exercises, their rules.

A lesson is a folder ``source/<id>/`` holding one or more notebooks (``<id>.ipynb`` first). An
exercise is an autograded answer cell (``grade_id`` = exercise id) and the test cells whose
``grade_id`` starts with ``test_<exercise>``. :func:`structure` checks the conventions of
``docs/lessons.md``.
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass, field
from pathlib import Path

from nbformat import NotebookNode

from . import notebooks

EXERCISE_ID = re.compile(r"^[a-z][a-z0-9_]*$")
LESSON_ID = re.compile(r"^[0-9]{2}_[a-z0-9_]+$")
SOLUTION_MARKERS = ("### BEGIN SOLUTION", "### END SOLUTION")
HIDDEN_MARKERS = ("### BEGIN HIDDEN TESTS", "### END HIDDEN TESTS")


@dataclass
class TestCell:
    index: int
    grade_id: str
    points: float
    hidden: bool


@dataclass
class Exercise:
    id: str
    lesson: str
    notebook: str  # the notebook's name, without .ipynb
    answer_index: int
    tests: list[TestCell] = field(default_factory=list)

    @property
    def points(self) -> float:
        return sum(test.points for test in self.tests)

    @property
    def test_ids(self) -> list[str]:
        return [test.grade_id for test in self.tests]


@dataclass(frozen=True)
class Course:
    """Where a course's folders are (the repository's, or a fixture's)."""

    root: Path
    source: Path
    release: Path
    corpus: Path
    config: Path  # nbgrader_config.py

    @classmethod
    def at(cls, root: str | Path, corpus: str = "tests/corpus") -> Course:
        root = Path(root).resolve()
        return cls(
            root, root / "source", root / "release", root / corpus, root / "nbgrader_config.py"
        )

    def lessons(self) -> list[str]:
        """Lesson ids: the folders of ``source/`` that hold a notebook, in order."""
        if not self.source.is_dir():
            return []
        return sorted(
            d.name
            for d in self.source.iterdir()
            if d.is_dir() and not d.name.startswith(".") and any(d.glob("*.ipynb"))
        )

    def source_notebooks(self, lesson: str | None = None) -> list[Path]:
        """Every source notebook (of one lesson), main notebook of each lesson first."""
        found = []
        for lid in [lesson] if lesson else self.lessons():
            paths = sorted((self.source / lid).glob("*.ipynb"))
            paths.sort(key=lambda p: p.stem != lid)
            found += paths
        return found

    def release_notebook(self, source_notebook: Path) -> Path:
        return self.release / source_notebook.parent.name / source_notebook.name

    def committed_notebooks(self) -> list[Path]:
        """Every notebook under the course root, outside environments and checkpoints."""
        skip = {".git", ".ipynb_checkpoints", "node_modules", "submitted", "autograded", "feedback"}
        found = []
        for path in sorted(self.root.rglob("*.ipynb")):
            parts = path.relative_to(self.root).parts
            if any(p in skip or p.startswith(".venv") for p in parts):
                continue
            found.append(path)
        return found

    def exercises(self) -> dict[str, Exercise]:
        """Every exercise of every lesson, by id (the first one wins if an id is repeated)."""
        found: dict[str, Exercise] = {}
        for path in self.source_notebooks():
            for exercise in exercises(notebooks.read(path), path.parent.name, path.stem).values():
                found.setdefault(exercise.id, exercise)
        return found


def kind(cell: NotebookNode) -> str:
    """answer, test, manual, task, given (read-only), or plain (no nbgrader role)."""
    meta = notebooks.nbgrader_meta(cell)
    if not meta:
        return "plain"
    if meta.get("task"):
        return "task"
    solution, grade = bool(meta.get("solution")), bool(meta.get("grade"))
    if solution and grade:
        return "manual"
    if solution:
        return "answer"
    if grade:
        return "test" if cell.cell_type == "code" else "manual"
    if meta.get("locked"):
        return "given"
    return "plain"


def exercise_of(test_id: str, exercise_ids) -> str | None:
    """The exercise a test cell belongs to: the longest id X such that test_id starts with
    ``test_X`` (COURSE.md's rule; docs/lessons.md recommends ``test_X`` or ``test_X_<suffix>``)."""
    best = None
    for ex in exercise_ids:
        if test_id.startswith(f"test_{ex}") and (best is None or len(ex) > len(best)):
            best = ex
    return best


def exercises(nb: NotebookNode, lesson: str, notebook: str) -> dict[str, Exercise]:
    """The exercises of a notebook and their test cells, in notebook order."""
    found: dict[str, Exercise] = {}
    for index, cell in enumerate(nb.cells):
        if kind(cell) == "answer":
            gid = notebooks.grade_id(cell)
            found.setdefault(gid, Exercise(gid, lesson, notebook, index))
    for index, cell in enumerate(nb.cells):
        if kind(cell) != "test":
            continue
        gid = notebooks.grade_id(cell)
        ex = exercise_of(gid, found)
        if ex is not None:
            meta = notebooks.nbgrader_meta(cell)
            hidden = HIDDEN_MARKERS[0] in cell.source
            found[ex].tests.append(TestCell(index, gid, float(meta.get("points", 0)), hidden))
    return found


def _last_statement_is_bare_value(source: str) -> bool:
    """A test cell ending with an expression like ``x == 3`` shows its value, and nbgrader then
    gives full points whatever it is (only a number is read as partial credit)."""
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return False
    if not tree.body or not isinstance(tree.body[-1], ast.Expr):
        return False
    return not isinstance(tree.body[-1].value, ast.Call | ast.Constant)


def structure(nb: NotebookNode, lesson: str, notebook: str) -> list[str]:
    """Where a source notebook breaks the conventions of docs/lessons.md (empty: none)."""
    problems = []
    if not LESSON_ID.match(lesson):
        problems.append(f"lesson folder {lesson!r} is not <two digits>_<lowercase words>")
    if nb.metadata.get("kernelspec", {}).get("name") != "python3":
        problems.append("metadata.kernelspec.name is not python3")
    seen: dict[str, int] = {}
    for index, cell in enumerate(nb.cells):
        meta = notebooks.nbgrader_meta(cell)
        if not meta:
            continue
        gid = meta.get("grade_id")
        where = f"cell {index} ({gid})"
        if not gid:
            problems.append(f"cell {index} has nbgrader metadata but no grade_id")
            continue
        if gid in seen:
            problems.append(f"{where}: grade_id already used by cell {seen[gid]}")
        seen[gid] = index
        if meta.get("schema_version") != 3:
            problems.append(f"{where}: nbgrader schema_version {meta.get('schema_version')}, not 3")
        k = kind(cell)
        if k == "answer":
            if cell.cell_type != "code":
                problems.append(f"{where}: an autograded answer must be a code cell")
            if not EXERCISE_ID.match(gid):
                problems.append(f"{where}: exercise id must be lowercase letters, digits, _")
            if any(m not in cell.source for m in SOLUTION_MARKERS):
                problems.append(f"{where}: no ### BEGIN SOLUTION / ### END SOLUTION region")
        elif k == "test":
            if not meta.get("points") or float(meta["points"]) <= 0:
                problems.append(f"{where}: a test cell needs points > 0")
            if SOLUTION_MARKERS[0] in cell.source:
                problems.append(f"{where}: a test cell holds a solution region")
            if _last_statement_is_bare_value(cell.source):
                problems.append(
                    f"{where}: ends with a bare expression; nbgrader would give full points "
                    "whatever its value (assert it instead)"
                )
        if HIDDEN_MARKERS[0] in cell.source and k != "test":
            problems.append(f"{where}: hidden tests outside an autograder-tests cell")
    found = exercises(nb, lesson, notebook)
    answers = [notebooks.grade_id(c) for c in nb.cells if kind(c) == "answer"]
    for gid in {g for g in answers if answers.count(g) > 1}:
        problems.append(f"exercise {gid}: more than one answer cell")
    for index, cell in enumerate(nb.cells):
        if kind(cell) == "test":
            gid = notebooks.grade_id(cell)
            ex = exercise_of(gid, found)
            if ex is None:
                problems.append(
                    f"cell {index} ({gid}): test cell of no exercise in this notebook "
                    f"(grade_id must start with test_<exercise>; exercises: {sorted(found)})"
                )
            elif index < found[ex].answer_index:
                problems.append(f"cell {index} ({gid}): comes before the answer cell of {ex}")
    for ex in found.values():
        if not ex.tests:
            problems.append(f"exercise {ex.id}: no test cell (grade_id test_{ex.id}...)")
        elif not any(t.hidden for t in ex.tests):
            problems.append(f"exercise {ex.id}: no test cell has hidden tests")
    return problems


def course_problems(course: Course) -> list[str]:
    """Rules across lessons: exercise ids are unique over the course."""
    problems = []
    owner: dict[str, str] = {}
    for path in course.source_notebooks():
        nb = notebooks.read(path)
        for ex in exercises(nb, path.parent.name, path.stem):
            where = f"{path.parent.name}/{path.name}"
            if ex in owner and owner[ex] != where:
                problems.append(f"exercise {ex} is in both {owner[ex]} and {where}")
            owner.setdefault(ex, where)
    return problems
