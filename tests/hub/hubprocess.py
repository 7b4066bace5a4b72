"""A class hub from deploy/jupyterhub_config.py, run on loopback for a test, and a REST client.

The hub runs as docs/hub.md's one-machine path does: as root, with its defaults (PAM login,
LocalProcessSpawner: each server runs as its user's Unix account), the Formgrader beside it as
its own Unix account; the accounts are made by the documented commands (:mod:`accounts`). The
machine's folders (/srv/nbgrader, /srv/jupyterhub) are under the test's folder instead.
Everything listens on 127.0.0.1 on free ports; ``stop`` ends the hub and every process it
started, within a bounded time.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import json
import os
import pwd
import shutil
import signal
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import psutil
import requests
from tornado.httpclient import HTTPRequest
from tornado.websocket import websocket_connect

REPO = Path(__file__).resolve().parents[2]
CONFIG = REPO / "deploy" / "jupyterhub_config.py"
LOCAL_PROXY = REPO / ".node" / "node_modules" / ".bin" / "configurable-http-proxy"
# A request that makes nbgrader work in the server (generate, release) can take minutes when
# the machine is loaded.
REQUEST_TIMEOUT = 180


def proxy_command() -> str | None:
    """configurable-http-proxy: the repository's own (.node/, installed by scripts/test) or
    one on PATH."""
    if LOCAL_PROXY.exists():
        return str(LOCAL_PROXY)
    return shutil.which("configurable-http-proxy")


def _is_hub(r: requests.Response) -> bool:
    """Whether ``r`` is JupyterHub's answer to ``GET /hub/api/`` (its version, as JSON)."""
    try:
        return r.ok and "version" in r.json()
    except ValueError:
        return False


def free_ports(n: int) -> list[int]:
    """n distinct ports free on 127.0.0.1 right now."""
    sockets = []
    try:
        for _ in range(n):
            s = socket.socket()
            s.bind(("127.0.0.1", 0))
            sockets.append(s)
        return [s.getsockname()[1] for s in sockets]
    finally:
        for s in sockets:
            s.close()


class HubError(RuntimeError):
    pass


@dataclass
class Hub:
    """A running hub; ``url`` is its public (proxy) address. ``root`` must be traversable by
    every account (as /srv is); ``course`` is the course id, ``grader`` the Formgrader's Unix
    account, ``repo`` the course repository the hub reads (its source/ and nbgrader_config.py)."""

    root: Path
    roster: str
    course: str
    grader: str
    repo: Path = REPO
    accounts: object = None  # the test's accounts (tests/hub/accounts.py), for its own use
    proc: subprocess.Popen | None = None
    formgrader: subprocess.Popen | None = None
    url: str = ""
    log_path: Path = field(init=False)

    def __post_init__(self) -> None:
        self.log_path = self.root / "jupyterhub.log"
        self.formgrader_log_path = self.root / "formgrader.log"

    @property
    def srv(self) -> Path:
        return self.root / "srv"

    @property
    def course_dir(self) -> Path:
        return self.srv / self.course

    @property
    def state(self) -> Path:
        return self.root / "state"

    @property
    def roster_path(self) -> Path:
        return self.root / "roster.csv"

    @property
    def exchange(self) -> Path:
        return self.srv / "exchange"

    def environment(self) -> dict[str, str]:
        """What the hub and the Formgrader are started with: the settings of docs/hub.md's
        systemd units (one environment file for both), the folders under root. Nothing of the
        test's own environment but the locale: systemd starts services with an empty one."""
        return {
            "PATH": "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
            "LANG": os.environ.get("LANG", "C.UTF-8"),
            "THREAD_SYNC_REPO": str(self.repo),
            "THREAD_SYNC_COURSE_ID": self.course,
            "THREAD_SYNC_ROSTER": str(self.roster_path),
            "THREAD_SYNC_SRV": str(self.srv),
            "THREAD_SYNC_HUB_STATE": str(self.state),
            "THREAD_SYNC_FORMGRADER_PORT": str(self.formgrader_port),
            "THREAD_SYNC_FORMGRADER_TOKEN": self.token,
            "THREAD_SYNC_HUB_API_URL": f"http://127.0.0.1:{self.hub_api_port}/hub/api",
            "THREAD_SYNC_BIND_URL": self.url,
        }

    def formgrader_user(self) -> dict:
        """Popen's arguments that run the Formgrader as its account (systemd's User=)."""
        pw = pwd.getpwnam(self.grader)
        return {"user": pw.pw_uid, "group": pw.pw_gid, "extra_groups": [],
                "env_extra": {"HOME": pw.pw_dir, "USER": self.grader, "LOGNAME": self.grader,
                              "SHELL": pw.pw_shell}}

    def start(self, deadline: float = 180) -> None:
        proxy = proxy_command()
        if proxy is None:
            raise HubError(
                "configurable-http-proxy is not installed: ./scripts/test installs it into .node/"
                " (or: npm install --prefix .node configurable-http-proxy@5.1.0)"
            )
        # The roster, readable by root only (docs/hub.md): it holds e-mail addresses.
        self.roster_path.write_text(self.roster)
        self.roster_path.chmod(0o600)
        public, self.hub_api_port, proxy_api, self.formgrader_port = free_ports(4)
        self.url = f"http://127.0.0.1:{public}"
        self.token = uuid.uuid4().hex + uuid.uuid4().hex
        argv = [
            str(Path(sys.executable).parent / "jupyterhub"),
            "-f", str(CONFIG),
            f"--JupyterHub.hub_bind_url=http://127.0.0.1:{self.hub_api_port}",
            f"--ConfigurableHTTPProxy.api_url=http://127.0.0.1:{proxy_api}",
            f"--ConfigurableHTTPProxy.command={proxy}",
            # Students' servers start in a few seconds; the default allows 60 s per spawn.
            "--Spawner.start_timeout=60",
            "--Spawner.http_timeout=60",
        ]
        self.log = self.log_path.open("wb")
        self.proc = subprocess.Popen(
            argv, cwd=self.repo, env=self.environment(), stdout=self.log,
            stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, start_new_session=True,
        )
        end = time.monotonic() + deadline
        # The proxy answers first, with 404 for every path until the hub has added its route:
        # wait for the hub's own answer (its version), or the first request of a test races it.
        self._wait(self.proc, self.url + "/hub/api/", end, _is_hub)
        # The Formgrader's unit starts after the hub's (docs/hub.md): the hub, as root, makes
        # the folders the Formgrader's account works in.
        self.formgrader_log = self.formgrader_log_path.open("wb")
        user = self.formgrader_user()
        self.formgrader = subprocess.Popen(
            [sys.executable, str(REPO / "deploy" / "formgrader.py")], cwd="/",
            env={**self.environment(), **user.pop("env_extra")}, stdout=self.formgrader_log,
            stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, start_new_session=True, **user,
        )
        self._wait(self.formgrader, f"http://127.0.0.1:{self.formgrader_port}/services/", end)

    def memory(self) -> float:
        """Resident memory (MiB) of the hub and its proxy."""
        hub = psutil.Process(self.proc.pid)
        tree = [hub, *hub.children(recursive=True)]
        try:
            pid = int((self.state / "jupyterhub-proxy.pid").read_text().strip())
            tree.append(psutil.Process(pid))
        except (OSError, ValueError, psutil.Error):
            pass
        mine = [p for p in {p.pid: p for p in tree}.values()
                if "singleuser" not in " ".join(p.cmdline())
                and p.uids().real == 0]
        return sum(p.memory_info().rss for p in mine) / 2**20

    def _wait(self, proc: subprocess.Popen, url: str, end: float,
              ready: Callable[[requests.Response], bool] | None = None) -> None:
        """Until url answers (any HTTP status, or one ``ready`` accepts); fails if proc exits
        or end passes."""
        while time.monotonic() < end:
            if proc.poll() is not None:
                raise HubError(f"{proc.args[:2]} exited ({proc.returncode}):\n{self.log_tail()}")
            try:
                r = requests.get(url, timeout=2)
                if ready is None or ready(r):
                    return
            except requests.RequestException:
                pass
            time.sleep(0.2)
        raise HubError(f"{url} did not answer in time:\n{self.log_tail()}")

    def log_tail(self, lines: int = 40) -> str:
        tails = []
        for path in (self.log_path, self.formgrader_log_path):
            try:
                text = path.read_text(errors="replace")
            except OSError:
                text = "(no log)"
            tails.append(f"--- {path.name}:\n" + "\n".join(text.splitlines()[-lines:]))
        return "\n".join(tails)

    def processes(self, uids: frozenset[int] = frozenset()) -> list[psutil.Process]:
        """The hub, the Formgrader and everything they started (proxy, servers, kernels) that
        is running, also what a hub that died left behind: its proxy (from its pid file) and
        anything working in the test's folder, and anything run by the given accounts' uids
        (servers, kernels and terminals run as the students)."""
        found: dict[int, psutil.Process] = {}
        for proc in (self.proc, self.formgrader):
            if proc is None:
                continue
            try:
                top = psutil.Process(proc.pid)
                for p in (top, *top.children(recursive=True)):
                    found[p.pid] = p
            except psutil.NoSuchProcess:
                pass
        try:
            pid = int((self.state / "jupyterhub-proxy.pid").read_text().strip())
            proxy = psutil.Process(pid)
            if "configurable-http-proxy" in " ".join(proxy.cmdline()):
                found[pid] = proxy
        except (OSError, ValueError, psutil.Error):
            pass
        root = str(self.root)
        for p in psutil.process_iter():
            try:
                if p.pid not in found and (p.uids().real in uids or p.cwd().startswith(root)):
                    found[p.pid] = p
            except psutil.Error:
                pass
        return [p for p in found.values() if p.is_running()]

    def stop(self, grace: float = 45, uids: frozenset[int] = frozenset()) -> list[str]:
        """Stop the hub (which stops its servers and proxy), then kill whatever outlived
        grace seconds. Returns the command lines of the processes that had to be killed."""
        family = self.processes(uids)
        for proc in (self.proc, self.formgrader):
            if proc is not None and proc.poll() is None:
                proc.send_signal(signal.SIGTERM)
        _gone, alive = psutil.wait_procs(family, timeout=grace)
        killed = []
        for p in alive:
            try:
                killed.append(" ".join(p.cmdline()))
                p.kill()
            except psutil.NoSuchProcess:
                pass
        psutil.wait_procs(alive, timeout=5)
        for proc in (self.proc, self.formgrader):
            if proc is not None:
                proc.wait(timeout=5)
        for log in (getattr(self, "log", None), getattr(self, "formgrader_log", None)):
            if log is not None:
                log.close()
        return killed


class Client:
    """A user of the hub, with an API token got by logging in with their password."""

    def __init__(self, hub: Hub, name: str, password: str) -> None:
        self.hub, self.name = hub, name
        self.session = requests.Session()
        r = self.session.post(
            f"{hub.url}/hub/api/users/{name}/tokens",
            json={"auth": {"username": name, "password": password}, "note": "hub test"},
            timeout=REQUEST_TIMEOUT,
        )
        if r.status_code != 201:
            raise HubError(f"{name} could not log in: {r.status_code} {r.text[:300]}")
        self.token = r.json()["token"]
        self.session.headers["Authorization"] = f"token {self.token}"

    def request(self, method: str, path: str, **kw) -> requests.Response:
        """path is absolute on the hub's public address (/hub/api/..., /user/..., /services/...)."""
        kw.setdefault("timeout", REQUEST_TIMEOUT)
        return self.session.request(method, self.hub.url + path, **kw)

    def request_server(self) -> None:
        """Ask the hub to start this user's server (it starts in the background)."""
        r = self.request("POST", f"/hub/api/users/{self.name}/server")
        if r.status_code not in (201, 202):
            raise HubError(f"{self.name}: starting the server: {r.status_code} {r.text[:300]}")

    def wait_server(self, deadline: float = 120) -> str:
        """Wait until this user's server is up and answers; returns its URL prefix."""
        prefix = f"/user/{self.name}"
        end = time.monotonic() + deadline
        while time.monotonic() < end:
            model = self.request("GET", f"/hub/api/users/{self.name}").json()
            server = model.get("servers", {}).get("", {})
            if server.get("ready"):
                if self.request("GET", prefix + "/api/status").ok:
                    return prefix
            elif server and not server.get("pending"):
                raise HubError(f"{self.name}'s server stopped: {server}\n{self.hub.log_tail()}")
            time.sleep(0.25)
        raise HubError(f"{self.name}'s server did not start in {deadline} s\n{self.hub.log_tail()}")


def execute(client: Client, kernel_id: str, code: str, timeout: float = 120) -> dict:
    """Run code in a kernel of the client's server over the kernel's websocket (through the
    hub's proxy, as JupyterLab does); returns the execute_reply's content, with what the code
    printed under "stdout"."""
    url = client.hub.url.replace("http", "ws", 1)
    url += f"/user/{client.name}/api/kernels/{kernel_id}/channels"

    async def run() -> dict:
        request = HTTPRequest(url, headers={"Authorization": f"token {client.token}"})
        conn = await websocket_connect(request)
        try:
            msg_id = uuid.uuid4().hex
            conn.write_message(json.dumps({
                "header": {
                    "msg_id": msg_id, "msg_type": "execute_request", "username": client.name,
                    "session": uuid.uuid4().hex, "date": "", "version": "5.3",
                },
                "parent_header": {}, "metadata": {}, "channel": "shell",
                "content": {"code": code, "silent": False, "store_history": False,
                            "user_expressions": {}, "allow_stdin": False},
            }))
            printed, reply, idle = [], None, False
            # The reply (shell channel) may come before the output (iopub): wait for both the
            # reply and the kernel's "idle" after this request.
            while reply is None or not idle:
                raw = await conn.read_message()
                if raw is None:
                    raise HubError("the kernel's websocket closed")
                msg = json.loads(raw)
                if msg.get("parent_header", {}).get("msg_id") != msg_id:
                    continue
                kind = msg["header"]["msg_type"]
                if kind == "stream" and msg["content"].get("name") == "stdout":
                    printed.append(msg["content"]["text"])
                elif kind == "status" and msg["content"].get("execution_state") == "idle":
                    idle = True
                elif kind == "execute_reply":
                    reply = msg["content"]
            return {**reply, "stdout": "".join(printed)}
        finally:
            conn.close()

    return _run(run, timeout)


def terminal(client: Client, prefix: str, script: str, end: str, timeout: float = 300) -> str:
    """Run script in a new terminal of the Jupyter server at prefix (/user/NAME or
    /services/COURSE), as JupyterLab's terminal does (terminado's websocket, through the
    hub's proxy); returns what the terminal showed until the line ``end`` appeared."""
    r = client.request("POST", f"{prefix}/api/terminals")
    if r.status_code != 200:
        raise HubError(f"{prefix}: no terminal: {r.status_code} {r.text[:300]}")
    name = r.json()["name"]
    url = client.hub.url.replace("http", "ws", 1) + f"{prefix}/terminals/websocket/{name}"

    async def run() -> str:
        request = HTTPRequest(url, headers={"Authorization": f"token {client.token}"})
        conn = await websocket_connect(request)
        shown = []
        try:
            conn.write_message(json.dumps(["stdin", script + "\n"]))
            while True:
                raw = await conn.read_message()
                if raw is None:
                    raise HubError("the terminal's websocket closed:\n" + "".join(shown))
                msg = json.loads(raw)
                if msg[0] == "stdout":
                    shown.append(msg[1])
                    text = "".join(shown).replace("\r", "")
                    # The end line as printed, not as echoed with the command typed.
                    if any(line == end for line in text.split("\n")):
                        return text
        finally:
            conn.close()

    try:
        return _run(run, timeout)
    finally:
        client.request("DELETE", f"{prefix}/api/terminals/{name}")


def _run(coroutine, timeout: float):
    """Run an async function to its end, bounded by timeout, from synchronous code."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:  # no loop in this thread: the usual case
        return asyncio.run(asyncio.wait_for(coroutine(), timeout))
    # A loop runs in this thread already (Playwright's sync API, when the browser tests ran
    # earlier in the same session): asyncio.run refuses, so use a thread of its own.
    with concurrent.futures.ThreadPoolExecutor(1) as pool:
        return pool.submit(
            lambda: asyncio.run(asyncio.wait_for(coroutine(), timeout))).result()
