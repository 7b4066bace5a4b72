"""Code that imports, creates or patches threading in awkward ways stays under control."""

from __future__ import annotations

import subprocess
import sys
import textwrap
import threading
from threading import Lock  # the student's style: a name bound before any run
from types import SimpleNamespace

from autograder import explore, run_once
from autograder.runtime import execution

from .programs import ab, ba, two_locks

shared_lock = Lock()  # created at module level, before the engine ran anything
total = 0


def add_with_imported_lock():
    global total
    with shared_lock:
        total += 1


def reset_total():
    global total
    total = 0


def test_module_level_lock_and_from_import_are_controlled():
    bump = [lambda _: add_with_imported_lock()] * 2
    r = explore(reset_total, bump, lambda _: total == 2)
    assert r.ok and r.exhaustive, r.message
    one = run_once(reset_total, [lambda _: add_with_imported_lock()])
    assert [e.op for e in one.trace.events
            if e.obj == "shared_lock" and e.kind == "Lock"] == ["acquire", "release"]
    assert type(shared_lock) is type(threading.Lock())  # restored after the run


def test_lock_created_in_the_thread_with_the_imported_name_is_controlled():
    def make_and_use(s):
        lk = Lock()
        with lk:
            s.n += 1

    r = run_once(lambda: SimpleNamespace(n=0), [make_and_use])
    assert r.ok
    assert [e.op for e in r.trace.events if e.kind == "Lock"] == ["acquire", "release"]


def test_code_defined_before_the_engine_was_imported(tmp_path):
    program = tmp_path / "student.py"
    program.write_text(textwrap.dedent('''
        import threading
        lock = threading.Lock()
        class Account:
            def __init__(self):
                self.balance = 0
                self.lock = threading.Lock()
            def deposit(self, n):
                with self.lock:
                    self.balance += n
        class Broken:
            def __init__(self):
                self.balance = 0
            def deposit(self, n):
                self.balance += n
        account = Account()   # built before the engine exists: holds a real lock
        def deposit_global():
            with lock:
                account.balance += 1
    '''))
    check = textwrap.dedent(f'''
        import sys
        sys.path.insert(0, {str(tmp_path)!r})
        import student                      # defined first...
        from autograder import explore      # ...engine imported after
        ok = explore(student.Account, [lambda a: a.deposit(1)] * 2, lambda a: a.balance == 2)
        bad = explore(student.Broken, [lambda a: a.deposit(1)] * 2, lambda a: a.balance == 2)
        def reset():
            student.account.balance = 0
        glob = explore(reset, [lambda _: student.deposit_global()] * 2,
                       lambda _: student.account.balance == 2)
        print(ok.verdict, bad.verdict, glob.verdict, glob.exhaustive)
    ''')
    out = subprocess.run([sys.executable, "-c", check], capture_output=True, text=True,
                         timeout=120)
    assert out.returncode == 0, out.stderr
    assert out.stdout.split() == ["ok", "invariant", "ok", "True"]


def test_patching_thread_start_before_the_run_does_not_take_control():
    saved = threading.Thread.start

    def run_inline(self):  # a student's "fix": run threads synchronously
        self.run()

    class Counter:
        def __init__(self):
            self.value = 0

    def spawn_two(c):
        def bump():
            c.value += 1

        ts = [threading.Thread(target=bump) for _ in range(2)]
        for t in ts:
            t.start()
        for t in ts:
            t.join()

    threading.Thread.start = run_inline
    try:
        r = explore(Counter, [spawn_two], lambda c: c.value == 2)
    finally:
        threading.Thread.start = saved
    assert r.verdict == "invariant"  # the race is still found: the engine started the threads


def test_patching_threading_during_the_run_is_reported_as_tampering():
    def sneaky(s):
        threading.Lock = lambda: s  # noqa: B023

    saved = threading.Lock
    r = explore(lambda: SimpleNamespace(), [sneaky])
    assert threading.Lock is saved
    assert r.verdict == "tampering"
    assert "threading.Lock" in r.message


def test_switching_tracing_off_is_refused():
    def stop_tracing(_):
        sys.settrace(None)

    r = explore(lambda: None, [stop_tracing])
    assert r.verdict == "tampering"
    assert "controls tracing" in r.message


def test_no_managed_thread_is_left_behind_after_failures():
    setup = two_locks

    before = threading.active_count()
    for _ in range(3):
        assert explore(setup, [ab, ba]).verdict == "deadlock"
    assert not execution.registry
    assert threading.active_count() == before


def test_bad_arguments_get_clear_errors():
    import pytest

    with pytest.raises(TypeError, match="not callable"):
        explore(None, [42])
    with pytest.raises(ValueError, match="at least one thread"):
        explore(None, [])
    with pytest.raises(ValueError, match="different"):
        explore(None, [("a", print), ("a", print)])


def test_a_constructor_that_raises_is_a_setup_failure():
    class Stub:
        def __init__(self):
            raise NotImplementedError

    r = explore(Stub, [lambda s: None])
    assert r.verdict == "setup"
    assert "NotImplementedError" in r.message


def test_thread_local_data_does_not_leak_between_executions():
    seen = []
    store = threading.local()

    def first_visit(_):
        seen.append(getattr(store, "mark", None))
        store.mark = "set"

    r = explore(lambda: None, [first_visit, first_visit])
    assert r.ok
    assert set(seen) == {None}  # every execution's threads start with empty thread-local data


def test_the_grader_cannot_be_rewritten_by_the_code_under_test():
    import pytest

    import autograder
    import autograder.exploration.result
    import autograder.exploration.search
    import autograder.runtime.execution

    for target, name in [(autograder, "explore"), (autograder.exploration.search, "explore"),
                         (autograder.exploration.result.Result, "assert_ok"),
                         (autograder.runtime.execution.Execution, "_fail")]:
        with pytest.raises(PermissionError, match="cannot be changed"):
            setattr(target, name, lambda *a, **k: None)
    with pytest.raises(PermissionError):
        del autograder.exploration.result.Result.assert_ok


class ClassLevelLock:
    lock = threading.Lock()  # a real lock in a class body, made before any run

    def __init__(self, make=threading.Lock):  # a factory captured as a default argument
        self.n = 0
        self.own = make()

    def inc(self):
        with ClassLevelLock.lock:
            self.n += 1

    def inc_own(self):
        with self.own:
            self.n += 1


def test_class_attribute_locks_and_default_factories_are_controlled():
    r = explore(ClassLevelLock, [lambda c: c.inc()] * 2, lambda c: c.n == 2)
    assert r.ok and r.exhaustive, r.message
    r = explore(ClassLevelLock, [lambda c: c.inc_own()] * 2, lambda c: c.n == 2)
    assert r.ok and r.exhaustive, r.message
    assert type(ClassLevelLock.lock) is type(threading.Lock())
    assert ClassLevelLock.__init__.__defaults__ == (threading.Lock,)
