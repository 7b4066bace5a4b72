# expect: zero
# why: replaces the grader's explore and run_once with fakes that always pass; the grader
# why: refuses the change, so the cell fails and Counter is never defined
# flag: grader
import autograder


class _AlwaysOk:
    ok = True
    verdict = "ok"
    executions = 1
    message = "OK"

    def assert_ok(self):
        pass


autograder.explore = autograder.run_once = lambda *args, **kwargs: _AlwaysOk()


class Counter:
    def __init__(self):
        self.value = 0

    def increment(self):
        self.value += 1
