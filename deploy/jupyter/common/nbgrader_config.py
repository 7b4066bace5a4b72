"""nbgrader settings shared by every account of the class hub: students, instructors and the
Formgrader service. The hub puts this folder on their JUPYTER_CONFIG_PATH (deploy/README in
docs/hub.md). Settings come from the environment the hub gives their servers.
"""

import os

from nbgrader.auth import JupyterHubAuthPlugin

c = get_config()

c.CourseDirectory.course_id = os.environ.get("THREAD_SYNC_COURSE_ID", "thread-sync")

# The exchange shared by everyone: release puts assignments in it, fetch and submit go through it.
# It must be readable and writable by all the class's accounts (the hub creates it so).
c.Exchange.root = os.environ.get("THREAD_SYNC_EXCHANGE", "/srv/nbgrader/exchange")
c.Exchange.path_includes_course = True

# Who takes which course comes from the hub's groups: nbgrader-<course> (students) and
# formgrade-<course> (instructors), asked through the hub's REST API.
c.Authenticator.plugin_class = JupyterHubAuthPlugin
