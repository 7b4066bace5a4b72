# expect: full
# why: the engine's own counterexamples ("Show me" on each board), written out
flag_schedule = ["T1", "T1", "T2", "T2", "T1", "T1", "T2", "T2"]
tickets_schedule = ["Ann", "Ann", "Ann", "Ann", "Ann", "Ann",
                    "Bob", "Bob", "Bob", "Bob", "Bob", "Bob", "Bob", "Bob"]
wait_if_schedule = ["W1", "W1", "W1", "W1", "W1", "W1", "W2", "W2", "W2", "W2", "W2", "W2",
                    "boss", "boss", "boss", "boss", "boss", "boss", "boss", "boss",
                    "W1", "W1", "W1", "W1", "W1", "W2", "W2", "W2", "W2", "W2"]
lazy_init_schedule = ["T1", "T1", "T1", "T1", "T1", "T1", "T1", "T2", "T2", "T2", "T2", "T2"]
gate_schedule = ["auditor"] * 10 + ["clerk"] * 6 + ["express"] * 4
