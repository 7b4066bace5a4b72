"""Readers and writers on a ``threading.Condition``: two readers, one writer.

Readers count themselves in; the writer waits until no reader is inside and keeps readers out
while it writes. Correct: a reader never sees a half-written record (``a != b``).
"""

import threading


class Record:
    def __init__(self):
        self.cond = threading.Condition()
        self.readers = 0
        self.writing = False
        self.a = 0
        self.b = 0
        self.torn = False


def setup():
    return Record()


def reader(state):
    with state.cond:
        while state.writing:
            state.cond.wait()
        state.readers += 1
    if state.a != state.b:
        state.torn = True
    with state.cond:
        state.readers -= 1
        state.cond.notify_all()


def writer(state):
    with state.cond:
        while state.readers:
            state.cond.wait()
        state.writing = True
    state.a += 1
    state.b += 1
    with state.cond:
        state.writing = False
        state.cond.notify_all()


threads = [reader, writer, reader]


def invariant(state):
    if state.torn:
        raise AssertionError("a reader saw a half-written record")


EXPECTED = "ok"
