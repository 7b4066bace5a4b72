"""nbgrader settings of a hub user's own server (students, and instructors trying an assignment).

On a hub every server may run as the same system account (``jovyan`` on Kubernetes, the hub's
own account with a simple local spawner): the student is the hub user, not the OS user.
"""

import os

c = get_config()

if os.environ.get("JUPYTERHUB_USER"):
    c.CourseDirectory.student_id = os.environ["JUPYTERHUB_USER"]
