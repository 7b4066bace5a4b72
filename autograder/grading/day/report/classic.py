"""The classic mistakes the report recognises: the group keys of the corpus's tagged answers.

A corpus answer tagged ``# mistake: <words>`` (docs/lessons.md) is a classic mistake of its
lesson. Graded, it fails in one way: its group key (:func:`.grouping.key_of`: exercise, verdict,
the answer's lines involved, normalised). ``classic_mistakes.json`` beside this module lists
those keys with their tags; a group of students with the same key makes that classic mistake
(the same mistake, whatever the names in their code). Regenerate the table after a change to the
lessons' tests, the corpus or the engine (tests/lessons/test_class_report.py says when)::

    python -m autograder.grading.day.report.classic          # every lesson with a corpus
"""

from __future__ import annotations

import json
import sys
import tempfile
from pathlib import Path

from nbformat import NotebookNode

from ...base import lessons, notebooks
from ...checks import corpus
from .failures import Failure, exercises_of, read
from .grouping import Key, key_of

TABLE = Path(__file__).with_name("classic_mistakes.json")


def load(path: Path = TABLE) -> dict[Key, str]:
    """Group key -> the classic mistake's tag."""
    try:
        entries = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return {Key(e["exercise"], e["verdict"], tuple(e["lines"]), e["test"]): e["mistake"]
            for e in entries}


def entry(answer: corpus.Answer, failure: Failure) -> dict:
    key = key_of(failure, answer.source)
    return {"exercise": key.exercise, "verdict": key.verdict, "lines": list(key.lines),
            "test": key.test, "mistake": answer.mistake, "answer": answer.name}


def failure_of(answer: corpus.Answer, nb: NotebookNode) -> Failure | None:
    """The tagged answer's failure in its autograded notebook (None: it did not fail)."""
    exercises = exercises_of(nb)
    return read(nb, {answer.exercise: exercises.get(answer.exercise, [])}).get(answer.exercise)


def dump(entries: list[dict], path: Path = TABLE) -> None:
    entries = sorted(entries, key=lambda e: (e["exercise"], e["mistake"], e["answer"]))
    Path(path).write_text(json.dumps(entries, indent=1, ensure_ascii=False) + "\n",
                          encoding="utf-8")


def generate(root: Path, lesson_ids: list[str] | None = None) -> list[dict]:
    """Grade the tagged answers of these lessons (all with a corpus) and return the table."""
    return [entry(answer, failure) for answer, failure in graded(root, lesson_ids)]


def graded(root: Path, lesson_ids: list[str] | None = None
           ) -> list[tuple[corpus.Answer, Failure]]:
    """The tagged answers of these lessons (all with a corpus), graded, with their failures."""
    from ...checks import checks

    course = lessons.Course.at(root)
    answers, _ = corpus.load(course.corpus)
    tagged = [a for a in answers if a.mistake]
    out: list[tuple[corpus.Answer, Failure]] = []
    for lesson in lesson_ids or course.lessons():
        with tempfile.TemporaryDirectory(prefix=f"classic-{lesson}-") as work:
            generated = checks.generate(course, lesson, Path(work) / "generated")
            subs, exercises = checks.submissions(course, lesson, tagged,
                                                 generated.root / "release" / lesson)
            subs = [s for s in subs if s.answer is not None]
            if not subs:
                continue
            graded = checks.grade(generated, lesson, subs, exercises, Path(work), "none")
            for sub in subs:
                ex = exercises[sub.answer.exercise]
                path = (graded.first.roots[sub.student] / "autograded" / sub.student / lesson
                        / f"{ex.notebook}.ipynb")
                failure = failure_of(sub.answer, notebooks.read(path))
                if failure is not None:
                    out.append((sub.answer, failure))
    return out


def main(argv: list[str]) -> int:
    root = Path(__file__).resolve().parents[4]
    entries = generate(root, argv or None)
    if argv:  # the other lessons' entries are kept
        lessons_done = {e["exercise"] for e in entries}
        kept = [e for e in (json.loads(TABLE.read_text(encoding="utf-8"))
                            if TABLE.exists() else []) if e["exercise"] not in lessons_done]
        entries += kept
    dump(entries)
    print(f"{TABLE}: {len(entries)} classic mistakes")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
