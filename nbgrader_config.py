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

# A student's notebook gets 60 s per cell when autograded. The autograder's own tests report a
# deadlock or a spinning answer within seconds, so this is a last line of defence.
c.ExecutePreprocessor.timeout = 60
# On timeout, interrupt the cell (its test fails with CellTimeoutError) and grade the rest,
# rather than killing the kernel.
c.Execute.interrupt_on_timeout = True

# What a solution region (### BEGIN SOLUTION ... ### END SOLUTION) becomes in release/.
c.ClearSolutions.code_stub = {"python": "# YOUR CODE HERE\nraise NotImplementedError()"}
c.ClearSolutions.text_stub = "YOUR ANSWER HERE"
