# expect: partial
# why: assumes every awaited lock is held by someone: a thread waiting for a free lock (about
# why: to get it) raises KeyError
# why: visible tests pass: an edge case (a lock nobody holds), which the hidden tests add; the
# why: lesson's classic mistakes (no visited set, 2-cycles only, names such as 0) fail visibly
def find_deadlock(holds, waits):
    for start in waits:
        seen = []
        thread = start
        while thread in waits:
            seen.append(thread)
            thread = holds[waits[thread]]
            if thread in seen:
                return seen[seen.index(thread):]
    return None
