# expect: zero
# why: redefines the puzzles' programs as obviously broken ones and gives schedules for those;
# why: the tests replay the schedules on their own copies of the real programs, where they
# why: do not fit (and the read-only cells below define the real programs again anyway)
import threading
from types import SimpleNamespace


def flag_worker(s, me):
    s.inside.append(me)


def buyer(s, me):
    s.tickets.acquire()
    s.tickets.acquire()


def use_config(s):
    raise KeyError("db")


def worker(s):
    [].pop()


def gate_setup():
    lock = threading.Lock()
    return SimpleNamespace(gate=lock, a=lock, b=lock)


flag_schedule = ["T1", "T1", "T2", "T2"]
tickets_schedule = ["Ann", "Ann", "Ann"]
wait_if_schedule = ["W1", "W1"]
lazy_init_schedule = ["T1", "T1"]
gate_schedule = ["auditor", "auditor", "auditor"]
