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
"""

from __future__ import annotations

from pathlib import Path

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


def pytest_configure(config: pytest.Config) -> None:
    # pytest-xdist registers it too; without xdist (an environment from `pip install pytest`) the
    # marks must not warn.
    config.addinivalue_line("markers", "xdist_group(name): run on the same xdist worker")


@pytest.hookimpl(tryfirst=True)  # before xdist reads the marks (its hook has no order)
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for index, name in groups(items).items():
        items[index].add_marker(pytest.mark.xdist_group(name))
