"""The engine inside a real Jupyter kernel, on code defined in earlier notebook cells."""

from __future__ import annotations

import pytest

nbformat = pytest.importorskip("nbformat")
nbclient = pytest.importorskip("nbclient")
pytest.importorskip("ipykernel")

CELLS = [
    """
import threading, time
class Counter:
    def __init__(self):
        self.value = 0
    def increment(self):
        self.value += 1
class LockedCounter:
    def __init__(self):
        self.value = 0
        self.lock = threading.Lock()
    def increment(self):
        with self.lock:
            self.value += 1
lock1, lock2 = threading.Lock(), threading.Lock()
def task1():
    with lock1:
        time.sleep(1)
        with lock2:
            pass
def task2():
    with lock2:
        time.sleep(1)
        with lock1:
            pass
""",
    """
from autograder import explore
def twice(c):
    c.increment(); c.increment()
bad = explore(Counter, [twice, twice], lambda c: c.value == 4)
good = explore(LockedCounter, [twice, twice], lambda c: c.value == 4)
dead = explore(None, {"task1": task1, "task2": task2})
print("VERDICTS", bad.verdict, good.verdict, good.exhaustive, dead.verdict)
""",
    """
try:
    bad.assert_ok()
except AssertionError as e:
    print("MESSAGE", "self.value += 1" in str(e))
""",
    """
out = []
t = threading.Thread(target=lambda: out.append(threading.current_thread().name), name="plain")
t.start(); t.join(5)
time.sleep(0.01)
print("KERNEL", out, type(threading.Lock()).__module__, threading.active_count() < 20)
""",
]


def test_engine_runs_in_a_kernel_and_leaves_it_usable():
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell(src) for src in CELLS]
    client = nbclient.NotebookClient(nb, timeout=60, kernel_name="python3")
    client.execute()
    text = "".join(
        o.get("text", "") for c in nb.cells for o in c.get("outputs", []) if o.get("name"))
    assert "VERDICTS invariant ok True deadlock" in text, text
    assert "MESSAGE True" in text
    assert "KERNEL ['plain'] _thread True" in text
