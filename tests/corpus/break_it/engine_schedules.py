# expect: full
# why: the engine's own counterexamples ("Show me" on each board), written out
flag_schedule = ['T1', 'T1', 'T2', 'T2', 'T2', 'T2', 'T2', 'T2', 'T1', 'T1', 'T1']
tickets_schedule = ["Ann"] * 6 + ["Bob"] * 9
wait_if_schedule = (["W1"] * 7 + ["W2"] * 7 + ["boss"] * 8 + ["W1"] * 7
                    + ["W2"] * 6)
lazy_init_schedule = ["T1", "T1", "T1", "T1", "T1", "T1", "T1", "T2", "T2", "T2", "T2", "T2"]
gate_schedule = ["auditor"] * 10 + ["clerk"] * 6 + ["express"] * 4
