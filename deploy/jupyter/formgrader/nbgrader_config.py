"""nbgrader settings of the Formgrader service: the course's own settings (timeouts, the grading
preprocessors, ...) from the course repository's nbgrader_config.py, then the hub's: the shared
course directory, the shared exchange and the gradebook's database.

nbgrader reads this file first (it is on the service's JUPYTER_CONFIG_PATH), then the course
directory's nbgrader_config.py, which the hub writes (deploy/classhub.py): it loads this file
again and adds the folders of the deployment, so that a command run there in any shell (the
grading day) has the same settings.
"""

import os

c = get_config()

HERE = os.path.dirname(os.path.abspath(__file__))
# The course repository (source/, nbgrader_config.py, the autograder): two folders up by default.
REPO = os.environ.get("THREAD_SYNC_REPO") or os.path.abspath(os.path.join(HERE, "..", "..", ".."))
load_subconfig(os.path.join(REPO, "nbgrader_config.py"))  # noqa: F821 (given by traitlets)
# The hub's shared settings win over what the course's file says for one machine.
load_subconfig(os.path.join(HERE, "..", "common", "nbgrader_config.py"))  # noqa: F821

COURSE_DIR = os.environ.get("THREAD_SYNC_COURSE_DIR", "/srv/nbgrader/thread-sync")
c.CourseDirectory.root = COURSE_DIR
# SQLite for one grader at a time; PostgreSQL (postgresql+psycopg://user:password@host/db) when
# several instructors grade at once.
c.CourseDirectory.db_url = os.environ.get("THREAD_SYNC_GRADEBOOK_URL") or (
    "sqlite:///" + os.path.join(COURSE_DIR, "gradebook.db")
)
c.NbGrader.logfile = os.path.join(COURSE_DIR, "nbgrader.log")
