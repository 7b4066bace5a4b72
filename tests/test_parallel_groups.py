"""tests/conftest.py: under ``pytest -n 2 --dist loadgroup`` the tests that share a slow set-up
run on one worker, and the others are spread over both."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

pytest.importorskip("xdist")

HERE = Path(__file__).resolve().parent

EXAMPLE = '''
import os
import time

import pytest

WORKER = os.environ.get("PYTEST_XDIST_WORKER", "main")


def record(name):
    with open("ran.txt", "a") as f:
        f.write(f"{name} {WORKER}\\n")


@pytest.fixture(scope="module")
def server():
    return WORKER


@pytest.fixture(scope="session")
def cluster():
    return WORKER


@pytest.mark.parametrize("n", range(4))
def test_uses_the_server(server, n):
    record(f"server{n}")
    time.sleep(0.1)


@pytest.mark.parametrize("n", range(2))
def test_uses_the_cluster(cluster, n):
    record(f"cluster{n}")
    time.sleep(0.1)


@pytest.mark.xdist_group("own")
@pytest.mark.parametrize("n", range(2))
def test_in_its_own_group(cluster, n):
    record(f"own{n}")


@pytest.mark.parametrize("n", range(8))
def test_free(n):
    record(f"free{n}")
    time.sleep(0.2)
'''


def test_tests_sharing_a_fixture_run_on_one_worker(tmp_path):
    shutil.copy(HERE / "conftest.py", tmp_path / "conftest.py")
    (tmp_path / "test_example.py").write_text(EXAMPLE)
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-n", "2", "--dist", "loadgroup",
         "--testrunuid", f"groups-test-{os.getpid()}", "-p", "no:cacheprovider",
         "--rootdir", str(tmp_path)],
        cwd=tmp_path, capture_output=True, text=True, timeout=300,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    ran = dict(line.split() for line in (tmp_path / "ran.txt").read_text().splitlines())
    assert len(ran) == 16
    workers = lambda prefix: {w for name, w in ran.items() if name.startswith(prefix)}  # noqa: E731
    assert len(workers("server")) == 1, ran
    assert len(workers("cluster")) == 1, ran
    assert len(workers("own")) == 1, ran
    # The free tests (1.6 s of sleep) are not all queued behind one group.
    assert workers("free") == {"gw0", "gw1"}, ran
    # Nothing is left behind of the hand-off to the scheduler.
    handoff = Path(tempfile.gettempdir()) / "pytest-groups"
    assert not list(handoff.glob(f"groups-test-{os.getpid()}-*"))
