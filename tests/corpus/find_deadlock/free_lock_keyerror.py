# expect: partial
# why: assumes every awaited lock is held by someone: a thread waiting for a free lock (about
# why: to get it) raises KeyError
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
