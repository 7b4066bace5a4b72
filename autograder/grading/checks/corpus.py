"""Answer corpora: ``tests/corpus/<exercise>/<name>.py``, each a whole answer cell with its
expected grade, and putting an answer into a notebook's answer cell."""

from __future__ import annotations

import copy
import re
from dataclasses import dataclass
from pathlib import Path

from nbformat import NotebookNode

from ..base import lessons, notebooks

EXPECTATIONS = ("full", "partial", "zero")
NAME = re.compile(r"^[a-z0-9_]+$")
_EXPECT = re.compile(r"^#\s*expect:\s*(\S+)\s*$")
_WHY = re.compile(r"^#\s*why:\s*(.*)$")
_FLAG = re.compile(r"^#\s*flag:\s*(.*)$")
_MISTAKE = re.compile(r"^#\s*mistake:\s*(.*?)\s*$")


class CorpusError(ValueError):
    """A corpus file that does not follow the format of docs/lessons.md."""


@dataclass(frozen=True)
class Answer:
    exercise: str
    name: str
    expect: str  # full, partial or zero
    why: str
    source: str  # the whole file: it replaces the whole answer cell
    path: Path | None = None
    #: reasons the static scan must flag it for (autograder.grading.sandbox.scan.REASONS);
    #: none: honest
    flags: tuple[str, ...] = ()
    #: The classic mistake of its lesson this answer makes, as the visible tests name it
    #: (``# mistake: ...``): the answer must lose points on the visible tests alone.
    mistake: str = ""

    @property
    def student(self) -> str:
        """The nbgrader student id this answer is submitted as."""
        return f"{self.exercise}__{self.name}"

    def met_by(self, score: float | None, points: float) -> bool:
        return meets(self.expect, score, points)


def meets(expect: str, score: float | None, points: float) -> bool:
    if score is None:
        return False
    if expect == "full":
        return score == points
    if expect == "zero":
        return score == 0
    return 0 < score < points


def parse(path: str | Path, exercise: str | None = None) -> Answer:
    path = Path(path)
    exercise = exercise or path.parent.name
    if not NAME.match(path.stem):
        raise CorpusError(f"{path}: the name must be lowercase letters, digits and _")
    text = path.read_text(encoding="utf-8")
    lines = text.splitlines()
    match = _EXPECT.match(lines[0]) if lines else None
    if not match:
        raise CorpusError(f"{path}: the first line must be '# expect: full|partial|zero'")
    expect = match.group(1)
    if expect not in EXPECTATIONS:
        raise CorpusError(f"{path}: expect {expect!r} is not one of {', '.join(EXPECTATIONS)}")
    why, flags, mistake = [], [], ""
    for line in lines[1:]:
        m = _WHY.match(line)
        f = _FLAG.match(line)
        tagged = _MISTAKE.match(line)
        if f:
            flags += [w.strip() for w in f.group(1).split(",") if w.strip()]
        elif tagged:
            mistake = tagged.group(1)
            if not mistake:
                raise CorpusError(f"{path}: '# mistake:' names no mistake")
        elif m:
            why.append(m.group(1).strip())
        elif why and line.startswith("#"):
            why.append(line.lstrip("#").strip())  # a continued explanation
        else:
            break
    if expect != "full" and not why:
        raise CorpusError(f"{path}: a '# why: ...' line must say what is wrong with it")
    if mistake and expect == "full":
        raise CorpusError(f"{path}: an answer expected full makes no mistake")
    return Answer(exercise, path.stem, expect, " ".join(why), text, path, tuple(flags), mistake)


def load(corpus_dir: str | Path) -> tuple[list[Answer], list[str]]:
    """Every answer under corpus_dir, and the problems of the files that are not answers."""
    corpus_dir = Path(corpus_dir)
    answers, problems = [], []
    if not corpus_dir.is_dir():
        return answers, problems
    for folder in sorted(p for p in corpus_dir.iterdir() if p.is_dir()):
        if folder.name.startswith((".", "__")):
            continue
        for path in sorted(folder.iterdir()):
            if path.name.startswith(".") or path.name == "__pycache__":
                continue
            if path.suffix != ".py":
                problems.append(f"{path}: not a .py answer file")
                continue
            try:
                answers.append(parse(path))
            except CorpusError as error:
                problems.append(str(error))
    return answers, problems


def answer_cell(nb: NotebookNode, exercise: str) -> NotebookNode:
    for cell in nb.cells:
        if lessons.kind(cell) == "answer" and notebooks.grade_id(cell) == exercise:
            return cell
    raise KeyError(f"no answer cell with grade_id {exercise!r}")


def inject(nb: NotebookNode, answers: dict[str, str]) -> NotebookNode:
    """A copy of nb whose answer cells (by exercise id) hold the given sources."""
    nb = copy.deepcopy(nb)
    for exercise, source in answers.items():
        answer_cell(nb, exercise).source = source
    return nb


def solutions(source_nb: NotebookNode) -> dict[str, str]:
    """Each exercise's answer in a source notebook, as a student would write it: the
    solution region's markers removed."""
    found = {}
    for cell in source_nb.cells:
        if lessons.kind(cell) == "answer":
            kept = [
                line
                for line in cell.source.splitlines()
                if line.strip() not in lessons.SOLUTION_MARKERS
            ]
            found[notebooks.grade_id(cell)] = "\n".join(kept)
    return found
