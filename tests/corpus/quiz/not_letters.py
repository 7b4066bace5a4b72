# expect: zero
# why: answers with the option's text or its number instead of its letter
q1 = "Nothing good: the read and the write are separate steps"
q2 = 1
q3 = ["d"]
q4 = "d) Taking the two locks in one global order"
q5 = None
q6 = "sell_b"
q7 = 3
q8 = "b and d"
q9 = True
q10 = "on a Lock, any thread"
