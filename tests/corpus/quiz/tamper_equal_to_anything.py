# expect: zero
# why: answers with a str subclass equal to every string, and shadows str, type and
# isinstance, to pass every check without knowing any answer
# flag: builtins
class Anything(str):
    def __eq__(self, other):
        return True

    def __ne__(self, other):
        return False

    __hash__ = str.__hash__

    def strip(self, *args):
        return self

    def lower(self):
        return self


def type(obj):
    return str


def isinstance(obj, cls):
    return True


str = Anything
q1 = q2 = q3 = q4 = q5 = q6 = q7 = q8 = q9 = q10 = Anything("x")
