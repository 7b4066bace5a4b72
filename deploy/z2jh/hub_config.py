"""The class on Zero to JupyterHub: what deploy/jupyterhub_config.py does on one machine, for
the chart's hub (KubeSpawner, the chart's proxy and database). Loaded by the chart's
``hub.extraConfig`` (deploy/z2jh/values.yaml), from the course image's copy of deploy/.
"""

import os
import sys

c = get_config()  # noqa: F821 (given by traitlets)

DEPLOY = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, DEPLOY)
import classhub  # noqa: E402 (deploy/classhub.py, found through the line above)
import roster  # noqa: E402

S = classhub.Settings.from_environment()
ROSTER = roster.load(S.roster)
# In the users' pods the course image keeps deploy/ here (deploy/z2jh/Dockerfile).
POD_CONFIG = "/srv/thread-sync/deploy/jupyter"

c.Authenticator.allowed_users = ROSTER.usernames
c.Authenticator.allow_existing_users = False
c.JupyterHub.load_groups = classhub.groups(S, ROSTER)
c.JupyterHub.load_roles = classhub.roles(S)


def configure_server(spawner) -> None:
    """Before a pod starts: the Jupyter settings of its user's role (instructor or student)."""
    role = classhub.server_role(ROSTER, spawner.user.name)
    spawner.environment = {
        **spawner.environment,
        "JUPYTER_CONFIG_PATH": os.pathsep.join(
            [f"{POD_CONFIG}/{role}", f"{POD_CONFIG}/common"]
        ),
    }
    spawner.disable_user_config = role == "student"


c.KubeSpawner.pre_spawn_hook = configure_server
