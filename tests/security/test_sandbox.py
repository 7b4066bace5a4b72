"""The grading kernel's sandbox (bubblewrap) and the guarded kernel, for real: what student code
can and cannot reach, and tampering caught in a kernel started as autograding starts it."""

from __future__ import annotations

import inspect
import json
import socket
import subprocess
import sys

import pytest

pytest.importorskip("nbgrader")

import nbformat  # noqa: E402
from traitlets.config import Config  # noqa: E402

from autograder.grading.plugins.guarded import GuardedExecute  # noqa: E402
from autograder.grading.sandbox import sandbox  # noqa: E402

if not sys.platform.startswith("linux"):
    pytest.skip("bubblewrap runs on Linux only", allow_module_level=True)

PROBE = """
import json, os, socket, sys
out = {"uid": os.getuid()}
def attempt(name, fn):
    try:
        fn()
        out[name] = "ok"
    except OSError as error:
        out[name] = type(error).__name__
attempt("read_source", lambda: open("../../../source/lesson/lesson.ipynb").read())
attempt("read_other", lambda: open("../../bob/lesson/lesson.ipynb").read())
attempt("read_gradebook", lambda: open("../../../gradebook.db", "rb").read())
attempt("read_own", lambda: open("lesson.ipynb").read())
attempt("write_own", lambda: open("planted.py", "w").write("x"))
attempt("write_tmp", lambda: open("/tmp/scratch.txt", "w").write("x"))
attempt("write_root", lambda: open("/planted", "w").write("x"))
attempt("connect", lambda: socket.create_connection(("127.0.0.1", int(sys.argv[1])), timeout=2))
import autograder
out["grader"] = autograder.__file__
print(json.dumps(out))
"""


@pytest.fixture
def course(tmp_path):
    """A course folder: source/, a gradebook, two students' autograded submissions."""
    for path in ("source/lesson/lesson.ipynb", "autograded/alice/lesson/lesson.ipynb",
                 "autograded/bob/lesson/lesson.ipynb", "gradebook.db"):
        (tmp_path / path).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / path).write_text("secret")
    return tmp_path


@pytest.fixture
def listener():
    """A TCP server on the host's loopback (which the sandbox must not reach)."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen()
    server.settimeout(5)
    yield server.getsockname()[1]
    server.close()


def test_bubblewrap_works_here():
    ok, why = sandbox.works()
    assert ok, why


def test_student_code_sees_only_its_own_submission(course, listener, tmp_path_factory):
    cwd = course / "autograded" / "alice" / "lesson"
    connection = tmp_path_factory.mktemp("conn")
    cmd = sandbox.bwrap_command([sys.executable, "-c", PROBE, str(listener)], cwd=cwd,
                                connection_dir=connection)
    done = subprocess.run(cmd, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    out = json.loads(done.stdout)
    assert out.pop("grader").endswith("autograder/__init__.py")
    # The sandbox's loopback is its own: nothing listens there.
    assert out.pop("connect") in ("ConnectionRefusedError", "OSError")
    assert out == {
        "uid": sandbox.UID,
        "read_source": "FileNotFoundError", "read_other": "FileNotFoundError",
        "read_gradebook": "FileNotFoundError", "read_own": "ok",
        "write_own": "OSError", "write_tmp": "ok", "write_root": "OSError",
    }
    assert not (cwd / "planted.py").exists()


def _notebook(*sources: str) -> nbformat.NotebookNode:
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3",
                                 "language": "python"}
    nb.cells = [nbformat.v4.new_code_cell(inspect.cleandoc(s)) for s in sources]
    for i, cell in enumerate(nb.cells):
        kind = {"answer": {"solution": True, "grade": False},
                "test": {"solution": False, "grade": True, "points": 1}}.get(
                    cell.source.split("\n")[0].lstrip("# "), None)
        if kind:
            cell.metadata["nbgrader"] = {"grade_id": "counter" if kind["solution"]
                                         else f"test_counter_{i}", "locked": False, **kind}
    return nb


def test_guarded_sandboxed_kernel_catches_a_replaced_grader(course):
    nb = _notebook(
        """# answer
        import sys, types
        class _Ok:
            ok = True
        _fake = types.ModuleType("autograder")
        _fake.explore = lambda *a, **k: _Ok()
        sys.modules["autograder"] = _fake
        class Counter:
            value = 0
        """,
        """# test
        from autograder import explore
        assert explore(Counter, []).ok
        """,
        """# other
        from autograder import explore
        print(explore.__module__)
        """,
        """# other
        import os
        print(sorted(os.listdir("../../..")))
        """,
        """# other
        import os
        try:
            import debugpy
        except ImportError:
            debugpy = None
        print(debugpy is None, os.environ.get("COURSE_PICTURES"))
        """,
    )
    config = Config()
    config.GuardedExecute.kernel_manager_class = (
        "autograder.grading.sandbox.kernel.GradingKernelManager")
    executor = GuardedExecute(config=config, timeout=20)
    cwd = course / "autograded" / "alice" / "lesson"
    nb, _ = executor.preprocess(nb, {"metadata": {"path": str(cwd)}})
    answer, test, other, listing, kernel = nb.cells
    (error,) = [o for o in answer.outputs if o.output_type == "error"]
    assert error.ename == "Tampering"
    assert "sys.modules['autograder'] was replaced" in error.evalue
    assert "line 7: assigns sys.modules (modules)" in error.evalue
    assert [o.ename for o in test.outputs] == ["Tampering"]  # not run: the exercise scores 0
    # the real grader is back
    assert other.outputs[0].text.strip() == "autograder.exploration.search"
    assert json.loads(listing.outputs[0].text.replace("'", '"')) == ["autograded"]
    # a grading kernel has no debugger (guard._no_debugger) and draws no lesson pictures
    assert kernel.outputs[0].text.split() == ["True", "off"]


def test_sandboxed_kernel_survives_an_interrupt(course):
    """A cell cut off by the timeout is interrupted (SIGINT to the kernel's process group), not
    killed with its sandbox: the kernel and what it defined live on."""
    nb = _notebook("x = 41", "import time\ntime.sleep(60)", "print(x + 1)")
    config = Config()
    config.GuardedExecute.kernel_manager_class = (
        "autograder.grading.sandbox.kernel.GradingKernelManager")
    executor = GuardedExecute(config=config, timeout=2, interrupt_grace=2)
    cwd = course / "autograded" / "alice" / "lesson"
    nb, _ = executor.preprocess(nb, {"metadata": {"path": str(cwd)}})
    _, stuck, after = nb.cells
    errors = [o.get("ename") for o in stuck.outputs if o.output_type == "error"]
    assert errors and "DeadKernelError" not in errors and "Tampering" not in errors, errors
    assert after.outputs[0].text.strip() == "42"
