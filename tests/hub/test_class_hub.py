"""End to end: a class on JupyterHub on docs/hub.md's one-machine path, on loopback.

As root, from nothing: the roster's Unix accounts and the Formgrader's, made by the documented
commands (tests/hub/accounts.py); the hub from deploy/jupyterhub_config.py with its defaults (PAM
login, LocalProcessSpawner: each server runs as its student's account); the Formgrader beside it
as its own account. An instructor and two students, driven through the hub's REST API, the
Formgrader service's API and their own servers' APIs, kernels and terminals: release, fetch,
answer, submit (and one submission forged in the other student's name), the grading day in a
terminal of the Formgrader, feedback. Then, as a student inside their own server (a kernel and a
terminal), every read, listing and write of what is not theirs is refused by the system.

Skipped, with the reason, where this cannot run: not root, no PAM, no configurable-http-proxy.
"""

from __future__ import annotations

import json
import os
import pwd
import secrets
import shutil
import stat
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

import nbformat
import psutil
import pytest
from accounts import Accounts, why_not
from hubprocess import REPO, Client, Hub, HubError, execute, proxy_command, terminal
from nbgrader.api import Gradebook

from autograder.grading.base import notebooks
from autograder.grading.checks import corpus
from autograder.grading.day import ownership

# The tests share one class (a module fixture): one xdist worker runs them all.
pytestmark = pytest.mark.xdist_group("class_hub")

# Names of this run only: the accounts are made and removed by the test, and never clash
# with a machine's own (a real class's grader-thread-sync, say).
RUN = "t" + secrets.token_hex(2)
COURSE = f"{RUN}-sync"
GRADER = f"grader-{COURSE}"
ADA, ALAN, BARBARA = f"{RUN}ada", f"{RUN}alan", f"{RUN}barbara"
LESSON = "04_event"
EXERCISE = "one_shot"
# A partly wrong answer from the corpus: a second set() overwrites the value (expect: partial).
WRONG_ANSWER = REPO / "tests" / "corpus" / EXERCISE / "second_set_overwrites.py"
ROSTER = f"""username,role,first_name,last_name,email
{ADA},instructor,Ada,Lovelace,ada@example.org
{ALAN},student,Alan,Turing,alan@example.org
{BARBARA},student,Barbara,Liskov,barbara@example.org
"""
# What a lesson's kernel has imported once its first cells ran.
LESSON_IMPORTS = "import threading, matplotlib.pyplot, ipywidgets, autograder, course"
GRADING_TIMEOUT = 420  # s for the grading day (about 40 s here; minutes on a loaded machine)
#: docs/hub.md, step 4: the solutions, the tests and the history for root and the Formgrader.
STEP_4 = ['chown -R "root:$GRADER" source && chmod 750 source', "chmod 700 .git tests"]
#: docs/hub.md: the gradebook's class list, from the roster, readable by the Formgrader only.
GRADEBOOK_ROSTER = (
    '(umask 077 && "$REPO/.venv/bin/python" "$REPO/deploy/roster.py" "$ROSTER" --gradebook'
    ' > "$COURSE_DIR/roster.csv") && chown "$GRADER:" "$COURSE_DIR/roster.csv"'
)


def _why_not() -> str | None:
    why = why_not()
    if why:
        return why
    if proxy_command() is None:
        return ("configurable-http-proxy is not installed: ./scripts/test installs it into"
                " .node/ (npm install --prefix .node configurable-http-proxy@5.1.0)")
    closed = _closed_folders()
    if closed and os.environ.get("CI") != "true":
        return (f"other accounts cannot reach this environment's Python ({sys.executable}) "
                f"through {', '.join(map(str, closed))}, as the class's servers must; under "
                "CI=true the test opens them (o+x) for its duration")
    return None


def _closed_folders() -> list[Path]:
    """The folders on the way to this environment's Python, its packages and the repository
    that other accounts cannot pass through (a pyenv under /root, say)."""
    paths = {Path(sys.executable).resolve(), Path(sys.executable), Path(os.__file__).resolve(),
             Path(nbformat.__file__).resolve(), REPO / "autograder"}
    closed = set()
    for path in paths:
        for folder in path.parents:
            if not folder.stat().st_mode & 0o001:
                closed.add(folder)
    return sorted(closed)


@pytest.fixture(scope="module")
def reachable():
    """Let the class's accounts pass through the folders to this environment (CI only, see
    _why_not), as a Debian install in /opt/thread-sync lets them; put back afterwards."""
    why = _why_not()
    if why:
        pytest.skip(why)
    opened = []
    try:
        for folder in _closed_folders():
            mode = stat.S_IMODE(folder.stat().st_mode)
            folder.chmod(mode | 0o001)
            opened.append((folder, mode))
        yield
    finally:
        for folder, mode in reversed(opened):
            folder.chmod(mode)


@pytest.fixture(scope="module")
def hub(reachable):
    # Not pytest's tmp_path (mode 700): every account reaches the class's folders, as in /srv.
    root = Path(tempfile.mkdtemp(prefix="thread-sync-hub-"))
    root.chmod(0o755)
    (root / "roster.csv").write_text(ROSTER)
    users = Accounts()
    h = None
    try:
        users.make(root / "roster.csv", GRADER, [ADA, ALAN, BARBARA])
        h = Hub(root, ROSTER, COURSE, GRADER, repo=_repository(root / "repo"), accounts=users)
        h.start()
        yield h
    finally:
        killed = h.stop(uids=users.uids()) if h is not None else []
        left = h.processes(users.uids()) if h is not None else []
        for p in left:
            p.kill()
        unremoved = users.remove()
        shutil.rmtree(root, ignore_errors=True)
    assert not killed, f"processes outlived the hub's shutdown and were killed: {killed}"
    assert not left, left
    assert not unremoved, unremoved


def _repository(path: Path) -> Path:
    """What the hub reads of the course repository (its source/ and nbgrader_config.py), with
    docs/hub.md's permissions: source/ for root and the Formgrader's account only."""
    path.mkdir()
    shutil.copytree(REPO / "source", path / "source")
    shutil.copytree(REPO / "tests" / "corpus", path / "tests" / "corpus")
    shutil.copy(REPO / "nbgrader_config.py", path)
    (path / ".git").mkdir()
    for script in STEP_4:
        subprocess.run(["bash", "-euc", script], cwd=path, check=True, timeout=60,
                       env={**os.environ, "GRADER": GRADER})
    return path


@pytest.fixture(scope="module")
def users(hub):
    return {name: Client(hub, name, pw) for name, pw in hub.accounts.passwords.items()}


def formgrader(client: Client, method: str, path: str):
    return client.request(method, f"/services/{COURSE}/formgrader/api{path}")


def action(client: Client, what: str) -> list[dict]:
    """nbgrader's assignment list in the user's own server: fetch, submit or fetch_feedback."""
    r = client.request(
        "POST", f"/user/{client.name}/assignments/{what}",
        params={"course_id": COURSE, "assignment_id": LESSON},
    )
    assert r.status_code == 200, (what, r.status_code, r.text[:500])
    body = r.json()
    assert body.get("success"), f"{client.name}: {what} failed: {body}"
    return body["value"]


def contents(client: Client, path: str, **params):
    r = client.request("GET", f"/user/{client.name}/api/contents/{path}", params=params)
    assert r.status_code == 200, (path, r.status_code, r.text[:300])
    return r.json()


def answer(client: Client, path: str, source: str) -> None:
    """Write source into the fetched notebook's answer cell, through the contents API."""
    model = contents(client, path, content=1)
    nb = nbformat.from_dict(model["content"])
    nb = corpus.inject(nb, {EXERCISE: source})
    r = client.request(
        "PUT", f"/user/{client.name}/api/contents/{path}",
        json={"type": "notebook", "format": "json", "content": nb},
    )
    assert r.status_code == 200, (r.status_code, r.text[:300])


def shell(client: Client, prefix: str, script: str, timeout: float = 300) -> str:
    """Run a bash script in a terminal of the server at prefix; returns what it printed.

    The script is saved in the server's folder through its contents API (as the server's
    account) and the terminal runs it: a long line typed into a terminal that has not yet
    switched to bash's line editing would meet the terminal's 4095-character line limit."""
    name = f"hubtest-{uuid.uuid4().hex[:8]}.sh"  # not hidden: servers refuse to make those
    body = f'rm -f -- "$0"\necho BEGIN\n{script}\necho END\n'  # gone once bash has it open
    r = client.request("PUT", f"{prefix}/api/contents/{name}",
                       json={"type": "file", "format": "text", "content": body})
    assert r.status_code in (200, 201), (r.status_code, r.text[:300])
    shown = terminal(client, prefix, f"bash {name}", "END", timeout)
    # After the typed line (echoed with the terminal's escape sequences) comes the output.
    return shown.split("BEGIN\n", 1)[-1].rsplit("\nEND", 1)[0]


@pytest.fixture(scope="module")
def graded(hub, users):
    """The class, from release to feedback; what happened, for the tests below."""
    ada, alan, barbara = users[ADA], users[ALAN], users[BARBARA]
    t0 = time.monotonic()
    seen: dict = {}

    # The instructor generates and releases the lesson through the Formgrader service.
    status = formgrader(ada, "GET", "/status")
    assert status.status_code == 200, (status.status_code, status.text[:300])
    for step in ("assign", "release"):
        r = formgrader(ada, "POST", f"/assignment/{LESSON}/{step}")
        assert r.status_code == 200, (step, r.status_code, r.text[:500])
        assert r.json()["success"], (step, r.json())
    assert (hub.exchange / COURSE / "outbound" / LESSON / f"{LESSON}.ipynb").exists()

    # Students fetch, answer (one right, one partly wrong) and submit, from their own servers.
    source = notebooks.read(REPO / "source" / LESSON / f"{LESSON}.ipynb")
    answers = {
        alan: corpus.solutions(source)[EXERCISE] + f"\n# {ALAN}'s own answer\n",
        barbara: WRONG_ANSWER.read_text() + f"\n# {BARBARA}'s own answer\n",
    }
    for student in answers:
        student.request_server()  # both start at once
    for student, text in answers.items():
        student.wait_server()
        listed = action(student, "fetch")
        fetched = [a for a in listed if a["assignment_id"] == LESSON and a["status"] == "fetched"]
        assert fetched, listed
        answer(student, f"{COURSE}/{LESSON}/{LESSON}.ipynb", text)
        listed = action(student, "submit")
        assert any(a["status"] == "submitted" for a in listed if a["assignment_id"] == LESSON)

    # Barbara, in her terminal, submits her notebook in Alan's name (past the hub's check of
    # who she is, which a command line can turn off).
    out = shell(barbara, f"/user/{BARBARA}", (
        f"cd && nbgrader submit {LESSON} --course={COURSE} --student={ALAN}"
        " --Authenticator.plugin_class=nbgrader.auth.NoAuthPlugin >/dev/null 2>&1;"
        " echo SUBMITTED=$?; command -v python nbgrader"))
    assert "SUBMITTED=0" in out, out
    seen["student PATH"] = out
    inbound = hub.exchange / COURSE / "inbound"
    forged = [p for p in inbound.glob(f"{ALAN}+{LESSON}+*")
              if p.stat().st_uid == pwd.getpwnam(BARBARA).pw_uid]
    assert len(forged) == 1, list(inbound.iterdir())

    seen["server MiB"], seen["kernel MiB"] = server_memory(hub, alan)
    seen["hub MiB"] = hub.memory()
    formgrader_tree = psutil.Process(hub.formgrader.pid)
    seen["formgrader MiB"] = sum(
        p.memory_info().rss for p in (formgrader_tree, *formgrader_tree.children(True))) / 2**20

    # The gradebook's class list, as docs/hub.md makes it; then the instructor's grading day,
    # in a terminal of the Formgrader (which runs as its own account).
    env = {**os.environ, "REPO": str(REPO), "ROSTER": str(hub.roster_path),
           "COURSE_DIR": str(hub.course_dir), "GRADER": GRADER}
    subprocess.run(["bash", "-euc", GRADEBOOK_ROSTER], env=env, check=True, timeout=60)
    t1 = time.monotonic()
    out = shell(ada, f"/services/{COURSE}", (
        f'pwd; command -v python; python -m autograder.grading day {LESSON} --workers 2 '
        f'> "$HOME/day.log" 2>&1; echo DAY-EXIT=$?'), timeout=GRADING_TIMEOUT)
    seen["grading day s"] = time.monotonic() - t1
    log = (Path(pwd.getpwnam(GRADER).pw_dir) / "day.log").read_text(errors="replace")
    assert "DAY-EXIT=0" in out, f"{out}\n{log}"
    assert out.splitlines()[0] == str(hub.course_dir), out
    assert out.splitlines()[1] == str(Path(sys.executable).parent / "python"), out
    seen["day log"], seen["forged"] = log, forged[0]
    with Gradebook(f"sqlite:///{hub.course_dir / 'gradebook.db'}") as gb:
        seen["full"] = gb.find_assignment(LESSON).max_score
        seen["scores"] = {s: gb.find_submission(LESSON, s).score for s in (ALAN, BARBARA)}
        seen["names"] = {s.id: s.first_name for s in gb.students}

    # Each student fetches feedback, and sees only their own.
    for student in (alan, barbara):
        listed = action(student, "fetch_feedback")
        mine = [
            sub for a in listed if a["assignment_id"] == LESSON and a["status"] == "submitted"
            for sub in a["submissions"]
        ]
        assert mine and all(s["has_local_feedback"] for s in mine), mine
        folder = f"{COURSE}/{LESSON}/feedback"
        stamps = contents(student, folder)["content"]
        assert stamps, stamps
        html = "".join(contents(student, f"{s['path']}/{LESSON}.html", content=1)["content"]
                       for s in stamps)
        seen.setdefault("feedback", {})[student.name] = html.replace("&#39;", "'")
    seen["seconds"] = time.monotonic() - t0
    print(f"\nmemory of a student's server with one kernel: {seen['server MiB']:.0f} MiB"
          f" (the kernel: {seen['kernel MiB']:.0f} MiB)"
          f"\nmemory of the hub and its proxy: {seen['hub MiB']:.0f} MiB"
          f"\nmemory of the Formgrader (after generate and release): "
          f"{seen['formgrader MiB']:.0f} MiB"
          f"\ngrading day of two submissions: {seen['grading day s']:.1f} s"
          f"\nhub end-to-end: {seen['seconds']:.1f} s after the hub started")
    return seen


def test_a_class_on_the_documented_path(hub, users, graded):
    ada, alan, barbara = users[ADA], users[ALAN], users[BARBARA]
    # Only the roster logs in, with their Unix password.
    with pytest.raises(HubError, match="403"):
        Client(hub, "mallory", "guess")
    with pytest.raises(HubError, match="403"):
        Client(hub, ALAN, hub.accounts.passwords[BARBARA])

    # The servers run as their students' accounts, with the course's commands on PATH.
    bindir = Path(sys.executable).parent
    assert f"{bindir}/python\n{bindir}/nbgrader" in graded["student PATH"], graded
    for student in (alan, barbara):
        assert student.request("GET", f"/user/{student.name}/formgrader").status_code == 404
        page = student.request("GET", f"/user/{student.name}/lab")
        assert page.status_code == 200
        disabled = _page_config(page.text)["disabledExtensions"]
        for plugin in ("formgrader", "create-assignment", "course-list"):
            assert f"@jupyter/nbgrader:{plugin}" in disabled, disabled

    # A student reaches neither the Formgrader nor another student's server.
    assert formgrader(alan, "GET", "/status").status_code == 403
    assert formgrader(alan, "GET", "/submissions/" + LESSON).status_code == 403
    r = alan.request("GET", f"/user/{BARBARA}/api/contents/{COURSE}")
    assert r.status_code == 403, r.status_code
    r = barbara.request("GET", f"/user/{ALAN}/api/contents/{COURSE}/{LESSON}/{LESSON}.ipynb")
    assert r.status_code == 403, r.status_code
    # Nor does an instructor, who is not a hub admin: the Formgrader is where they see work.
    assert ada.request("GET", f"/user/{ALAN}/api/contents/{COURSE}").status_code == 403

    # The grading day graded each student's own answer: Barbara's forgery in Alan's name was
    # refused (moved out of the exchange), and Alan's status says why.
    scores, full = graded["scores"], graded["full"]
    assert scores[ALAN] == full, scores
    assert 0 < scores[BARBARA] < full, scores
    assert graded["names"].get(ALAN) == "Alan", "the roster went into the gradebook"
    assert not graded["forged"].exists()
    (why,) = ownership.flags(hub.course_dir, LESSON, ALAN)
    assert f"made by Unix account {BARBARA}, not by {ALAN}" in why, why
    assert "flagged" in graded["day log"], graded["day log"]
    assert ownership.flags(hub.course_dir, LESSON, BARBARA) == []

    # Each student's feedback is their own.
    for me, other in ((ALAN, BARBARA), (BARBARA, ALAN)):
        html = graded["feedback"][me]
        assert f"{me}'s own answer" in html and f"{other}'s own answer" not in html
        assert f"{scores[me]:g}" in html


def _targets(hub: Hub) -> dict[str, Path]:
    """What a student must not reach: a name -> a path (which exists: checked as root)."""
    course, alan_home = hub.course_dir, Path(pwd.getpwnam(ALAN).pw_dir)
    (alan_inbound,) = list((hub.exchange / COURSE / "inbound").glob(f"{ALAN}+{LESSON}+*"))
    targets = {
        "source/ (course)": course / "source" / LESSON / f"{LESSON}.ipynb",
        "source/ (repository)": hub.repo / "source" / LESSON / f"{LESSON}.ipynb",
        "tests/ (repository)": hub.repo / "tests" / "corpus" / EXERCISE / "event_and_lock.py",
        "gradebook": course / "gradebook.db",
        "grades.csv": course / "grades.csv",
        "hub database": hub.state / "jupyterhub.sqlite",
        "hub cookie secret": hub.state / "jupyterhub_cookie_secret",
        "roster": hub.roster_path,
        "gradebook roster": course / "roster.csv",
        "another student's home": alan_home / COURSE / LESSON / f"{LESSON}.ipynb",
        "submitted (collected)": course / "submitted" / ALAN / LESSON / f"{LESSON}.ipynb",
        "submitted (exchange)": alan_inbound / f"{LESSON}.ipynb",
        "autograded": course / "autograded" / ALAN / LESSON / f"{LESSON}.ipynb",
        "feedback (course)": course / "feedback" / ALAN / LESSON / f"{LESSON}.html",
    }
    for name, path in targets.items():
        assert path.exists(), f"{name}: {path} is missing, so a refusal would prove nothing"
    return targets


def _probes(hub: Hub) -> list[tuple[str, str, str]]:
    """(what, operation, path): read, list (the folder) and write each target, and write a
    new file beside it. (The roster's folder is deploy/ in the repository, listable by all.)"""
    probes = []
    for name, path in _targets(hub).items():
        probes += [(name, "read", str(path)), (name, "write", str(path)),
                   (name, "write", str(path.parent / "probe.txt"))]
        if name != "roster":
            probes.append((name, "list", str(path.parent)))
    exchange = hub.exchange / COURSE
    probes += [("exchange inbound", "list", str(exchange / "inbound")),
               ("exchange feedback", "list", str(exchange / "feedback")),
               ("hub state", "list", str(hub.state))]
    return probes


KERNEL_PROBE = """
import json, os
def probe(op, path):
    try:
        if op == "read":
            open(path, "rb").read(1)
        elif op == "list":
            os.listdir(path)
        else:
            open(path, "ab").close()
        return "allowed"
    except PermissionError:
        return "refused"
    except OSError as error:
        return f"{type(error).__name__}: {error}"
print(json.dumps({"uid": os.getuid(), "results": [probe(op, p) for _, op, p in PROBES]}))
"""

TERMINAL_PROBE = """
while IFS=$'\\t' read -r what op path; do
  case $op in
    read) out=$(cat -- "$path" 2>&1 >/dev/null);;
    list) out=$(ls -- "$path" 2>&1 >/dev/null);;
    write) out=$( (: >> "$path") 2>&1);;
  esac
  echo "PROBE $? $op $path :: $out"
done <<'PROBES'
%s
PROBES
id -un
"""


def test_a_student_in_their_own_server_is_refused_by_the_system(hub, users, graded):
    barbara = users[BARBARA]
    probes = _probes(hub)
    assert len(probes) > 50

    # In a kernel of her own server.
    r = barbara.request("POST", f"/user/{BARBARA}/api/kernels", json={"name": "python3"})
    assert r.status_code == 201, (r.status_code, r.text[:300])
    kernel = r.json()["id"]
    try:
        reply = execute(barbara, kernel, f"PROBES = {probes!r}\n{KERNEL_PROBE}")
    finally:
        barbara.request("DELETE", f"/user/{BARBARA}/api/kernels/{kernel}")
    assert reply["status"] == "ok", reply
    found = json.loads(reply["stdout"])
    assert found["uid"] == pwd.getpwnam(BARBARA).pw_uid, "the kernel runs as the student"
    reached = [(p, r) for p, r in zip(probes, found["results"], strict=True) if r != "refused"]
    assert not reached, f"a student's kernel reached: {reached}"

    # In a terminal of her own server.
    lines = "\n".join("\t".join(p) for p in probes)
    out = shell(barbara, f"/user/{BARBARA}", TERMINAL_PROBE % lines)
    results = [line for line in out.splitlines() if line.startswith("PROBE ")]
    assert len(results) == len(probes), out
    reached = [line for line in results
               if line.startswith("PROBE 0 ") or "Permission denied" not in line]
    assert not reached, "a student's terminal reached:\n" + "\n".join(reached)
    assert out.splitlines()[-1] == BARBARA, out

    # What is hers she still reads: her feedback, fetched into her home.
    mine = list((Path(pwd.getpwnam(BARBARA).pw_dir) / COURSE / LESSON / "feedback").glob(
        f"*/{LESSON}.html"))
    assert mine, "no feedback fetched"
    out = shell(barbara, f"/user/{BARBARA}", f"grep -c \"{BARBARA}'s own answer\" {mine[0]}")
    assert out.strip().splitlines()[-1] != "0", out


def server_memory(hub: Hub, student: Client) -> tuple[float, float]:
    """Resident memory (MiB) of the student's server with a kernel that has imported what a
    lesson uses (the process tree of the server running as the student's account), and of
    the kernel alone."""
    r = student.request("POST", f"/user/{student.name}/api/kernels", json={"name": "python3"})
    assert r.status_code == 201, (r.status_code, r.text[:300])
    kernel = r.json()["id"]
    try:
        reply = execute(student, kernel, LESSON_IMPORTS)
        assert reply["status"] == "ok", reply
        uid = pwd.getpwnam(student.name).pw_uid
        servers = [
            p for p in psutil.process_iter()
            if p.uids().real == uid and "jupyterhub-singleuser" in " ".join(p.cmdline())
        ]
        assert len(servers) == 1, servers
        tree = [servers[0], *servers[0].children(recursive=True)]
        kernels = [p for p in tree if "ipykernel" in " ".join(p.cmdline())]
        assert len(kernels) == 1, "no kernel in the tree"
        return (sum(p.memory_info().rss for p in tree) / 2**20,
                kernels[0].memory_info().rss / 2**20)
    finally:
        student.request("DELETE", f"/user/{student.name}/api/kernels/{kernel}")


def _page_config(html: str) -> dict:
    start = html.index('id="jupyter-config-data"')
    start = html.index(">", start) + 1
    end = html.index("</script>", start)
    return json.loads(html[start:end])
