# expect: zero
# why: writes the schedules as strings, as numbers of steps, or with thread names in the
# why: wrong case: a schedule is a list of thread names, and each test says so
flag_schedule = "T1 T1 T2 T2 T1 T1 T2 T2"
tickets_schedule = {"Ann": 6, "Bob": 8}
wait_if_schedule = ["w1"] * 6 + ["w2"] * 6 + ["Boss"] * 8 + ["w1"] * 5 + ["w2"] * 5
lazy_init_schedule = [1, 1, 1, 1, 1, 1, 1, 2, 2, 2, 2, 2]
gate_schedule = None
