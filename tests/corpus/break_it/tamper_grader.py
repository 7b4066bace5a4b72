# expect: zero
# flag: grader
# why: replaces the engine's manual scheduler and replay with fakes that say every goal is
# why: reached; the grader refuses the change, so the cell fails before any schedule is defined
import autograder


class _Reached:
    done = True
    outcome = "deadlock"
    history = ["T1"]

    def __init__(self, *args, **kwargs):
        pass

    def runnable(self):
        return ["T1", "T2", "Ann", "Bob", "W1", "W2", "boss", "auditor", "clerk", "express"]

    def step(self, name):
        return []

    def close(self):
        pass


autograder.ManualSession = _Reached
autograder.replay = lambda *args, **kwargs: None
flag_schedule = tickets_schedule = wait_if_schedule = ["T1"]
lazy_init_schedule = gate_schedule = ["T1"]
