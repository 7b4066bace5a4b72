"""The class on Zero to JupyterHub: what deploy/jupyterhub_config.py does on one machine, for
the chart's hub (KubeSpawner, the chart's proxy and database). Loaded by the chart's
``hub.extraConfig`` (deploy/z2jh/values.yaml), from the staff image's copy of deploy/.

Students are kept apart as on one machine, by uids: each user's pod runs as a uid of its own
(classhub.pod_uid), group 100, while the Formgrader runs as 1000:1000 and owns the exchange's
course folder, so a student can neither list the exchange's inbound folder nor read another's
submission or feedback there (docs/hub.md, "Kubernetes").
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
# In the users' pods the course images keep deploy/ here (deploy/z2jh/Dockerfile).
POD_CONFIG = "/srv/thread-sync/deploy/jupyter"
#: The instructors' pods run the staff image (their settings are not in the students' image).
STAFF_IMAGE = classhub.setting("STAFF_IMAGE", "")

c.Authenticator.allowed_users = ROSTER.usernames
c.Authenticator.allow_existing_users = False
# Hub admins approve sign-ups (NativeAuthenticator's /hub/authorize); they can also enter any
# server, so name only the instructors in charge.
c.Authenticator.admin_users = {
    name.strip() for name in classhub.setting("HUB_ADMINS", "").split(",") if name.strip()
}
c.JupyterHub.load_groups = classhub.groups(S, ROSTER)
c.JupyterHub.load_roles = classhub.roles(S)

clashes = classhub.pod_uid_clashes(ROSTER.usernames)
if clashes:
    raise SystemExit(f"these roster names would share a pod uid, rename one of each: {clashes}")


def chart_value(key: str, default=None):
    """A value of the chart's values.yaml, as the chart's hub reads it (its z2jh module; this
    file is loaded with load_subconfig, so ``c`` does not hold the values' hub.config)."""
    try:
        from z2jh import get_config
    except ImportError:  # not in the chart's hub
        return default
    return get_config(key, default)


authenticator = str(chart_value("hub.config.JupyterHub.authenticator_class", ""))
if "native" in authenticator.lower():
    # Whoever signs up first would own a roster name: every sign-up waits for an admin.
    if chart_value("hub.config.NativeAuthenticator.open_signup", False):
        raise SystemExit("NativeAuthenticator.open_signup must stay false: sign-ups are approved")
    if not c.Authenticator.admin_users:
        raise SystemExit("set THREAD_SYNC_HUB_ADMINS: with NativeAuthenticator they approve the"
                         " roster's sign-ups (/hub/authorize)")

# Each pod its own uid; group 100 (users), which also owns the home volume (fsGroup).
c.KubeSpawner.uid = lambda spawner: classhub.pod_uid(spawner.user.name)
c.KubeSpawner.gid = 100
c.KubeSpawner.fs_gid = 100
c.KubeSpawner.supplemental_gids = []


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
    if role == "instructor" and STAFF_IMAGE:
        spawner.image = STAFF_IMAGE


c.KubeSpawner.pre_spawn_hook = configure_server
