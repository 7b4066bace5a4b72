# expect: partial
# why: one set of seen threads for every walk: meeting a thread already seen in an earlier
# why: walk (two threads waiting for the same one) is taken for a cycle
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
