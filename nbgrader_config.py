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
c.CourseDirectory.db_url = "sqlite:///" + os.path.join(ROOT, "gradebook.db")
c.Exchange.root = os.path.join(ROOT, "exchange")

# Cell timeouts. The autograder's own tests report a deadlock or a spinning answer within a
# couple of seconds, and a lesson's whole notebook must autograde in under 10 s (checked by
# tests/lessons, see docs/lessons.md), so a cell gets 5 s, and an autograded answer cell, which
# only defines things, 2 s when graded.
c.ExecutePreprocessor.timeout = 5
# On timeout, interrupt the cell (it gets a CellTimeoutError output) and grade the rest.
c.Execute.interrupt_on_timeout = True
# Kernels are killed at the end of a notebook, not asked to exit (which waits up to 5 s for a
# kernel whose student code left a thread running).
c.Execute.shutdown_kernel = "immediate"

# Autograding runs the cells with autograder.grading.execute.GradingExecute instead of nbgrader's
# Execute: a cell that ignores the interrupt (one that swallows KeyboardInterrupt, say) or kills
# its kernel would otherwise make nbgrader drop the whole submission, scoreless. GradingExecute
# gives the cell an error, restarts the kernel, replays the cells above it and grades the rest.
# (A config file that raises is skipped by nbgrader with only a logged error: keep this simple.)
from nbgrader.converters import Autograde  # noqa: E402
from nbgrader.preprocessors import Execute  # noqa: E402

c.Autograde.autograde_preprocessors = [
    "autograder.grading.execute.GradingExecute" if p is Execute else p
    for p in Autograde.autograde_preprocessors.default()
]
c.GradingExecute.answer_timeout = 2
c.GradingExecute.interrupt_grace = 1

# Feedback and the Formgrader's views are static HTML: no widget manager runs there, so a widget
# shows its static fallback (the board as HTML, the demo's picture: course.display.mimebundle)
# instead of an empty widget view, also when the autograded notebook kept the widgets' state.
c.WidgetsDataTypeFilter.display_data_priority = [
    "application/javascript", "text/html", "text/markdown", "image/svg+xml", "text/vnd.mermaid",
    "text/latex", "image/png", "image/jpeg", "text/plain",
]

# What a solution region (### BEGIN SOLUTION ... ### END SOLUTION) becomes in release/.
c.ClearSolutions.code_stub = {"python": "# YOUR CODE HERE\nraise NotImplementedError()"}
c.ClearSolutions.text_stub = "YOUR ANSWER HERE"
