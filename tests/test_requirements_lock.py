"""requirements.lock (what every environment installs) agrees with requirements.txt (its input).

After an edit of requirements.txt, ./scripts/lock compiles the lock again; these tests fail until
it has been run and both files are committed together.
"""

from __future__ import annotations

import re
from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name
from packaging.version import Version

ROOT = Path(__file__).resolve().parents[1]
REQUIREMENTS = ROOT / "requirements.txt"
LOCK = ROOT / "requirements.lock"
PROJECT = "thread-sync-course"

#: `name==version`, an optional environment marker, at the start of a lock entry.
PIN = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==([^\s;\\]+)\s*(?:;\s*([^\\]+?))?\s*\\?$")


def requirements(text: str) -> list[Requirement]:
    """The packages requirements.txt names (not `-e .`, this repository itself)."""
    found = []
    for line in text.splitlines():
        line = line.split("#", 1)[0].strip()
        if line and not line.startswith("-"):
            found.append(Requirement(line))
    return found


def pins(text: str) -> dict[str, list[Version]]:
    """Canonical name -> the versions the lock pins (several when they differ by Python)."""
    found: dict[str, list[Version]] = {}
    for line in text.splitlines():
        match = PIN.match(line)
        if match:
            found.setdefault(canonicalize_name(match[1]), []).append(Version(match[2]))
    return found


def direct(text: str) -> set[str]:
    """The names the lock says come from requirements.txt itself (`# via -r requirements.txt`,
    or `-r requirements.txt` in the list under `# via`)."""
    names, current = set(), None
    for line in text.splitlines():
        match = PIN.match(line)
        if match:
            current = canonicalize_name(match[1])
        elif current and line.strip() in ("# via -r requirements.txt", "#   -r requirements.txt"):
            names.add(current)
    return names


def disagreements(requirements_text: str, lock_text: str) -> list[str]:
    """What keeps the lock from being requirements.txt compiled: a name missing on either side,
    or a pinned version outside the range requirements.txt allows."""
    problems = []
    locked = pins(lock_text)
    wanted = {canonicalize_name(r.name): r for r in requirements(requirements_text)}
    for name, requirement in wanted.items():
        for version in locked.get(name, []):
            if not requirement.specifier.contains(version, prereleases=True):
                problems.append(f"{name}=={version} in the lock, requirements.txt: {requirement}")
        if name not in locked:
            problems.append(f"{requirement} is in requirements.txt, not in the lock")
    for name in sorted(direct(lock_text) - set(wanted)):
        problems.append(f"{name} comes from requirements.txt in the lock, no longer there")
    return problems


def test_the_lock_is_requirements_txt_compiled():
    problems = disagreements(REQUIREMENTS.read_text(), LOCK.read_text())
    assert not problems, "run ./scripts/lock and commit requirements.lock:\n" + "\n".join(problems)


def test_a_disagreement_is_found():
    text, lock = REQUIREMENTS.read_text(), LOCK.read_text()
    assert re.search(r"^jupyterlab>=", text, re.M)
    # A range the pinned version falls outside of; a new name; a name dropped.
    assert any("jupyterlab==" in p for p in disagreements(
        re.sub(r"^jupyterlab>=.*$", "jupyterlab<1", text, flags=re.M), lock))
    assert any("left-pad" in p for p in disagreements(text + "\nleft-pad>=1\n", lock))
    assert any("frontrun" in p for p in disagreements(
        re.sub(r"^frontrun==.*$", "", text, flags=re.M), lock))


def test_every_pin_is_hashed_and_the_repository_is_left_to_the_scripts():
    lock = LOCK.read_text()
    entries = re.split(r"\n(?=[A-Za-z0-9])", lock.split("\n", 1)[1])
    pinned = [e for e in entries if PIN.match(e.splitlines()[0])]
    assert len(pinned) >= len(requirements(REQUIREMENTS.read_text()))
    for entry in pinned:
        assert "--hash=sha256:" in entry, entry.splitlines()[0]
    # `pip install --require-hashes -r requirements.lock` must work: no editable, no local path.
    assert not re.search(r"^-e|^\.|file:", lock, re.M)
    assert PROJECT not in pins(lock)


def test_the_lock_covers_every_supported_python():
    """scripts/lock compiles for the oldest Python pyproject.toml supports, and every newer."""
    pyproject = (ROOT / "pyproject.toml").read_text()  # tomllib is 3.11+: one line is enough
    oldest = re.search(r'^requires-python = ">=\s*(3\.\d+)"$', pyproject, re.M)
    assert oldest, "pyproject.toml: requires-python = \">=3.X\" expected"
    script = (ROOT / "scripts" / "lock").read_text()
    assert "--universal" in script and f"--python-version {oldest[1]}" in script
    assert "requirements.txt" in script and "--generate-hashes" in script


def test_nbformat_imports_without_building_iri_parsers():
    """Every nbgrader run, Jupyter server and test worker imports nbformat, and so jsonschema's
    format checkers: with rfc3987-syntax installed that costs about 1 s of CPU each (its Earley
    parsers are built at import). requirements.txt keeps jsonschema below the release that
    imports it; this fails if an upgrade brings the cost back."""
    import subprocess
    import sys

    probe = ("import sys, nbformat, jupyter_events.validators; "
             "print(sorted(m for m in ('rfc3987_syntax', 'lark') if m in sys.modules))")
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                          timeout=60, check=True)
    assert done.stdout.strip() == "[]", (
        f"importing nbformat and jupyter_events imports {done.stdout.strip()}: see the "
        "jsonschema line in requirements.txt")
