"""End to end: a class on JupyterHub, from deploy/jupyterhub_config.py, on loopback.

An instructor and two students, driven only through the hub's REST API, the Formgrader service's
API and their own servers' APIs (nbgrader's assignment list, Jupyter's contents API): release,
fetch, answer, submit, collect, autograde, release and fetch feedback. Each student sees only
their own feedback; a student reaches neither the Formgrader nor another student's server.
"""

from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

import nbformat
import pytest
from hubprocess import REPO, Client, Hub, HubError, execute
from nbgrader.api import Gradebook

from autograder.grading import corpus, notebooks

COURSE = "thread-sync"
LESSON = "04_event"
EXERCISE = "one_shot"
# A partly wrong answer from the corpus: a second set() overwrites the value (expect: partial).
WRONG_ANSWER = REPO / "tests" / "corpus" / EXERCISE / "second_set_overwrites.py"
ROSTER = """username,role,first_name,last_name,email
ada,instructor,Ada,Lovelace,ada@example.org
alan,student,Alan,Turing,
barbara,student,Barbara,Liskov,
"""
# What a lesson's kernel has imported once its first cells ran.
LESSON_IMPORTS = "import threading, matplotlib.pyplot, ipywidgets, autograder, course"
GRADING_TIMEOUT = 300  # s for each grading step (autograde: 16 CPU-s; minutes on a loaded machine)



@pytest.fixture(scope="module")
def hub(tmp_path_factory):
    h = Hub(tmp_path_factory.mktemp("hub"), ROSTER)
    try:
        h.start()
    except HubError:
        h.stop()
        raise
    yield h
    killed = h.stop()
    assert not killed, f"processes outlived the hub's shutdown and were killed: {killed}"
    assert not h.processes()


@pytest.fixture(scope="module")
def users(hub):
    return {name: Client(hub, name) for name in ("ada", "alan", "barbara")}


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


def grading_day(hub: Hub, lesson: str) -> None:
    """The instructor's grading, run as in a terminal of the Formgrader service (its settings,
    its course directory): collect, autograde, generate and release feedback.

    Not yet ``python -m autograder.grading day LESSON``: its NbGraderAPI lists the exchange
    through nbgrader's JupyterHub auth plugin, which needs the hub API token of the Formgrader
    service; the plain commands do not."""
    env = {
        **os.environ,
        "JUPYTER_CONFIG_PATH": os.pathsep.join(
            str(REPO / "deploy" / "jupyter" / d) for d in ("formgrader", "common")
        ),
        "THREAD_SYNC_REPO": str(REPO),
        "THREAD_SYNC_COURSE_DIR": str(hub.course_dir),
        "THREAD_SYNC_EXCHANGE": str(hub.exchange),
        "PATH": os.pathsep.join([str(Path(sys.executable).parent), os.environ["PATH"]]),
    }
    nbgrader = str(Path(sys.executable).parent / "nbgrader")
    for step in ("collect", "autograde", "generate_feedback", "release_feedback"):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        done = subprocess.run(
            [nbgrader, step, lesson], cwd=hub.course_dir, env=env, capture_output=True,
            text=True, timeout=GRADING_TIMEOUT, stdin=subprocess.DEVNULL,
        )
        assert done.returncode == 0, f"nbgrader {step}:\n{done.stdout}\n{done.stderr}"
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu = after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime
        print(f"\nnbgrader {step} {lesson}: {cpu:.1f} CPU-s (nbgrader and its kernels)")


def test_a_class_on_the_hub(hub, users):
    ada, alan, barbara = users["ada"], users["alan"], users["barbara"]
    t0 = time.monotonic()

    # Only the roster logs in.
    with pytest.raises(HubError, match="403"):
        Client(hub, "mallory")

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
        alan: corpus.solutions(source)[EXERCISE] + "\n# alan's own answer\n",
        barbara: WRONG_ANSWER.read_text() + "\n# barbara's own answer\n",
    }
    for student in answers:
        student.request_server()  # both start at once
    for student, text in answers.items():
        student.wait_server()
        listed = action(student, "fetch")
        fetched = [a for a in listed if a["assignment_id"] == LESSON and a["status"] == "fetched"]
        assert fetched, listed
        nb_path = f"{COURSE}/{LESSON}/{LESSON}.ipynb"
        answer(student, nb_path, text)
        listed = action(student, "submit")
        assert any(a["status"] == "submitted" for a in listed if a["assignment_id"] == LESSON)

    # What a student's server holds in memory with a kernel running (docs/hub.md's sizing).
    print(f"\nmemory of a student's server with one kernel: {server_memory(hub, alan):.0f} MiB")

    # The students' servers have no instructor extensions.
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
    r = alan.request("GET", f"/user/barbara/api/contents/{COURSE}")
    assert r.status_code == 403, r.status_code
    r = barbara.request("GET", f"/user/alan/api/contents/{COURSE}/{LESSON}/{LESSON}.ipynb")
    assert r.status_code == 403, r.status_code
    # Nor does an instructor, who is not a hub admin: the Formgrader is where they see work.
    assert ada.request("GET", f"/user/alan/api/contents/{COURSE}").status_code == 403

    # The instructor's grading day.
    grading_day(hub, LESSON)
    with Gradebook(f"sqlite:///{hub.course_dir / 'gradebook.db'}") as gb:
        full = gb.find_assignment(LESSON).max_score
        scores = {s: gb.find_submission(LESSON, s).score for s in ("alan", "barbara")}
    assert scores["alan"] == full, scores
    assert 0 < scores["barbara"] < full, scores

    # Each student fetches feedback, and sees only their own.
    for student in (alan, barbara):
        listed = action(student, "fetch_feedback")
        mine = [
            sub for a in listed if a["assignment_id"] == LESSON and a["status"] == "submitted"
            for sub in a["submissions"]
        ]
        assert len(mine) == 1 and mine[0]["has_local_feedback"], mine
        folder = f"{COURSE}/{LESSON}/feedback"
        stamps = contents(student, folder)["content"]
        assert len(stamps) == 1, stamps
        html_path = f"{stamps[0]['path']}/{LESSON}.html"
        html = contents(student, html_path, content=1)["content"]
        other = "barbara" if student is alan else "alan"
        assert f"{student.name}&#39;s own answer" in html or f"{student.name}'s own answer" in html
        assert f"{other}&#39;s own answer" not in html and f"{other}'s own answer" not in html
        score = scores[student.name]
        assert f"Score: {score:g} / {full:g}" in " ".join(html.split()) or str(score) in html

    print(f"\nhub end-to-end: {time.monotonic() - t0:.1f} s after the hub started")


def server_memory(hub: Hub, student: Client) -> float:
    """Resident memory (MiB) of the student's server with a kernel that has imported what a
    lesson uses: the process tree of the server whose JUPYTERHUB_USER is the student."""
    r = student.request("POST", f"/user/{student.name}/api/kernels", json={"name": "python3"})
    assert r.status_code == 201, (r.status_code, r.text[:300])
    kernel = r.json()["id"]
    try:
        reply = execute(student, kernel, LESSON_IMPORTS)
        assert reply["status"] == "ok", reply
        servers = [
            p for p in hub.processes()
            if "jupyterhub-singleuser" in " ".join(p.cmdline())
            and p.environ().get("JUPYTERHUB_USER") == student.name
        ]
        assert len(servers) == 1, servers
        tree = [servers[0], *servers[0].children(recursive=True)]
        assert any("ipykernel" in " ".join(p.cmdline()) for p in tree), "no kernel in the tree"
        return sum(p.memory_info().rss for p in tree) / 2**20
    finally:
        student.request("DELETE", f"/user/{student.name}/api/kernels/{kernel}")


def _page_config(html: str) -> dict:
    start = html.index('id="jupyter-config-data"')
    start = html.index(">", start) + 1
    end = html.index("</script>", start)
    return json.loads(html[start:end])
