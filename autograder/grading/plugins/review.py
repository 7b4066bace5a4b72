"""Flag suspicious answers for manual review in nbgrader's gradebook.

:class:`FlagForReview` is an nbgrader preprocessor that the course's ``nbgrader_config.py`` adds
to ``nbgrader autograde`` right after ``SaveAutoGrades``. For each autograded answer cell it takes
the static scan's findings (:mod:`autograder.grading.sandbox.scan`) and the ``Tampering`` errors
the guard gave the exercise's cells (:mod:`autograder.grading.plugins.guarded`). A flagged exercise
keeps its automatic score, and in the gradebook:

* every test cell's grade of the exercise gets ``needs_manual_grade = True``, so the Formgrader
  lists the submission as needing manual grading;
* the answer cell's comment (``auto_comment``) says ``Flagged for review: <reasons>: <lines>``.

The flags are also written to the notebook's metadata (``metadata.autograder.flags``).
"""

from __future__ import annotations

from nbgrader.api import Gradebook, MissingEntry
from nbgrader.preprocessors import NbGraderPreprocessor

from ..base import lessons, notebooks
from ..sandbox import scan

PREFIX = "Flagged for review: "


def flags(nb) -> dict[str, str]:
    """exercise -> why its answer is flagged, for a graded notebook (empty: nothing flagged)."""
    answers = [c for c in nb.cells if lessons.kind(c) == "answer" and c.cell_type == "code"]
    exercises = [notebooks.grade_id(c) for c in answers]
    found: dict[str, list[str]] = {}
    for cell in answers:
        findings = scan.scan(cell.source)
        if findings:
            found.setdefault(notebooks.grade_id(cell), []).append(scan.summary(findings))
    for cell in nb.cells:
        gid = notebooks.grade_id(cell)
        exercise = gid if gid in exercises else lessons.exercise_of(gid or "", exercises)
        for out in cell.get("outputs", []):
            if out.get("output_type") == "error" and out.get("ename") == "Tampering":
                why = found.setdefault(exercise or "", [])
                text = "tampering: " + out.get("evalue", "")[:600]
                if text not in why:
                    why.append(text)
    return {ex: " | ".join(why) for ex, why in found.items()}


class FlagForReview(NbGraderPreprocessor):
    """Mark flagged answers as needing manual grading, with the reason as the cell's comment."""

    def preprocess(self, nb, resources):
        found = flags(nb)
        nb.metadata.setdefault("autograder", {})["flags"] = found
        if not found:
            return nb, resources
        info = resources["nbgrader"]
        notebook, assignment, student = info["notebook"], info["assignment"], info["student"]
        with Gradebook(info["db_url"]) as gb:
            exercises = [notebooks.grade_id(c) for c in nb.cells if lessons.kind(c) == "answer"]
            for cell in nb.cells:
                gid = notebooks.grade_id(cell)
                if gid is None:
                    continue
                if lessons.kind(cell) == "test":
                    exercise = lessons.exercise_of(gid, exercises)
                    if exercise in found or "" in found:
                        grade = gb.find_grade(gid, notebook, assignment, student)
                        grade.needs_manual_grade = True
                elif lessons.kind(cell) == "answer" and gid in found:
                    try:
                        comment = gb.find_comment(gid, notebook, assignment, student)
                    except MissingEntry:
                        continue
                    comment.auto_comment = PREFIX + found[gid]
                self.log.debug("flagged %s", gid)
            gb.db.commit()
        for exercise, why in found.items():
            self.log.warning("%s/%s: %s%s", student, exercise or "(notebook)", PREFIX, why)
        return nb, resources


def flagged_in_gradebook(db_url: str, course_id: str, assignment: str, student: str
                         ) -> tuple[dict[str, str], set[str]]:
    """What the gradebook says of a submission: {answer cell: "Flagged for review: ..."} and the
    test cells whose grades need manual grading."""
    comments, manual = {}, set()
    with Gradebook(db_url, course_id) as gb:
        submission = gb.find_submission(assignment, student)
        for nb in submission.notebooks:
            for comment in nb.comments:
                if (comment.auto_comment or "").startswith(PREFIX):
                    comments[comment.cell.name] = comment.auto_comment
            for grade in nb.grades:
                if grade.needs_manual_grade and grade.cell.cell_type == "code":
                    manual.add(grade.cell.name)
    return comments, manual
