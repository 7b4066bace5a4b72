"""nbgrader configuration of the thread-sync course.

nbgrader reads this file when it runs with this folder as the current directory (the repository
root), and so does the Formgrader when JupyterLab is started by ``./scripts/lab``. Paths are
anchored to this file's folder, so the commands work the same from a subfolder given
``--config``.
"""

import os

c = get_config()

ROOT = os.path.dirname(os.path.abspath(__file__))

c.CourseDirectory.course_id = "thread-sync"
c.CourseDirectory.root = ROOT
c.CourseDirectory.source_directory = "source"  # instructor notebooks, with solutions
c.CourseDirectory.release_directory = "release"  # generated student notebooks (committed)
c.CourseDirectory.submitted_directory = "submitted"  # collected submissions (not committed)
c.CourseDirectory.autograded_directory = "autograded"
c.CourseDirectory.feedback_directory = "feedback"
# The gradebook: SQLite by default. For graders on several machines (grading day with a Dask
# cluster) use a PostgreSQL server: set GRADEBOOK_URL=postgresql://user@host/dbname.
c.CourseDirectory.db_url = os.environ.get("GRADEBOOK_URL") or "sqlite:///" + os.path.join(
    ROOT, "gradebook.db"
)

# The exchange, through which nbgrader releases lessons, collects submissions and returns
# feedback on one machine (a JupyterHub, or a lab server shared by the class): a folder of the
# course. Run `python -m autograder.grading setup` once, BEFORE the first
# `nbgrader release_assignment`: it creates it world-writable with the sticky bit (1777), so that
# every student can submit and none can remove or replace another's files (release_assignment
# would create it 0777, without the sticky bit). Students' own nbgrader_config.py points at the
# same folder (README, "For instructors").
c.Exchange.root = os.path.join(ROOT, "exchange")

# Grading day (python -m autograder.grading day ID): the class list, imported into the
# gradebook (CSV with columns id, first_name, last_name, email; lines starting with # skipped),
# and each lesson's due date (ISO 8601, UTC unless it names a zone). Submissions after the due
# date are marked late in the gradebook and in grades.csv.
c.GradingDay.roster = os.path.join(ROOT, "roster.csv")
c.GradingDay.due_dates = {
    # "01_race_conditions": "2027-01-15 23:59:00",
}

# Cell timeouts: a backstop only. The engine reports a deadlock, a spin or a block outside the
# instrumented primitives by itself, and a lesson's notebook autogrades in a few seconds (checked
# by tests/lessons, see docs/lessons.md). A timeout must never be what a busy machine hits: on
# grading day, with every core grading, a lesson's import cell once took over 5 s. So a cell gets
# 30 s; an autograded answer cell, which only defines things, 3 s (a hung answer then costs 3 s
# + 1 s of grace + a kernel restart, and the rest of the notebook is still graded).
c.ExecutePreprocessor.timeout = 30
# On timeout, interrupt the cell (it gets a CellTimeoutError output) and grade the rest.
c.Execute.interrupt_on_timeout = True
# Kernels are killed at the end of a notebook, not asked to exit (which waits up to 5 s for a
# kernel whose student code left a thread running).
c.Execute.shutdown_kernel = "immediate"

# Autograding runs the cells with autograder.grading.plugins.execute.GradingExecute instead of
# nbgrader's Execute: a cell that ignores the interrupt (one that swallows KeyboardInterrupt, say)
# or kills its kernel would otherwise make nbgrader drop the whole submission, scoreless.
# GradingExecute gives the cell an error, restarts the kernel, replays every cell above it (imports
# included) and grades the rest.
# (A config file that raises is skipped by nbgrader with only a logged error: keep this simple.)
# autograder.grading.plugins.feedback.OverwriteCells is nbgrader's, without a "checksum has changed"
# warning for every test cell submitted as released (its hidden tests stripped).
from nbgrader.converters import Autograde, GenerateFeedback  # noqa: E402
from nbgrader.preprocessors import Execute, OverwriteCells, SaveAutoGrades  # noqa: E402

_OURS = {
    Execute: "autograder.grading.plugins.guarded.GuardedExecute",
    OverwriteCells: "autograder.grading.plugins.feedback.OverwriteCells",
}
c.Autograde.sanitize_preprocessors = [
    _OURS.get(p, p) for p in Autograde.sanitize_preprocessors.default()
]
c.Autograde.autograde_preprocessors = [
    _OURS.get(p, p) for p in Autograde.autograde_preprocessors.default()
]
# Student code cannot grade itself (docs/security.md): GuardedExecute (GradingExecute plus the
# tamper guard's check around answers and tests) runs each submission in a kernel that starts
# with the grader sealed, inside a bubblewrap sandbox (no source/, gradebook, other submissions or
# network); FlagForReview, after the grades are saved, marks suspicious answers for manual review.
c.Autograde.autograde_preprocessors.insert(
    c.Autograde.autograde_preprocessors.index(SaveAutoGrades) + 1,
    "autograder.grading.plugins.review.FlagForReview",
)
# A test cell the student deleted scores 0 (nbgrader would leave it without a score, so the grade
# would never be complete); a manual grade the instructor gives it in the Formgrader replaces it.
c.Autograde.autograde_preprocessors.insert(
    c.Autograde.autograde_preprocessors.index(SaveAutoGrades) + 2,
    "autograder.grading.plugins.deleted_tests.ScoreDeletedTests",
)
c.GuardedExecute.kernel_manager_class = "autograder.grading.sandbox.kernel.GradingKernelManager"
c.GradingExecute.answer_timeout = 3
c.GradingExecute.interrupt_grace = 1

# Feedback (generate_feedback): hidden tests (the quiz's answer key among them) are not shown,
# nor tracebacks quoting them, only their error messages; the HTML loads nothing from a CDN.
# A failing test's feedback is headed by the engine's verdict, with the timeline picture of the
# failing interleaving above its step table (autograder.grading.plugins.feedback.FailureFeedback).
c.GenerateFeedback.preprocessors = GenerateFeedback.preprocessors.default() + [
    "autograder.grading.plugins.feedback.HideHiddenTests",
    "autograder.grading.plugins.feedback.FailureFeedback",
]
c.GenerateFeedback.exporter_class = "autograder.grading.plugins.feedback.FeedbackExporter"

# Feedback and the Formgrader's views are static HTML: no widget manager runs there, so a widget
# shows its static fallback (the board as HTML, the demo's picture:
# course.widgets.fallback.mimebundle) instead of an empty widget view, also when the autograded
# notebook kept the widgets' state.
c.WidgetsDataTypeFilter.display_data_priority = [
    "application/javascript", "text/html", "text/markdown", "image/svg+xml", "text/vnd.mermaid",
    "text/latex", "image/png", "image/jpeg", "text/plain",
]

# What a solution region (### BEGIN SOLUTION ... ### END SOLUTION) becomes in release/.
c.ClearSolutions.code_stub = {"python": "# YOUR CODE HERE\nraise NotImplementedError()"}
c.ClearSolutions.text_stub = "YOUR ANSWER HERE"
