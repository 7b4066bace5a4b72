"""The grading kernel's guard: the tests reach the grader that was loaded before any student code.

The course's grading kernel starts with ``python -c BOOT -f <connection file>`` (see
:mod:`autograder.grading.sandbox.kernel`) instead of ``python -m ipykernel_launcher``. Before the
kernel runs a single cell, :func:`install` imports the whole grader (``autograder`` and every name
it exports) from the installed package, never from the submission's folder, and takes a snapshot of
what the test cells rely on:

* every ``sys.modules`` entry (``autograder*``, ``threading``, ``builtins``, ``importlib`` ...);
* the functions, classes and modules held by the grader's modules and by ``builtins``, ``sys``,
  ``importlib`` (its ``_bootstrap`` does ``from X import Y``), ``threading``, ``_thread``, ``time``
  and ``queue``, and the methods of the grader's classes;
* ``sys.stdout``/``stderr``/``displayhook``/``excepthook`` and the user namespace's
  ``__builtins__``;
* the IPython shell, its kernel and its session: their methods (on the instance and on their
  classes), exception handlers, input/AST transformers, formatters and event callbacks.

After each cell the grading executor (:class:`autograder.grading.plugins.guarded.GuardedExecute`)
calls :meth:`TamperGuard.check` through a ``user_expressions`` of a silent request, which finds the
guard as a subclass of ``object`` (no name, import or builtin the student could shadow is involved).
``check`` puts back everything that was replaced, removed or shadowed, and says what it was, with
the line of the cell that defined the replacement when it can tell.

This is not a sandbox: code in the same process can always find and defeat the guard (``gc``,
frames, ``ctypes``). The static scan (:mod:`autograder.grading.sandbox.scan`) flags the constructs
such an attack needs for manual review; see docs/security.md.
"""

from __future__ import annotations

import builtins
import json
import os
import sys
import types
from typing import Any

#: Modules whose functions, classes and submodules the tests use, directly or through the grader.
WATCHED_MODULES = (
    "sys", "importlib", "importlib._bootstrap", "importlib._bootstrap_external",
    "threading", "_thread", "time", "queue",
)
#: Modules of ``autograder.grading`` that test cells import (the rest is the instructor's).
TEST_CELL_MODULES = ("autograder.grading.testkit",)
#: Values of ``sys`` that are not functions but that a test's outcome depends on.
SYS_OBJECTS = ("modules", "meta_path", "stdout", "stderr", "displayhook", "excepthook")
#: Attributes of the IPython shell that decide what a cell runs and what its errors become.
SHELL_OBJECTS = (
    "display_formatter", "displayhook", "display_pub", "compile", "InteractiveTB", "SyntaxTB",
    "CustomTB", "custom_exceptions", "events", "input_transformer_manager", "builtin_trap",
    "display_trap", "user_ns", "user_global_ns", "kernel", "data_pub",
)
#: Lists (on the shell) whose items transform a cell before it runs.
SHELL_LISTS = ("input_transformers_cleanup", "input_transformers_post", "ast_transformers")
MANAGER_LISTS = ("cleanup_transforms", "line_transforms", "token_transformers")
#: Names IPython itself rebinds in ``builtins`` while a cell runs.
IPYTHON_BUILTINS = frozenset({"exit", "quit", "get_ipython", "_", "__", "___"})

_CALLABLE_KINDS = (
    types.FunctionType, types.BuiltinFunctionType, types.MethodType, types.ModuleType, type,
    staticmethod, classmethod, property, types.WrapperDescriptorType,
    types.MethodDescriptorType, types.MethodWrapperType,
)


def _watched(value: Any) -> bool:
    """Functions, classes, modules and descriptors: what code calls, not data it updates."""
    return isinstance(value, _CALLABLE_KINDS) or callable(value)


def _describe(value: Any) -> str:
    """A short description of a replacement, with the cell line that defined it if known."""
    text = repr(value)
    if len(text) > 80:
        text = text[:77] + "..."
    line = _defined_at(value)
    return f"{text} (defined at line {line} of a cell)" if line else text


def _defined_at(value: Any, depth: int = 0) -> int | None:
    """The first line of the code behind value, when that code comes from a notebook cell."""
    code = getattr(value, "__code__", None)
    func = getattr(value, "__func__", None) or getattr(value, "fget", None)
    if code is None and func is not None:
        code = getattr(func, "__code__", None)
    if isinstance(code, types.CodeType):
        return code.co_firstlineno if _is_cell_file(code.co_filename) else None
    if depth < 1 and isinstance(value, (type, types.ModuleType)):
        for item in list(vars(value).values())[:200]:
            line = _defined_at(item, depth + 1)
            if line:
                return line
    if depth < 1 and not isinstance(value, (type, types.ModuleType)):
        cls = type(value)
        if cls.__module__ not in ("builtins",):
            return _defined_at(cls, depth + 1)
    return None


def _is_cell_file(filename: str) -> bool:
    # ipykernel names a cell's code /tmp/ipykernel_<pid>/<hash>.py; IPython <ipython-input-...>.
    return "ipykernel_" in filename or filename.startswith("<ipython-input")


class _Watch:
    """The identity of some entries of one namespace, to compare and put back later."""

    def __init__(self, label: str, owner: Any, names=None, *, kind: str = "dict",
                 extra_callables: bool = False, engine_may_patch: bool = False):
        self.label, self.owner, self.kind = label, owner, kind
        self.extra_callables = extra_callables
        self.engine_may_patch = engine_may_patch
        space = self._space()
        if names is None:
            names = [n for n, v in space.items() if _watched(v)]
        self.saved = {n: space[n] for n in names if n in space}

    def _space(self) -> dict:
        return vars(self.owner) if self.kind != "mapping" else self.owner

    def _put(self, name: str, value: Any) -> None:
        if isinstance(self.owner, type):
            type.__setattr__(self.owner, name, value)
        else:
            self._space()[name] = value

    def _drop(self, name: str) -> None:
        if isinstance(self.owner, type):
            type.__delattr__(self.owner, name)
        else:
            del self._space()[name]

    def check(self, found: list[str]) -> None:
        space = self._space()
        for name, value in self.saved.items():
            now = space.get(name, _MISSING)
            if now is value or self.engine_may_patch and _from_grader(now):
                continue  # (the engine puts threading/time/sys back itself after a run)
            if now is _MISSING:
                found.append(f"{self.label}{_key(name)} was deleted")
            else:
                found.append(f"{self.label}{_key(name)} was replaced by {_describe(now)}")
            self._put(name, value)
        if self.extra_callables:
            for name in [n for n in space if n not in self.saved]:
                value = space[name]
                if _watched(value) and not isinstance(value, types.ModuleType):
                    found.append(f"{self.label}{_key(name)} was added: {_describe(value)}")
                    self._drop(name)


def _from_grader(value: Any) -> bool:
    """Whether value is one of the engine's own functions (it patches threading during a run)."""
    code = getattr(value, "__code__", None)
    if code is None:
        code = getattr(getattr(value, "__func__", None), "__code__", None)
    if not isinstance(code, types.CodeType):
        return isinstance(value, type) and value.__module__.startswith("autograder.") and (
            getattr(sys.modules.get(value.__module__), value.__name__, None) is value)
    return os.path.abspath(code.co_filename).startswith(_GRADER_DIR)


def _key(name: str) -> str:
    return f"[{name!r}]" if not name.isidentifier() else f".{name}"


class _MissingType:
    def __repr__(self) -> str:
        return "<missing>"


_MISSING = _MissingType()


class TamperGuard:
    """The snapshot taken at kernel start, and its :meth:`check`. One per kernel process."""

    _snapshot: list[_Watch] = []
    _lists: list[tuple[str, list, tuple]] = []
    _modules: dict[str, types.ModuleType] = {}
    _shell: Any = None
    _events: dict[str, tuple] = {}

    @classmethod
    def check(cls) -> str:
        """Put back whatever was replaced since start-up; JSON list of what was (empty: nothing)."""
        found: list[str] = []
        try:
            cls._check_modules(found)
            for watch in cls._snapshot:
                watch.check(found)
            cls._check_lists(found)
            cls._check_events(found)
        except Exception as error:  # noqa: BLE001 - anything odd here is itself tampering
            found.append(f"the grader's integrity check failed: {type(error).__name__}: {error}")
        return json.dumps(found)

    @classmethod
    def _check_modules(cls, found: list[str]) -> None:
        modules = sys.__dict__.get("modules")
        if modules is not _SYS_MODULES:
            found.append("sys.modules was replaced")
            sys.__dict__["modules"] = modules = _SYS_MODULES
        for name, module in cls._modules.items():
            now = modules.get(name, _MISSING)
            if now is not module:
                what = "deleted" if now is _MISSING else f"replaced by {_describe(now)}"
                found.append(f"sys.modules[{name!r}] was {what}")
                modules[name] = module
        shell = cls._shell
        if shell is not None and shell.user_ns.get("__builtins__") is not builtins:
            found.append("the notebook's __builtins__ was replaced by "
                         + _describe(shell.user_ns.get("__builtins__")))
            shell.user_ns["__builtins__"] = builtins

    @classmethod
    def _check_lists(cls, found: list[str]) -> None:
        for label, items, saved in cls._lists:
            same = len(items) == len(saved) and all(
                a is b for a, b in zip(items, saved, strict=True))
            if not same:
                added = [_describe(i) for i in items if not any(i is s for s in saved)]
                found.append(f"{label} was changed" + (f" (added {', '.join(added)})"
                                                       if added else ""))
                items[:] = saved

    @classmethod
    def _check_events(cls, found: list[str]) -> None:
        shell = cls._shell
        if shell is None:
            return
        for event, callbacks in shell.events.callbacks.items():
            saved = cls._events.get(event, ())
            for callback in saved:
                if not any(callback is c or callback == c for c in callbacks):
                    found.append(f"the IPython event callback {_describe(callback)} for "
                                 f"{event!r} was removed")
                    callbacks.insert(0, callback)
            for callback in list(callbacks):
                if _defined_at(callback):
                    found.append(f"an IPython event callback for {event!r} was registered: "
                                 f"{_describe(callback)}")
                    callbacks.remove(callback)


_SYS_MODULES = sys.modules
#: autograder/ (this file is autograder/grading/sandbox/guard.py)
_GRADER_DIR = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..")) + os.sep


def _grader_modules() -> list[types.ModuleType]:
    """Import the whole grader and return its modules (never from the submission's folder)."""
    import autograder
    import autograder.grading.testkit  # noqa: F401  the test cells' helpers, guarded as the engine

    for name in autograder.__all__:
        getattr(autograder, name)
    return [m for n, m in sorted(sys.modules.items())
            if (n == "autograder" or n.startswith("autograder.")) and m is not None
            and (not n.startswith("autograder.grading") or n in TEST_CELL_MODULES)
            and not n.startswith("autograder.bench")]


def install(shell: Any = None, kernel: Any = None) -> None:
    """Take the snapshot (after the grader is imported and the shell is made, before any cell)."""
    watches = []
    for module in _grader_modules():
        watches.append(_Watch(f"{module.__name__}", module))
        for value in list(vars(module).values()):
            if isinstance(value, type) and value.__module__ == module.__name__:
                watches.append(_Watch(f"{module.__name__}.{value.__qualname__}", value,
                                      kind="class", extra_callables=True))
    for name in WATCHED_MODULES:
        module = sys.modules.get(name)
        if module is not None:
            watches.append(_Watch(name, module, engine_may_patch=True))
    watches.append(_Watch("builtins", builtins,
                          [n for n, v in vars(builtins).items()
                           if _watched(v) and n not in IPYTHON_BUILTINS]))
    watches.append(_Watch("sys", sys, SYS_OBJECTS, engine_may_patch=True))
    lists = []
    TamperGuard._shell = shell
    if shell is not None:
        watches.append(_Watch("the IPython shell", shell, SHELL_OBJECTS))
        watches.append(_Watch("the IPython shell", shell, extra_callables=True))
        for klass in type(shell).__mro__[:-1]:
            watches.append(_Watch(f"{klass.__module__}.{klass.__qualname__}", klass,
                                  kind="class", extra_callables=True))
        for name in SHELL_LISTS:
            items = getattr(shell, name, None)
            if isinstance(items, list):
                lists.append((f"the IPython shell's {name}", items, tuple(items)))
        manager = getattr(shell, "input_transformer_manager", None)
        for name in MANAGER_LISTS:
            items = getattr(manager, name, None)
            if isinstance(items, list):
                lists.append((f"the IPython input transformer's {name}", items, tuple(items)))
        TamperGuard._events = {e: tuple(c) for e, c in shell.events.callbacks.items()}
    for label, owner in (("the kernel", kernel),
                         ("the kernel's session", getattr(kernel, "session", None))):
        if owner is None:
            continue
        watches.append(_Watch(label, owner))  # (ipykernel adds some while a cell runs)
        for klass in type(owner).__mro__[:-1]:
            watches.append(_Watch(f"{klass.__module__}.{klass.__qualname__}", klass,
                                  kind="class", extra_callables=True))
    TamperGuard._snapshot = watches
    TamperGuard._lists = lists
    TamperGuard._modules = {n: m for n, m in sys.modules.items() if m is not None}
    type.__setattr__(TamperGuard, "_installed", True)


def _drop_cwd_from_path() -> None:
    """The submission's folder must not provide modules (a submitted autograder.py, say)."""
    cwd = os.getcwd()
    sys.path[:] = [p for p in sys.path if p not in ("", ".", cwd)]


def _no_debugger() -> None:
    """The grading kernel has no debugger: ``debugpy`` cannot be imported, and ipykernel starts
    without one, as where debugpy is not installed. Nothing debugs a notebook being graded;
    importing debugpy was half of the kernel's start (0.35 s of CPU, every submission), and it
    brings a tracer and thread hooks into the process that runs the tests."""
    sys.modules["debugpy"] = None  # type: ignore[assignment]  # import debugpy: ImportError


def main() -> None:
    """Start an IPython kernel (as ``python -m ipykernel_launcher``) with the guard installed."""
    _drop_cwd_from_path()
    _no_debugger()
    _grader_modules()
    from ipykernel.kernelapp import IPKernelApp

    app = IPKernelApp.instance()
    app.initialize()
    from . import failure_pictures

    failure_pictures.register(app.shell)  # before the snapshot, which then protects it
    install(app.shell, app.kernel)
    app.start()


#: The kernel's command line starts with ``python -c BOOT``: ``-c`` puts the current folder (the
#: submission's) first on sys.path, and BOOT removes it before anything is imported.
BOOT = "import sys; del sys.path[0]; from autograder.grading.sandbox.guard import main; main()"

#: What the executor evaluates (as a ``user_expressions`` entry) to run :meth:`TamperGuard.check`:
#: the guard is found among ``object``'s subclasses, with no name a cell could have shadowed.
CHECK_EXPRESSION = (
    "[k.check() for k in ().__class__.__base__.__subclasses__() "
    "if k.__module__ == 'autograder.grading.sandbox.guard' and k.__qualname__ == 'TamperGuard' "
    "and k.__dict__.get('_installed')]"
)
