"""The class hub's settings, shared by jupyterhub_config.py and formgrader.py (standard library).

Every setting comes from an environment variable THREAD_SYNC_<NAME> with a default for a
machine dedicated to the class (docs/hub.md lists them).
"""

from __future__ import annotations

import hashlib
import json
import os
import pwd
import secrets
import shutil
import stat
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
JUPYTER_CONFIG = HERE / "jupyter"


def setting(name: str, default: str) -> str:
    """The environment variable THREAD_SYNC_<name>, or default when unset or empty."""
    return os.environ.get("THREAD_SYNC_" + name) or default


@dataclass(frozen=True)
class Settings:
    repo: Path  # the course repository: source/, nbgrader_config.py
    course: str  # the nbgrader course id, also the Formgrader service's name
    exchange: Path  # nbgrader's exchange, shared by every account
    course_dir: Path  # the instructors' course directory (CourseDirectory.root)
    state: Path  # the hub's own files: its database, cookie secret, the service's token
    roster: Path
    formgrader_ip: str  # where the Formgrader listens
    formgrader_port: int
    gradebook_url: str  # "" for SQLite in the course directory
    hub_api_url: str  # where the Formgrader reaches the hub's REST API
    bind_url: str  # where the hub's proxy listens for browsers
    bin: Path  # this environment's commands (jupyterhub-singleuser, nbgrader)

    @classmethod
    def from_environment(cls) -> Settings:
        srv = Path(setting("SRV", "/srv/nbgrader"))
        course = setting("COURSE_ID", "thread-sync")
        return cls(
            repo=Path(setting("REPO", str(HERE.parent))),
            course=course,
            exchange=Path(setting("EXCHANGE", str(srv / "exchange"))),
            course_dir=Path(setting("COURSE_DIR", str(srv / course))),
            state=Path(setting("HUB_STATE", "/srv/jupyterhub")),
            roster=Path(setting("ROSTER", str(HERE / "roster.csv"))),
            formgrader_ip=setting("FORMGRADER_IP", "127.0.0.1"),
            formgrader_port=int(setting("FORMGRADER_PORT", "9999")),
            gradebook_url=setting("GRADEBOOK_URL", ""),
            hub_api_url=setting("HUB_API_URL", "http://127.0.0.1:8081/hub/api"),
            bind_url=setting("BIND_URL", "http://127.0.0.1:8000"),
            bin=Path(sys.executable).parent,
        )

    @property
    def students_group(self) -> str:
        return f"nbgrader-{self.course}"

    @property
    def instructors_group(self) -> str:
        return f"formgrade-{self.course}"

    @property
    def grader_account(self) -> str:
        """The hub user the Formgrader acts as (nbgrader asks the hub for its courses): a
        member of the instructors' group that nobody logs in as."""
        return f"grader-{self.course}"

    @property
    def path(self) -> str:
        """PATH for the class's servers and terminals: this environment's commands first (a
        terminal's shell must find python, nbgrader and jupyter), then the system's."""
        return os.pathsep.join([str(self.bin), "/usr/local/bin", "/usr/bin", "/bin"])

    @property
    def formgrader_url(self) -> str:
        """Where the hub's proxy reaches the Formgrader (THREAD_SYNC_FORMGRADER_URL)."""
        return setting("FORMGRADER_URL", f"http://127.0.0.1:{self.formgrader_port}")

    @property
    def service_prefix(self) -> str:
        return f"/services/{self.course}/"


def groups(s: Settings, people) -> dict:
    """JupyterHub's load_groups for the roster: the groups nbgrader's hub plugin reads."""
    return {
        s.instructors_group: {"users": [*people.instructors, s.grader_account]},
        s.students_group: {"users": people.students},
    }


def roles(s: Settings) -> list[dict]:
    """JupyterHub's load_roles: what servers, instructors and the Formgrader may do."""
    return [
        {
            # What every user's server may ask the hub: who its user is and in which groups
            # (nbgrader's course membership), and where the Formgrader is (the course list).
            "name": "server",
            "scopes": [
                "users:activity!user",
                "access:servers!server",
                "read:users:name!user",
                "read:users:groups!user",
                "list:services",
                "read:services",
            ],
        },
        {
            "name": f"{s.course}-instructors",
            "description": f"The instructors of {s.course} reach its Formgrader service",
            "groups": [s.instructors_group],
            "scopes": [f"access:services!service={s.course}", "list:services", "read:services"],
        },
        {
            "name": f"{s.course}-formgrader",
            "description": "The Formgrader adds students to the course (nbgrader's hub plugin)",
            "services": [s.course],
            "scopes": [
                "list:users",
                "read:users",
                f"list:groups!group={s.students_group}",
                f"read:groups!group={s.students_group}",
                f"groups!group={s.students_group}",
            ],
        },
    ]


#: Pods' uids on Kubernetes start here: above any system account and the Formgrader's 1000.
POD_UID_BASE = 100_000


def pod_uid(name: str) -> int:
    """The uid a user's pod runs as on Kubernetes, one per user and the same on every start
    (their home volume stays theirs): 24 bits of the name's SHA-256 above POD_UID_BASE.
    autograder/grading/day/ownership.py computes the same to check who made a submission."""
    return POD_UID_BASE + int.from_bytes(hashlib.sha256(name.encode()).digest()[:3], "big")


def pod_uid_clashes(names) -> list[tuple[str, str]]:
    """Pairs of names whose pods would share a uid (rare: then rename one in the roster)."""
    seen: dict[int, str] = {}
    clashes = []
    for name in sorted(names):
        uid = pod_uid(name)
        if uid in seen:
            clashes.append((seen[uid], name))
        seen[uid] = name
    return clashes


def server_role(people, username: str) -> str:
    """Which Jupyter settings a user's server gets: "instructor" or "student"."""
    return "instructor" if username in people.instructors else "student"


def config_path(*roles: str) -> str:
    """JUPYTER_CONFIG_PATH for an account: its role's settings first, then the common ones."""
    return os.pathsep.join(str(JUPYTER_CONFIG / r) for r in (*roles, "common"))


COURSE_CONFIG_MARK = "# Written by deploy/classhub.py"


def course_config(s: Settings) -> str:
    """The course directory's nbgrader_config.py: the Formgrader's settings (the course's, then
    the hub's), with this deployment's folders written in. nbgrader reads it last, and so does
    the grading-day command, run from the course directory in any shell."""
    db_url = s.gradebook_url or "sqlite:///" + str(s.course_dir / "gradebook.db")
    formgrader = JUPYTER_CONFIG / "formgrader" / "nbgrader_config.py"
    return f"""{COURSE_CONFIG_MARK} when the hub or the Formgrader starts: do not edit.
# This course directory's nbgrader settings on the class hub: change deploy/ or the
# THREAD_SYNC_* settings (docs/hub.md) instead.
import os

c = get_config()  # noqa: F821
load_subconfig({str(formgrader)!r})  # noqa: F821
c.CourseDirectory.course_id = {s.course!r}
c.CourseDirectory.root = {str(s.course_dir)!r}
c.Exchange.root = {str(s.exchange)!r}
c.CourseDirectory.db_url = os.environ.get("THREAD_SYNC_GRADEBOOK_URL") or {db_url!r}
c.NbGrader.logfile = {str(s.course_dir / "nbgrader.log")!r}
# Grading day imports the class list from here (deploy/roster.py ROSTER --gradebook).
c.GradingDay.roster = {str(s.course_dir / "roster.csv")!r}
# Who made a submission: pods' uids on Kubernetes (THREAD_SYNC_POD_UIDS), else Unix accounts.
c.GradingDay.pod_uids = {bool(setting("POD_UIDS", ""))!r}
"""


def grader_account(s: Settings) -> pwd.struct_passwd | None:
    """The Formgrader's Unix account (named as its hub user), or None when there is none."""
    try:
        return pwd.getpwnam(s.grader_account)
    except KeyError:
        return None


def _give(path: Path, owner: pwd.struct_passwd | None) -> None:
    """Make ``owner`` (when given and we are root) the owner of path and all it holds."""
    if owner is None or os.geteuid() != 0:
        return
    for p in (path, *(path.rglob("*") if path.is_dir() else ())):
        os.lchown(p, owner.pw_uid, owner.pw_gid)


def prepare_folders(s: Settings) -> None:
    """Make the exchange (open to every account, sticky like /tmp) and the course directory,
    seeded with the course's source/ when it has none, and write its nbgrader_config.py.

    The course directory (solutions, submissions, the gradebook) is the Formgrader's alone: mode
    700, and owned by the Formgrader's Unix account when the hub, running as root, finds it.
    Never overwrites anything but a config this module wrote."""
    owner = grader_account(s)
    if not s.course_dir.exists():
        try:
            s.course_dir.mkdir(parents=True)
        except PermissionError:
            raise SystemExit(
                f"cannot make the course directory {s.course_dir}: start the hub first (as "
                "root, it makes the class's folders for the Formgrader's account)") from None
        _give(s.course_dir, owner)
    if s.course_dir.stat().st_uid == os.geteuid() or os.geteuid() == 0:
        s.course_dir.chmod(0o700)
    s.exchange.mkdir(parents=True, exist_ok=True)
    mode = stat.S_IMODE(s.exchange.stat().st_mode)
    wanted = mode | stat.S_IRWXU | stat.S_IRWXG | stat.S_IRWXO | stat.S_ISVTX
    if mode != wanted and s.exchange.stat().st_uid == os.geteuid():
        s.exchange.chmod(wanted)
    # Seeded from the repository's source/ when there is one (the course images have none:
    # on Kubernetes the instructors upload it, docs/hub.md).
    if not (s.course_dir / "source").exists() and (s.repo / "source").is_dir():
        shutil.copytree(s.repo / "source", s.course_dir / "source")
        _give(s.course_dir / "source", owner)
    config = s.course_dir / "nbgrader_config.py"
    wanted_text = course_config(s)
    if config.exists():
        text = config.read_text()
        if not text.startswith(COURSE_CONFIG_MARK):
            raise SystemExit(
                f"{config} is not the hub's: it would override the hub's nbgrader settings "
                "(exchange, gradebook). Move it away; the hub writes its own there."
            )
        if text == wanted_text:
            return
    # Written whole under another name, then renamed: the hub and the Formgrader start at once.
    fd, tmp = tempfile.mkstemp(dir=s.course_dir, prefix=".nbgrader_config.", suffix=".py")
    with os.fdopen(fd, "w") as f:
        f.write(wanted_text)
    os.chmod(tmp, 0o644)
    _give(Path(tmp), owner)
    os.replace(tmp, config)


def missing_accounts(s: Settings, names) -> list[str]:
    """Which of the roster's names, and the Formgrader's account, have no Unix account: each
    server runs as its user's account (LocalProcessSpawner), and PAM logs in only accounts."""
    wanted = [*sorted(names), s.grader_account]
    return [name for name in wanted if not _account_exists(name)]


def _account_exists(name: str) -> bool:
    try:
        pwd.getpwnam(name)
    except KeyError:
        return False
    return True


def formgrader_token(s: Settings) -> str:
    """The Formgrader service's API token: THREAD_SYNC_FORMGRADER_TOKEN, or one kept in the
    hub's state folder (made on first use, readable by its owner only)."""
    token = setting("FORMGRADER_TOKEN", "")
    if token:
        return token
    path = s.state / "formgrader_api_token"
    if not path.exists():
        s.state.mkdir(mode=0o700, parents=True, exist_ok=True)
        # Written whole under another name, then linked: the hub and the Formgrader may start
        # at the same moment, and neither may read a half-written token.
        fd, tmp = tempfile.mkstemp(dir=s.state, prefix=".formgrader_api_token.")
        try:
            with os.fdopen(fd, "w") as f:
                f.write(secrets.token_hex(32) + "\n")
            try:
                os.link(tmp, path)
            except FileExistsError:
                pass
        finally:
            os.unlink(tmp)
    return path.read_text().strip()


def formgrader_environment(s: Settings) -> dict[str, str]:
    """What the Formgrader service runs with: the hub's settings for a service named after the
    course (as JupyterHub gives a service it starts itself), and the course's."""
    prefix = s.service_prefix
    access = [f"access:services!service={s.course}"]
    return {
        "JUPYTER_CONFIG_PATH": config_path("formgrader"),
        "THREAD_SYNC_REPO": str(s.repo),
        "THREAD_SYNC_COURSE_ID": s.course,
        "THREAD_SYNC_COURSE_DIR": str(s.course_dir),
        "THREAD_SYNC_EXCHANGE": str(s.exchange),
        **({"THREAD_SYNC_GRADEBOOK_URL": s.gradebook_url} if s.gradebook_url else {}),
        "PATH": s.path,
        "JUPYTERHUB_SERVICE_NAME": s.course,
        "JUPYTERHUB_API_TOKEN": formgrader_token(s),
        "JUPYTERHUB_CLIENT_ID": f"service-{s.course}",
        "JUPYTERHUB_API_URL": s.hub_api_url,
        "JUPYTERHUB_BASE_URL": "/",
        "JUPYTERHUB_SERVICE_PREFIX": prefix,
        "JUPYTERHUB_SERVICE_URL": f"http://{s.formgrader_ip}:{s.formgrader_port}{prefix}",
        "JUPYTERHUB_OAUTH_CALLBACK_URL": prefix + "oauth_callback",
        "JUPYTERHUB_OAUTH_ACCESS_SCOPES": json.dumps(access),
        "JUPYTERHUB_OAUTH_SCOPES": json.dumps(access),
        "JUPYTERHUB_OAUTH_CLIENT_ALLOWED_SCOPES": json.dumps([]),
        "JUPYTERHUB_DEFAULT_URL": "/formgrader",
        "JUPYTERHUB_USER": s.grader_account,
    }
