# expect: full
# Upper case and spaces around the letter are accepted.
q1, q2, q3, q4, q5 = "C", " a", "D ", "d", "A"
q6 = "B"
q7 = "c\n"
q8 = " b "
q9 = "a"
q10 = "D"
