"""The course images' build context (.dockerignore) and what each image gets of it
(deploy/z2jh/Dockerfile): no solutions, hidden tests, history, rosters, gradebooks or student work
in any image, and no instructor settings in the students' one.

No Docker here: the context is listed as Docker lists it (the .dockerignore rules of
moby/patternmatcher: the last matching pattern wins, a pattern also matches a file's folders,
``!`` takes back), over the repository as it is on disk and over a copy with a class's files
planted in it.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
DOCKERFILE = REPO / "deploy" / "z2jh" / "Dockerfile"

#: Nothing of these, in any image: (a path prefix or a file name pattern, why).
FORBIDDEN = [
    (r"^source/", "solutions and hidden tests"),
    (r"^\.git(/|$)", "the repository's history, solutions included"),
    (r"^(tests|release)/", "not what a pod runs (tests/ holds wrong and right answers)"),
    (r"\.csv$", "a roster or grades"),
    (r"(^|/)gradebook\.db", "a gradebook"),
    (r"^(submitted|autograded|feedback|exchange|downloaded|\.grading-day)/", "student work"),
    (r"^\.(venv|node)", "a local environment"),
    (r"(^|/)__pycache__/", "compiled leftovers"),
]
#: Besides, nothing of these in the students' image.
STAFF_ONLY = [
    r"^deploy/jupyter/(instructor|formgrader)/",
    r"^nbgrader_config\.py$",
    r"^deploy/[^/]+\.py$",
    r"^deploy/z2jh/",
]
#: What a class's folder may hold beside the repository's files, planted in a copy.
PLANTED = [
    "roster.csv", "deploy/roster.csv", "deploy/class-2027.csv", "gradebook.db", "grades.csv",
    "submitted/alan/04_event/04_event.ipynb", "feedback/alan/04_event/04_event.html",
    "exchange/thread-sync/inbound/x", ".grading-day/refused/04_event.json",
    "autograder/__pycache__/x.pyc", ".git/config", ".venv/bin/python", "source/extra/x.ipynb",
]


def _regex(pattern: str) -> re.Pattern:
    """A .dockerignore pattern as a regular expression (``*`` and ``?`` within one folder,
    ``**`` across folders), matching a whole slash-separated path."""
    out, i = "", 0
    while i < len(pattern):
        if pattern.startswith("**/", i):
            out, i = out + "(?:.*/)?", i + 3
        elif pattern.startswith("**", i):
            out, i = out + ".*", i + 2
        elif pattern[i] == "*":
            out, i = out + "[^/]*", i + 1
        elif pattern[i] == "?":
            out, i = out + "[^/]", i + 1
        elif pattern[i] == "[":
            end = pattern.index("]", i)
            out, i = out + pattern[i:end + 1], end + 1
        else:
            out, i = out + re.escape(pattern[i]), i + 1
    return re.compile(out + r"\Z")


def patterns(text: str) -> list[tuple[bool, re.Pattern, str]]:
    """(takes back, regex, pattern) for each rule of a .dockerignore."""
    rules = []
    for line in text.splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        back = line.startswith("!")
        pattern = os.path.normpath(line[1:].strip() if back else line).lstrip("/")
        rules.append((back, _regex(pattern), pattern))
    return rules


def excluded(path: str, rules) -> bool:
    """Whether Docker leaves path (relative, slash-separated) out of the context."""
    parts = path.split("/")
    prefixes = ["/".join(parts[:i + 1]) for i in range(len(parts))]
    out = False
    for back, regex, _ in rules:
        if any(regex.match(p) for p in prefixes):
            out = not back
    return out


def context(root: Path, rules) -> set[str]:
    """The files of root that `docker build root` sends (folders that nothing takes back are
    not entered, as Docker does not)."""
    backs = [p for back, _, p in rules if back]
    found = set()
    for folder, dirs, files in os.walk(root):
        rel = Path(folder).relative_to(root).as_posix()
        rel = "" if rel == "." else rel + "/"
        dirs[:] = [d for d in dirs if not excluded(rel + d, rules)
                   or any(b.startswith(rel + d + "/") for b in backs)]
        found.update(rel + f for f in files if not excluded(rel + f, rules))
    return found


def student_stage_sources() -> list[str]:
    """The context paths the Dockerfile's `student` stage copies."""
    text = DOCKERFILE.read_text()
    stage = re.search(r"^FROM .* AS student$(.*?)(?=^FROM |\Z)", text, re.M | re.S)
    assert stage, "the Dockerfile has no `student` stage"
    body = stage.group(1).replace("\\\n", " ")
    sources = []
    for line in body.splitlines():
        words = line.split()
        if words and words[0] == "COPY":
            assert not any(w.startswith("--from") for w in words), line
            sources += words[1:-1]
    return sources


def in_stage(files: set[str], sources: list[str]) -> set[str]:
    regexes = [_regex(s.rstrip("/")) for s in sources]
    return {f for f in files
            if any(r.match(p) for r in regexes
                   for p in ["/".join(f.split("/")[:i + 1]) for i in range(f.count("/") + 1)])}


def _forbidden(files: set[str], rules: list[str] | list[tuple[str, str]]) -> list[str]:
    bad = []
    for rule in rules:
        regex, why = rule if isinstance(rule, tuple) else (rule, "staff only")
        bad += [f"{f} ({why})" for f in files if re.search(regex, f)]
    return sorted(bad)


@pytest.fixture(scope="module")
def rules():
    return patterns((REPO / ".dockerignore").read_text())


@pytest.fixture(scope="module")
def planted(tmp_path_factory, rules):
    """A copy of the repository's tracked files with a class's files planted in it."""
    root = tmp_path_factory.mktemp("context")
    tracked = subprocess.run(["git", "ls-files", "-z"], cwd=REPO, capture_output=True,
                             check=True, timeout=60).stdout.decode().split("\0")
    for name in filter(None, tracked):
        if (REPO / name).is_file():
            (root / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(REPO / name, root / name)
    for name in PLANTED:
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text("planted")
    return context(root, rules)


def test_the_context_holds_what_the_pods_run(planted):
    for needed in ("README.md", "pyproject.toml", "requirements.txt", "requirements.lock",
                   "nbgrader_config.py",
                   "autograder/__init__.py", "course/__init__.py", "deploy/formgrader.py",
                   "deploy/classhub.py", "deploy/roster.py", "deploy/z2jh/hub_config.py",
                   "deploy/jupyter/student/nbgrader_config.py"):
        assert needed in planted, f"{needed} is not in the build context"


def test_nothing_secret_is_in_the_context(planted):
    assert _forbidden(planted, FORBIDDEN) == []


def test_the_context_of_this_checkout(rules):
    """The repository as it is on disk, with whatever it holds now (.venv, .git, a roster)."""
    found = context(REPO, rules)
    assert "autograder/__init__.py" in found
    assert _forbidden(found, FORBIDDEN) == []


def test_the_students_image_has_no_instructor_settings(planted):
    sources = student_stage_sources()
    files = in_stage(planted, sources)
    assert "autograder/__init__.py" in files
    assert "deploy/jupyter/student/nbgrader_config.py" in files
    assert "requirements.txt" in files and "README.md" in files, "pip install -e . needs them"
    assert "requirements.lock" in files, "the image installs the lock"
    assert _forbidden(files, STAFF_ONLY) == []


def test_every_file_the_dockerfile_copies_is_in_the_context(planted):
    text = DOCKERFILE.read_text().replace("\\\n", " ")
    for line in text.splitlines():
        words = line.split()
        if words and words[0] == "COPY":
            for source in words[1:-1]:
                assert in_stage(planted, [source]), f"COPY {source}: not in the build context"


def test_the_matcher_follows_docker():
    rules = patterns("*\n!keep/\nkeep/**/*.csv\n!keep/ok.csv\n")
    assert excluded("secret.txt", rules) and excluded("dir/x", rules)
    assert not excluded("keep/a.py", rules) and not excluded("keep/sub/b.py", rules)
    assert excluded("keep/sub/r.csv", rules) and excluded("keep/r.csv", rules)
    assert not excluded("keep/ok.csv", rules)
