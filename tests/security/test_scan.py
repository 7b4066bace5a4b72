"""The static scan of answer cells: every cheat and tampering answer of the corpus is flagged for
the reasons its `# flag:` header names, and nothing else of the corpus, no source solution and no
release stub is flagged at all."""

from __future__ import annotations

from pathlib import Path

import pytest

from autograder.grading.base import lessons, notebooks
from autograder.grading.checks import corpus
from autograder.grading.sandbox import scan

ROOT = Path(__file__).resolve().parents[2]
ANSWERS, PROBLEMS = corpus.load(ROOT / "tests" / "corpus")
FLAGGED = [a for a in ANSWERS if a.flags]
HONEST = [a for a in ANSWERS if not a.flags]
COURSE = lessons.Course.at(ROOT)


def test_corpus_loads_and_has_at_least_ten_cheat_styles():
    assert not PROBLEMS, PROBLEMS
    cheats = [a for a in ANSWERS if a.name.startswith("cheat_")]
    assert len(cheats) >= 10, [a.student for a in cheats]
    for a in cheats:
        assert a.expect == "zero", f"{a.student}: a cheat must expect zero"
        assert a.flags, f"{a.student}: a cheat needs a '# flag:' header"
    # The three cheats of issue 9: sys.modules, builtins.__import__, reading source/.
    assert {"cheat_sys_modules", "cheat_import_hook", "cheat_read_solution"} <= {
        a.name for a in cheats}


def test_flag_headers_name_known_reasons():
    unknown = [(a.student, f) for a in ANSWERS for f in a.flags if f not in scan.REASONS]
    assert not unknown


@pytest.mark.parametrize("answer", FLAGGED, ids=[a.student for a in FLAGGED])
def test_cheat_is_flagged_for_its_reasons(answer):
    findings = scan.scan(answer.source)
    missing = set(answer.flags) - set(scan.reasons(findings))
    assert not missing, f"not flagged for {sorted(missing)}; found: {scan.summary(findings)}"


def test_honest_answers_are_never_flagged():
    flagged = {a.student: scan.summary(f) for a in HONEST if (f := scan.scan(a.source))}
    assert not flagged, "\n".join(f"{k}: {v}" for k, v in flagged.items())
    assert len(HONEST) > 100


def test_source_solutions_and_release_stubs_are_never_flagged():
    flagged = []
    for path in COURSE.source_notebooks():
        for exercise, source in corpus.solutions(notebooks.read(path)).items():
            if scan.scan(source):
                flagged.append(f"{path.name} {exercise}: {scan.summary(scan.scan(source))}")
        release = notebooks.read(COURSE.release_notebook(path))
        for cell in release.cells:
            if lessons.kind(cell) == "answer" and scan.scan(cell.source):
                flagged.append(f"release {path.name} {notebooks.grade_id(cell)}")
    assert not flagged, "\n".join(flagged)


@pytest.mark.parametrize("source, reason", [
    ("import sys\nsys.modules['autograder'] = object()", "modules"),
    ("import sys as s\ns.modules.pop('autograder')", "modules"),
    ("from sys import modules\nmodules['autograder'] = 1", "modules"),
    ("import builtins\nbuiltins.__import__ = print", "builtins"),
    ("__builtins__['len'] = print", "builtins"),
    ("def isinstance(a, b):\n    return True", "builtins"),
    ("import sys\nsys.meta_path.insert(0, object())", "imports"),
    ("get_ipython().events.register('post_run_cell', print)", "ipython"),
    ("ip = get_ipython()\nip.set_custom_exc((Exception,), print)", "ipython"),
    ("import gc\ngc.get_objects()", "introspection"),
    ("import sys\nf = sys._getframe(1).f_back", "introspection"),
    ("x = ().__class__.__base__.__subclasses__()", "introspection"),
    ("type.__setattr__(int, 'x', 1)", "introspection"),
    ("import ctypes", "ctypes"),
    ("import threading\nthreading.Lock = threading.RLock", "threading"),
    ("import sys\nsys.settrace(None)", "threading"),
    ("import sys\nsys.stderr = sys.stdout", "output"),
    ("open('/etc/passwd').read()", "files"),
    ("open('../../../source/x.ipynb')", "files"),
    ("from pathlib import Path\nPath.cwd().parent.parent", "files"),
    ("import sqlite3", "files"),
    ("!cat ../../source/01/01.ipynb", "process"),
    ("import os\nos.system('ls')", "process"),
    ("import os\nos._exit(0)", "process"),
    ("import urllib.request", "network"),
    ("exec('x = 1')", "dynamic"),
    ("m = __import__('ct' + 'ypes')", "dynamic"),
    ("import autograder\nautograder.explore = None", "grader"),
    ("import autograder\nsetattr(autograder, 'explore', None)", "grader"),
])
def test_each_construct_is_flagged(source, reason):
    assert reason in scan.reasons(scan.scan(source)), scan.scan(source)


@pytest.mark.parametrize("source", [
    "import threading\nlock = threading.Lock()\nwith lock:\n    x = 1",
    "class A:\n    def __init__(self):\n        self.__dict__['x'] = 1\n        self.type = 3",
    "def f(path):\n    with open(path, 'a') as f:\n        f.write('x')",
    "def f():\n    type = 3\n    return type",
    "x = '...'\ny = [1, 2, 3][::-1]",
    "import time\ntime.sleep(0.01)",
    "this is not python (",
])
def test_ordinary_code_is_not_flagged(source):
    assert scan.scan(source) == []


def test_findings_have_lines():
    (finding,) = scan.scan("x = 1\n\nimport ctypes\n")
    assert (finding.line, finding.reason) == (3, "ctypes")
    assert str(finding) == "line 3: imports ctypes (ctypes)"
