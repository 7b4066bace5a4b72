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


def test_scripts_parse():
    """Every script parses in the language its first line names: bash, or Python."""
    bash = shutil.which("bash")
    if bash is None:
        pytest.skip("no bash")
    scripts = [ROOT / ".ci" / "run", *sorted((ROOT / "scripts").iterdir())]
    for script in scripts:
        if not script.is_file():
            continue
        text = script.read_text(encoding="utf-8")
        if text.startswith("#!/usr/bin/env python3\n"):
            compile(text, str(script), "exec")  # a SyntaxError fails the test, naming the script
            continue
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


def _python_files(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*.py") if "__pycache__" not in p.parts)


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


#: The most lines a module may have: past it, a module has more than one job (issue 24).
MODULE_LINES = 600


def test_no_module_is_over_the_line_bound():
    tracked = subprocess.run(["git", "ls-files", "*.py"], cwd=ROOT, capture_output=True, text=True)
    if tracked.returncode != 0:
        pytest.skip("not a git checkout")
    paths = [ROOT / name for name in tracked.stdout.splitlines()]
    assert len(paths) > 100, "git ls-files found too few modules: the check would be void"
    long = {str(p.relative_to(ROOT)): n for p in paths if p.is_file()
            and (n := len(p.read_text(encoding="utf-8").splitlines())) > MODULE_LINES}
    assert not long, f"modules over {MODULE_LINES} lines (split them by job): {long}"
