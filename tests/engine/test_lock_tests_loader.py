"""tests/engine/lock_tests loads the interpreter's own ``test.lock_tests``, or says why not."""

from __future__ import annotations

import importlib.util
import sys
import sysconfig
from pathlib import Path

import pytest

from . import lock_tests
from .lock_tests import support


def test_the_interpreters_own_file_is_loaded_with_the_stand_ins():
    spec = importlib.util.find_spec("test.lock_tests")
    if spec is None:
        pytest.skip("this interpreter has no `test` package (the error it gets is checked below)")
    module = lock_tests.load()
    # This Python's own file, from its standard library, not a copy kept in the repository.
    assert Path(module.__file__) == Path(spec.origin)
    assert Path(module.__file__).is_relative_to(sysconfig.get_paths()["stdlib"])
    assert module.__name__ == lock_tests.MODULE and module.__name__ not in sys.modules
    # What it would take from test.support and _thread is the engine's stand-ins.
    assert module.support is support.support
    assert module.threading_helper is support.threading_helper
    assert module.start_new_thread is support.start_new_thread
    assert issubclass(module.LockTests, module.BaseTestCase)


def test_a_missing_test_package_is_a_clear_error(monkeypatch):
    def find_spec(name, package=None):
        raise ModuleNotFoundError(f"No module named {name!r}", name="test")

    monkeypatch.setattr(importlib.util, "find_spec", find_spec)
    with pytest.raises(lock_tests.MissingTestPackage, match=r"without the `test` package.*"
                                                               r"testsuite"):
        lock_tests.load()
