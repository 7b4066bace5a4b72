"""The running interpreter's own ``test.lock_tests`` (CPython's ``Lib/test/lock_tests.py``), loaded
so that it runs on the engine's terms: see :func:`load`."""

from __future__ import annotations

import importlib.util
import sys
import types

from . import support

#: The module name the interpreter's file is loaded under (never ``test.lock_tests`` itself, which
#: stays as the standard library has it).
MODULE = f"{__name__}.cpython"


class MissingTestPackage(RuntimeError):
    """The interpreter has no ``test`` package (Debian splits it into libpythonX.Y-testsuite)."""


def load() -> types.ModuleType:
    """A fresh copy of this interpreter's ``test.lock_tests``, with what it takes from
    ``test.support`` and ``_thread`` replaced by :mod:`.support`'s stand-ins.

    Each Python runs its own version of the tests (3.10 ships an older set than 3.13). The file is
    executed as it is; only the names it imported are rebound afterwards, which its functions
    look up when they run. Raises :class:`MissingTestPackage` when there is no file to load.
    """
    version = "{}.{}".format(*sys.version_info[:2])
    try:
        spec = importlib.util.find_spec("test.lock_tests")
    except ImportError:
        spec = None
    if spec is None or spec.origin is None or spec.loader is None:
        raise MissingTestPackage(
            f"Python {version} ({sys.executable}) has no test.lock_tests: its standard library "
            f"was installed without the `test` package (Debian/Ubuntu: apt install "
            f"libpython{version}-testsuite; pyenv and python.org builds include it)"
        )
    module_spec = importlib.util.spec_from_file_location(MODULE, spec.origin)
    assert module_spec is not None and module_spec.loader is not None
    module = importlib.util.module_from_spec(module_spec)
    module_spec.loader.exec_module(module)
    module.support = support.support
    module.threading_helper = support.threading_helper
    module.start_new_thread = support.start_new_thread
    return module
