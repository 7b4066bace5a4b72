# expect: full
# why: different schedules that reach the same goals: the other thread first, the auditor left
# why: waiting at the gate, tuples instead of lists
flag_schedule = ("T2", "T1", "T1", "T2", "T1", "T1", "T2", "T2")
tickets_schedule = ["Bob", "Ann", "Ann", "Ann", "Ann", "Ann", "Ann",
                    "Bob", "Bob", "Bob", "Bob", "Ann", "Ann", "Bob"]
wait_if_schedule = (["W2"] * 6 + ["W1"] * 6 + ["boss"] * 8 + ["W2"] * 5 + ["W1"] * 5)
lazy_init_schedule = ["T2", "T1", "T1", "T1", "T1", "T1", "T1", "T2", "T2", "T2", "T2"]
gate_schedule = ["clerk"] * 6 + ["express"] * 4 + ["auditor"] * 2
