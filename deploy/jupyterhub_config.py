"""JupyterHub configuration of a thread-sync class on one machine (see docs/hub.md).

    jupyterhub -f deploy/jupyterhub_config.py

- who may log in: the roster (THREAD_SYNC_ROSTER, a CSV file; deploy/roster.example.csv);
  instructors form the group ``formgrade-<course>``, students ``nbgrader-<course>`` (what
  nbgrader's JupyterHubAuthPlugin reads);
- the Formgrader: a hub service named after the course, a Jupyter server on the course directory
  that only the instructors' group may reach (``/services/<course>/formgrader``), run beside the
  hub by ``deploy/formgrader.py`` with the same settings;
- the exchange: one folder shared by every account (THREAD_SYNC_EXCHANGE);
- each user's server: the course's packages (this environment's ``jupyterhub-singleuser``), with
  nbgrader's instructor extensions (Formgrader, Create Assignment) turned off for students;
- the gradebook: SQLite in the course directory, or THREAD_SYNC_GRADEBOOK_URL (PostgreSQL when
  several instructors grade at once).

How users log in and whose account their servers run as are the site's choice: by default system
accounts (PAM login, LocalProcessSpawner: every roster name must be a Unix user); set
THREAD_SYNC_SPAWNER=simple for servers that all run as the hub's account, each in its own home
under THREAD_SYNC_HOMES. Anything else (an OAuth login, TLS, ...) goes in a file named by
THREAD_SYNC_HUB_EXTRA_CONFIG, read last, or on the command line.
"""

import os
import shutil
import sys

c = get_config()  # noqa: F821 (given by traitlets)

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import classhub  # noqa: E402 (deploy/classhub.py and roster.py, found through the line above)
import roster  # noqa: E402

S = classhub.Settings.from_environment()
ROSTER = roster.load(S.roster)
# The hub's database, cookie secret and the Formgrader's token: root's (the hub's) alone.
S.state.mkdir(mode=0o700, parents=True, exist_ok=True)
if S.state.stat().st_uid == os.geteuid():
    S.state.chmod(0o700)
classhub.prepare_folders(S)

setting = classhub.setting

# --- the hub ------------------------------------------------------------------------------------
c.JupyterHub.db_url = setting("HUB_DB_URL", "sqlite:///" + str(S.state / "jupyterhub.sqlite"))
c.JupyterHub.cookie_secret_file = str(S.state / "jupyterhub_cookie_secret")
# Browsers reach the hub here: loopback by default, for a reverse proxy with HTTPS in front
# (THREAD_SYNC_BIND_URL=https://:443 with --JupyterHub.ssl_cert/ssl_key to serve it directly).
c.JupyterHub.bind_url = S.bind_url
c.ConfigurableHTTPProxy.pid_file = str(S.state / "jupyterhub-proxy.pid")
local_proxy = S.repo / ".node" / "node_modules" / ".bin" / "configurable-http-proxy"
if not shutil.which("configurable-http-proxy") and local_proxy.exists():
    c.ConfigurableHTTPProxy.command = [str(local_proxy)]

# --- who: the roster ------------------------------------------------------------------------
c.Authenticator.allowed_users = ROSTER.usernames
# The roster is the truth: someone taken off it cannot log in any more.
c.Authenticator.allow_existing_users = False
c.Authenticator.admin_users = {
    name.strip() for name in setting("HUB_ADMINS", "").split(",") if name.strip()
}
c.JupyterHub.load_groups = classhub.groups(S, ROSTER)
c.JupyterHub.load_roles = classhub.roles(S)

# --- the Formgrader: a hub service named after the course, run by deploy/formgrader.py --------
c.JupyterHub.services = [
    {
        "name": S.course,
        "display": True,
        "url": S.formgrader_url,
        "api_token": classhub.formgrader_token(S),
        "oauth_client_id": f"service-{S.course}",
        "oauth_redirect_uri": S.service_prefix + "oauth_callback",
        # Instructors go through the hub's login, with no consent page.
        "oauth_no_confirm": True,
    }
]

# --- each user's server ---------------------------------------------------------------------
if setting("SPAWNER", "system") == "simple":
    c.JupyterHub.spawner_class = "jupyterhub.spawner.SimpleLocalProcessSpawner"
    c.SimpleLocalProcessSpawner.home_dir_template = os.path.join(
        setting("HOMES", os.path.join(setting("SRV", "/srv/nbgrader"), "home")), "{username}"
    )
else:
    c.JupyterHub.spawner_class = "jupyterhub.spawner.LocalProcessSpawner"
    # Each server runs as its user's Unix account, and PAM logs in Unix accounts only: all
    # must exist, the Formgrader's too (it is a hub user). Said here, not as a KeyError later.
    missing = classhub.missing_accounts(S, ROSTER.usernames)
    if missing:
        raise SystemExit(
            f"no Unix account for {', '.join(missing)}: make them first (docs/hub.md, "
            "'Accounts'), or run with THREAD_SYNC_SPAWNER=simple to try the hub"
        )
# The servers run with the hub's environment: the course's packages, nbgrader, JupyterLab.
c.Spawner.cmd = [str(S.bin / "jupyterhub-singleuser")]
c.Spawner.default_url = "/lab"


def configure_server(spawner) -> None:
    """Before a server starts: the Jupyter settings of its user's role (instructor or student)."""
    role = classhub.server_role(ROSTER, spawner.user.name)
    spawner.environment = {
        **spawner.environment,
        "JUPYTER_CONFIG_PATH": classhub.config_path(role),
        # The course's python, nbgrader and jupyter in every terminal and kernel.
        "PATH": S.path,
        "THREAD_SYNC_COURSE_ID": S.course,
        "THREAD_SYNC_EXCHANGE": str(S.exchange),
    }
    # A student's ~/.jupyter cannot turn the instructor extensions back on.
    spawner.disable_user_config = role == "student"
    if os.geteuid() == 0 and type(spawner).__name__ == "SimpleLocalProcessSpawner":
        spawner.args = [*spawner.args, "--allow-root"]


c.Spawner.pre_spawn_hook = configure_server

# --- the site's own settings ----------------------------------------------------------------
extra = setting("HUB_EXTRA_CONFIG", "")
if extra:
    load_subconfig(extra)  # noqa: F821 (given by traitlets)
