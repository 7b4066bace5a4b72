# expect: partial
# why: believes the guide: timeouts prevent deadlocks (q4 "a", q9 "b"), the counter is
# atomic (q1 "a"); the seven others are right
q1 = "a"
q2 = "a"
q3 = "d"
q4 = "a"
q5 = "a"
q6 = "b"
q7 = "c"
q8 = "b"
q9 = "b"
q10 = "d"
