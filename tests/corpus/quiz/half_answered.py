# expect: partial
# why: answers only questions 1 to 5 (all right); the tests of 6 to 10 find no answer
q1 = "c"
q2 = "a"
q3 = "d"
q4 = "d"
q5 = "a"
