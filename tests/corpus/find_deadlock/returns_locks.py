# expect: zero
# why: returns the locks of the cycle, not the threads
def find_deadlock(holds, waits):
    for start in waits:
        seen = []
        thread = start
        while thread in waits and waits[thread] in holds:
            seen.append(thread)
            thread = holds[waits[thread]]
            if thread in seen:
                return [waits[t] for t in seen[seen.index(thread):]]
    return None
