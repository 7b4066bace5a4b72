"""Each mutation operator on a small module: the mutant it makes, and where it makes none."""

from __future__ import annotations

import ast

import pytest

from autograder.grading.mutants import operators

SOURCE = '''
import threading

class Box:
    def __init__(self):
        self._lock = threading.Lock()
        self._changed = threading.Condition(self._lock)
        self._slots = threading.BoundedSemaphore(2)
        self._re = threading.RLock()
        self.items = []

    def put(self, item):
        with self._lock:
            if len(self.items) < 3:
                self.items.append(item)
            self._changed.notify_all()
        return item

    def take(self, timeout=None):
        with self._changed:
            while not self.items:
                self._changed.wait(timeout=timeout)
            return self.items.pop()

    def both(self, other):
        with self._lock, other._lock:
            pass

    def manual(self):
        self._slots.acquire()
        try:
            self.items.clear()
        finally:
            self._slots.release()
'''


def mutants(name: str) -> list[str]:
    return [m.source for m in operators.mutate(SOURCE, (operators.BY_NAME[name],))]


def method(source: str, name: str) -> str:
    tree = ast.parse(source)
    found = next(n for n in ast.walk(tree) if isinstance(n, ast.FunctionDef) and n.name == name)
    return ast.unparse(found)


def test_every_operator_is_documented():
    text = (operators.__file__.rsplit("autograder", 1)[0] + "docs/mutants.md")
    with open(text, encoding="utf-8") as f:
        doc = f.read()
    missing = [op.name for op in operators.OPERATORS if f"`{op.name}`" not in doc]
    assert not missing, f"docs/mutants.md does not list {missing}"


def test_remove_with_keeps_the_body_unlocked():
    put = [method(m, "put") for m in mutants("remove_with")]
    assert any("with" not in p and "self.items.append(item)" in p for p in put)


def test_notify_all_to_notify():
    (only,) = mutants("notify_all_to_notify")
    assert "self._changed.notify()" in method(only, "put")


def test_while_around_wait_becomes_if():
    (only,) = mutants("while_to_if")
    take = method(only, "take")
    assert "if not self.items:" in take and "while" not in take


def test_remove_finally_runs_the_release_only_without_an_exception():
    (only,) = mutants("remove_finally")
    manual = method(only, "manual")
    assert "finally" not in manual and manual.index("clear()") < manual.index("release()")


def test_remove_acquire_release_pair():
    (only,) = mutants("remove_acquire_release")
    manual = method(only, "manual")
    assert "acquire" not in manual and "release" not in manual


def test_counts_and_classes():
    assert any("BoundedSemaphore(2 + 1)" in m for m in mutants("count_plus_one"))
    assert any("BoundedSemaphore(2 - 1)" in m for m in mutants("count_minus_one"))
    assert any("threading.Semaphore(2)" in m for m in mutants("bounded_to_semaphore"))
    assert any("threading.Lock()\n" in m and "RLock" not in m for m in mutants("rlock_to_lock"))


def test_drop_timeout():
    assert any("self._changed.wait()" in m for m in mutants("drop_timeout"))


def test_exchange_locks_of_a_nested_acquire():
    (only,) = mutants("exchange_locks")
    assert "with other._lock, self._lock:" in method(only, "both")


def test_regions_shrink_split_expand_and_shift():
    put = method(SOURCE, "put")
    for name in ("shrink_region_start", "shrink_region_end", "split_region", "expand_region",
                 "shift_region"):
        changed = {method(m, "put") for m in mutants(name)} | {method(m, "take")
                                                               for m in mutants(name)}
        assert changed - {put, method(SOURCE, "take")}, f"{name} made no mutant of a region"
    split = [method(m, "put") for m in mutants("split_region")]
    assert any(p.count("with self._lock:") == 2 for p in split)
    expanded = [method(m, "put") for m in mutants("expand_region")]
    assert any(p.rstrip().endswith("return item") and p.count("\n        ") >= 3
               for p in expanded)


def test_check_then_act_evaluates_the_test_before_the_lock():
    (only,) = [m for m in mutants("check_outside_lock") if "len(self.items) < 3" in m]
    put = method(only, "put")
    assert put.index("len(self.items) < 3") < put.index("with self._lock")


def test_remove_call():
    removed = mutants("remove_call")
    assert any("notify_all" not in method(m, "put") for m in removed)
    assert any("release" not in method(m, "manual") for m in removed)


@pytest.mark.parametrize("op", operators.OPERATORS, ids=lambda op: op.name)
def test_mutants_are_distinct_valid_python_and_not_the_original(op):
    original = ast.unparse(ast.parse(SOURCE))
    made = [m.source for m in operators.mutate(SOURCE, (op,))]
    for source in made:
        compile(source, "<mutant>", "exec")
    assert original not in made
    assert len(made) == len(set(made))


def test_no_mutant_of_code_without_synchronization():
    assert not list(operators.mutate("def f(x):\n    return sorted(x)\n"))
