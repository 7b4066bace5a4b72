"""What each package needs, and how each is layered: the engine's layers, the grading rooms and
course/'s groups (docs/internals.md); each layer check is shown to fail when it should."""

from __future__ import annotations

import ast
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def _load_toml(path: Path) -> dict:
    tomllib = pytest.importorskip("tomllib")  # Python 3.11+
    with path.open("rb") as f:
        return tomllib.load(f)


# -- what each package needs ------------------------------------------


def _python_files(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*.py") if "__pycache__" not in p.parts)


def _engine_files() -> dict[str, Path]:
    """The engine's modules by name: every module of ``autograder/`` but the tools above it,
    ``autograder.grading`` and the benchmark (``autograder.bench``, ``.bench_programs``)."""
    found = {}
    for p in _python_files(ROOT / "autograder"):
        parts = p.relative_to(ROOT).with_suffix("").parts
        if parts[1] == "grading" or parts[1].startswith("bench"):
            continue
        found[".".join(parts[:-1] if parts[-1] == "__init__" else parts)] = p
    return found


def _engine_modules() -> list[str]:
    return sorted(_engine_files())


#: ``course`` modules that run in the Jupyter server, not in a notebook's kernel: they need the
#: ``server`` extra, which every environment that starts JupyterLab has.
COURSE_SERVER_FILES = (ROOT / "course" / "contents.py",)


def _course_modules() -> list[str]:
    """The modules of ``course`` that lessons' kernels import (the server's left out)."""
    names = []
    for p in _python_files(ROOT / "course"):
        if p in COURSE_SERVER_FILES:
            continue
        parts = p.relative_to(ROOT).with_suffix("").parts
        names.append(".".join(parts[:-1] if parts[-1] == "__init__" else parts))
    return names


def _run_isolated(code: str, *flags: str) -> subprocess.CompletedProcess:
    """``code`` in a fresh interpreter (``-I``: no PYTHONPATH, user site or current folder)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTHON")}
    return subprocess.run([sys.executable, "-I", *flags, "-c", code], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=300)


_IMPORT_EACH = """
import importlib, json, sys
sys.path.insert(0, {root!r})
failed = {{}}
for name in {modules!r}:
    try:
        importlib.import_module(name)
    except ImportError as e:
        failed[name] = f"{{type(e).__name__}}: {{e}}"
print(json.dumps(failed))
"""


def test_engine_needs_only_the_standard_library():
    """Every engine module imports on a bare interpreter: ``-I -S``, so no site-packages at all,
    and only the repository on sys.path. ``autograder.grading`` (nbgrader, ...) and
    ``autograder.bench`` (frontrun) are left out: their needs are the ``grading`` and ``bench``
    extras (see the next test). The same interpreter must fail on a grading module, which shows
    that site-packages really is out of reach."""
    modules = _engine_modules()
    assert {"autograder", "autograder.runtime.execution", "autograder.base.trace"} <= set(modules)
    code = _IMPORT_EACH.format(root=str(ROOT),
                               modules=[*modules, "autograder.grading.plugins.execute"])
    result = _run_isolated(code, "-S")
    assert result.returncode == 0, result.stderr
    failed = json.loads(result.stdout)
    assert "autograder.grading.plugins.execute" in failed, (
        "site-packages was reachable: the check is void")
    del failed["autograder.grading.plugins.execute"]
    assert failed == {}, f"engine modules that need more than the standard library: {failed}"


#: The engine's layers, lowest first (docs/internals.md): a module may import its own layer and
#: the ones before it. ``autograder/__init__.py`` is the public API above them all; the tools
#: beside it (``autograder.grading``, ``autograder.bench``, ``autograder.bench_programs``) are
#: above the API, so an engine module may never import them.
ENGINE_LAYERS = ("base", "runtime", "sync", "exploration", "api", "tools")


def _engine_layer(module: str) -> str | None:
    parts = module.split(".")
    if parts[0] != "autograder":
        return None
    if len(parts) == 1:
        return "api"
    if parts[1] == "grading" or parts[1].startswith("bench"):
        return "tools"
    return parts[1] if parts[1] in ENGINE_LAYERS[:4] else None


def _type_checking(node: ast.AST) -> bool:
    """``if TYPE_CHECKING:`` or ``if typing.TYPE_CHECKING:``."""
    test = getattr(node, "test", None)
    return isinstance(node, ast.If) and (
        (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING")
        or (isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"))


def _imports_of(module: str, is_package: bool, source: str,
                known: set[str]) -> list[tuple[str, bool]]:
    """(imported module, under ``if TYPE_CHECKING:``) for every import of ``source``, relative
    ones resolved, lazy ones inside functions included; ``from x import y`` names the module
    ``x.y`` when that is a module, else ``x``."""
    found: list[tuple[str, bool]] = []

    def visit(node: ast.AST, typing_only: bool) -> None:
        if isinstance(node, ast.Import):
            found.extend((alias.name, typing_only) for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                package = module.split(".") if is_package else module.split(".")[:-1]
                base = package[:len(package) - (node.level - 1)]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            for alias in node.names:
                sub = f"{target}.{alias.name}"
                found.append((sub if sub in known else target, typing_only))
        for child in ast.iter_child_nodes(node):
            visit(child, typing_only or _type_checking(node) and child in node.body)

    visit(ast.parse(source), False)
    return found


def import_problems(sources: dict[str, tuple[bool, str]], layer_of, rank,
                    word: str = "layer") -> list[str]:
    """What breaks a layering, for ``sources`` (module name -> (is a package, its source)):
    ``layer_of(module)`` names a module's layer (None: outside the check), ``rank(layer)`` its
    height. An import of a higher layer, or of another layer of the same height (two rooms side by
    side), or a cycle of imports between modules is reported. Imports under
    ``if TYPE_CHECKING:`` never run: they may close a cycle (annotations only), but they must
    not go upward either."""
    known = set(sources)
    problems = []
    graph: dict[str, set[str]] = {m: set() for m in sources}
    for module, (is_package, source) in sorted(sources.items()):
        layer = layer_of(module)
        for target, typing_only in _imports_of(module, is_package, source, known):
            other = layer_of(target)
            if other is None:
                continue
            if layer is None or rank(other) > rank(layer):
                problems.append(f"{module} ({layer}) imports {target} ({other}), a higher {word}")
            elif other != layer and rank(other) == rank(layer):
                problems.append(f"{module} ({layer}) imports {target} ({other}), a {word} "
                                "beside its own")
            if not typing_only and target in graph and target != module:
                graph[module].add(target)
    state: dict[str, int] = {}  # 1: on the current path, 2: done
    path: list[str] = []

    def walk(m: str) -> None:
        state[m] = 1
        path.append(m)
        for n in sorted(graph[m]):
            if state.get(n) == 1:
                problems.append("import cycle: " + " -> ".join(path[path.index(n):] + [n]))
            elif n not in state:
                walk(n)
        path.pop()
        state[m] = 2

    for m in sorted(graph):
        if m not in state:
            walk(m)
    return problems


def engine_import_problems(sources: dict[str, tuple[bool, str]]) -> list[str]:
    """What breaks the engine's layering (:func:`import_problems` with :data:`ENGINE_LAYERS`)."""
    return import_problems(sources, _engine_layer, ENGINE_LAYERS.index)


def _engine_sources() -> dict[str, tuple[bool, str]]:
    return {m: (p.name == "__init__.py", p.read_text(encoding="utf-8"))
            for m, p in _engine_files().items()}


def test_engine_layers_import_only_downward_and_without_cycles():
    """The engine's folders are its layers: base < runtime < sync < exploration < the API
    (``autograder/__init__.py``). Every import of every engine module (``ast``: absolute and
    relative, lazy ones in functions too) goes to its own layer or a lower one, and no modules
    import each other in a cycle (``if TYPE_CHECKING:`` imports are exempt from the cycle rule:
    they are for annotations only and never run; so ``runtime.ops`` names ``Execution`` and
    ``MThread`` of ``runtime.execution`` and ``runtime.threads``, which import ``ops``)."""
    sources = _engine_sources()
    assert {_engine_layer(m) for m in sources} == set(ENGINE_LAYERS[:5]), sorted(sources)
    assert engine_import_problems(sources) == []
    edges = sum(len(_imports_of(m, pkg, src, set(sources))) for m, (pkg, src) in sources.items())
    assert edges > 100, "too few imports found: the scan is broken"


def test_engine_layer_check_fails_on_an_upward_import_or_a_cycle():
    """The check above can fail: the real sources with one upward import added (relative, lazy
    or absolute), or with a cycle closed at run time, are reported; under ``if TYPE_CHECKING:``
    the same cycle is not."""
    sources = _engine_sources()

    def with_line(module: str, line: str) -> dict[str, tuple[bool, str]]:
        is_package, source = sources[module]
        return {**sources, module: (is_package, source + "\n" + line + "\n")}

    upward = engine_import_problems(with_line("autograder.runtime.ops",
                                              "from ..sync.lock import Lock"))
    assert upward[0] == ("autograder.runtime.ops (runtime) imports autograder.sync.lock (sync), "
                         "a higher layer")  # (and the cycles it closes: sync imports runtime)
    lazy = engine_import_problems(with_line(
        "autograder.base.trace", "def f():\n    import autograder.exploration.search"))
    assert lazy[0] == ("autograder.base.trace (base) imports autograder.exploration.search "
                       "(exploration), a higher layer")
    tool = engine_import_problems(with_line("autograder.exploration.report",
                                            "from autograder.grading.plugins import feedback"))
    assert len(tool) == 1 and "(tools)" in tool[0]
    cycle = engine_import_problems(with_line("autograder.runtime.ops",
                                             "from . import execution"))
    assert any(p.startswith("import cycle: ") and "autograder.runtime.ops" in p
               and "autograder.runtime.execution" in p for p in cycle), cycle
    typing_only = engine_import_problems(with_line(
        "autograder.runtime.ops", "if TYPE_CHECKING:\n    from . import execution"))
    assert typing_only == []


def test_every_engine_module_is_sealed():
    """``seal(__name__)`` ends every engine module, package ``__init__`` files included: the code
    under test cannot rewrite any of them (docs/security.md). The two leaves the seal is made
    of are the exception, as they always were (the guard between cells still watches them):
    ``_seal`` defines it and ``_real`` only holds what was captured at import."""
    unsealed = {m for m, (_, source) in _engine_sources().items()
                if "\nseal(__name__)" not in source}
    assert unsealed == {"autograder.base._real", "autograder.base._seal"}


def _extras() -> dict[str, list[str]]:
    return _load_toml(ROOT / "pyproject.toml")["project"]["optional-dependencies"]


def _requirement_name(requirement: str) -> str:
    name = re.match(r"[A-Za-z0-9][A-Za-z0-9._-]*", requirement.strip())
    assert name, requirement
    return re.sub(r"[-_.]+", "-", name.group(0)).lower()


def _with_their_requirements(requirements: list[str]) -> set[str]:
    """The distributions ``requirements`` name and, installed, all they require (requirements
    under an extra of theirs left out; other markers ignored, which can only allow more)."""
    from importlib import metadata

    out: set[str] = set()
    todo = [_requirement_name(r) for r in requirements]
    while todo:
        dist = todo.pop()
        if dist in out:
            continue
        out.add(dist)
        try:
            requires = metadata.requires(dist) or []
        except metadata.PackageNotFoundError:
            continue
        todo += [_requirement_name(r) for r in requires if "extra" not in r.partition(";")[2]]
    return out


def _imported_top_names(files: list[Path]) -> dict[str, str]:
    """Top-level names of modules imported (anywhere, lazily too) by ``files`` -> one importer,
    less the standard library and this repository's packages."""
    import ast

    found: dict[str, str] = {}
    for path in files:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names = [node.module]
            else:
                continue
            for name in names:
                top = name.split(".")[0]
                if top not in sys.stdlib_module_names and top not in (
                        "autograder", "course", "__future__"):
                    found.setdefault(top, str(path.relative_to(ROOT)))
    return found


def test_grading_tools_and_benchmark_declare_their_dependencies_as_extras():
    """``autograder.grading`` and ``autograder.bench`` keep their import paths but are not the
    engine: each third-party module they (and ``course``) import comes from a distribution their
    extra in pyproject.toml names, or one that those require (``IPython`` for ``course``, through
    ipywidgets), matched through the installed distributions' metadata; and requirements.txt
    installs every extra's requirement (itself or through another)."""
    from importlib import metadata

    extras = _extras()
    assert {"course", "server", "grading", "bench"} <= set(extras)
    provided = metadata.packages_distributions()
    groups = {
        "grading": _python_files(ROOT / "autograder" / "grading"),
        "bench": [ROOT / "autograder" / "bench.py", ROOT / "autograder" / "bench_engines.py",
                  *_python_files(ROOT / "autograder" / "bench_programs")],
        "course": [p for p in _python_files(ROOT / "course") if p not in COURSE_SERVER_FILES],
        "server": list(COURSE_SERVER_FILES),
    }
    for extra, files in groups.items():
        declared = _with_their_requirements(extras[extra])
        imported = _imported_top_names(files)
        assert imported, f"{extra}: no third-party import found, the scan is broken"
        for top, where in imported.items():
            dists = {_requirement_name(d) for d in provided.get(top, [])}
            assert dists, f"{top} (imported by {where}) is not installed"
            assert dists & declared, (
                f"{where} imports {top} (from {sorted(dists)}), not in the {extra!r} extra")
    lines = (ROOT / "requirements.txt").read_text().splitlines()
    required = _with_their_requirements([line for line in lines
                                         if line.split("#", 1)[0].strip()
                                         and not line.startswith("-")])
    for extra, requirements in extras.items():
        missing = {_requirement_name(r) for r in requirements} - required
        assert not missing, f"requirements.txt lacks the {extra!r} extra's {sorted(missing)}"


_COURSE_EXTRA_ONLY = """
import importlib, importlib.abc, importlib.metadata as md, json, re, sys

def norm(name):
    return re.sub(r"[-_.]+", "-", name).lower()

# The extra's distributions and everything they require (markers other than extras are ignored,
# which can only allow more).
def name_of(requirement):
    return norm(re.match(r"[A-Za-z0-9][A-Za-z0-9._-]*", requirement.strip()).group(0))

allowed, todo = set(), [name_of(r) for r in {extra!r}]
while todo:
    dist = todo.pop()
    if dist in allowed:
        continue
    allowed.add(dist)
    try:
        requires = md.requires(dist) or []
    except md.PackageNotFoundError:
        continue
    for req in requires:
        if "extra" not in req.partition(";")[2]:
            todo.append(name_of(req))
tops = {{top for top, dists in md.packages_distributions().items()
        if any(norm(d) in allowed for d in dists)}}

def allowed_name(name):
    top = name.partition(".")[0]
    return (top in sys.stdlib_module_names or top.startswith("_sysconfigdata") or top in tops
            or top in ("autograder", "course"))

# Each finder of sys.meta_path finds nothing outside the allowed names, so that a probe
# (importlib.util.find_spec) answers None and an import fails as if the module were not there.
class OnlyTheExtra(importlib.abc.MetaPathFinder):
    def __init__(self, finder):
        self.finder = finder

    def find_spec(self, name, path=None, target=None):
        return self.finder.find_spec(name, path, target) if allowed_name(name) else None

    def invalidate_caches(self):
        getattr(self.finder, "invalidate_caches", lambda: None)()

sys.meta_path[:] = [OnlyTheExtra(finder) for finder in sys.meta_path]
import course
light = sorted(m for m in ("matplotlib", "ipywidgets", "IPython") if m in sys.modules)
failed = {{}}
for name in {modules!r} + ["nbformat"]:
    try:
        importlib.import_module(name)
    except ImportError as e:
        failed[name] = f"{{type(e).__name__}}: {{e}}"
print(json.dumps({{"failed": failed, "light": light}}))
"""


def test_course_needs_only_its_extra_and_the_engine():
    """Every ``course`` module imports when nothing but the standard library, the engine and the
    ``course`` extra's distributions (with what they require) can be imported; ``import course``
    alone (the recorder) loads neither matplotlib nor ipywidgets. A finder put first on
    ``sys.meta_path`` refuses everything else; it must refuse ``nbformat`` (installed, needed by
    the grading tools only), or the check would be void."""
    modules = _course_modules()
    assert {"course", "course.recording.recorder", "course.widgets.game_view"} <= set(modules)
    code = _COURSE_EXTRA_ONLY.format(extra=_extras()["course"], modules=modules)
    result = _run_isolated(code)
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout.splitlines()[-1])
    assert report["light"] == [], f"import course loaded {report['light']}"
    failed = report["failed"]
    assert "nbformat" in failed, "a module outside the extra was importable: the check is void"
    del failed["nbformat"]
    assert failed == {}, f"course modules that need more than the course extra: {failed}"


#: course/'s groups, lowest first: a module may import from its own group and the ones before it.
COURSE_LAYERS = ("recording", "drawing", "bridge", "widgets")


def test_course_groups_import_only_downward():
    """recording (standard library) < drawing (matplotlib) < bridge (the engine's runs) < widgets
    (ipywidgets); ``course/__init__.py`` and the tools beside the groups (``costs``, ``quiz``)
    may import any group, a group never imports them. Lazy imports inside functions count too."""
    import ast

    def group_of(module: str) -> str | None:
        parts = module.split(".")
        if parts[0] != "course":
            return None
        return parts[1] if len(parts) > 1 and parts[1] in COURSE_LAYERS else "course"

    checked = 0
    for path in _python_files(ROOT / "course"):
        rel = path.relative_to(ROOT / "course").parts
        if rel[0] not in COURSE_LAYERS:
            continue
        rank = COURSE_LAYERS.index(rel[0])
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                targets = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                assert node.level == 0, f"{path}: relative import"
                targets = [node.module]
            else:
                continue
            for target in targets:
                group = group_of(target)
                if group is None:
                    continue
                checked += 1
                assert group != "course", f"{path} imports {target}: a group imports upward"
                assert COURSE_LAYERS.index(group) <= rank, (
                    f"{path} ({rel[0]}) imports {target} ({group}), a later group")
    assert checked > 20, "too few imports between course's groups found: the scan is broken"


# -- the grading rooms -----------------------------------------------------------------------------

#: The rooms of ``autograder/grading/``, lowest first; rooms in one tuple stand side by side
#: (docs/internals.md, "The grading rooms"). A grading module imports the engine, its own room and
#: lower rooms only, never a room beside its own, and never in a cycle. ``testkit`` (what test
#: cells import, sealed with the engine) is the lowest; ``commands`` is the package itself,
#: ``python -m autograder.grading`` (``__main__``) and the ``visible`` shim of its documented
#: command.
GRADING_ROOMS = (("testkit",), ("base",), ("sandbox",), ("plugins",), ("checks",),
                 ("day", "mutants"), ("bench",), ("commands",))
_GRADING_RANK = {room: rank for rank, rooms in enumerate(GRADING_ROOMS) for room in rooms}


def _grading_room(module: str) -> str | None:
    """The room of a grading module; "engine" for the rest of ``autograder`` but the benchmark
    (below every room); "loose" for a module of ``autograder/grading/`` outside every room;
    None for what is not ``autograder``."""
    parts = module.split(".")
    if parts[0] != "autograder":
        return None
    if len(parts) == 1 or parts[1] != "grading":
        return None if parts[1:2] and parts[1].startswith("bench") else "engine"
    if len(parts) == 2 or parts[2] in ("__main__", "visible"):
        return "commands"
    return parts[2] if parts[2] in _GRADING_RANK else "loose"


def _grading_rank(room: str) -> int:
    return {"engine": -1, "loose": len(GRADING_ROOMS)}.get(room, _GRADING_RANK.get(room, -2))


def grading_import_problems(sources: dict[str, tuple[bool, str]]) -> list[str]:
    """What breaks the grading rooms' layering (:func:`import_problems`), and modules that sit in
    no room."""
    loose = [f"{m} is in no room of autograder/grading/" for m in sorted(sources)
             if _grading_room(m) == "loose"]
    return loose + import_problems(sources, _grading_room, _grading_rank, "room")


def _grading_sources() -> dict[str, tuple[bool, str]]:
    found = {}
    for p in _python_files(ROOT / "autograder" / "grading"):
        parts = p.relative_to(ROOT).with_suffix("").parts
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        found[name] = (p.name == "__init__.py", p.read_text(encoding="utf-8"))
    return found


def test_grading_rooms_import_only_downward_and_without_cycles():
    """testkit < base < sandbox < plugins < checks < day, mutants < bench < the commands: every
    import of every module of ``autograder/grading/`` (relative, lazy ones too) goes to the engine,
    its own room or a lower one, never to the room beside it, with no cycle; and every module is
    in a room (a folder, or one of the modules the check names)."""
    sources = _grading_sources()
    rooms = {_grading_room(m) for m in sources}
    assert rooms == set(_GRADING_RANK), sorted(rooms)
    assert grading_import_problems(sources) == []
    edges = sum(len(_imports_of(m, pkg, src, set(sources))) for m, (pkg, src) in sources.items())
    assert edges > 100, "too few imports found: the scan is broken"


def test_grading_room_check_fails_on_an_upward_import_a_sibling_a_cycle_or_a_loose_module():
    """The check above can fail: the real sources with an upward import (relative or lazy), an
    import between the two rooms side by side, a cycle, or a module outside every room."""
    sources = _grading_sources()

    def with_line(module: str, line: str) -> dict[str, tuple[bool, str]]:
        is_package, source = sources[module]
        return {**sources, module: (is_package, source + "\n" + line + "\n")}

    upward = grading_import_problems(with_line("autograder.grading.base.notebooks",
                                               "from ..checks import corpus"))
    assert upward[0] == ("autograder.grading.base.notebooks (base) imports "
                         "autograder.grading.checks.corpus (checks), a higher room")
    lazy = grading_import_problems(with_line(
        "autograder.grading.sandbox.guard",
        "def f():\n    from autograder.grading.plugins import feedback"))
    assert lazy == ["autograder.grading.sandbox.guard (sandbox) imports "
                    "autograder.grading.plugins.feedback (plugins), a higher room"]
    testkit_up = grading_import_problems(with_line("autograder.grading.testkit",
                                                   "from .sandbox import guard"))
    assert any("autograder.grading.testkit (testkit) imports" in p for p in testkit_up)
    beside = grading_import_problems(with_line("autograder.grading.day.canary",
                                               "from ..mutants import grade"))
    assert beside == ["autograder.grading.day.canary (day) imports "
                      "autograder.grading.mutants.grade (mutants), a room beside its own"]
    cycle = grading_import_problems(with_line("autograder.grading.sandbox.guard",
                                              "from . import kernel"))
    assert any(p.startswith("import cycle: ") and "autograder.grading.sandbox.guard" in p
               and "autograder.grading.sandbox.kernel" in p for p in cycle), cycle
    loose = grading_import_problems({**sources, "autograder.grading.helpers": (False, "")})
    assert loose == ["autograder.grading.helpers is in no room of autograder/grading/"]
