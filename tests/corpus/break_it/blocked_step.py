# expect: partial
# why: the lazy-initialisation and gate schedules are right; the flag schedule lets T2 spin
# why: while T1 holds the flag (the goal is never reached), and the tickets and wait_if
# why: schedules ask a blocked or finished thread to take a step
flag_schedule = ["T1"] * 4 + ["T2"] * 40
tickets_schedule = ["Ann"] * 6 + ["Bob"] * 8 + ["Bob"]
wait_if_schedule = ["W1"] * 7 + ["W1"]
lazy_init_schedule = ["T1"] * 7 + ["T2"] * 5
gate_schedule = ["auditor"] * 10 + ["clerk"] * 6 + ["express"] * 4
