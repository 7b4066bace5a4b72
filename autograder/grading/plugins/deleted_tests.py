"""Test cells a student deleted score 0, so the submission's grade is complete.

:class:`ScoreDeletedTests` is an nbgrader preprocessor that the course's ``nbgrader_config.py``
runs in ``nbgrader autograde`` after ``SaveAutoGrades``: a test cell of the gradebook that the
submitted notebook no longer has gets ``auto_score = 0`` (nbgrader leaves it without a score,
so the grade would never be complete), unless an instructor gave it a manual score, which then
stands. The answer cells' comment says which tests were missing.
"""

from __future__ import annotations

from nbgrader.api import Gradebook
from nbgrader.preprocessors import NbGraderPreprocessor

#: How the comment starts (grading day's table and export read it too).
PREFIX = "Tests missing: "


def deleted(nb, snb) -> list:
    """The grades of test cells (autograded code cells) that `nb` no longer holds."""
    present = {c.get("metadata", {}).get("nbgrader", {}).get("grade_id") for c in nb.cells}
    answers = {c.name for c in snb.notebook.solution_cells}
    return [g for g in snb.grades
            if g.cell.cell_type == "code" and g.name not in answers and g.name not in present]


class ScoreDeletedTests(NbGraderPreprocessor):
    """0 points (or the manual grade) for each deleted test cell, with a comment saying so."""

    def preprocess(self, nb, resources):
        info = resources["nbgrader"]
        notebook, assignment, student = info["notebook"], info["assignment"], info["student"]
        with Gradebook(info["db_url"]) as gb:
            snb = gb.find_submission_notebook(notebook, assignment, student)
            gone = deleted(nb, snb)
            for grade in gone:
                if grade.auto_score is None:
                    grade.auto_score = 0
                grade.needs_manual_grade = False
            if gone:
                names = ", ".join(g.name for g in gone)
                note = (f"{PREFIX}the test cell(s) {names} were deleted from the submission: "
                        "0 points each (a manual grade replaces it)")
                for comment in snb.comments:
                    kept = [line for line in (comment.auto_comment or "").splitlines()
                            if line and not line.startswith(PREFIX)]
                    comment.auto_comment = "\n".join([*kept, note])
                self.log.warning("%s/%s: %s", student, notebook, note)
            gb.db.commit()
        return nb, resources
