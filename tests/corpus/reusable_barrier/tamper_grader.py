# expect: zero
# flag: grader
# why: a barrier that never waits, and replaces the grader's explore and run_once with fakes
# why: that always pass; the grader refuses the change, so the cell fails
import autograder


class _Ok:
    ok = True
    verdict = "ok"
    executions = 1
    message = "OK"
    trace = None


autograder.explore = autograder.run_once = lambda *args, **kwargs: _Ok()


class ReusableBarrier:
    def __init__(self, n):
        self.n = n

    def wait(self):
        pass
