"""Checks of the repository's scaffolding: packaging, entry scripts, CI and nbgrader settings."""

from __future__ import annotations

import ast
import json
import os
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def _load_toml(path: Path) -> dict:
    tomllib = pytest.importorskip("tomllib")  # Python 3.11+
    with path.open("rb") as f:
        return tomllib.load(f)


def _readme_commands() -> list[str]:
    """The commands of the README's opening code block (comments dropped)."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    lines = text.splitlines()
    i = 0
    if lines and lines[0].startswith("# "):  # the title may come first
        i = 1
    while i < len(lines) and not lines[i].strip():
        i += 1
    assert i < len(lines) and lines[i].startswith("```"), (
        "README.md must open (after its title) with a code block of the set-up commands"
    )
    block = []
    for line in lines[i + 1 :]:
        if line.startswith("```"):
            break
        block.append(line)
    else:
        pytest.fail("README.md's opening code block is not closed")
    commands = []
    for line in block:
        command = line.split("#", 1)[0].strip()
        if command:
            commands.append(command)
    return commands


def test_packages_import_from_any_folder(tmp_path):
    """The editable install (`-e .`) makes both packages importable without the repo on sys.path."""
    code = (
        "import json, autograder, course, autograder.base.trace\n"
        "print(json.dumps([autograder.__file__ or list(autograder.__path__)[0],"
        " course.__file__ or list(course.__path__)[0]]))"
    )
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=tmp_path, env=env, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    for location in json.loads(result.stdout):
        assert Path(location).resolve().is_relative_to(ROOT), location


def test_pyproject_declares_both_packages_and_no_runtime_dependencies():
    pyproject = _load_toml(ROOT / "pyproject.toml")
    assert pyproject["build-system"]["build-backend"] == "setuptools.build_meta"
    project = pyproject["project"]
    assert project["requires-python"] == ">=3.10"
    assert project.get("dependencies", []) == [], "the engine must stay pure standard library"
    include = pyproject["tool"]["setuptools"]["packages"]["find"]["include"]
    assert set(include) >= {"autograder*", "course*"}
    for package in ("autograder", "course"):
        assert (ROOT / package / "__init__.py").is_file(), package
    assert pyproject["tool"]["pytest"]["ini_options"]["testpaths"] == ["tests"]
    ruff = pyproject["tool"]["ruff"]
    assert ruff["line-length"] == 100
    assert ruff["target-version"] == "py310"
    assert {"E", "F", "W", "I", "B", "UP"} <= set(ruff["lint"]["select"])


def test_requirements_install_the_repository_and_the_course_stack():
    lines = [
        line.split("#", 1)[0].strip()
        for line in (ROOT / "requirements.txt").read_text().splitlines()
    ]
    lines = [line for line in lines if line]
    assert "-e ." in lines, "requirements.txt must install this repository's packages"
    names = {re.split(r"[<>=!~\[ ;]", line, maxsplit=1)[0].lower() for line in lines}
    assert {"jupyterlab", "nbgrader", "ipywidgets", "matplotlib", "pytest", "ruff"} <= names
    assert "frontrun==0.7.0" in lines


def test_readme_opens_with_the_two_setup_commands():
    commands = _readme_commands()
    assert len(commands) == 2, commands
    for command in commands:
        program = shlex.split(command)[0]
        path = (ROOT / program).resolve()
        assert path.is_file(), f"{program} (from README) does not exist"
        assert os.access(path, os.X_OK), f"{program} (from README) is not executable"
        text = path.read_text()
        assert text.startswith("#!/usr/bin/env bash\n"), program
        assert "set -euo pipefail" in text, program
        assert "requirements.txt" in text, f"{program} must install requirements.txt itself"


def test_scripts_are_valid_bash():
    bash = shutil.which("bash")
    if bash is None:
        pytest.skip("no bash")
    scripts = [ROOT / ".ci" / "run", *sorted((ROOT / "scripts").iterdir())]
    for script in scripts:
        if script.is_file():
            result = subprocess.run([bash, "-n", str(script)], capture_output=True, text=True)
            assert result.returncode == 0, f"{script}: {result.stderr}"


def test_ci_runs_the_test_script():
    run = ROOT / ".ci" / "run"
    assert os.access(run, os.X_OK), ".ci/run must be executable"
    text = run.read_text()
    assert text.startswith("#!/usr/bin/env bash\n")
    assert "set -euo pipefail" in text
    assert re.search(r"^exec \./scripts/test\b", text, re.MULTILINE), text


def test_lab_script_runs_as_root_on_the_course_folder():
    text = (ROOT / "scripts" / "lab").read_text()
    assert "--allow-root" in text
    assert "--ServerApp.root_dir=" in text


def test_gitignore_keeps_student_data_and_environments_out():
    ignored = set((ROOT / ".gitignore").read_text().split())
    for entry in ("/submitted/", "/autograded/", "/feedback/", "/gradebook.db", ".venv*"):
        assert entry in ignored, entry


def test_course_folders_exist():
    for folder in ("source", "release", "tests"):
        assert (ROOT / folder).is_dir(), folder
    assert (ROOT / "source" / "README.md").is_file()
    assert (ROOT / "release" / "README.md").is_file()


def test_nbgrader_config_values():
    pytest.importorskip("nbgrader")
    from nbgrader.coursedir import CourseDirectory
    from nbgrader.preprocessors import ClearSolutions, Execute
    from traitlets.config.loader import PyFileConfigLoader

    config = PyFileConfigLoader("nbgrader_config.py", path=str(ROOT)).load_config()
    coursedir = CourseDirectory(config=config)
    assert coursedir.course_id == "thread-sync"
    assert Path(coursedir.root) == ROOT
    assert coursedir.source_directory == "source"
    assert coursedir.release_directory == "release"
    assert coursedir.submitted_directory == "submitted"
    assert coursedir.autograded_directory == "autograded"
    assert coursedir.feedback_directory == "feedback"
    assert coursedir.db_url == f"sqlite:///{ROOT / 'gradebook.db'}"
    execute = Execute(config=config)
    assert execute.timeout == 30  # per cell, a backstop; see nbgrader_config.py, docs/lessons.md
    assert execute.interrupt_on_timeout is True
    stub = ClearSolutions(config=config).code_stub["python"]
    assert stub == "# YOUR CODE HERE\nraise NotImplementedError()"


def _nbgrader_notebook() -> dict:
    nbformat = pytest.importorskip("nbformat")
    v4 = nbformat.v4

    def cell(make, source, grade_id, **nbgrader):
        c = make(source)
        c.metadata["nbgrader"] = {
            "grade_id": grade_id,
            "locked": False,
            "schema_version": 3,
            "solution": False,
            "grade": False,
            "task": False,
            **nbgrader,
        }
        return c

    nb = v4.new_notebook()
    nb.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3",
        "language": "python",
    }
    nb.cells = [
        cell(
            v4.new_code_cell,
            "def double(x):\n    ### BEGIN SOLUTION\n    return 2 * x\n    ### END SOLUTION",
            "double",
            solution=True,
        ),
        cell(
            v4.new_code_cell,
            "assert double(2) == 4\n### BEGIN HIDDEN TESTS\nassert double(-3) == -6\n"
            "### END HIDDEN TESTS",
            "test_double",
            grade=True,
            locked=True,
            points=2,
        ),
    ]
    return nb


@pytest.mark.slow
def test_nbgrader_generates_and_grades_with_this_config(tmp_path):
    """A tiny assignment goes through generate_assignment and autograde under our config."""
    pytest.importorskip("nbgrader")
    nbformat = pytest.importorskip("nbformat")
    nbgrader = Path(sys.executable).parent / "nbgrader"
    if not nbgrader.exists():
        pytest.skip("no nbgrader command beside this interpreter")
    shutil.copy(ROOT / "nbgrader_config.py", tmp_path / "nbgrader_config.py")
    (tmp_path / "source" / "demo").mkdir(parents=True)
    nbformat.write(_nbgrader_notebook(), tmp_path / "source" / "demo" / "demo.ipynb")
    # As in an activated venv: nbgrader runs `alembic` from PATH to set up the gradebook.
    bindir = str(Path(sys.executable).parent)
    env = {
        **os.environ,
        "PATH": bindir + os.pathsep + os.environ.get("PATH", ""),
        "JUPYTER_PREFER_ENV_PATH": "1",
    }

    def run(*args):
        result = subprocess.run(
            [str(nbgrader), *args], cwd=tmp_path, env=env, capture_output=True, text=True
        )
        assert result.returncode == 0, result.stdout + result.stderr

    run("generate_assignment", "demo")
    released = nbformat.read(tmp_path / "release" / "demo" / "demo.ipynb", as_version=4)
    assert "# YOUR CODE HERE\n    raise NotImplementedError()" in released.cells[0].source
    assert "HIDDEN" not in released.cells[1].source

    # A submission with the solution, and one with the stub, graded from submitted/.
    good = _nbgrader_notebook()
    for student, nb in (("alice", good), ("bob", released)):
        folder = tmp_path / "submitted" / student / "demo"
        folder.mkdir(parents=True)
        nbformat.write(nb, folder / "demo.ipynb")
    run("autograde", "demo")
    run("export", "--to", str(tmp_path / "grades.csv"))
    grades = (tmp_path / "grades.csv").read_text().splitlines()
    header = grades[0].split(",")
    scores = {
        row.split(",")[header.index("student_id")]: float(row.split(",")[header.index("score")])
        for row in grades[1:]
    }
    assert scores == {"alice": 2.0, "bob": 0.0}
    assert (tmp_path / "gradebook.db").is_file()


# -- what each package needs, and how course/ is layered ------------------------------------------


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


def _course_modules() -> list[str]:
    names = []
    for p in _python_files(ROOT / "course"):
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


def engine_import_problems(sources: dict[str, tuple[bool, str]]) -> list[str]:
    """What breaks the engine's layering, for ``sources`` (module name -> (is a package, its
    source)): an import of a higher layer, or a cycle of imports between modules. Imports under
    ``if TYPE_CHECKING:`` never run: they may close a cycle (annotations only), but they must
    not go upward either."""
    known = set(sources)
    problems = []
    graph: dict[str, set[str]] = {m: set() for m in sources}
    for module, (is_package, source) in sorted(sources.items()):
        layer = _engine_layer(module)
        for target, typing_only in _imports_of(module, is_package, source, known):
            other = _engine_layer(target)
            if other is None:
                continue
            if layer is None or ENGINE_LAYERS.index(other) > ENGINE_LAYERS.index(layer):
                problems.append(f"{module} ({layer}) imports {target} ({other}), a higher layer")
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


def _engine_sources() -> dict[str, tuple[bool, str]]:
    return {m: (p.name == "__init__.py", p.read_text(encoding="utf-8"))
            for m, p in _engine_files().items()}


def test_engine_layers_import_only_downward_and_without_cycles():
    """The engine's folders are its layers: base < runtime < sync < exploration < the API
    (``autograder/__init__.py``). Every import of every engine module (``ast``: absolute and
    relative, lazy ones in functions too) goes to its own layer or a lower one, and no modules
    import each other in a cycle (``if TYPE_CHECKING:`` imports are exempt from the cycle rule:
    they are for annotations only and never run; so ``runtime.tracing`` types its ``registry``
    with ``MThread`` from ``runtime.execution``, which imports ``tracing``)."""
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


def test_every_option_says_its_default_and_what_it_does():
    """Each field of ``Options`` is followed by its docstring, which starts with its default."""
    from dataclasses import MISSING, fields

    from autograder import Options

    path = ROOT / "autograder" / "exploration" / "options.py"
    (cls,) = [n for n in ast.parse(path.read_text(encoding="utf-8")).body
              if isinstance(n, ast.ClassDef) and n.name == "Options"]
    docs = {}
    for field, after in zip(cls.body, cls.body[1:], strict=False):
        if isinstance(field, ast.AnnAssign) and isinstance(after, ast.Expr) and isinstance(
                after.value, ast.Constant) and isinstance(after.value.value, str):
            docs[field.target.id] = after.value.value
    assert set(docs) == {f.name for f in fields(Options)}
    for f in fields(Options):
        assert f.default is not MISSING
        default = repr(f.default) if not isinstance(f.default, tuple) else "(None,)"
        assert docs[f.name].startswith(f"Default {default}") or docs[f.name].startswith(
            f"Default ``{default}``"), (f.name, docs[f.name][:40])
        assert len(docs[f.name]) > 60, f"{f.name}: say what it does"


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
    assert {"course", "grading", "bench"} <= set(extras)
    provided = metadata.packages_distributions()
    groups = {
        "grading": _python_files(ROOT / "autograder" / "grading"),
        "bench": [ROOT / "autograder" / "bench.py", *_python_files(ROOT / "autograder" /
                                                                   "bench_programs")],
        "course": _python_files(ROOT / "course"),
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


#: Colour names as matplotlib and CSS spell them (a string that is exactly one of them); the 148
#: CSS names of matplotlib.colors.CSS4_COLORS are added when matplotlib is there.
_COLOUR_NAMES = {
    "black", "white", "red", "green", "blue", "gray", "grey", "orange", "yellow", "purple",
    "pink", "brown", "cyan", "magenta", "navy", "teal", "olive", "maroon", "lime", "silver",
    "gold", "crimson", "salmon", "tomato", "coral", "orchid", "violet", "indigo", "khaki",
    "beige", "ivory", "lavender", "tan", "turquoise", "aqua", "fuchsia", "whitesmoke",
    "lightgray", "lightgrey", "darkgray", "darkgrey", "dimgray", "dimgrey", "gainsboro",
    "lightblue", "darkblue", "lightgreen", "darkgreen", "darkred", "firebrick", "steelblue",
    "skyblue", "royalblue", "slategray", "slategrey", "forestgreen", "seagreen", "goldenrod",
}
#: Keyword arguments and dictionary keys whose value is a matplotlib colour.
_COLOUR_KEYWORDS = {
    "color", "c", "colors", "facecolor", "edgecolor", "facecolors", "edgecolors", "fc", "ec",
    "mfc", "mec", "markerfacecolor", "markeredgecolor", "backgroundcolor", "labelcolor",
}
try:
    from matplotlib.colors import CSS4_COLORS as _CSS4
except ImportError:  # pragma: no cover - the course extra is installed wherever tests run
    _CSS4 = {}
_COLOUR_NAMES |= set(_CSS4)
_HEX = re.compile(r"#(?:[0-9a-fA-F]{3}){1,2}\b")
_CSS = re.compile(r"(?:color|background|border[a-z-]*|fill|stroke)\s*:[^;'\"]*?\b([a-z]+)\b")
_GREY = re.compile(r"(?:0|1|0?\.\d+|1\.0*)")


def _colour_literals(source: str) -> list[str]:
    """The colours spelled in a module's string literals (f-strings' text included):
    ``#rgb``/``#rrggbb`` anywhere; a colour name after a CSS colour property; a string that is
    exactly a colour name, ``tab:...``/``xkcd:...`` or ``C0``..``C9``; and a matplotlib grey
    level (``"0.8"``) or one-letter colour (``"k"``) given as a colour keyword or dict key.
    Not seen: colours computed at run time, RGB tuples, and strings outside course/*.py
    (notebooks, templates)."""
    import ast

    tree = ast.parse(source)
    found = []
    as_colour: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.keyword) and node.arg in _COLOUR_KEYWORDS:
            as_colour.add(id(node.value))
        elif isinstance(node, ast.Dict):
            for key, value in zip(node.keys, node.values, strict=True):
                if isinstance(key, ast.Constant) and key.value in _COLOUR_KEYWORDS:
                    as_colour.add(id(value))
    for node in ast.walk(tree):
        if isinstance(node, ast.IfExp) and id(node) in as_colour:
            as_colour |= {id(node.body), id(node.orelse)}
    for node in ast.walk(tree):
        if not (isinstance(node, ast.Constant) and isinstance(node.value, str)):
            continue
        text = node.value
        found += _HEX.findall(text)
        found += [m for m in _CSS.findall(text) if m in _COLOUR_NAMES]
        stripped = text.strip().lower()
        if (stripped in _COLOUR_NAMES or re.fullmatch(r"(tab|xkcd):[a-z ]+|c\d", stripped)
                or (id(node) in as_colour and (_GREY.fullmatch(stripped)
                                               or stripped in tuple("bgrcmykw")))):
            found.append(text)
    return found


def test_colour_literal_finder_sees_each_way_of_spelling_a_colour():
    source = '''
x = "#d62728"
y = f"<span style='color:{z};background: #fff'>"
w = "<b style='color: red'>"
ax.plot(color="0.88", c="k")
ax.text(color="a" if q else "0.2")
t = {"fc": "0.6", "ec": "white"}
v = "tab:blue"
'''
    assert sorted(_colour_literals(source)) == sorted(
        ["#d62728", "#fff", "red", "0.88", "k", "0.2", "0.6", "white", "tab:blue"])
    assert _colour_literals('n = "0.5"\nq = "b"\ncol = f"{a}:{b}"\nedge = "none"') == []


def test_one_palette_module_spells_every_colour_of_course():
    """``course/drawing/palette.py`` owns the colours: no other course module spells one."""
    palette = ROOT / "course" / "drawing" / "palette.py"
    assert _colour_literals(palette.read_text(encoding="utf-8")), "the palette has no colours?"
    offenders = {
        str(path.relative_to(ROOT)): found
        for path in _python_files(ROOT / "course") if path != palette
        if (found := _colour_literals(path.read_text(encoding="utf-8")))
    }
    assert offenders == {}, f"colours spelled outside the palette: {offenders}"
