# expect: partial
# why: returns the cycle backwards (each thread is held up by the one before it, not the one
# why: after it): right for two threads, wrong for three
def find_deadlock(holds, waits):
    for start in waits:
        seen = []
        thread = start
        while thread in waits and waits[thread] in holds:
            seen.append(thread)
            thread = holds[waits[thread]]
            if thread in seen:
                cycle = seen[seen.index(thread):]
                return cycle[::-1]
    return None
