"""Real nbgrader runs in a temporary course directory.

:class:`TempCourse` builds a course folder holding a copy of the course's ``nbgrader_config.py``
(its paths are anchored to the file's own folder, so the copy points at the temporary folder) and
of ``source/<lesson>/``, runs the ``nbgrader`` command there (``generate_assignment``,
``autograde``) and reads the scores from its gradebook with nbgrader's ``Gradebook`` API. Each
submission's grading time comes from nbgrader's convert hooks (:mod:`.timing`).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

from nbformat import NotebookNode

from ..base import notebooks
from ..plugins import timing

#: Appended to the copied nbgrader_config.py: per-submission timing hooks.
_EXTRA_CONFIG = """

# --- added by autograder.grading.checks.nbgrade: time each submission's autograding ---
c.Autograde.pre_convert_hook = "autograder.grading.plugins.timing.start"
c.Autograde.post_convert_hook = "autograder.grading.plugins.timing.end"
"""

#: No nbgrader command may run longer than this, plus PER_SUBMISSION_TIMEOUT for each
#: submission of an autograde run (a hung run fails instead of hanging the suite).
COMMAND_TIMEOUT = 300
PER_SUBMISSION_TIMEOUT = 60


class NbgraderError(RuntimeError):
    pass


@dataclass
class Grading:
    """One ``nbgrader autograde`` run of a lesson for a whole class."""

    lesson: str
    #: student -> notebook -> test cell grade_id -> (auto_score or None, max_score)
    scores: dict[str, dict[str, dict[str, tuple[float | None, float]]]]
    #: student -> seconds spent autograding that submission (wall clock)
    seconds: dict[str, float]
    #: the whole run, nbgrader's start-up included
    wall: float
    returncode: int
    log: str = field(repr=False, default="")
    #: student -> CPU seconds of that submission (nbgrader's and its kernels')
    cpu: dict[str, float] = field(default_factory=dict)
    #: student -> the course folder that graded it (its autograded/ holds the notebook)
    roots: dict[str, Path] = field(default_factory=dict)
    #: student -> seconds some task on the machine waited for a CPU meanwhile (Linux PSI)
    stall: dict[str, float] = field(default_factory=dict)

    @classmethod
    def merge(cls, runs: list[Grading]) -> Grading:
        """Runs of disjoint groups of students, taken as one (wall: the longest run's)."""
        merged = cls(runs[0].lesson, {}, {}, max(r.wall for r in runs),
                     max(r.returncode for r in runs), "\n".join(r.log for r in runs))
        for r in runs:
            merged.scores.update(r.scores)
            merged.seconds.update(r.seconds)
            merged.cpu.update(r.cpu)
            merged.roots.update(r.roots)
            merged.stall.update(r.stall)
        return merged

    def failures(self, student: str, notebook: str, grade_ids) -> list[str]:
        """The errors of a student's cells with these grade ids (failing tests, or an answer
        cell's error), from the autograded notebook."""
        root = self.roots.get(student)
        if root is None:
            return []
        path = root / "autograded" / student / self.lesson / f"{notebook}.ipynb"
        if not path.exists():
            return [f"no autograded notebook {path}"]
        found = []
        for cell in notebooks.read(path).cells:
            gid = notebooks.grade_id(cell)
            if gid not in grade_ids:
                continue
            for out in cell.get("outputs", []):
                if out.get("output_type") == "error":
                    text = f"{out.get('ename')}: {out.get('evalue', '')}"
                elif out.get("output_type") == "stream" and out.get("name") == "stderr":
                    text = f"stderr: {out.get('text', '')}"
                else:
                    continue
                found.append(f"{gid}: {text.strip()[:700]}")
        return found

    def exercise_score(self, student: str, notebook: str, test_ids) -> float | None:
        """The sum of a student's scores on these test cells; None when any is missing."""
        grades = self.scores.get(student, {}).get(notebook)
        if grades is None:
            return None
        total = 0.0
        for gid in test_ids:
            score = grades.get(gid, (None, 0))[0]
            if score is None:
                return None
            total += score
        return total


def _env() -> dict[str, str]:
    """nbgrader's environment: this interpreter's bin first on PATH (nbgrader runs `alembic`)."""
    bindir = str(Path(sys.executable).parent)
    env = dict(os.environ)
    env["PATH"] = bindir + os.pathsep + env.get("PATH", "")
    env["JUPYTER_PREFER_ENV_PATH"] = "1"
    env.pop("PYTHONPATH", None)
    return env


class TempCourse:
    """A scratch nbgrader course: ``root/nbgrader_config.py``, ``root/source/<lesson>/``, ..."""

    def __init__(self, root: str | Path, config: str | Path, source: str | Path):
        self.root = Path(root)
        self.root.mkdir(parents=True, exist_ok=True)
        text = Path(config).read_text(encoding="utf-8")
        (self.root / "nbgrader_config.py").write_text(text + _EXTRA_CONFIG, encoding="utf-8")
        self._source = Path(source)
        self.times = self.root / "grading-times.jsonl"
        self.nbgrader = Path(sys.executable).parent / "nbgrader"
        if not self.nbgrader.exists():
            found = shutil.which("nbgrader")
            if not found:
                raise NbgraderError("no nbgrader command beside this interpreter or on PATH")
            self.nbgrader = Path(found)

    def copy(self, where: str | Path) -> TempCourse:
        """An independent copy (config, source, release, gradebook) at `where`."""
        shutil.copytree(self.root, where)
        other = object.__new__(TempCourse)
        other.__dict__.update(self.__dict__)
        other.root = Path(where)
        other.times = other.root / self.times.name
        return other

    # -- commands ---------------------------------------------------------------------------

    def run(self, *args: str, check: bool = True, timeout: float = COMMAND_TIMEOUT
            ) -> subprocess.CompletedProcess:
        env = _env()
        env[timing.ENV] = str(self.times)
        result = subprocess.run(
            [str(self.nbgrader), *args],
            cwd=self.root,
            env=env,
            capture_output=True,
            text=True,
            timeout=timeout,
        )
        if check and result.returncode != 0:
            raise NbgraderError(
                f"nbgrader {' '.join(args)} exited {result.returncode}:\n"
                + _tail(result.stdout + result.stderr)
            )
        return result

    def add_lesson(self, lesson: str) -> None:
        """Copy source/<lesson>/ (every file nbgrader would hand out)."""
        dest = self.root / "source" / lesson
        if dest.exists():
            shutil.rmtree(dest)
        shutil.copytree(
            self._source / lesson,
            dest,
            ignore=shutil.ignore_patterns(".ipynb_checkpoints", "__pycache__"),
        )

    def generate(self, lesson: str) -> Path:
        """``nbgrader generate_assignment``; also puts the assignment in the gradebook."""
        self.add_lesson(lesson)
        self.run("generate_assignment", lesson, "--force")
        return self.root / "release" / lesson

    def add_students(self, students) -> None:
        from nbgrader.api import Gradebook

        with Gradebook(self.db_url, _course_id(self.root)) as gb:
            for student in students:
                gb.update_or_create_student(student)

    @property
    def db_url(self) -> str:
        return "sqlite:///" + str(self.root / "gradebook.db")

    def submit(self, lesson: str, student: str, nbs: dict[str, NotebookNode]) -> None:
        """Put a submission at submitted/<student>/<lesson>/<name>.ipynb."""
        folder = self.root / "submitted" / student / lesson
        if folder.exists():
            shutil.rmtree(folder)
        for name, nb in nbs.items():
            notebooks.write(nb, folder / f"{name}.ipynb")

    def autograde(self, lesson: str) -> Grading:
        """``nbgrader autograde <lesson> --force`` for every submitted student, then the scores."""
        if self.times.exists():
            self.times.unlink()
        t0 = time.perf_counter()
        submitted = self.root / "submitted"
        count = len(list(submitted.glob(f"*/{lesson}"))) if submitted.exists() else 0
        result = self.run(
            "autograde", lesson, "--force", check=False,
            timeout=COMMAND_TIMEOUT + PER_SUBMISSION_TIMEOUT * count,
        )
        wall = time.perf_counter() - t0
        scores = self.scores(lesson)
        return Grading(
            lesson,
            scores,
            timing.durations(self.times),
            wall,
            result.returncode,
            result.stdout + result.stderr,
            timing.durations(self.times, "cpu"),
            dict.fromkeys(scores, self.root),
            timing.durations(self.times, "stall"),
        )

    def scores(self, lesson: str) -> dict:
        from nbgrader.api import Gradebook, MissingEntry

        found: dict = {}
        with Gradebook(self.db_url, _course_id(self.root)) as gb:
            assignment = gb.find_assignment(lesson)
            for student in gb.students:
                try:
                    gb.find_submission(lesson, student.id)
                except MissingEntry:
                    continue
                per_nb = found.setdefault(student.id, {})
                for nb in assignment.notebooks:
                    try:
                        submitted = gb.find_submission_notebook(nb.name, lesson, student.id)
                    except MissingEntry:
                        continue
                    per_nb[nb.name] = {
                        g.name: (g.auto_score, float(g.max_score))
                        for g in submitted.grades
                        if g.cell.cell_type == "code"
                    }
        return found


def _course_id(root: Path) -> str:
    from traitlets.config.loader import PyFileConfigLoader

    config = PyFileConfigLoader("nbgrader_config.py", path=str(root)).load_config()
    return config.CourseDirectory.get("course_id", "default_course")


def _tail(text: str, lines: int = 40) -> str:
    kept = [line for line in text.splitlines() if "running over TCP without encryption" not in line]
    return "\n".join(kept[-lines:])
