"""How the suite is split over pytest-xdist's workers (``./scripts/test`` runs ``pytest -n auto
--dist loadgroup``), by one rule instead of a list of files.

Tests are independent by default: each gets its own temporary folders, and every server a test
starts picks a free port. What workers must not duplicate is a slow set-up that tests share: a
fixture of the suite's own (defined under tests/) with module, package or session scope (a hub,
JupyterLab servers and a browser, a graded class, a generated lesson). Tests that share one
instance of such a fixture, directly or through another test, form one ``xdist_group``, run by one
worker, so the set-up happens once; every other test goes to whichever worker is free. A folder
whose shared fixture can be split more finely marks its tests with ``xdist_group`` itself while
they are collected (tests/lessons/conftest.py: one group per lesson); such tests are left as they
are. Without xdist the marks change nothing.

The groups reach xdist's scheduler through a file per worker (see :class:`_Handoff`): xdist's own
``loadgroup`` renames each marked test's node id (``...@group``), which pytest 9.2's node ids no
longer allow, so with it every test would be scheduled alone.
"""

from __future__ import annotations

import json
import tempfile
import uuid
from pathlib import Path
from typing import Any

import pytest

TESTS = Path(__file__).resolve().parent
SHARED_SCOPES = ("module", "package", "session")


def shared_setups(item: pytest.Item) -> list[str]:
    """The slow set-ups ``item`` shares with other tests: one key per instance of a fixture of
    this suite with module, package or session scope."""
    info = getattr(item, "_fixtureinfo", None)
    if info is None:
        return []
    keys = []
    for name in item.fixturenames:
        defs = info.name2fixturedefs.get(name)
        if not defs or defs[-1].scope not in SHARED_SCOPES:
            continue
        fixture = defs[-1]
        code = getattr(fixture.func, "__code__", None)
        if code is None or not Path(code.co_filename).resolve().is_relative_to(TESTS):
            continue  # pytest's or a plugin's (tmp_path_factory...): cheap, or not ours
        # One instance per test module for module scope; per definition otherwise.
        where = item.nodeid.split("::", 1)[0] if fixture.scope == "module" else fixture.baseid
        keys.append(f"{name}@{where or '.'}")
    return keys


def groups(items: list[pytest.Item]) -> dict[int, str]:
    """index in ``items`` -> group name, for the tests linked by a shared set-up (union-find)."""
    parent: dict[str, str] = {}

    def find(key: str) -> str:
        while parent[key] != key:
            parent[key] = parent[parent[key]]
            key = parent[key]
        return key

    linked: dict[int, list[str]] = {}
    for index, item in enumerate(items):
        if item.get_closest_marker("xdist_group") is not None:
            continue  # grouped by its own folder's rule
        keys = shared_setups(item)
        if not keys:
            continue
        linked[index] = keys
        for key in keys:
            parent.setdefault(key, key)
        for key in keys[1:]:
            a, b = find(keys[0]), find(key)
            if a != b:
                parent[max(a, b)] = min(a, b)
    return {index: find(keys[0]) for index, keys in linked.items()}


class _Handoff:
    """Node id -> group, from the workers (which collect) to the controller (which schedules):
    each worker writes what it collected to ``<tmp>/pytest-groups/<run>-<worker>.json`` before it
    reports its collection; the scheduler reads them once every worker has."""

    folder = Path(tempfile.gettempdir()) / "pytest-groups"

    def __init__(self, run: str) -> None:
        self.run = run

    def write(self, worker: str, groups: dict[str, str]) -> None:
        self.folder.mkdir(exist_ok=True)
        target = self.folder / f"{self.run}-{worker}.json"
        partial = target.with_suffix(".partial")
        partial.write_text(json.dumps(groups))
        partial.replace(target)

    def read(self) -> dict[str, str]:
        groups: dict[str, str] = {}
        for path in sorted(self.folder.glob(f"{self.run}-*.json")):
            groups.update(json.loads(path.read_text()))
        return groups

    def remove(self) -> None:
        for path in self.folder.glob(f"{self.run}-*.json"):
            path.unlink(missing_ok=True)


def _controller(config: pytest.Config) -> bool:
    """This process hands tests out to xdist's workers (``-n N --dist loadgroup``)."""
    return not hasattr(config, "workerinput") and config.getoption("dist", "no") == "loadgroup"


def pytest_configure(config: pytest.Config) -> None:
    # pytest-xdist registers it too; without xdist (an environment from `pip install pytest`) the
    # marks must not warn.
    config.addinivalue_line("markers", "xdist_group(name): run on the same xdist worker")
    if _controller(config) and config.getoption("testrunuid", None) is None:
        config.option.testrunuid = uuid.uuid4().hex  # known here before xdist passes it on


def pytest_unconfigure(config: pytest.Config) -> None:
    if _controller(config) and config.getoption("testrunuid", None):
        _Handoff(config.getoption("testrunuid")).remove()


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    for index, name in groups(items).items():
        items[index].add_marker(pytest.mark.xdist_group(name))
    workerinput = getattr(config, "workerinput", None)
    if workerinput is not None and config.getoption("loadgroup", False):  # set by xdist
        marked = {}
        for item in items:
            mark = item.get_closest_marker("xdist_group")
            if mark is not None:
                marked[item.nodeid] = str(mark.args[0] if mark.args else mark.kwargs["name"])
        _Handoff(workerinput["testrunuid"]).write(workerinput["workerid"], marked)


@pytest.hookimpl(tryfirst=True)
def pytest_xdist_make_scheduler(config: pytest.Config, log: Any) -> Any:
    """``--dist loadgroup``: xdist's scope scheduling, with a test's group as its scope."""
    if config.getoption("dist", "no") != "loadgroup":
        return None
    from xdist.scheduler import LoadScopeScheduling

    handoff = _Handoff(config.getoption("testrunuid"))

    class GroupScheduling(LoadScopeScheduling):
        groups: dict[str, str] | None = None

        def _split_scope(self, nodeid: str) -> str:
            if self.groups is None:
                self.groups = handoff.read()
            if nodeid in self.groups:
                return self.groups[nodeid]
            # A node id xdist itself gave a group (older pytest): its scope; else the test alone.
            return nodeid.rsplit("@", 1)[-1] if "@" in nodeid else nodeid

    return GroupScheduling(config, log)
