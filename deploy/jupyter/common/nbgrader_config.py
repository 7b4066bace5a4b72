"""nbgrader settings shared by every account of the class hub: students, instructors and the
Formgrader service. The hub puts this folder on their JUPYTER_CONFIG_PATH (deploy/README in
docs/hub.md). Settings come from the environment the hub gives their servers.
"""

import os

from nbgrader.auth import JupyterHubAuthPlugin
from nbgrader.exchange.default.submit import ExchangeSubmit

c = get_config()

c.CourseDirectory.course_id = os.environ.get("THREAD_SYNC_COURSE_ID", "thread-sync")

# The exchange shared by everyone: release puts assignments in it, fetch and submit go through it.
# It must be readable and writable by all the class's accounts (the hub creates it so).
c.Exchange.root = os.environ.get("THREAD_SYNC_EXCHANGE", "/srv/nbgrader/exchange")
c.Exchange.path_includes_course = True

# Who takes which course comes from the hub's groups: nbgrader-<course> (students) and
# formgrade-<course> (instructors), asked through the hub's REST API.
c.Authenticator.plugin_class = JupyterHubAuthPlugin


class PrivateSubmit(ExchangeSubmit):
    """nbgrader's submit, whose submission in the exchange only its author and the instructors
    reach: nbgrader leaves its folder world-writable (777), hidden only by the unlistable inbound
    folder and a random name. Here its folders become 770, of the inbound folder's group (the
    Formgrader account's, which nbgrader's release makes set-group-ID and new folders inherit),
    so that a classmate who learnt its name can neither read nor change it, while the Formgrader
    reads, collects and moves it. A folder not of that group keeps nbgrader's permissions."""

    def copy_files(self):
        super().copy_files()
        group = os.stat(self.inbound_path).st_gid
        dest = os.path.join(self.inbound_path, self.assignment_filename)
        for folder, _dirs, _files in os.walk(dest):
            if os.stat(folder).st_gid == group:
                os.chmod(folder, 0o770)


c.ExchangeFactory.submit = PrivateSubmit
