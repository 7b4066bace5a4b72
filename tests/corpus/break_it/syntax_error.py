# expect: zero
# why: does not compile (a missing bracket): no schedule is defined
flag_schedule = ["T1", "T1", "T2", "T2", "T1", "T1", "T2", "T2"
tickets_schedule = ["Ann"] * 6 + ["Bob"] * 8
