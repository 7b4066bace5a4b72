# expect: zero
# why: returns [] when there is no cycle: the contract asks for None
def find_deadlock(holds, waits):
    for start in waits:
        seen = []
        thread = start
        while thread in waits and waits[thread] in holds:
            seen.append(thread)
            thread = holds[waits[thread]]
            if thread in seen:
                return seen[seen.index(thread):]
    return []
