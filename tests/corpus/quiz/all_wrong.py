# expect: zero
# why: every answer is a wrong letter
q1 = "a"
q2 = "b"
q3 = "a"
q4 = "a"
q5 = "b"
q6 = "d"
q7 = "a"
q8 = "a"
q9 = "b"
q10 = "a"
