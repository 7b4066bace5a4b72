# expect: partial
# why: one set of seen threads for every walk: meeting a thread already seen in an earlier
# why: walk (two threads waiting for the same one) is taken for a cycle
# why: visible tests pass: an edge case (two threads waiting for the same one, met in two walks),
# why: which the hidden tests add; the lesson's classic mistakes (no visited set, 2-cycles only,
# why: names such as 0) fail visibly
def find_deadlock(holds, waits):
    seen = []
    for start in waits:
        thread = start
        while thread in waits and waits[thread] in holds:
            seen.append(thread)
            thread = holds[waits[thread]]
            if thread in seen:
                return seen[seen.index(thread):]
    return None
