# expect: zero
# why: no lock; adds an IPython input transformer that turns every later cell that uses the
# why: grader into a harmless print, so no test ever runs
# flag: ipython


def _skip_tests(lines):
    if any("autograder" in line for line in lines):
        return ['print("ok")\n']
    return lines


get_ipython().input_transformers_cleanup.append(_skip_tests)


class Counter:
    def __init__(self):
        self.value = 0

    def increment(self):
        self.value += 1
