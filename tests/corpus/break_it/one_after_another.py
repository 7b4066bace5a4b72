# expect: zero
# mistake: does not reach the goal
# why: runs each thread to its end before the next one starts: with no switch in the middle,
# why: none of these programs fails, and each test says what the schedule reached instead
flag_schedule = ["T1"] * 7 + ["T2"] * 7
tickets_schedule = ["Ann"] * 8 + ["Bob"] * 4
wait_if_schedule = ["boss"] * 20 + ["W1"] * 8 + ["W2"] * 8
lazy_init_schedule = ["T1"] * 9 + ["T2"] * 5
gate_schedule = ["auditor"] * 12 + ["clerk"] * 12 + ["express"] * 8
