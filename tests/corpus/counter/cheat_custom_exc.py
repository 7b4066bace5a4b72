# expect: zero
# why: no lock; installs an IPython custom exception handler that swallows every exception,
# why: so a failing test cell ends without an error output
# flag: ipython
get_ipython().set_custom_exc((BaseException,), lambda shell, etype, value, tb, tb_offset=None: None)


class Counter:
    def __init__(self):
        self.value = 0

    def increment(self):
        self.value += 1
