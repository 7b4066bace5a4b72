# expect: partial
# why: the flag, ticket and lazy-initialisation schedules are right; the wait_if schedule stops
# why: before the second worker pops (the goal is not reached yet), and the gate schedule lets
# why: the express path go first, so it finishes before the clerk takes b
flag_schedule = ["T1", "T1", "T2", "T2", "T1", "T1", "T2", "T2"]
tickets_schedule = ["Ann"] * 6 + ["Bob"] * 8
wait_if_schedule = ["W1"] * 7 + ["W2"] * 7 + ["boss"] * 8 + ["W1"] * 5
lazy_init_schedule = ["T1"] * 7 + ["T2"] * 5
gate_schedule = ["express"] * 4 + ["clerk"] * 6 + ["express"] * 4
