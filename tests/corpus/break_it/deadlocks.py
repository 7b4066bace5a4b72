# expect: zero
# why: the answer cell deadlocks: it takes a plain Lock it already holds, so it waits for
# why: itself forever; the cell is interrupted before any schedule is defined
import threading

guard = threading.Lock()
guard.acquire()
with guard:
    flag_schedule = ["T1", "T1", "T2", "T2", "T1", "T1", "T2", "T2"]
    tickets_schedule = ["Ann"] * 6 + ["Bob"] * 8
    wait_if_schedule = ["W1"] * 6 + ["W2"] * 6 + ["boss"] * 8 + ["W1"] * 5 + ["W2"] * 5
    lazy_init_schedule = ["T1"] * 7 + ["T2"] * 5
    gate_schedule = ["auditor"] * 10 + ["clerk"] * 6 + ["express"] * 4
