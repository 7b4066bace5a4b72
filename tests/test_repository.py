"""Checks of the repository's scaffolding: packaging, entry scripts, CI and nbgrader settings."""

from __future__ import annotations

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
        "import json, autograder, course, autograder.trace\n"
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
