"""A JupyterLab server of the course, started for the browser tests and stopped after them.

The server runs a temporary copy of the course (release/, source/, nbgrader_config.py and the
environments' settings in jupyter/), on 127.0.0.1, on a free port, with a random token, with the
same settings as ``./scripts/lab`` (``--instructor``): ``JUPYTER_CONFIG_PATH`` puts
``jupyter/<role>/`` first. Everything a user's own Jupyter would add (settings, workspaces,
kernels, trust database) is kept out, in the temporary folder.
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]

#: What a course copy holds: what the server and the notebooks read.
COPIED = ("release", "source", "jupyter", "nbgrader_config.py")
IGNORED = shutil.ignore_patterns(".ipynb_checkpoints", "__pycache__", "lab-workspaces")

#: Added to the copy's nbgrader_config.py: Validate runs beside the notebook's own kernel on a
#: machine the browser also loads, where importing the lesson's first cell can take more than
#: the course's 5 s per cell; these tests check that Validate reports, the lesson suite
#: (tests/lessons) checks the course's timeouts.
TEST_CONFIG = """
# Added by tests/browser (lab_server.py): room for a loaded machine.
c.ExecutePreprocessor.timeout = 60
c.Execute.iopub_timeout = 30
"""

START_TIMEOUT = 90.0  # seconds for the server to answer (a cold start on a busy 2-core machine)
STOP_TIMEOUT = 10.0


def free_port() -> int:
    """A TCP port free on 127.0.0.1 now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def make_exchange(root: Path) -> Path:
    """nbgrader's exchange as ``./scripts/lab`` makes it: world-writable, sticky."""
    exchange = root / "exchange"
    exchange.mkdir(exist_ok=True)
    exchange.chmod(0o1777)
    return exchange


def copy_course(dest: Path) -> Path:
    """A copy of the course to serve (the repository itself is never written to)."""
    dest.mkdir(parents=True, exist_ok=True)
    for name in COPIED:
        src = REPO / name
        if src.is_dir():
            shutil.copytree(src, dest / name, ignore=IGNORED)
        else:
            shutil.copy2(src, dest / name)
    with (dest / "nbgrader_config.py").open("a", encoding="utf-8") as f:
        f.write(TEST_CONFIG)
    make_exchange(dest)
    return dest


@dataclass
class Lab:
    """A running JupyterLab: its URL, token, course folder and process."""

    role: str
    root: Path
    home: Path
    port: int = field(default_factory=free_port)
    token: str = field(default_factory=lambda: secrets.token_hex(16))
    proc: subprocess.Popen | None = None
    log_path: Path | None = None

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def url(self, path: str, **query: str) -> str:
        """A URL of the server with the token."""
        params = "&".join([*(f"{k}={v}" if v else k for k, v in query.items()),
                           f"token={self.token}"])
        return f"{self.base}/{path.lstrip('/')}?{params}"

    def env(self) -> dict[str, str]:
        env = dict(os.environ)
        for key in ("JUPYTER_CONFIG_DIR", "JUPYTER_DATA_DIR", "JUPYTER_RUNTIME_DIR",
                    "JUPYTER_PATH", "JUPYTER_CONFIG_PATH"):
            env.pop(key, None)
        bindir = str(Path(sys.executable).parent)
        env.update(
            PATH=bindir + os.pathsep + env.get("PATH", ""),
            VIRTUAL_ENV=str(Path(sys.executable).parent.parent),
            JUPYTER_PREFER_ENV_PATH="1",
            JUPYTER_CONFIG_PATH=str(self.root / "jupyter" / self.role),
            JUPYTER_CONFIG_DIR=str(self.home / "config"),
            JUPYTER_DATA_DIR=str(self.home / "data"),
            JUPYTER_RUNTIME_DIR=str(self.home / "runtime"),
            HOME=str(self.home),
            PYTHONUNBUFFERED="1",
        )
        return env

    def start(self) -> Lab:
        """Start the server and wait (bounded) until it answers."""
        self.home.mkdir(parents=True, exist_ok=True)
        self.log_path = self.home / "jupyterlab.log"
        cmd = [
            sys.executable, "-m", "jupyter", "lab", "--allow-root", "--no-browser",
            "--ServerApp.ip=127.0.0.1", f"--ServerApp.port={self.port}",
            "--ServerApp.port_retries=0", f"--IdentityProvider.token={self.token}",
            f"--ServerApp.root_dir={self.root}",
            # The tests read the notebook's model through the app object (as galata does).
            "--LabApp.expose_app_in_browser=True",
            f"--LabApp.workspaces_dir={self.home / 'workspaces'}",
            f"--LabApp.user_settings_dir={self.home / 'user-settings'}",
            "--LabApp.news_url=", "--LabApp.check_for_updates_class="
            "jupyterlab.NeverCheckForUpdate",
        ]
        log = self.log_path.open("wb")
        self.proc = subprocess.Popen(cmd, cwd=self.root, env=self.env(), stdout=log,
                                     stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                                     start_new_session=True)
        log.close()
        deadline = time.monotonic() + START_TIMEOUT
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"JupyterLab ({self.role}) exited with {self.proc.returncode}:"
                                   f"\n{self.log()[-3000:]}")
            try:
                self.get("api/status", timeout=2)
                return self
            except (OSError, urllib.error.URLError):
                time.sleep(0.25)
        self.stop()
        raise TimeoutError(f"JupyterLab ({self.role}) did not answer within {START_TIMEOUT:.0f} s:"
                           f"\n{self.log()[-3000:]}")

    def get(self, path: str, *, timeout: float = 10.0) -> tuple[int, str]:
        """(status, body) of a GET to the server, with the token."""
        req = urllib.request.Request(self.base + "/" + path.lstrip("/"),
                                     headers={"Authorization": f"token {self.token}"})
        try:
            with urllib.request.urlopen(req, timeout=timeout) as resp:
                return resp.status, resp.read().decode("utf-8", "replace")
        except urllib.error.HTTPError as err:
            return err.code, err.read().decode("utf-8", "replace")

    def get_json(self, path: str) -> object:
        status, body = self.get(path)
        assert status == 200, f"GET {path}: {status} {body[:500]}"
        return json.loads(body)

    def log(self) -> str:
        """What the server wrote so far."""
        if self.log_path is None or not self.log_path.exists():
            return ""
        return self.log_path.read_text("utf-8", "replace")

    def stop(self) -> None:
        """Stop the server and its kernels (its whole process group), bounded in time."""
        proc = self.proc
        if proc is None or proc.poll() is not None:
            return
        try:
            os.killpg(proc.pid, signal.SIGTERM)
            proc.wait(STOP_TIMEOUT)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(STOP_TIMEOUT)
        except ProcessLookupError:
            pass
