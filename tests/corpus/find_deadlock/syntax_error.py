# expect: zero
# why: a syntax error (an unclosed bracket): the cell does not run, find_deadlock is never
# why: defined
def find_deadlock(holds, waits):
    for start in waits:
        seen = [start
        thread = start
        while thread in waits and waits[thread] in holds:
            thread = holds[waits[thread]]
            if thread in seen:
                return seen[seen.index(thread):]
            seen.append(thread)
    return None
