# expect: full
# why: each schedule reaches its goal and then lists more steps, which are not played (the
# why: goal is reached: the rest does not matter)
flag_schedule = ['T1', 'T1', 'T2', 'T2', 'T2', 'T2', 'T2', 'T2', 'T1', 'T1', 'T1', 'T1', 'T2', 'T1']
tickets_schedule = ["Ann"] * 6 + ["Bob"] * 9 + ["Ann", "Bob"]
wait_if_schedule = (["W1"] * 7 + ["W2"] * 7 + ["boss"] * 8 + ["W1"] * 7
                    + ["W2"] * 6 + ["boss"] * 3)
lazy_init_schedule = ["T1"] * 7 + ["T2"] * 5 + ["T1"] * 4
gate_schedule = ["auditor"] * 10 + ["clerk"] * 6 + ["express"] * 4 + ["clerk", "express"]
