"""docs/hub.md says what the tests do: the one-machine path's commands are the ones
tests/hub/test_class_hub.py runs (with its names for the course's), and the smaller promises
(the proxy's pinned version, the TLS options, the bind address, the git-ignored roster)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from accounts import GRADER_ACCOUNT, ROSTER_ACCOUNTS
from test_class_hub import GRADEBOOK_ROSTER, STEP_4

REPO = Path(__file__).resolve().parents[2]
DOCS = (REPO / "docs" / "hub.md").read_text()
sys.path.insert(0, str(REPO / "deploy"))
import classhub  # noqa: E402

#: The test's variables, as the documented one-machine path names them.
AS_DOCUMENTED = {
    "$REPO/": "",
    "$ROSTER": "deploy/roster.csv",
    "$COURSE_DIR": "/srv/nbgrader/thread-sync",
    "$GRADER": "grader-thread-sync",
}


def documented(script: str) -> str:
    for variable, value in AS_DOCUMENTED.items():
        script = script.replace(variable, value)
    return script.replace('"', "")


@pytest.mark.parametrize("script", [ROSTER_ACCOUNTS, GRADER_ACCOUNT, *STEP_4, GRADEBOOK_ROSTER])
def test_the_docs_give_the_tested_commands(script):
    assert documented(script) in DOCS.replace('"', ""), f"docs/hub.md lacks:\n{documented(script)}"


def test_the_proxy_is_pinned_to_a_version_debians_node_runs():
    assert "npm install --prefix .node configurable-http-proxy@5.1.0" in DOCS
    assert "configurable-http-proxy@5 " not in DOCS


def test_tls_options_are_the_hubs():
    assert "--JupyterHub.ssl_key=" in DOCS and "--JupyterHub.ssl_cert=" in DOCS
    assert " --ssl_key=" not in DOCS.replace("`--ssl_key=` alone", "")


def test_the_hub_listens_on_loopback_by_default(monkeypatch):
    monkeypatch.delenv("THREAD_SYNC_BIND_URL", raising=False)
    assert classhub.Settings.from_environment().bind_url == "http://127.0.0.1:8000"
    assert "`127.0.0.1:8000` by default" in DOCS


def test_the_roster_is_not_committed():
    for path in ("deploy/roster.csv", "roster.csv"):
        done = subprocess.run(["git", "check-ignore", "-q", path], cwd=REPO, timeout=30)
        assert done.returncode == 0, f"{path} is not git-ignored"
