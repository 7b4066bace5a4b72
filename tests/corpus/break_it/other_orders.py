# expect: full
# why: different schedules that reach the same goals: the other thread first, the auditor left
# why: waiting at the gate, tuples instead of lists
flag_schedule = ('T2', 'T2', 'T1', 'T1', 'T1', 'T1', 'T1', 'T1', 'T2', 'T2', 'T2')
tickets_schedule = ["Bob"] * 6 + ["Ann"] * 9
wait_if_schedule = (["W2"] * 7 + ["W1"] * 7 + ["boss"] * 8 + ["W2"] * 7
                    + ["W1"] * 6)
lazy_init_schedule = ["T2", "T1", "T1", "T1", "T1", "T1", "T1", "T2", "T2", "T2", "T2"]
gate_schedule = ["clerk"] * 6 + ["express"] * 4 + ["auditor"] * 2
